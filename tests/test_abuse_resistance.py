"""What an outside red-team found (issue #24), each pinned through the public interface."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from server.clock import FakeClock
from server.config import Settings
from server.http import csrf
from server.services import accounts, login_throttle, passwords, triage
from server.services.deps import HASH_SLOTS
from tests.clients import Client, cid, csrf_pair
from tests.conftest import Running
from tests.test_staff_security import Http


async def test_a_client_id_reused_in_another_chat_is_refused_and_delivered_nowhere(server: Running) -> None:
    """An officer's message to young person A, retried with the same client_id into C's chat, is
    refused (`conflict`) and never reaches C: after a later message to C has arrived (the
    barrier), C has received nothing of A's. The same client_id in a room is refused too; a retry
    into the right chat still answers the stored message (the positive control)."""
    _, console = await server.on_duty("ostersund")
    a, c = await server.youth(), await server.youth()
    chat_a = (await a.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    chat_c = (await c.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    for conv in (chat_a, chat_c):
        await console.ok("chat:take", {"conversation_id": conv})
    reused = cid()
    secret = "Alice, om din adress på Storgatan 5 …"
    first = await console.ok("chat:send", {"conversation_id": chat_a, "client_id": reused, "body": secret})
    again = await console.ok("chat:send", {"conversation_id": chat_a, "client_id": reused, "body": secret})
    assert again["message"]["id"] == first["message"]["id"]
    wrong = await console.call("chat:send", {"conversation_id": chat_c, "client_id": reused, "body": secret})
    assert wrong["error"]["code"] == "conflict"
    in_room = await console.call("room:send", {"room": "ostersund", "client_id": reused, "body": "Hej rummet"})
    assert in_room["error"]["code"] == "conflict"
    barrier = await console.ok("chat:send", {"conversation_id": chat_c, "client_id": cid(), "body": "Hej C"})
    await c.wait_for("chat:message", lambda m: m["id"] == barrier["message"]["id"])
    assert [m["body"] for m in c.events["chat:message"]] == ["Hej C"]
    synced = (await c.ok("chat:sync", {"conversation_id": chat_c}))["messages"]
    assert secret not in [m["body"] for m in synced]
    await a.wait_for("chat:message", lambda m: m["id"] == first["message"]["id"])


async def test_out_of_range_input_is_invalid_and_leaves_no_traceback(
    server: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Ids beyond the database's integers, non-ASCII digits, dates past year 9999's eve and a
    30,000-deep JSON body each get a clear `invalid` (or `not_found` for a path id); nothing is
    logged with a traceback or at ERROR. In-range values still work (the positive control)."""
    caplog.set_level(logging.INFO)
    _, console = await server.on_duty("ostersund")
    youth = await server.youth()
    await youth.ok("room:join", {"room": "ostersund"})
    sockets = [
        (youth, "room:sync", {"room": "ostersund", "after": "9" * 20}, "invalid"),
        (youth, "message:flag", {"message_id": "9" * 20}, "invalid"),
        (console, "moderation:hide", {"message_id": "9" * 19, "reason": "x"}, "invalid"),
        (youth, "message:flag", {"message_id": "9" * 18}, "not_found"),
    ]
    for client, event, payload, code in sockets:
        result = await client.call(event, payload)
        assert result.get("error", {}).get("code") == code, (event, payload, result)
    assert (await youth.ok("room:sync", {"room": "ostersund", "after": "9" * 18}))["messages"] == []

    boss = await server.officer(role="supervisor")
    token, csrf_cookie = csrf_pair(server.settings.secret_key, boss.cookie)
    headers = {csrf.CSRF_HEADER: token, "Origin": server.origin, "Cookie": f"{csrf_cookie}; {boss.cookie}"}
    deep = "[" * 30_000 + "]" * 30_000
    http = [
        ("POST", "/api/auth/login", deep, 400),
        ("GET", "/api/transcripts?officer=%C2%B2", None, 400),
        ("GET", "/api/transcripts?officer=" + "1" * 26, None, 400),
        ("GET", "/api/transcripts?to=9999-12-31", None, 400),
        ("GET", "/api/audit?before=%C2%B2", None, 400),
        ("GET", "/api/audit?before=" + "9" * 26, None, 400),
        ("GET", "/api/audit?to=9999-12-31", None, 400),
        ("GET", "/api/dashboard?to=9999-12-31", None, 400),
        ("DELETE", "/api/windows/%C2%B2", None, 404),
        ("DELETE", "/api/replies/" + "9" * 30, None, 404),
        ("POST", "/api/neighbourhoods/ostersund/closures", '{"date": "9999-12-31"}', 400),
        ("GET", "/api/transcripts?officer=7&to=2026-12-31", None, 200),
    ]
    async with aiohttp.ClientSession() as session:
        for method, path, body, status in http:
            async with session.request(method, server.url + path, data=body, headers=headers) as resp:
                assert resp.status == status, (method, path, resp.status, await resp.text())
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("usernames", ["one account", "many accounts"])
async def test_two_hundred_parallel_logins_verify_only_what_the_throttle_allows(
    server: Running, monkeypatch: pytest.MonkeyPatch, usernames: str
) -> None:
    """200 wrong passwords at once, for one account or for 200 from one source: the throttle is
    decided before any password is checked, one attempt after another, so exactly the free
    failures are checked (5 for an account, 20 for a source) and the rest are refused (429); and
    at most two checks ever run at once (each takes 64 MiB)."""
    await accounts.create_user(server.deps, username="stina", role="officer")
    checked, running, peak = 0, 0, 0
    real = passwords.verify_password

    async def counting(stored: str | None, password: str) -> bool:
        nonlocal checked, running, peak
        checked += 1
        running += 1
        peak = max(peak, running)
        try:
            return await real(stored, password)
        finally:
            running -= 1

    monkeypatch.setattr(passwords, "verify_password", counting)
    if usernames == "one account":
        names, free = ["stina"] * 200, login_throttle.FREE_FAILURES
    else:
        names, free = [f"user{i}" for i in range(200)], login_throttle.SOURCE_FREE_FAILURES
    async with Http(server.url) as http:
        answers = await asyncio.gather(*(http.login(name, "fel-losenord-1") for name in names))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [401] * free + [429] * (200 - free)
    assert checked == free
    assert 1 <= peak <= HASH_SLOTS


