"""The town profile: everything that makes the hotline one town's and not another's.

It is kept as Setting rows (one per key, JSON values) and read as one TownProfile. Keys that a
town has not set fall back to neutral defaults, so a new town starts with a working hotline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from content import i18n

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

RETENTION_DAYS = {
    "contact": 90,  # number and pseudonym of whoever sent an idea, a question or a voice message
    "voice": 180,  # the recordings of voice messages
    "callback": 30,  # callback requests, from when they were made
    "votes": 30,  # the voter pseudonyms of a poll, from when it closed (the votes stay, anonymous)
    "sms_log": 30,  # which SMS were answered (no number, no text)
    "visits": 365,  # when a caller last called (pseudonym only)
    "outbox": 90,  # messages sent, with their recipients, once finished
    "usage_events": 30,  # the anonymous usage events (their daily counts stay: content.usage)
}


# The default calling windows of news calls ("morning", "afternoon"): start and end, local time.
CALLING_HOURS = {"morning": ["09:00", "12:00"], "afternoon": ["15:00", "18:00"]}
# Whatever a town sets, no news call rings at night: not before EARLIEST_CALL, not after LATEST_CALL.
EARLIEST_CALL, LATEST_CALL = time(8), time(20)
MOST_CALL_RETRIES = 5


@dataclass(frozen=True)
class Language:
    """A language the hotline speaks: catalog code, speech locale and text-to-speech voice."""

    code: str  # the message catalog's code, e.g. "de", or "de@easy" for Leichte Sprache
    speech: str  # BCP-47 with region, for the voice and the speech recognition, e.g. "de-DE"
    voice: str  # Twilio voice name, e.g. "Polly.Vicki-Neural"
    slow: bool = False  # always spoken slowly (Leichte Sprache)

    def name(self, in_language: str | None = None) -> str:
        """The language's name, by default in the language itself ("Deutsch", "Türkçe")."""
        return i18n.language_name(self.code, in_language or self.code)

    @property
    def right_to_left(self) -> bool:
        return i18n.is_right_to_left(self.code)

    def to_setting(self) -> dict[str, Any]:
        setting: dict[str, Any] = {"code": self.code, "speech": self.speech, "voice": self.voice}
        return {**setting, "slow": True} if self.slow else setting

    @classmethod
    def from_setting(cls, entry: Any) -> Language | None:
        if not (isinstance(entry, dict) and {"code", "speech", "voice"} <= entry.keys()):
            return None
        return cls(str(entry["code"]), str(entry["speech"]), str(entry["voice"]), entry.get("slow") is True)


@dataclass(frozen=True)
class TownProfile:
    town: str = "Musterstadt"
    # How the town signs its SMS to subscribers ("Stadt Kaiserslautern"); empty: the town's name.
    short_name: str = ""
    greeting: dict[str, str] = field(default_factory=dict)  # per language; empty: the catalog's
    hotline_number: str | None = None  # E.164; the number residents call and text
    staff_number: str | None = None  # E.164; key 0 forwards here in office hours
    office_hours: dict[str, list[list[str]]] = field(default_factory=dict)  # "mon": [["08:00", "16:00"]]
    holidays_country: str = "DE"
    holidays_subdivision: str | None = None  # e.g. "RP" for Rhineland-Palatinate
    timezone: str = "Europe/Berlin"
    languages: tuple[Language, ...] = (Language("de", "de-DE", "Polly.Vicki-Neural"),)
    # When news calls may ring (content.calling_hours): a subscriber chooses one of these windows.
    # Only Monday to Saturday, never on public holidays, never before 8 or after 20 o'clock.
    calling_hours: dict[str, list[str]] = field(default_factory=lambda: dict(CALLING_HOURS))
    # How often a news call that was busy, not answered or failed is tried again.
    call_retries: int = 2
    # How many days personal data are kept (see content.privacy.purge); the content of
    # ideas and questions stays.
    retention_days: dict[str, int] = field(default_factory=lambda: dict(RETENTION_DAYS))

    @property
    def sender(self) -> str:
        """The name every broadcast SMS starts with, so that subscribers know who writes."""
        return self.short_name or self.town

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    def language(self, code: str | None) -> Language:
        """The enabled language with this code, or the default one."""
        for language in self.languages:
            if language.code == code:
                return language
        return self.default_language

    def to_settings(self) -> dict[str, Any]:
        """The profile as Setting rows (key → JSON value)."""
        return {
            "town": self.town,
            "short_name": self.short_name,
            "greeting": dict(self.greeting),
            "hotline_number": self.hotline_number,
            "staff_number": self.staff_number,
            "office_hours": {day: [list(span) for span in spans] for day, spans in self.office_hours.items()},
            "holidays_country": self.holidays_country,
            "holidays_subdivision": self.holidays_subdivision,
            "timezone": self.timezone,
            "languages": [language.to_setting() for language in self.languages],
            "retention_days": dict(self.retention_days),
            "calling_hours": {window: list(span) for window, span in self.calling_hours.items()},
            "call_retries": self.call_retries,
        }


def _valid_span(span: Any) -> bool:
    if not (isinstance(span, (list, tuple)) and len(span) == 2):
        return False
    try:
        start, end = (time.fromisoformat(str(moment)) for moment in span)
    except ValueError:
        return False
    # A time with a zone ("09:00Z") is no time of the town's day: it cannot be compared with one.
    return start.tzinfo is None and end.tzinfo is None and start < end


def _office_hours(value: Any) -> dict[str, list[list[str]]]:
    """Office hours with every malformed day or span left out (left out means: closed)."""
    if not isinstance(value, dict):
        return {}
    return {
        day: [list(span) for span in spans if _valid_span(span)]
        for day, spans in value.items()
        if day in WEEKDAYS and isinstance(spans, list)
    }


def _retention(value: Any) -> dict[str, int]:
    """The defaults, with each well-formed day count the town set instead (at least one day)."""
    days = dict(RETENTION_DAYS)
    if isinstance(value, dict):
        for kind, count in value.items():
            if kind in days and isinstance(count, int) and not isinstance(count, bool) and count >= 1:
                days[kind] = count
    return days


def _calling_hours(value: Any) -> dict[str, list[str]]:
    """The default windows, with each well-formed one the town set instead (inside 8 to 20 o'clock)."""
    hours = {window: list(span) for window, span in CALLING_HOURS.items()}
    if isinstance(value, dict):
        for window, span in value.items():
            if window in hours and _valid_span(span):
                start, end = (time.fromisoformat(str(moment)) for moment in span)
                if start >= EARLIEST_CALL and end <= LATEST_CALL:
                    hours[window] = [str(span[0]), str(span[1])]
    return hours


def _call_retries(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MOST_CALL_RETRIES:
        return value
    return TownProfile.call_retries


def profile_from_settings(values: dict[str, Any]) -> TownProfile:
    """Build the profile from Setting values, leaving out unknown keys and malformed entries."""
    known = {key: value for key, value in values.items() if key in TownProfile.__dataclass_fields__}
    if "office_hours" in known:
        known["office_hours"] = _office_hours(known["office_hours"])
    if "retention_days" in known:
        known["retention_days"] = _retention(known["retention_days"])
    if "calling_hours" in known:
        known["calling_hours"] = _calling_hours(known["calling_hours"])
    if "call_retries" in known:
        known["call_retries"] = _call_retries(known["call_retries"])
    if not isinstance(known.get("short_name", ""), str):
        del known["short_name"]
    languages = tuple(filter(None, map(Language.from_setting, known.pop("languages", None) or [])))
    if languages:
        known["languages"] = languages
    return TownProfile(**known)
