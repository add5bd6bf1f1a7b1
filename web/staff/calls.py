"""What staff see of news calls before they send: how long a call lasts and how many minutes the
calls cost, when they ring, and how long it takes to place them all.

A news call says who is calling and why, reads the news item, and then names the keys (repeat,
as SMS, a person, stop the calls). Staff cannot hear it before it happens, so the minutes are an
estimate from the words: the spoken version of the item plus the greeting and the keys, at the
speed the hotline speaks. Providers bill each call per minute begun, so that is what is counted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.numbers import format_decimal
from flask import current_app

from content import calling_hours
from content.channel_texts import only_in, reading, spoken
from content.i18n import N_, N_plural, locale_of, translate, translate_plural
from content.models import AFTERNOON, CALL_WINDOWS, MORNING
from content.profile import Language, TownProfile

# A voice at its own speed reads about this many words a minute; the hotline speaks at 90 % of it,
# Leichte Sprache (and whoever asks) at 75 %, with a pause after each sentence (see ivr.speaking).
WORDS_PER_MINUTE = 140
HOTLINE_SPEED, SLOW_SPEED = 0.9, 0.75
PAUSE_SECONDS, SLOW_PAUSE_SECONDS = 0.35, 0.7
# What every news call says besides the item, counted from the German prompts: the greeting
# ("Hier ist das Bürgertelefon der Stadt … mit einer neuen Meldung.") and the date of the item
# (2 sentences), the keys (repeat, as SMS, a person, stop the calls) and the goodbye (5 sentences).
FRAME_WORDS = 65
FRAME_SENTENCES = 7
# The answering machine detection listens a few seconds before the first word is said.
DETECTION_SECONDS = 4
# How many calls the worker starts per second when the setting CALLS_PER_SECOND is not there (it
# comes with the worker's news calls; 0 means no pacing).
DEFAULT_CALLS_PER_SECOND = 1.0

_SENTENCE_END = re.compile(r"[.!?؟。]+(\s|$)")

# A calling window as staff read it, with its hours ("vormittags von 9 bis 12 Uhr").
WINDOWS = {MORNING: N_("in the morning, %(hours)s"), AFTERNOON: N_("in the afternoon, %(hours)s")}
# How fast the calls start: so many a second, or (slower than one a second) one every so many
# seconds; in whole numbers (counted), or with decimals ("1,5 calls a second": no count to choose
# a plural by, the plural is said).
CALLS_A_SECOND = N_plural(
    "The city starts at most %(count)s call a second.", "The city starts at most %(count)s calls a second."
)
CALLS_A_SECOND_DECIMAL = N_("The city starts at most %(number)s calls a second.")
NO_PACING = N_("The city starts the calls without a pause between them.")
ONE_CALL_EVERY = N_plural(
    "The city starts at most one call every %(count)s second.",
    "The city starts at most one call every %(count)s seconds.",
)
ONE_CALL_EVERY_DECIMAL = N_("The city starts at most one call every %(number)s seconds.")
TAKES_MINUTES = N_plural("about %(count)s minute", "about %(count)s minutes")
TAKES_DAYS = N_plural(
    "more than fits into one calling time: about %(count)s calling day",
    "more than fits into one calling time: about %(count)s calling days",
)


def spoken_seconds(text: str, *, slow: bool = False) -> float:
    """How long the hotline takes to say text: its words at the hotline's speed, and a pause after
    each sentence."""
    words = len(text.split())
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    per_minute = WORDS_PER_MINUTE * (SLOW_SPEED if slow else HOTLINE_SPEED)
    return words / per_minute * 60 + sentences * (SLOW_PAUSE_SECONDS if slow else PAUSE_SECONDS)


def call_seconds(item: str, *, slow: bool = False) -> float:
    """How long a news call with this item lasts, from the moment it is answered until the goodbye."""
    frame_words = FRAME_WORDS / (WORDS_PER_MINUTE * (SLOW_SPEED if slow else HOTLINE_SPEED)) * 60
    frame_pauses = FRAME_SENTENCES * (SLOW_PAUSE_SECONDS if slow else PAUSE_SECONDS)
    return DETECTION_SECONDS + frame_words + frame_pauses + spoken_seconds(item, slow=slow)


def billed_minutes(seconds: float) -> int:
    """The minutes a call of this length is billed: every minute begun counts."""
    return max(1, math.ceil(seconds / 60))


def item_as_heard(texts: Mapping[str, Any], rule: str, language: str, default: str) -> str | None:
    """What a news call reads to a listener of language (the spoken version of title and text, after
    the note where it is in another language); None when the rule skips them (they get no call)."""
    found = reading(texts, rule, language, default)
    if found is None:
        return None
    said = spoken(found.fields, "title", "body")
    return said if found.language == language else f"{only_in(found.language, language)} {said}"


def minutes_per_call(texts: Mapping[str, Any], rule: str, language: Language, default: str) -> int:
    """The minutes one news call to a listener of this language is billed (0: they get none)."""
    said = item_as_heard(texts, rule, language.code, default)
    return 0 if said is None else billed_minutes(call_seconds(said, slow=language.slow))


def describe_window(profile: TownProfile, window: str, language: str) -> str:
    """A calling window as staff read it: "vormittags von 9 bis 12 Uhr"."""
    hours = calling_hours.describe(profile, window, language)
    return translate(language, WINDOWS.get(window, WINDOWS[MORNING]), hours=hours)


def pace(per_second: float, language: str) -> str:
    """How fast the calls start, in words, as configured (never rounded to another figure): "at most
    1.5 calls a second", "one call every 2.5 seconds"; slower than one a second, every so many
    seconds where that is a figure with at most one decimal, else so many a second (0.9)."""
    if per_second <= 0:
        return translate(language, NO_PACING)
    every = 1 / per_second
    if per_second < 1 and is_whole(every):
        return counted(language, ONE_CALL_EVERY, round(every))
    if per_second < 1 and is_whole(every * 10):
        return translate(language, ONE_CALL_EVERY_DECIMAL, number=figure(every, language))
    if is_whole(per_second):
        return counted(language, CALLS_A_SECOND, round(per_second))
    return translate(language, CALLS_A_SECOND_DECIMAL, number=figure(per_second, language))


def is_whole(number: float) -> bool:
    return abs(number - round(number)) < 1e-9


def figure(number: float, language: str) -> str:
    """A number as the language writes it: "1,5" in German, "1.5" in English, "1.000" for a thousand."""
    return format_decimal(number, locale=locale_of(language) or "en")


def counted(language: str, message: tuple[str, str], count: int) -> str:
    """A plural message for count, with count written as the language writes numbers."""
    return translate_plural(language, message, count, count=figure(count, language))


def calls_per_second() -> float:
    """How many news calls the worker starts a second at most (CALLS_PER_SECOND, default 1; 0: as
    fast as it can)."""
    configured = current_app.config.get("CALLS_PER_SECOND")
    return float(configured) if isinstance(configured, int | float) and configured >= 0 else DEFAULT_CALLS_PER_SECOND


@dataclass(frozen=True)
class Ringing:
    """The calls of one calling window: how many, when the first rings, and how long placing them takes."""

    window: str  # MORNING or AFTERNOON
    calls: int
    first: datetime  # when the window next opens
    seconds: float  # placing them all, at calls_per_second
    length: float  # how long the window is open each calling day, in seconds

    @property
    def calling_days(self) -> int:
        """On how many calling days the window's calls ring (1 when they fit into one)."""
        return max(1, math.ceil(self.seconds / self.length)) if self.length > 0 else 1

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def window_length(profile: TownProfile, window: str) -> float:
    start, end = calling_hours.span(profile, window)
    return (datetime.combine(datetime.min, end) - datetime.combine(datetime.min, start)) / timedelta(seconds=1)


def when_they_ring(profile: TownProfile, calls: Mapping[str, int], start: datetime, per_second: float) -> list[Ringing]:
    """For each calling window with calls in it: when the first rings (from start on: never on a
    Sunday, a holiday or at night) and how long it takes to place them all at per_second."""
    return [
        Ringing(
            window,
            calls[window],
            calling_hours.next_opening(profile, window, start),
            calls[window] / per_second if per_second > 0 else 0.0,
            window_length(profile, window),
        )
        for window in CALL_WINDOWS
        if calls.get(window)
    ]
