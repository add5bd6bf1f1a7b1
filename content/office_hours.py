"""When a person answers the phone: office hours, public holidays, and how to say them."""

from __future__ import annotations

import functools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
from babel.dates import format_time, get_day_names
from babel.lists import format_list

from content.i18n import N_, translate
from content.profile import WEEKDAYS, TownProfile

DAY_RANGE = N_("%(first)s to %(last)s")
FROM_TO = N_("from %(start)s to %(end)s")
# Time patterns (Unicode LDML) for saying a time of day; translators choose their own.
# German puts "Uhr" once, after the end ("von 8 bis 16 Uhr"): in FROM_TO, not in these patterns.
FULL_HOUR = N_("h a")
HOUR_AND_MINUTES = N_("h:mm a")
# 12 o'clock midday as said in the sentence above: "from 8 AM to noon" ("von 8 bis 12 Uhr").
NOON = N_("noon")
AND = N_("and")


@functools.cache
def _holiday_calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)


def is_public_holiday(profile: TownProfile, day: date) -> bool:
    return day in _holiday_calendar(profile.holidays_country, profile.holidays_subdivision)


def local_date(profile: TownProfile, at: datetime) -> date:
    return at.astimezone(ZoneInfo(profile.timezone)).date()


def _spans(profile: TownProfile, weekday: int) -> list[tuple[time, time]]:
    return [
        (time.fromisoformat(start), time.fromisoformat(end))
        for start, end in profile.office_hours.get(WEEKDAYS[weekday], [])
    ]


def is_open(profile: TownProfile, at: datetime) -> bool:
    """Tell whether staff answer the phone at this moment (never on a public holiday)."""
    local = at.astimezone(ZoneInfo(profile.timezone))
    if is_public_holiday(profile, local.date()):
        return False
    now = local.time().replace(tzinfo=None)
    return any(start <= now < end for start, end in _spans(profile, local.weekday()))


def say_time(moment: time, code: str) -> str:
    if moment == time(12):
        return translate(code, NOON)
    pattern = FULL_HOUR if moment.minute == 0 else HOUR_AND_MINUTES
    return format_time(moment, translate(code, pattern), locale=code)


def describe(profile: TownProfile, code: str) -> str:
    """Say the office hours, grouping days with the same hours: "Monday to Thursday from 8 AM …, and Friday …"."""
    day_names = get_day_names("wide", locale=code)
    groups: list[tuple[int, int, str]] = []  # first weekday, last weekday, hours
    for weekday in range(7):
        hours = f" {translate(code, AND)} ".join(
            translate(code, FROM_TO, start=say_time(start, code), end=say_time(end, code))
            for start, end in _spans(profile, weekday)
        )
        if not hours:
            continue
        if groups and groups[-1][1] == weekday - 1 and groups[-1][2] == hours:
            groups[-1] = (groups[-1][0], weekday, hours)
        else:
            groups.append((weekday, weekday, hours))
    parts = []
    for first, last, hours in groups:
        days = day_names[first]
        if last > first:
            days = translate(code, DAY_RANGE, first=day_names[first], last=day_names[last])
        parts.append(f"{days} {hours}")
    return format_list(parts, locale=code) if parts else ""


def next_working_day(profile: TownProfile, after: date) -> date:
    """The first day after `after` on which the office is open (skipping weekends and holidays)."""
    day = after
    for _ in range(60):  # a town closed for two months has bigger problems; stop looking
        day = date.fromordinal(day.toordinal() + 1)
        if _spans(profile, day.weekday()) and not is_public_holiday(profile, day):
            return day
    return date.fromordinal(after.toordinal() + 1)
