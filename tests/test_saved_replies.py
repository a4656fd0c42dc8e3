"""Saved replies: a region's supervisors keep them over HTTP; staff of the region list them
(HTTP and replies:list); bad input is refused and stores nothing."""

from __future__ import annotations

from tests.conftest import Running


async def test_supervisors_keep_them_and_officers_use_them(server: Running) -> None:
    """Create, change and delete as a supervisor of Mitt; officers of Mitt list them over HTTP and
    replies:list, officers of Nord do not see them; every change is audited."""
    boss = await server.officer(role="supervisor")
    made = []
    for title, body, lang in (
        ("Var är du?", "Kan du säga ungefär var du är?", "sv"),
        ("Hi", "Hi! What happened?", "en"),
    ):
        status, data = await server.api(boss, "POST", "/api/replies", {"title": title, "body": body, "lang": lang})
        assert status == 201, data
        made.append(data["reply"])
    assert made[0]["region"] == "Mitt"
    status, changed = await server.api(
        boss,
        "PUT",
        f"/api/replies/{made[1]['id']}",
        {"title": "Hello", "body": "Hello! What happened?", "lang": "en"},
    )
    assert status == 200 and changed["reply"]["title"] == "Hello"

    _, console = await server.on_duty("ostersund")
    listed = (await console.ok("replies:list", {}))["replies"]
    assert [(r["title"], r["lang"]) for r in listed] == [("Hello", "en"), ("Var är du?", "sv")]
    officer = await server.officer()
    status, over_http = await server.api(officer, "GET", "/api/replies")
    assert status == 200 and over_http["replies"] == listed
    north = await server.officer(region="Nord")
    status, theirs = await server.api(north, "GET", "/api/replies")
    assert status == 200 and theirs["replies"] == []

    status, _ = await server.api(boss, "DELETE", f"/api/replies/{made[0]['id']}")
    assert status == 200
    assert [r["title"] for r in (await console.ok("replies:list", {}))["replies"]] == ["Hello"]
    status, log = await server.api(boss, "GET", "/api/audit?action=reply.create")
    assert status == 200 and len(log["entries"]) == 2


async def test_bad_replies_are_refused_and_nothing_is_stored(server: Running) -> None:
    """Empty or oversized title or body, an unknown language or field, an officer writing, another
    region's supervisor changing one: each refused with its code; the list is as before."""
    boss = await server.officer(role="supervisor")
    ok = {"title": "Hej", "body": "Hej! Vad har hänt?", "lang": "sv"}
    status, first = await server.api(boss, "POST", "/api/replies", ok)
    assert status == 201
    cases = [
        ({**ok, "title": "  "}, 400, "invalid"),
        ({**ok, "body": ""}, 400, "invalid"),
        ({**ok, "body": "x" * 2001}, 400, "too_long"),
        ({**ok, "title": "x" * 121}, 400, "too_long"),
        ({**ok, "lang": "xx"}, 400, "invalid"),
        ({**ok, "extra": 1}, 400, "invalid"),
        ({"title": "Hej", "body": "Hej"}, 400, "invalid"),
    ]
    for body, status_code, code in cases:
        status, data = await server.api(boss, "POST", "/api/replies", body)
        assert (status, data["error"]["code"]) == (status_code, code), (body, data)
    officer = await server.officer()
    status, data = await server.api(officer, "POST", "/api/replies", ok)
    assert (status, data["error"]["code"]) == (403, "forbidden")
    north_boss = await server.officer(role="supervisor", region="Nord")
    status, data = await server.api(north_boss, "PUT", f"/api/replies/{first['reply']['id']}", ok)
    assert (status, data["error"]["code"]) == (404, "not_found")
    status, data = await server.api(boss, "PUT", "/api/replies/abc", ok)
    assert (status, data["error"]["code"]) == (404, "not_found")
    status, listed = await server.api(boss, "GET", "/api/replies")
    assert [r["id"] for r in listed["replies"]] == [first["reply"]["id"]]
