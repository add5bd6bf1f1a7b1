"""One step of a call: what we know about it, and how to say things in the caller's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from babel.dates import format_date, format_skeleton

from content.i18n import translate, translate_plural
from content.profile import Language, TownProfile
from content.snapshot import NewsItem, OpenPoll, RoadmapProject
from ivr.speaking import Line
from ivr.state import CallState


class Content(Protocol):
    """The content a call may need: the news public now, newest first, the roadmap, the open polls."""

    @property
    def announcements(self) -> Sequence[NewsItem]: ...

    @property
    def projects(self) -> Sequence[RoadmapProject]: ...

    @property
    def polls(self) -> Sequence[OpenPoll]: ...


@dataclass(frozen=True)
class Heard:
    """What the caller did at the last prompt."""

    key: str | None = None  # the key pressed
    speech: str | None = None  # the words recognised

    @property
    def nothing(self) -> bool:
        return not self.key and not (self.speech and self.speech.strip())


@dataclass(frozen=True)
class Call:
    profile: TownProfile
    state: CallState
    now: datetime
    content: Content
    url: Callable[[str, CallState], str]  # the webhook URL of a menu node with a state

    @property
    def language(self) -> Language:
        return self.profile.language(self.state.lang)

    @property
    def slow(self) -> bool:
        """Speak slowly: the caller asked for it, or their language is always spoken slowly."""
        return self.state.slow or self.language.slow

    def but(self, **changes: Any) -> Call:
        return replace(self, state=self.state.but(**changes))

    def text(self, message: str, **values: object) -> str:
        return translate(self.language.code, message, **values)

    def line(self, message: str, **values: object) -> Line:
        return Line(self.text(message, **values), self.language, (message, _as_text(values)))

    def plural(self, message: tuple[str, str], count: int, **values: object) -> Line:
        text = translate_plural(self.language.code, message, count, **values)
        return Line(text, self.language, (message, _as_text({**values, "count": count})))

    def spoken_date(self, day: date) -> str:
        """A date as said aloud: "3. März", with the year only when it is not this year."""
        skeleton = "MMMMd" if day.year == self.now.year else "yMMMMd"
        return format_skeleton(skeleton, day, locale=self.language.code)

    def spoken_day(self, day: date) -> str:
        """A day with its weekday: "Montag, 30. November"."""
        return f"{format_date(day, 'EEEE', locale=self.language.code)}, {self.spoken_date(day)}"


def _as_text(values: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple((name, str(value)) for name, value in sorted(values.items()))
