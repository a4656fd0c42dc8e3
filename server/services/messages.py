"""Storing a message exactly once, whatever the number of retries."""

from __future__ import annotations

from server.errors import Conflict, Invalid, TooLong
from server.events import MAX_BODY_CHARS
from server.services.deps import Deps
from server.storage.records import MessageRec
from server.storage.tx import Tx

SYNC_PAGE = 100


def check_body(body: str, limit: int = MAX_BODY_CHARS) -> str:
    """A body must have visible text and at most `limit` characters."""
    if len(body) > limit:
        raise TooLong(f"body is {len(body)} characters; the limit is {limit}")
    if not body.strip():
        raise Invalid("body is empty")
    return body


def retried_here(found: MessageRec, *, room: str | None = None, conversation_id: str | None = None) -> MessageRec:
    """The stored message a retried client_id found, when it belongs where this send is going.
    A client_id its sender already used in another room or conversation is refused, so that a
    message is never acknowledged or emitted anywhere but where it was written."""
    if found.room != room or found.conversation_id != conversation_id:
        raise Conflict("this client_id was used for another message elsewhere; send with a new one")
    return found


async def existing(deps: Deps, sender_key: str, client_id: str) -> MessageRec | None:
    async with deps.db.transaction() as tx:
        return await tx.messages.by_client_id(sender_key, client_id)


async def page(
    tx: Tx, *, after: int | None, neighbourhood_id: int | None = None, conversation_id: str | None = None
) -> tuple[list[MessageRec], bool]:
    """One page of messages after an id, and whether more follow."""
    rows = await tx.messages.after(
        after=after,
        limit=SYNC_PAGE + 1,
        neighbourhood_id=neighbourhood_id,
        conversation_id=conversation_id,
    )
    return rows[:SYNC_PAGE], len(rows) > SYNC_PAGE


__all__ = ["check_body", "existing", "page", "retried_here"]
