"""Window arithmetic in Europe/Stockholm: across midnight, both DST changes, closures and extras."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from server.errors import Invalid
from server.services import schedule
from server.services.schedule import Window

TZ = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ).astimezone(dt.UTC)  # type: ignore[misc]


def weekly(wid: int, spec: str, label: str = "") -> Window:
    day, start, end = schedule.parse_weekly(spec)
    return Window(wid, day, None, start, end, label)


FRI_SAT = [weekly(1, "fri 18:00-02:00"), weekly(2, "sat 18:00-02:00")]


def test_window_across_midnight() -> None:
    """Fri 18:00-02:00 is open from Friday evening to Saturday 02:00 local time."""
    cur, nxt = schedule.current_and_next(FRI_SAT, set(), TZ, local(2026, 11, 20, 17, 59))
    assert cur is None
    assert nxt is not None
    assert nxt.start == local(2026, 11, 20, 18, 0)
    assert nxt.end == local(2026, 11, 21, 2, 0)
    cur, _ = schedule.current_and_next(FRI_SAT, set(), TZ, local(2026, 11, 21, 1, 59))
    assert cur is not None
    assert cur.window_ids == (1,)
    cur, nxt = schedule.current_and_next(FRI_SAT, set(), TZ, local(2026, 11, 21, 2, 0))
    assert cur is None
    assert nxt is not None
    assert nxt.start == local(2026, 11, 21, 18, 0)


def test_spring_forward_night_is_an_hour_shorter() -> None:
    """Sat 28 March 2026 18:00 to Sun 04:00 spans the jump from 02:00 to 03:00: 9 real hours."""
    windows = [weekly(1, "sat 18:00-04:00")]
    _, nxt = schedule.current_and_next(windows, set(), TZ, local(2026, 3, 28, 12, 0))
    assert nxt is not None
    assert nxt.start == dt.datetime(2026, 3, 28, 17, 0, tzinfo=dt.UTC)  # CET, UTC+1
    assert nxt.end == dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC)  # CEST, UTC+2
    assert nxt.end - nxt.start == dt.timedelta(hours=9)


def test_fall_back_night_is_an_hour_longer() -> None:
    """Sat 24 October 2026 18:00 to Sun 04:00 spans the repeated hour: 11 real hours."""
    windows = [weekly(1, "sat 18:00-04:00")]
    _, nxt = schedule.current_and_next(windows, set(), TZ, local(2026, 10, 24, 12, 0))
    assert nxt is not None
    assert nxt.start == dt.datetime(2026, 10, 24, 16, 0, tzinfo=dt.UTC)  # CEST
    assert nxt.end == dt.datetime(2026, 10, 25, 3, 0, tzinfo=dt.UTC)  # CET
    assert nxt.end - nxt.start == dt.timedelta(hours=11)


def test_weekly_windows_keep_their_local_time_across_dst() -> None:
    """Friday 18:00 stays 18:00 in Stockholm on both sides of the October change."""
    line = schedule.timeline(FRI_SAT, set(), TZ, local(2026, 10, 19, 0, 0), 14)
    fridays = [o.start for o in line if o.window_ids == (1,)]
    assert fridays == [dt.datetime(2026, 10, 23, 16, 0, tzinfo=dt.UTC), dt.datetime(2026, 10, 30, 17, 0, tzinfo=dt.UTC)]
    assert all(f.astimezone(TZ).hour == 18 for f in fridays)


def test_a_wall_time_that_does_not_exist_starts_after_the_gap() -> None:
    """A window at 02:30 on the spring-forward night (a time that never happens) opens at 03:30."""
    windows = [Window(1, None, dt.date(2026, 3, 29), 150, 300)]
    _, nxt = schedule.current_and_next(windows, set(), TZ, local(2026, 3, 28, 12, 0))
    assert nxt is not None
    assert nxt.start.astimezone(TZ).strftime("%H:%M") == "03:30"


def test_closure_skips_a_night_and_extras_merge() -> None:
    """A closed Christmas Day skips that window; Valborg's extra window extends the Friday one."""
    closed = {dt.date(2026, 12, 25)}
    _, nxt = schedule.current_and_next(FRI_SAT, closed, TZ, local(2026, 12, 24, 12, 0))
    assert nxt is not None
    assert nxt.start == local(2026, 12, 26, 18, 0)
    valborg = Window(3, None, dt.date(2027, 4, 30), 18 * 60, 3 * 60, "Valborg")
    line = schedule.timeline([*FRI_SAT, valborg], set(), TZ, local(2027, 4, 30, 12, 0), 1)
    assert len(line) == 1
    assert line[0].end == local(2027, 5, 1, 3, 0)
    assert line[0].label == "Valborg"
    assert set(line[0].window_ids) == {1, 3}


def test_midnight_end_and_round_the_clock() -> None:
    """'00:00-24:00' every day leaves no gap at midnight."""
    days = [weekly(i, f"{d} 00:00-24:00") for i, d in enumerate(schedule.WEEKDAYS)]
    line = schedule.timeline(days, set(), TZ, local(2026, 11, 20, 12, 0), 3)
    assert len(line) == 1
    cur, _ = schedule.current_and_next(days, set(), TZ, local(2026, 11, 21, 0, 0))
    assert cur is not None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("fri 18:00-18:00", "zero length"),
        ("fri 25:00-02:00", "HH:MM"),
        ("fri 18:00-24:30", "HH:MM"),
        ("funday 18:00-02:00", "weekday"),
        ("fri 18-02", "looks like"),
        ("fri 24:00-02:00", "cannot start at 24:00"),
    ],
)
def test_bad_weekly_specs(spec: str, message: str) -> None:
    """Malformed or zero-length windows are refused with a message saying why."""
    with pytest.raises(Invalid, match=message):
        schedule.parse_weekly(spec)


def test_swedish_day_names_and_overlap() -> None:
    """'fre 18:00-02:00' is Friday; it overlaps 'sat 01:00-03:00' past midnight but not 'sat 02:00-04:00'."""
    fre = weekly(1, "fre 18:00-02:00")
    assert fre.weekday == 4
    assert schedule.overlaps(fre, weekly(2, "sat 01:00-03:00"))
    assert not schedule.overlaps(fre, weekly(3, "sat 02:00-04:00"))
    assert schedule.overlaps(weekly(4, "sun 23:00-01:00"), weekly(5, "mon 00:30-02:00"))