async def test_a_stations_officers_log_in_together(server: Running) -> None:
    """Thirty officers behind one address log in at the same moment, each with the right
    password: every one gets in. An attempt counts against the address only while its password
    is being checked (two at a time), so right passwords never crowd each other out — even past
    the source's twenty free failures."""
    users = [await accounts.create_user(server.deps, username=f"polis{i}", role="officer") for i in range(30)]

    async def log_in(username: str, password: str) -> int:
        async with Http(server.url) as http:
            return (await http.login(username, password))[0]

    statuses = await asyncio.gather(*(log_in(user.username, password) for user, password in users))
    assert statuses == [200] * 30


FLOOD_TEXT = "Våld händer nu, han har en kniv"


def flood_settings(settings: Settings) -> Settings:
    """The limits on anonymous work at their defaults, sources told apart by X-Forwarded-For."""
    return replace(
        settings,
        anonymous_burst=Settings.anonymous_burst,
        youth_chat_burst=Settings.youth_chat_burst,
        trusted_proxies=("127.0.0.1",),
    )


async def from_address(server: Running, address: str) -> Client:
    """A fresh young person (no token) connecting from `address`."""
    c = Client(server.url, "/youth")
    await c.connect(headers={"X-Forwarded-For": address})
    await c.wait_for("session")
    server.clients.append(c)
    return c


def report(body: str, category: str = "violence") -> dict[str, Any]:
    return {"room": "ostersund", "client_id": cid(), "category": category, "happening_now": True, "body": body}


