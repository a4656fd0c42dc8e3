"""Open means staffed: a window is active AND an officer is on duty; duties end by themselves."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import aiohttp
import icalendar
import pytest

from server.clock import FakeClock
from server.config import Settings
from server.services import neighbourhoods, schedules
from tests.conftest import Running

TZ = ZoneInfo("Europe/Stockholm")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ).astimezone(dt.UTC)  # type: ignore[misc]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(2026, 11, 20, 17, 0))  # a Friday, 17:00 in Stockholm


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, tick_seconds=0.05, duty_heartbeat_seconds=120)


async def kiruna(server: Running) -> None:
    """A neighbourhood staffed Fri and Sat 18:00-02:00."""
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", "fri 18:00-02:00")
    await schedules.add_weekly(server.deps, None, "kiruna", "sat 18:00-02:00")


async def http_json(url: str) -> dict:  # type: ignore[type-arg]
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()  # type: ignore[no-any-return]


async def test_open_needs_a_window_and_an_officer(server: Running, clock: FakeClock) -> None:
    """Before the window: closed even with an officer; in it: open only while someone is on duty."""
    await kiruna(server)
    url = f"{server.url}/api/neighbourhoods/kiruna/availability"
    _, console = await server.on_duty("kiruna")
    before = await http_json(url)
    assert before["open"] is False
    assert before["in_window"] is False
    assert before["officers_on_duty"] == 1
    assert before["next_window"]["start"] == "2026-11-20T17:00:00.000Z"
    await console.ok("duty:end", {})
    clock.advance(3600 + 60)  # 18:01
    inside = await http_json(url)
    assert inside["in_window"] is True
    assert inside["open"] is False
    assert inside["current_window"]["end"] == "2026-11-21T01:00:00.000Z"
    await console.ok("duty:start", {"rooms": ["kiruna"]})
    assert (await http_json(url))["open"] is True


async def test_widget_is_told_live_when_it_opens_and_closes(server: Running, clock: FakeClock) -> None:
    """A joined widget gets `availability` when an officer goes on duty, and when the window ends."""
    await kiruna(server)
    clock.advance(2 * 3600)  # 19:00, inside the window
    youth = await server.youth()
    joined = await youth.ok("room:join", {"room": "kiruna"})
    assert joined["availability"]["open"] is False
    _, console = await server.on_duty("kiruna")
    opened = await youth.wait_for("availability", lambda a: a["open"])
    assert opened["officers_on_duty"] == 1
    clock.advance(7 * 3600 + 60)  # Saturday 02:01: the window has closed
    closed = await youth.wait_for("availability", lambda a: not a["in_window"])
    assert closed["open"] is False
    assert closed["next_window"]["start"] == "2026-11-21T17:00:00.000Z"
    assert console.sio.connected


async def test_every_join_answers_the_availability_of_its_moment(server: Running, clock: FakeClock) -> None:
    """However many joins came before (their answer is computed once and kept), a join sees duty
    starting and ending, a window starting and ending, and schedule edits at once."""
    await kiruna(server)
    youth = await server.youth()

    async def state() -> tuple[bool, bool, int, str | None]:
        a = (await youth.ok("room:join", {"room": "kiruna"}))["availability"]
        nxt = a["next_window"]["start"] if a["next_window"] else None
        return a["open"], a["in_window"], a["officers_on_duty"], nxt

    friday = "2026-11-20T17:00:00.000Z"
    assert await state() == (False, False, 0, friday)
    assert await state() == (False, False, 0, friday)
    _, console = await server.on_duty("kiruna")
    assert await state() == (False, False, 1, friday)
    clock.advance(3600 - 1)  # 17:59:59
    assert await state() == (False, False, 1, friday)
    clock.advance(1)  # 18:00: the window starts
    assert await state() == (True, True, 1, "2026-11-21T17:00:00.000Z")
    await console.ok("duty:end", {})
    assert await state() == (False, True, 0, "2026-11-21T17:00:00.000Z")
    await console.ok("duty:start", {"rooms": ["kiruna"]})
    assert await state() == (True, True, 1, "2026-11-21T17:00:00.000Z")
    fri = next(w for w in (await schedules.describe(server.deps, "kiruna"))["windows"] if w["weekday"] == "fri")
    await schedules.remove_window(server.deps, None, int(fri["id"]))
    assert await state() == (False, False, 1, "2026-11-21T17:00:00.000Z")
    await schedules.add_dated(server.deps, None, "kiruna", "2026-11-20", "18:00", "22:00")
    assert await state() == (True, True, 1, "2026-11-21T17:00:00.000Z")
    clock.advance(4 * 3600)  # 22:00: the dated window ends
    assert await state() == (False, False, 1, "2026-11-21T17:00:00.000Z")


async def test_a_storm_of_joins_computes_a_room_once(server: Running, clock: FakeClock) -> None:
    """Twenty young people joining at once get the same availability, computed once for them all."""
    await kiruna(server)
    await server.on_duty("kiruna")
    clock.advance(2 * 3600)
    crowd = [await server.youth() for _ in range(20)]
    await asyncio.sleep(0.5)  # the ticker has announced the window's start (which drops the cache)
    cache = server.deps.availability
    cache.invalidate()
    before = cache.computed
    joined = await asyncio.gather(*(y.ok("room:join", {"room": "kiruna"}) for y in crowd))
    assert cache.computed - before == 1
    assert all(j["availability"] == joined[0]["availability"] for j in joined)
    assert joined[0]["availability"]["open"] is True


async def test_shift_ends_at_the_end_of_the_window_by_default(server: Running, clock: FakeClock) -> None:
    """Going on duty inside a window plans the shift to its end; at that time the duty ends by itself."""
    await kiruna(server)
    clock.advance(3 * 3600)  # 20:00
    _, console = await server.on_duty("kiruna")
    duty = (await console.ok("duty:start", {"rooms": ["kiruna"]}))["duty"]
    assert duty["until"] == "2026-11-21T01:00:00.000Z"
    console.events["duty:updated"].clear()
    clock.advance(6 * 3600 + 1)  # past 02:00
    ended = await console.wait_for("duty:updated", lambda d: d["duty"]["rooms"] == [])
    assert ended["duty"]["until"] is None
    assert (await console.ok("duty:roster", {}))["rooms"] == []


async def test_a_console_gone_too_long_ends_the_duty(server: Running, clock: FakeClock) -> None:
    """A closed console stops the heartbeat: after 120 s the duty ends and the room is told; a
    connected console keeps its duty however long it stays — checked after a later console's
    duty has ended on the advanced clock, which proves the sweep ran past 600 s."""
    await kiruna(server)
    clock.advance(3 * 3600)
    _, stays = await server.on_duty("kiruna")
    _, leaves = await server.on_duty("kiruna")
    _, later = await server.on_duty("kiruna")
    youth = await server.youth()
    await youth.ok("room:join", {"room": "kiruna"})
    await leaves.disconnect()
    await asyncio.sleep(0.2)  # the server notices the closed console (not an absence check)
    clock.advance(121)
    down = await youth.wait_for("availability", lambda a: a["officers_on_duty"] == 2)
    assert down["open"] is True
    await later.disconnect()
    await asyncio.sleep(0.2)
    clock.advance(600)
    await youth.wait_for("availability", lambda a: a["officers_on_duty"] == 1)  # the barrier
    roster = await stays.ok("duty:roster", {})
    assert [len(r["officers"]) for r in roster["rooms"]] == [1]


async def test_duty_until_is_validated(server: Running, clock: FakeClock) -> None:
    """`until` in the past or more than 16 hours ahead is `invalid`; a valid one is kept."""
    await kiruna(server)
    officer = await server.officer(region="Nord")
    console = await server.staff(officer)
    past = await console.call("duty:start", {"rooms": ["kiruna"], "until": "2026-11-20T10:00:00Z"})
    assert past["error"]["code"] == "invalid"
    far = await console.call("duty:start", {"rooms": ["kiruna"], "until": "2026-11-22T10:00:00Z"})
    assert far["error"]["code"] == "invalid"
    ok = await console.ok("duty:start", {"rooms": ["kiruna"], "until": "2026-11-20T23:30:00+01:00"})
    assert ok["duty"]["until"] == "2026-11-20T22:30:00.000Z"


async def test_roster_and_handover_notes(server: Running, clock: FakeClock) -> None:
    """Officers see who else is on duty, and a handover note reaches the room's on-duty officers."""
    await kiruna(server)
    clock.advance(3 * 3600)
    anna, first = await server.on_duty("kiruna")
    _, second = await server.on_duty("kiruna")
    roster = await first.ok("duty:roster", {})
    assert len(roster["rooms"][0]["officers"]) == 2
    note = await first.ok("handover:write", {"room": "kiruna", "body": "Lugnt vid stationen, bråk vid torget 22:00."})
    got = await second.wait_for("duty:handover")
    assert got["note"] == note["note"]
    assert (await second.ok("duty:roster", {}))["handover"][0]["author"]["name"] == f"Test {anna.username}"
    assert (await first.call("handover:write", {"room": "ostersund", "body": "x"}))["error"]["code"] == "forbidden"
    assert (await first.call("handover:write", {"room": "kiruna", "body": "  "}))["error"]["code"] == "invalid"


