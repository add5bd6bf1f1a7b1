"""When the city may call a resident with the news: the town's calling windows, Monday to Saturday,
never on a public holiday of the town's region, never at night.

A call subscriber chose one window (morning or afternoon). A news call rings only while its
window is open; one that cannot be placed then waits for the window's next opening.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from content import office_hours
from content.i18n import translate
from content.profile import CALLING_HOURS, TownProfile

SUNDAY = 6
# How far ahead a window is looked for: a town with every day a holiday for two months calls nobody.
LOOK_AHEAD_DAYS = 60


def span(profile: TownProfile, window: str) -> tuple[time, time]:
    """The window's start and end, local time (a window the town does not know: the morning)."""
    start, end = profile.calling_hours.get(window) or CALLING_HOURS["morning"]
    return time.fromisoformat(start), time.fromisoformat(end)


def is_calling_day(profile: TownProfile, day: date) -> bool:
    """Monday to Saturday, and not a public holiday where the town is."""
    return day.weekday() != SUNDAY and not office_hours.is_public_holiday(profile, day)


def is_open(profile: TownProfile, window: str, at: datetime) -> bool:
    """Whether a call in this window may ring at this moment."""
    local = at.astimezone(ZoneInfo(profile.timezone))
    start, end = span(profile, window)
    return is_calling_day(profile, local.date()) and start <= local.time().replace(tzinfo=None) < end


def open_windows(profile: TownProfile, at: datetime) -> tuple[str, ...]:
    """The windows open at this moment (none at night, on Sundays and on holidays)."""
    return tuple(window for window in profile.calling_hours if is_open(profile, window, at))


def next_opening(profile: TownProfile, window: str, after: datetime, weekday: int | None = None) -> datetime:
    """The first moment at or after `after` when the window is open (on that weekday, if given):
    `after` itself while the window is open."""
    zone = ZoneInfo(profile.timezone)
    local = after.astimezone(zone)
    start, end = span(profile, window)
    for offset in range(LOOK_AHEAD_DAYS):
        day = local.date() + timedelta(days=offset)
        if not is_calling_day(profile, day) or (weekday is not None and day.weekday() != weekday):
            continue
        opens = datetime.combine(day, start, tzinfo=zone)
        closes = datetime.combine(day, end, tzinfo=zone)
        if local < closes:
            return max(opens, local)
    return local + timedelta(days=LOOK_AHEAD_DAYS)


def describe(profile: TownProfile, window: str, code: str) -> str:
    """The window as said: "von 9 bis 12 Uhr"."""
    start, end = span(profile, window)
    return translate(
        code,
        office_hours.FROM_TO,
        start=office_hours.say_time(start, code),
        end=office_hours.say_time(end, code),
    )
