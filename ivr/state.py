"""Where a caller is in the menu, carried in the webhook URLs (the provider keeps no state for us)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# Beyond these, more repeats, silences or errors change nothing: slow is slow, three times silent
# ends, and the third error in a row brings a person or a call back.
MOST_REPEATS = 2
MOST_SILENCES = 3
MOST_ERRORS = 3
# What was said last rides along in the URL for `*`; longer than this, it is not kept (see ivr.menu).
LONGEST_SAID = 600

_SAID = re.compile(r"^[A-Za-z0-9_-]*$")

# A catalog code: "de", "pt_BR", or a variant such as "de@easy" (German in Leichte Sprache).
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?(?:@[a-z]{2,8})?$")

# A news call reads at most this many announcements (a weekly summary of more reads the newest).
MOST_NEWS = 20
_NEWS = re.compile(rf"[0-9]{{1,12}}(?:,[0-9]{{1,12}}){{0,{MOST_NEWS - 1}}}")
# The news calls being chosen under key 4, one letter or digit per answer so far: how often ("e"
# each announcement, "w" weekly), the weekday of a weekly call (0 Monday … 5 Saturday), the window
# ("m" morning, "a" afternoon). "e", "w3", "em" and "w3a" are steps of the way.
_CALLS = re.compile(r"e[ma]?|w(?:[0-5][ma]?)?")


@dataclass(frozen=True)
class CallState:
    lang: str = ""  # the caller's language code; "" means the town's default language
    item: int = 0  # position in a list: news item (1, 2, …) or project number
    repeats: int = 0  # how often * was pressed at this prompt in a row
    silences: int = 0  # how often the caller said nothing in a row
    new: int = 0  # how many news items are new since the caller's last call (the newest ones)
    choice: int = 0  # in a poll: the answer the caller chose, to be confirmed
    slower: int = 0  # 1 once the caller asked for slower speech: it stays so for the rest of the call
    errors: int = 0  # how many keys or words in a row were not understood
    said: str = ""  # what the last answer said before its prompt, in a compact form (ivr.menu.remembered)
    likely: str = ""  # the language the caller's number suggests: the language menu offers it first
    quick: str = ""  # the one language key 9 of the main menu switches to at once ("": it opens the menu)
    # A call the city placed (a news call): the announcements it reads, "14,12" (newest first).
    news: str = ""
    mobile: int = 0  # 1 on a news call to a number that can receive SMS: key 2 sends the item
    calls: str = ""  # the news calls being chosen under key 4 (see _CALLS)
    steps: int = 0  # on a news call: how often the resident was answered so far (ivr.news_call bounds it)

    @property
    def slow(self) -> bool:
        """Speak slower: the caller asked for it (once is enough), or did not answer."""
        return bool(self.slower) or self.repeats >= MOST_REPEATS or self.silences >= 1

    def query(self) -> dict[str, str]:
        """The state as URL query parameters, leaving out defaults to keep URLs short."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) != f.default}

    def but(self, **changes: Any) -> CallState:
        return replace(self, **changes)

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> CallState:
        """Read the state from query parameters; anything malformed falls back to its default."""
        return cls(
            lang=_language(args.get("lang", "")),
            item=_small_number(args.get("item")),
            repeats=_small_number(args.get("repeats"), limit=MOST_REPEATS),
            silences=_small_number(args.get("silences"), limit=MOST_SILENCES),
            new=_small_number(args.get("new")),
            choice=_small_number(args.get("choice"), limit=9),
            slower=_small_number(args.get("slower"), limit=1),
            errors=_small_number(args.get("errors"), limit=MOST_ERRORS),
            said=_said(args.get("said", "")),
            likely=_language(args.get("likely", "")),
            quick=_language(args.get("quick", "")),
            news=_matching(_NEWS, args.get("news", "")),
            mobile=_small_number(args.get("mobile"), limit=1),
            calls=_matching(_CALLS, args.get("calls", "")),
            steps=_small_number(args.get("steps")),
        )

    @property
    def news_ids(self) -> tuple[int, ...]:
        """The announcements a news call reads, newest first (none: this is a call to the hotline)."""
        return tuple(int(part) for part in self.news.split(",")) if self.news else ()


def _small_number(raw: str | None, limit: int = 10_000) -> int:
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
        return 0
    return min(int(raw), limit)


def _language(raw: str) -> str:
    return raw if _LANGUAGE_CODE.fullmatch(raw) else ""


def _matching(pattern: re.Pattern[str], raw: str) -> str:
    return raw if pattern.fullmatch(raw) else ""


def _said(raw: str) -> str:
    return raw if len(raw) <= LONGEST_SAID and _SAID.fullmatch(raw) else ""
