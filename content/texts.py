"""Per-language texts: which language to use, and tidying a text for the ear.

What an announcement or project says on each channel is derived in content.channel_texts.
"""

from __future__ import annotations

import re
from typing import Any

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# What ends a sentence, in the scripts of the catalogs too (the Arabic question mark ؟).
_ENDS = ".!?:؟。…"


def pick_language(texts: dict[str, Any], wanted: str, fallback: str) -> str | None:
    """The language to use: the wanted one if written, else the fallback, else any written one.
    A spoken version alone is not written: there is nothing to read or send by SMS."""
    for code in (wanted, fallback, *sorted(texts)):
        fields = texts.get(code)
        if isinstance(fields, dict) and any(value for name, value in fields.items() if name != "spoken"):
            return code
    return None


def fields_in(texts: dict[str, Any], wanted: str, fallback: str) -> dict[str, Any]:
    """The texts of the language pick_language chooses; empty if none is written."""
    code = pick_language(texts, wanted, fallback)
    return texts[code] if code else {}


def sentence(text: str | None) -> str:
    """Tidy text for the ear: no web addresses, single spaces, ending with a full stop."""
    text = _SPACE.sub(" ", _URL.sub("", text or "")).strip()
    if text and text[-1] not in _ENDS:
        text += "."
    return text
