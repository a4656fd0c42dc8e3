"""Retention: conversations are kept as long as their outcome needs, then their content goes;
Q&A questions lose what the asker wrote, and notice tips go, after their own periods.

A legal hold exempts a conversation. The purge logs what it deleted (counts, never content).
"""

from __future__ import annotations

import datetime as dt

from server.config import DEFAULT_RETENTION_DAYS, Settings
from server.services import audit, rooms
from server.services.deps import Deps

# Periods that are not those of a conversation (by its report's outcome, or "chat" without one).
NOT_CONVERSATIONS = ("room", "youth", "qa", "tips")


def periods(settings: Settings) -> dict[str, int]:
    """Every retention period in days: the defaults with the deployment's KVARTER_RETENTION over them."""
    return {**DEFAULT_RETENTION_DAYS, **settings.retention_days}


def for_youth(settings: Settings) -> dict[str, int]:
    """What the widget's welcome text states: how long a chat is kept, and the longest any is kept."""
    days = periods(settings)
    return {"chat": days["chat"], "longest": max(v for k, v in days.items() if k not in NOT_CONVERSATIONS)}


async def purge(deps: Deps, *, dry_run: bool) -> dict[str, int]:
    """Delete what is past its time; with dry_run, only count it."""
    days = periods(deps.settings)
    now = deps.clock.now()
    shortest = min(v for k, v in days.items() if k not in NOT_CONVERSATIONS)
    async with deps.db.transaction() as tx:
        due = [
            cid
            for cid, outcome, closed_at in await tx.retention.closed_candidates(now - dt.timedelta(days=shortest))
            if closed_at < now - dt.timedelta(days=days.get(outcome or "chat", days["chat"]))
        ]
        counts = {
            "conversations": len(due),
            "messages": await tx.retention.count_messages(due),
            "room_messages": await tx.retention.room_messages_before(
                now - dt.timedelta(days=days["room"]), delete_them=not dry_run
            ),
        }
        counts["qa_questions"] = await tx.retention.qa_questions_before(
            now - dt.timedelta(days=days["qa"]), delete_them=not dry_run
        )
        counts["notice_tips"] = await tx.retention.tips_before(
            now - dt.timedelta(days=days["tips"]), delete_them=not dry_run
        )
        counts["room_nicknames"] = await tx.retention.room_nicknames_before(
            now - rooms.NICKNAME_HELD, delete_them=not dry_run
        )
        idle = await tx.retention.idle_youths(now - dt.timedelta(days=days["youth"]))
        counts["identities"] = len(idle)
        if not dry_run:
            await tx.retention.purge_conversations(due, now)
            await tx.retention.scrub_youths(idle)
            await audit.record(tx, at=now, actor=None, action="retention.purge", detail=dict(counts))
    return counts


__all__ = ["for_youth", "periods", "purge"]
