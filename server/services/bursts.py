"""Bursts in the triage queue: reports that arrive together from one source, or with the same
text. Ten young people at one party reporting it become one incident with ten voices; a flood of
fake emergencies becomes one item marked "likely flood", below every other report, so a real
emergency from elsewhere stays on top. Pure functions over the waiting reports."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from server.storage.records import ReportRec

# The same text (after `fingerprint`) from this many young people is a copy-paste flood.
SAME_TEXT_FLOOD = 3
# This many waiting reports from one source is more than any one party or school: a flood.
SAME_SOURCE_FLOOD = 25
# Fewer than this from one source are just reports.
SOURCE_GROUP = 3
_NOT_LETTERS = re.compile(r"[^\w]+|[\d_]+")


def fingerprint(*texts: str) -> str:
    """A short hash of what a text says, ignoring case, accents, digits, punctuation and spacing,
    so that copies of one text differing in those fall together."""
    plain = unicodedata.normalize("NFKD", " ".join(texts)).encode("ascii", "ignore").decode().lower()
    words = " ".join(_NOT_LETTERS.sub(" ", plain).split())
    return hashlib.sha256(words.encode()).hexdigest()[:16] if words else ""


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    reason: str  # "same_text" or "same_source"
    count: int
    likely_flood: bool

    def shape(self) -> dict[str, Any]:
        return {"key": self.key, "reason": self.reason, "count": self.count, "likely_flood": self.likely_flood}


def groups(waiting: list[ReportRec]) -> dict[str, Group]:
    """The group of each waiting report that belongs to one, by report id."""
    out: dict[str, Group] = {}
    by_text: dict[str, list[ReportRec]] = {}
    for r in waiting:
        if r.text_hash:
            by_text.setdefault(r.text_hash, []).append(r)
    for text, members in by_text.items():
        youths = {m.youth_id for m in members}
        if len(youths) >= 2:
            group = Group(f"text:{text}", "same_text", len(members), len(youths) >= SAME_TEXT_FLOOD)
            out.update({m.id: group for m in members})
    by_source: dict[str, list[ReportRec]] = {}
    for r in waiting:
        if r.source_hash and r.id not in out:
            by_source.setdefault(r.source_hash, []).append(r)
    for source, members in by_source.items():
        if len(members) >= SOURCE_GROUP:
            group = Group(f"source:{source[:12]}", "same_source", len(members), len(members) >= SAME_SOURCE_FLOOD)
            out.update({m.id: group for m in members})
    return out


def flood_last(reports: list[ReportRec], found: dict[str, Group]) -> list[ReportRec]:
    """The queue's order (most urgent, then oldest) with the reports of a likely flood after all
    the others."""
    return sorted(reports, key=lambda r: bool((g := found.get(r.id)) and g.likely_flood))


def quiet_members(due: list[ReportRec], found: dict[str, Group]) -> set[str]:
    """Of reports due for an alert, those to keep quiet: every member of a likely flood but its
    first, so that a flood raises one alert, not hundreds."""
    seen: set[str] = set()
    quiet = set()
    for r in due:
        group = found.get(r.id)
        if group is None or not group.likely_flood:
            continue
        if group.key in seen:
            quiet.add(r.id)
        seen.add(group.key)
    return quiet