class TestFloods:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(flood_settings(settings), tick_seconds=3600)  # the test runs the clock work

    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))

    @pytest.mark.timeout(240)
    async def test_a_thousand_fake_emergencies_leave_the_queue_usable(self, server: Running, clock: FakeClock) -> None:
        """1,000 fresh identities from one address send a P1 "knife" report each: the source's
        burst gets in, every other one is refused with the 112 card first; the ones let in are one
        group marked as a likely flood; a real P1 from another address is then on top of the queue
        within a second, and only one alert would sound for the whole flood."""
        _, console = await server.on_duty("ostersund")
        answers: list[dict[str, Any]] = []

        async def one() -> None:
            youth = await from_address(server, "198.51.100.7")
            answers.append(await youth.call("report:submit", report(FLOOD_TEXT)))
            await youth.disconnect()
            server.clients.remove(youth)

        for _ in range(20):
            await asyncio.gather(*(one() for _ in range(50)))
        taken = [a for a in answers if a["ok"]]
        refused = [a for a in answers if not a["ok"]]
        assert len(answers) == 1000
        assert len(taken) == Settings.anonymous_burst  # the clock stands still: nothing refills
        assert {a["error"]["code"] for a in refused} == {"rate_limited"}
        assert {a["error"]["details"]["guidance"][0]["kind"] for a in refused} == {"112"}

        real = await from_address(server, "203.0.113.20")
        started = asyncio.get_running_loop().time()
        sent = await real.ok("report:submit", report("En kille blöder mycket vid busshållplatsen", "hurt"))
        queue = (await console.ok("triage:list", {}))["reports"]
        took = asyncio.get_running_loop().time() - started
        assert queue[0]["id"] == sent["report"]["id"] and queue[0]["priority"] == "P1"
        assert took < 1.0
        flood = queue[1:]
        assert len(flood) == len(taken)
        assert {r["group"]["key"] for r in flood} == {flood[0]["group"]["key"]}
        assert flood[0]["group"] == {**flood[0]["group"], "likely_flood": True, "count": len(taken)}
        assert "group" not in queue[0]

        clock.advance(server.settings.p1_alert_seconds + 1)
        alerted = await triage.escalate_due(server.deps)
        assert alerted == 2  # the real report, and the flood once

    async def test_ten_at_one_party_are_one_incident_not_refusals(self, server: Running) -> None:
        """Ten young people at one party (one address) report it at once, each in their own words:
        every one is taken and told so, and the officers see one incident with ten voices."""
        _, console = await server.on_duty("ostersund")
        partygoers = [await from_address(server, "192.0.2.44") for _ in range(10)]
        texts = [f"Festen på Storgatan {i}: {w}" for i, w in enumerate(
            ["bråk", "någon slogs", "fulla vuxna", "glas krossat", "en blöder", "hot", "polis behövs",
             "folk skriker", "knuffar", "vi är rädda"])]  # fmt: skip
        answers = await asyncio.gather(
            *(y.call("report:submit", report(t, "party")) for y, t in zip(partygoers, texts, strict=True))
        )
        assert [a["ok"] for a in answers] == [True] * 10
        queue = (await console.ok("triage:list", {}))["reports"]
        assert len(queue) == 10
        groups = {r["group"]["key"]: r["group"] for r in queue}
        assert [(g["reason"], g["count"], g["likely_flood"]) for g in groups.values()] == [("same_source", 10, False)]

    async def test_new_identities_from_one_source_are_limited(self, server: Running) -> None:
        """One address cycles fresh identities, each choosing a nickname (its first write): five
        bursts of new identities are stored, every later one is `rate_limited` (with `retry_after`) and nothing
        of it is stored; a refused fresh identity's P1 report still gets the 112 card first. Known
        identities from that address, and new ones from another address, still write (the
        controls)."""
        from server.storage.models import Youth as YouthIdentity

        known = await from_address(server, "198.51.100.9")
        await known.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej"})
        assert known.session is not None
        burst = Settings.anonymous_burst * 5
        stored_before = await server.count(YouthIdentity)
        answers = []
        for i in range(burst + 30):
            youth = await from_address(server, "198.51.100.9")
            answers.append(await youth.call("profile:set", {"nickname": f"Lo {i}"}))
            await youth.disconnect()
            server.clients.remove(youth)
        assert [a["ok"] for a in answers] == [True] * (burst - 1) + [False] * 31  # `known` took one
        assert {(a["error"]["code"], a["error"]["details"]["retry_after"] > 0) for a in answers[burst - 1 :]} == {
            ("rate_limited", True)
        }
        assert await server.count(YouthIdentity) == stored_before + burst - 1
        refused = await from_address(server, "198.51.100.9")
        answer = await refused.call("report:submit", report(FLOOD_TEXT))
        assert answer["error"]["code"] == "rate_limited"
        assert answer["error"]["details"]["guidance"][0]["kind"] == "112"
        opened = await refused.call("chat:open", {"room": "ostersund"})
        assert opened["error"]["code"] == "rate_limited"
        assert opened["error"]["details"]["guidance"][0]["kind"] == "112"

        again = Client(server.url, "/youth")
        await again.connect(auth={"token": known.session["token"]}, headers={"X-Forwarded-For": "198.51.100.9"})
        await again.wait_for("session")
        server.clients.append(again)
        await again.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Jag igen"})
        elsewhere = await from_address(server, "203.0.113.30")
        await elsewhere.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej från skolan"})


