"""Where a caller is in the menu, carried in the webhook URLs (the provider keeps no state for us)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# Beyond these, more repeats or silences change nothing: slow is slow, and twice silent ends.
MOST_REPEATS = 2
MOST_SILENCES = 2

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class CallState:
    lang: str = ""  # the caller's language code; "" means the town's default language
    item: int = 0  # position in a list: news item (1, 2, …) or project number
    repeats: int = 0  # how often * was pressed at this prompt in a row
    silences: int = 0  # how often the caller said nothing in a row
    new: int = 0  # how many news items are new since the caller's last call (the newest ones)
    choice: int = 0  # in a poll: the answer the caller chose, to be confirmed

    @property
    def slow(self) -> bool:
        """Speak slower: the caller asked for a second repeat, or did not answer."""
        return self.repeats >= 2 or self.silences >= 1

    def query(self) -> dict[str, str]:
        """The state as URL query parameters, leaving out defaults to keep URLs short."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) != f.default}

    def but(self, **changes: Any) -> CallState:
        return replace(self, **changes)

    @classmethod
    def from_query(cls, args: Mapping[str, str]) -> CallState:
        """Read the state from query parameters; anything malformed falls back to its default."""
        lang = args.get("lang", "")
        return cls(
            lang=lang if _LANGUAGE_CODE.match(lang) else "",
            item=_small_number(args.get("item")),
            repeats=_small_number(args.get("repeats"), limit=MOST_REPEATS),
            silences=_small_number(args.get("silences"), limit=MOST_SILENCES),
            new=_small_number(args.get("new")),
            choice=_small_number(args.get("choice"), limit=9),
        )


def _small_number(raw: str | None, limit: int = 10_000) -> int:
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
        return 0
    return min(int(raw), limit)