class TestScheduleEditing:
    async def _session(self, server: Running, role: str) -> aiohttp.ClientSession:
        staff = await server.officer(role=role)
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        http.cookie_jar.update_cookies({"kvarter_session": staff.cookie.split("=", 1)[1]})
        async with http.get(f"{server.url}/api/auth/csrf") as resp:
            http.headers["X-CSRF-Token"] = (await resp.json())["token"]
        return http

    async def test_supervisor_edits_and_bad_input_saves_nothing(self, server: Running, clock: FakeClock) -> None:
        """Supervisors add weekly, dated windows and closures; overlaps, zero length, empty dates and
        officers are refused with clear errors; refused edits change nothing."""
        await kiruna(server)
        base = f"{server.url}/api/neighbourhoods/kiruna"
        sup = await self._session(server, "supervisor")
        off = await self._session(server, "officer")
        try:
            async with sup.post(
                f"{base}/windows", json={"date": "2027-04-30", "start": "18:00", "end": "03:00", "label": "Valborg"}
            ) as r:
                assert r.status == 201
            refused = [
                ({"weekly": "fri 20:00-03:00"}, "overlaps"),
                ({"weekly": "sat 01:00-01:00"}, "zero length"),
                ({"weekly": "fri 18:00-02:00", "date": "2027-01-01"}, "either"),
                ({"date": "2027-04-30", "start": "22:00", "end": "23:00"}, "overlaps"),
                ({"date": "2020-01-01", "start": "10:00", "end": "12:00"}, "passed"),
                ({"date": "30/4", "start": "10:00", "end": "12:00"}, "YYYY-MM-DD"),
            ]
            for body, message in refused:
                async with sup.post(f"{base}/windows", json=body) as r:
                    assert r.status == 400, body
                    assert message in (await r.json())["error"]["message"]
            async with off.post(f"{base}/windows", json={"weekly": "mon 10:00-12:00"}) as r:
                assert r.status == 403
            async with sup.post(f"{base}/closures", json={"date": "2026-12-23"}) as r:
                assert r.status == 400  # a Wednesday: nothing to close
            async with sup.post(f"{base}/closures", json={"date": "2026-12-25", "reason": "Juldagen"}) as r:
                assert r.status == 201
            async with sup.post(f"{base}/closures", json={"date": "2026-12-25"}) as r:
                assert r.status == 409
            info = await http_json(f"{base}/schedule")
            assert [(w["weekday"] or w["date"], w["start"], w["end"]) for w in info["windows"]] == [
                ("fri", "18:00", "02:00"), ("sat", "18:00", "02:00"), ("2027-04-30", "18:00", "03:00"),
            ]  # fmt: skip
            assert [c["date"] for c in info["closures"]] == ["2026-12-25"]
            wid = info["windows"][0]["id"]
            async with off.delete(f"{server.url}/api/windows/{wid}") as r:
                assert r.status == 403
            async with sup.delete(f"{server.url}/api/windows/{wid}") as r:
                assert r.status == 200
            async with sup.delete(f"{server.url}/api/windows/{wid}") as r:
                assert r.status == 404
            assert len((await http_json(f"{base}/schedule"))["windows"]) == 2
        finally:
            await sup.close()
            await off.close()

    async def test_calendar_feed_matches_the_schedule(self, server: Running, clock: FakeClock) -> None:
        """The iCalendar feed parses, and its events are exactly the coming windows in order."""
        await kiruna(server)
        sup = await self._session(server, "supervisor")
        async with sup.post(f"{server.url}/api/neighbourhoods/kiruna/closures", json={"date": "2026-11-27"}) as r:
            assert r.status == 201
        await sup.close()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{server.url}/api/neighbourhoods/kiruna/calendar.ics") as r,
        ):
            assert r.status == 200
            assert r.content_type == "text/calendar"
            cal = icalendar.Calendar.from_ical(await r.read())
        events = list(cal.walk("VEVENT"))
        starts = [e.decoded("dtstart") for e in events]
        schedule = await http_json(f"{server.url}/api/neighbourhoods/kiruna/schedule")
        upcoming = [dt.datetime.fromisoformat(o["start"]) for o in schedule["upcoming"]]
        assert starts[: len(upcoming)] == upcoming
        assert starts[0] == at(2026, 11, 20, 18, 0)
        assert at(2026, 11, 27, 18, 0) not in starts  # closed
        assert at(2026, 11, 28, 18, 0) in starts
        assert all(e.decoded("dtend") - e.decoded("dtstart") == dt.timedelta(hours=8) for e in events)
        assert len(events) == 17  # 60 days of Fridays and Saturdays, less one closed Friday
