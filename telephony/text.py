"""Text as XML 1.0 can carry it: what callers say and texters send, and every document we answer with.

XML 1.0 allows no C0 control character but tab, line feed and carriage return, no lone
surrogate, and neither U+FFFE nor U+FFFF (section 2.2, "Char"); one such character makes a whole
TwiML answer not well-formed. NUL is among them, and PostgreSQL cannot store it at all.
The same rule as content.clean, which telephony may not import (a test keeps both the same).
"""

from __future__ import annotations

import re

NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """text without the characters XML 1.0 forbids; everything else, tabs and line breaks included, stays."""
    return NOT_IN_XML.sub("", text)