async def test_a_young_person_cannot_flood_a_private_chat(server: Running) -> None:
    """Five connections sharing one token send private messages as fast as they can: the young
    person's burst gets through, the rest are `rate_limited`; nothing refused is stored."""
    object.__setattr__(server.deps, "settings", replace(server.settings, youth_chat_burst=Settings.youth_chat_burst))
    first = await server.youth()
    assert first.session is not None
    tabs = [first, *[await server.youth(first.session["token"]) for _ in range(4)]]
    conv = (await first.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    results = await asyncio.gather(
        *(
            tab.call("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "spam"})
            for tab in tabs
            for _ in range(20)
        )
    )
    stored = [r for r in results if r["ok"]]
    assert Settings.youth_chat_burst <= len(stored) <= Settings.youth_chat_burst + 3
    assert {r["error"]["code"] for r in results if not r["ok"]} == {"rate_limited"}
    synced = (await first.ok("chat:sync", {"conversation_id": conv}))["messages"]
    assert len(synced) == len(stored)


async def test_the_audit_log_is_read_region_by_region(server: Running) -> None:
    """A transcript read in Mitt (with its reason) is in the log of Mitt's supervisors, not of
    Nord's, in the list and the CSV; an admin reads every region's."""
    _, console = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Hej"}))["conversation"]["id"]
    await console.ok("chat:take", {"conversation_id": conv})
    await console.ok("chat:close", {"conversation_id": conv})
    mitt = await server.officer(role="supervisor", region="Mitt")
    nord = await server.officer(role="supervisor", region="Nord")
    admin = await server.officer(role="admin", region="")

    async def get(who: Any, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession(headers={"Cookie": who.cookie}) as http, http.get(server.url + path) as resp:
            return resp.status, await resp.text()

    status, _ = await get(mitt, f"/api/transcripts/{conv}?reason=complaint")
    assert status == 200
    for who, sees in ((mitt, True), (nord, False), (admin, True)):
        status, listed = await get(who, "/api/audit?action=transcript.")
        assert status == 200
        assert (conv in listed) is sees, (who.username, listed)
        assert ("complaint" in listed) is sees
        status, csv = await get(who, "/api/audit.csv?action=chat.")
        assert status == 200 and (conv in csv) is sees


class TestSecondFactorEnrolment:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))

    async def test_a_session_alone_cannot_enrol_a_second_factor(self, server: Running, clock: FakeClock) -> None:
        """Minutes after the login, `totp/setup` wants the password again: without it 401
        (`details.password: required`), a wrong one 403 (counted as a failed login), the right one
        starts enrolment. Right after a login the session is enough (positive control)."""
        _, password = await accounts.create_user(server.deps, username="olle", role="officer")
        async with Http(server.url) as http:
            assert (await http.login("olle", password))[0] == 200
            fresh, _ = await http.post("/api/auth/totp/setup")
            assert fresh == 200
            clock.advance(6 * 60)
            status, body = await http.post("/api/auth/totp/setup")
            assert (status, body["error"]["details"]) == (401, {"password": "required"})
            status, _ = await http.post("/api/auth/totp/setup", {"password": "inte-mitt-losenord"})
            assert status == 403
            status, body = await http.post("/api/auth/totp/setup", {"password": password})
            assert status == 200 and body["secret"]
        async with server.deps.db.transaction() as tx:
            key = login_throttle.account_key(server.settings.secret_key, "olle")
            failures = await tx.staff.login_failures([key], clock.now() - dt.timedelta(hours=1))
        assert len(failures[key]) == 1


class TestDeviceCookies:
    """Attackers from many addresses keep an account in its delays; the browser its owner last
    logged in from still gets in (OWASP's device cookies). Many addresses are told apart by
    X-Forwarded-For from the trusted loopback proxy."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, trusted_proxies=("127.0.0.1/32",))

    @staticmethod
    async def attack(server: Running, username: str, attempts: int) -> list[int]:
        statuses = []
        for i in range(attempts):
            async with Http(server.url) as attacker:
                wrong = await attacker.login(username, "fel-losenord-1", **{"X-Forwarded-For": f"203.0.113.{i}"})
                statuses.append(wrong[0])
        return statuses

    async def test_the_owners_browser_gets_in_while_the_account_is_attacked(self, server: Running) -> None:
        """Twelve wrong passwords from twelve addresses put the account in its delays: a new
        browser with the right password is refused (429, the positive control), the owner's
        browser — which logged in before — gets in (200), with a device cookie for the login
        route only, HttpOnly and SameSite=Strict."""
        _, password = await accounts.create_user(server.deps, username="olle", role="officer")
        async with Http(server.url) as owner:
            status, _ = await owner.login("olle", password, **{"X-Forwarded-For": "198.51.100.7"})
            assert status == 200
            [cookie] = [c for c in owner.session.cookie_jar if c.key == "kvarter_device"]
            assert cookie["path"] == "/api/auth" and cookie["httponly"] and cookie["samesite"] == "Strict"
            statuses = await self.attack(server, "olle", 12)
            assert statuses[:5] == [401] * 5 and statuses[-1] == 429, statuses
            async with Http(server.url) as stranger:
                refused = await stranger.login("olle", password, **{"X-Forwarded-For": "198.51.100.7"})
            assert refused[0] == 429
            assert (await owner.login("olle", password, **{"X-Forwarded-For": "198.51.100.7"}))[0] == 200

    async def test_a_copied_device_cookie_gets_five_guesses_for_its_own_account_only(self, server: Running) -> None:
        """The device cookie is not a pass: wrong passwords from it are counted under the device
        (five free, then its own delays) and not under the account, which a new browser still
        opens; and it knows only the account that logged in — for another account under attack
        it is a stranger's browser."""
        _, olle = await accounts.create_user(server.deps, username="olle", role="officer")
        _, karin = await accounts.create_user(server.deps, username="karin", role="officer")
        async with Http(server.url) as device:
            assert (await device.login("olle", olle))[0] == 200
            assert [(await device.login("olle", "fel-losenord-1"))[0] for _ in range(6)] == [401] * 5 + [429]
            async with Http(server.url) as other:
                assert (await other.login("olle", olle, **{"X-Forwarded-For": "198.51.100.8"}))[0] == 200
            await self.attack(server, "karin", 6)
            assert (await device.login("karin", karin, **{"X-Forwarded-For": "198.51.100.7"}))[0] == 429


LOOKALIKES = {
    "small capitals": "ᴘᴏʟɪs",
    "mathematical bold": "𝐏𝐨𝐥𝐢𝐬",
    "Greek and Cyrillic among Latin": "Ρоlіs 99",
    "Greek capitals": "ΡΟLΙS",
    "Cherokee P": "Ꮲolis",
    "fullwidth": "ｐｏｌｉｓ",
    "circled": "Ⓟⓞⓛⓘⓢ",
    "Finnish": "Poliisi Jussi",
    "Ukrainian": "Поліція",
    "an officer's name, Cyrillic a": "Аnna Lindqvist",
    "an officer's name, capitals": "ANNA LINDQVIST",
    "an officer's name, run together": "annalindqvist",
}
LOOKS_FINE = ("Räv 12", "Pollyanna", "Apollo", "Anna", "Lisa L", "Ilias", "Politik")


async def test_nicknames_that_pass_for_police_or_an_officer_are_refused(server: Running) -> None:
    """Look-alike letters (TS #39 skeletons), police words of the languages young people write,
    and an active officer's display name are each refused (`blocked`), while ordinary nicknames
    that share letters with them — and a first name alone — are taken (the positive controls).
    A disabled account's name is free again."""
    await accounts.create_user(server.deps, username="anna", role="officer", display_name="Anna Lindqvist")
    await accounts.create_user(server.deps, username="gone", role="officer", display_name="Berit Holm")
    await accounts.set_active(server.deps, "gone", False)
    youth = await server.youth()
    refused = {}
    for label, nick in LOOKALIKES.items():
        answer = await youth.call("profile:set", {"nickname": nick})
        refused[label] = answer.get("error", {}).get("code")
    assert refused == dict.fromkeys(LOOKALIKES, "blocked")
    for nick in (*LOOKS_FINE, "Berit Holm"):
        assert (await youth.ok("profile:set", {"nickname": nick}))["youth"]["nickname"] == nick


class TestNicknamesInARoom:
    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))

    async def test_another_young_persons_nickname_in_the_room_is_refused(
        self, server: Running, clock: FakeClock
    ) -> None:
        """Lo writes in Östersund. Another young person named "LO", or "Lо" with a Cyrillic о,
        is refused there (`conflict`, `details.nickname: "taken"`) and nothing of theirs is stored
        (the barrier: Lo's next message is the room's last); the same name is free in Åre, and
        Lo keeps writing under it (the controls). A day after Lo's last post it is free again."""
        from server.storage.models import Message

        lo, other = await server.youth(), await server.youth()
        await lo.ok("profile:set", {"nickname": "Lo"})
        await lo.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej allihop"})
        stored = await server.count(Message)
        for lookalike in ("LO", "L\u043e"):
            await other.ok("profile:set", {"nickname": lookalike})
            answer = await other.call("room:send", {"room": "ostersund", "client_id": cid(), "body": "Det är jag, Lo"})
            assert answer["error"]["code"] == "conflict" and answer["error"]["details"] == {"nickname": "taken"}
        assert await server.count(Message) == stored
        last = await lo.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Jag igen"})
        synced = (await lo.ok("room:sync", {"room": "ostersund"}))["messages"]
        assert [m["body"] for m in synced] == ["Hej allihop", "Jag igen"] and synced[-1]["id"] == last["message"]["id"]
        await other.ok("room:send", {"room": "are", "client_id": cid(), "body": "Hej Åre"})

        clock.advance(24 * 3600 + 1)
        taken = await other.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Nu är namnet mitt"})
        assert taken["message"]["author"]["name"] == "L\u043e"
        answer = await lo.call("room:send", {"room": "ostersund", "client_id": cid(), "body": "Va?"})
        assert answer["error"]["details"] == {"nickname": "taken"}


