"""SMS text: the one place that smart-encodes and counts segments.

Rules (3GPP TS 23.038 and the usual concatenation headers): a text that uses only the GSM-7
alphabet is sent as GSM-7, 160 units in one message or 153 per segment when split; characters
of the extension table (``^{}\\[~]|€`` and form feed) cost two units and are never split from
their escape. Any other character makes the whole message UCS-2: 70 UTF-16 units in one message,
67 per segment, and a surrogate pair (an emoji) is never split.

Smart encoding replaces look-alike characters (typographic quotes, dashes, ellipsis, special
spaces) with GSM-7 ones, as Twilio's Smart Encoding does, so that a German text written in a word
processor does not fall into UCS-2 and cost twice as many messages.

It lives in the content store so that the staff preview and the SMS replies count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_GSM7, SEGMENT_GSM7 = 160, 153
SINGLE_UCS2, SEGMENT_UCS2 = 70, 67

# Look-alikes and what smart encoding sends instead.
SMART_REPLACEMENTS = {
    **dict.fromkeys("“”„‟″«»〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′‹›＇`´", "'"),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "…": "...",
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    "•": "-",
    "·": "-",
    "\t": " ",
}


def smart_encode(text: str) -> str:
    """Replace look-alike characters with GSM-7 ones; everything else stays as it is."""
    return "".join(SMART_REPLACEMENTS.get(char, char) for char in text)


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


@dataclass(frozen=True)
class SmsCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    replaced: tuple[str, ...]  # characters smart encoding replaced
    forcing_ucs2: tuple[str, ...]  # characters that still force UCS-2


def _pieces(text: str) -> list[int]:
    """The cost of each indivisible piece of text, in units of its encoding."""
    if is_gsm7(text):
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _segments(pieces: list[int], single: int, per_segment: int) -> int:
    if sum(pieces) <= single:
        return 1 if pieces else 0
    segments, used = 1, 0
    for cost in pieces:
        if used + cost > per_segment:
            segments, used = segments + 1, 0
        used += cost
    return segments


def count(text: str) -> SmsCount:
    """Count what text costs as it will be sent: after smart encoding."""
    sent = smart_encode(text)
    pieces = _pieces(sent)
    gsm = is_gsm7(sent)
    single, per_segment = (SINGLE_GSM7, SEGMENT_GSM7) if gsm else (SINGLE_UCS2, SEGMENT_UCS2)
    return SmsCount(
        encoding="GSM-7" if gsm else "UCS-2",
        units=sum(pieces),
        segments=_segments(pieces, single, per_segment),
        replaced=tuple(dict.fromkeys(char for char in text if char in SMART_REPLACEMENTS)),
        forcing_ucs2=tuple(dict.fromkeys(c for c in sent if c not in GSM7_BASIC and c not in GSM7_EXTENSION)),
    )


def fits(text: str, segments: int = 2) -> bool:
    return count(text).segments <= segments


def cut_at(text: str, segments: int) -> int | None:
    """Where text (as sent) would have to be cut to fit in segments messages; None if it fits."""
    if fits(text, segments):
        return None
    short, long = 0, len(text)  # text[:short] fits, text[:long] does not
    while long - short > 1:
        middle = (short + long) // 2
        short, long = (middle, long) if fits(text[:middle], segments) else (short, middle)
    return short


def most_units(encoding: str, segments: int) -> int:
    """How many characters (units) segments messages of this encoding carry."""
    single, per_segment = (SINGLE_GSM7, SEGMENT_GSM7) if encoding == "GSM-7" else (SINGLE_UCS2, SEGMENT_UCS2)
    return single if segments == 1 else per_segment * segments


ELLIPSIS = "..."


def fit(*parts: str, segments: int = 2) -> str:
    """Join parts as long as the text fits in segments messages; cut the last one with "..."."""
    text = ""
    for part in filter(None, parts):
        joined = f"{text} {part}".strip()
        if fits(joined, segments):
            text = joined
            continue
        words = part.split()
        while words and not fits(f"{text} {' '.join(words)}{ELLIPSIS}".strip(), segments):
            words.pop()
        return f"{text} {' '.join(words)}{ELLIPSIS}".strip() if words else text
    return text
