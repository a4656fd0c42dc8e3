"""The web client's copy of the event names agrees with the server's."""

from __future__ import annotations

import re
from pathlib import Path

from server import events

TS_EVENTS = Path(__file__).resolve().parent.parent / "webclient" / "src" / "shared" / "protocol" / "events.ts"


def test_webclient_event_names_match_server() -> None:
    """Every name in events.ts exists on the server and the other way round."""
    source = TS_EVENTS.read_text(encoding="utf-8")
    body = source[source.index("EVENTS = {") : source.index("} as const")]
    names = set(re.findall(r':\s*"([a-z]+(?::[a-z]+)?)"', body))
    assert names == set(events.ALL_EVENTS)


def test_protocol_doc_names_every_event() -> None:
    """docs/protocol.md mentions each event by name."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text(encoding="utf-8")
    missing = sorted(name for name in events.ALL_EVENTS if f"`{name}`" not in doc)
    assert missing == []