async def test_forget_me_revokes_the_token_on_the_server(server: Running) -> None:
    """After "forget me" a copy of the token opens nothing: a reconnect with it is a new young
    person who cannot read the old chat (`not_found`), and the young person's other connection in
    this process is closed. Before it, the same token reads the chat (positive control)."""
    youth = await server.youth()
    assert youth.session is not None
    token = youth.session["token"]
    other_tab = await server.youth(token)
    copy = await server.youth(token)
    conv = (await youth.ok("chat:open", {"room": "ostersund", "client_id": cid(), "body": "Mycket privat"}))[
        "conversation"
    ]["id"]
    await youth.ok("chat:close", {"conversation_id": conv})
    assert (await copy.ok("chat:sync", {"conversation_id": conv}))["messages"][0]["body"] == "Mycket privat"
    await copy.disconnect()
    await youth.ok("session:forget", {})
    for _ in range(100):
        if not other_tab.sio.connected:
            break
        await asyncio.sleep(0.05)
    assert not other_tab.sio.connected
    again = await server.youth(token)
    assert again.session is not None and again.session["youth"]["id"] != youth.session["youth"]["id"]
    assert again.session["token"] != token
    refused = await again.call("chat:sync", {"conversation_id": conv})
    assert refused["error"]["code"] == "not_found"


