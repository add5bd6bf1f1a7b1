"""Per-language texts, and the spoken variant derived from the written one.

Staff write each text once; the phone hears a spoken variant derived from it unless staff wrote
a spoken override ("spoken") for that language.
"""

from __future__ import annotations

import re
from typing import Any

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def pick_language(texts: dict[str, Any], wanted: str, fallback: str) -> str | None:
    """The language to use: the wanted one if written, else the fallback, else any written one."""
    for code in (wanted, fallback, *sorted(texts)):
        if isinstance(texts.get(code), dict) and any(texts[code].values()):
            return code
    return None


def fields_in(texts: dict[str, Any], wanted: str, fallback: str) -> dict[str, Any]:
    """The texts of the language pick_language chooses; empty if none is written."""
    code = pick_language(texts, wanted, fallback)
    return texts[code] if code else {}


def sentence(text: str | None) -> str:
    """Tidy text for the ear: no web addresses, single spaces, ending with a full stop."""
    text = _SPACE.sub(" ", _URL.sub("", text or "")).strip()
    if text and text[-1] not in ".!?:":
        text += "."
    return text


def spoken(fields: dict[str, Any], *parts: str) -> str:
    """The spoken variant: the override if staff wrote one, else the named fields as sentences."""
    override = sentence(fields.get("spoken"))
    if override:
        return override
    return " ".join(filter(None, (sentence(fields.get(part)) for part in parts)))