async def test_forget_me_before_any_write_still_revokes_the_token(server: Running) -> None:
    """An identity that never wrote (its id derived from the token) is revoked too."""
    youth = await server.youth()
    assert youth.session is not None
    token, first = youth.session["token"], youth.session["youth"]["id"]
    await youth.ok("session:forget", {})
    again = await server.youth(token)
    assert again.session is not None and again.session["youth"]["id"] != first


async def test_other_young_people_do_not_see_a_room_messages_client_id(server: Running) -> None:
    """The author's ack and own join carry their client_id; another young person's live message,
    join and sync do not (staff still see it)."""
    author, reader = await server.youth(), await server.youth()
    _, console = await server.on_duty("ostersund")
    for c in (author, reader, console):
        await c.ok("room:join", {"room": "ostersund"})
    mine = cid()
    sent = await author.ok("room:send", {"room": "ostersund", "client_id": mine, "body": "Hej alla"})
    assert sent["message"]["client_id"] == mine
    live = await reader.wait_for("room:message", lambda m: m["id"] == sent["message"]["id"])
    assert "client_id" not in live
    staff_live = await console.wait_for("room:message", lambda m: m["id"] == sent["message"]["id"])
    assert staff_live["client_id"] == mine
    for c, sees in ((reader, False), (author, True)):
        joined = (await c.ok("room:join", {"room": "ostersund"}))["messages"]
        synced = (await c.ok("room:sync", {"room": "ostersund"}))["messages"]
        assert [("client_id" in m) for m in joined + synced] == [sees, sees]


async def test_the_default_namespace_is_refused_and_the_server_header_names_no_versions(server: Running) -> None:
    """A socket.io client connecting to "/" is refused (only /youth and /staff exist); responses
    say `Server: Kvarter`, not the library's name and version."""
    import socketio

    bare = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await bare.connect(server.url, namespaces=["/"], transports=["websocket"], wait_timeout=5)
    await bare.disconnect()
    async with aiohttp.ClientSession() as http:
        for path in ("/healthz", "/socket.io/?EIO=4&transport=polling", "/no/such/page"):
            async with http.get(server.url + path) as resp:
                assert resp.headers["Server"] == "Kvarter", path


async def metrics_status(server: Running, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/metrics", headers=headers) as resp:
        return resp.status


class TestMetricsWithoutAToken:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, trusted_proxies=("127.0.0.1",))

    async def test_only_this_machine_scrapes(self, server: Running) -> None:
        """A scraper on this machine gets the metrics; a client from elsewhere a plain 404."""
        assert await metrics_status(server, {}) == 200
        assert await metrics_status(server, {"X-Forwarded-For": "203.0.113.9"}) == 404


class TestMetricsWithAToken:
    TOKEN = "m" * 40

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return replace(settings, trusted_proxies=("127.0.0.1",), metrics_token=self.TOKEN)

    async def test_only_the_bearer_scrapes(self, server: Running) -> None:
        """With KVARTER_METRICS_TOKEN only its bearer gets the metrics, from anywhere."""
        assert await metrics_status(server, {}) == 404
        assert await metrics_status(server, {"Authorization": "Bearer wrong"}) == 404
        right = {"Authorization": f"Bearer {self.TOKEN}", "X-Forwarded-For": "203.0.113.9"}
        assert await metrics_status(server, right) == 200
