"""The announcement form's live preview: for each language, the SMS exactly as it is sent (with
its cost, everything smart encoding changes, and where a too long one would be cut) and the words
callers hear."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from flask import jsonify, request

from content import channel_texts, sms_text
from content.channel_texts import BROADCAST_SEGMENTS, reading, spoken
from content.clean import xml_safe
from content.i18n import N_, N_plural
from content.models import EDITOR, IN_DEFAULT_WITH_NOTE, UNTRANSLATED_RULES
from content.profile import Language, TownProfile
from content.snapshot import current
from web.pages import page_language
from web.staff.announcements import TEXT_FIELDS, TOO_LONG, plural, what_they_get
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import say

CUT_HERE = N_("The marked part would be missing.")
# What smart encoding and the special characters do to an SMS, as the preview lists it.
REPLACED = N_("%(char)s becomes %(sent)s")
LEFT_OUT = N_("an invisible character is left out")
SPACE = N_("a special space or tab becomes a normal space")
COSTLY = N_plural(
    "%(char)s stays, but makes the whole SMS use special characters (70 instead of 160 per SMS): "
    "%(count)s SMS per subscriber instead of %(without)s",
    "%(char)s stays, but makes the whole SMS use special characters (70 instead of 160 per SMS): "
    "%(count)s SMS per subscriber instead of %(without)s",
)
COSTLY_FREE = N_(
    "%(char)s stays, and makes the whole SMS use special characters (70 instead of 160 per SMS); this text still fits"
)
# A text in Turkish, Polish, Russian, Ukrainian or Arabic is written in letters that are not in the
# GSM-7 alphabet: they are said once, with what they cost, not letter by letter.
LETTERS = N_(
    "The letters %(letters)s are not in the normal SMS alphabet: the SMS uses special characters, "
    "%(one)s characters in one SMS, %(two)s in two"
)
SHOWN_LETTERS = 5  # letters named before "…"
ENCODINGS = {
    "GSM-7": N_("normal SMS characters (160 per SMS)"),
    "UCS-2": N_("special characters (70 per SMS)"),
}


@bp.post("/preview")
@needs(EDITOR)
def preview() -> Any:
    """What an announcement becomes in each language: the SMS as sent, with its cost, everything
    smart encoding changes and where a too long one would be cut; and the spoken words."""
    profile = current().profile
    texts = {
        language.code: {
            name: xml_safe(str(request.form.get(f"{name}_{language.code}", "")))[:longest]
            for name, longest in TEXT_FIELDS.items()
        }
        for language in profile.languages
    }
    texts = {code: fields for code, fields in texts.items() if any(value.strip() for value in fields.values())}
    rule = request.form.get("untranslated", IN_DEFAULT_WITH_NOTE)
    rule = rule if rule in UNTRANSLATED_RULES else IN_DEFAULT_WITH_NOTE
    return jsonify(
        {language.code: sms_preview(profile, texts, rule, language) for language in profile.languages},
    )


def sms_preview(profile: TownProfile, texts: Mapping[str, Any], rule: str, language: Language) -> dict[str, Any]:
    """One language's preview: what its subscribers get by SMS and what its callers hear."""
    default = profile.default_language.code
    found = reading(texts, rule, language.code, default)
    written = channel_texts.broadcast_draft(texts, rule, language.code, default, profile.sender) or ""
    sms = sms_text.smart_encode(written)
    counted = sms_text.count(written)
    cut = sms_text.cut_at(sms, BROADCAST_SEGMENTS)
    return {
        "gets": what_they_get(profile, rule, texts, language),
        "sms": sms[:cut],
        "cut": sms[cut:] if cut is not None else "",
        "too_long": (
            f"{plural(TOO_LONG, counted.segments, language=language.name(page_language()))} {say(CUT_HERE)}"
            if cut is not None
            else ""
        ),
        "characters": counted.units,
        "segments": counted.segments,
        "encoding": say(ENCODINGS[counted.encoding]),
        "changes": changes(written) if sms else [],
        "spoken": spoken(found.fields, "title", "body") if found else "",
    }


def changes(written: str) -> list[str]:
    """Everything smart encoding replaces or leaves out, and every character that makes the SMS cost more."""
    counted, sent = sms_text.count(written), sms_text.smart_encode(written)
    said = []
    for char in counted.replaced:
        replacement = sms_text.SMART_REPLACEMENTS[char]
        if replacement == "":
            said.append(say(LEFT_OUT))
        elif replacement == " ":
            said.append(say(SPACE))
        else:
            said.append(say(REPLACED, char=char, sent=replacement))
    letters = [char for char in counted.forcing_ucs2 if unicodedata.category(char).startswith("L")]
    if letters:
        named = " ".join(letters[:SHOWN_LETTERS]) + (" …" if len(letters) > SHOWN_LETTERS else "")
        one, two = sms_text.most_units("UCS-2", 1), sms_text.most_units("UCS-2", 2)
        said.append(say(LETTERS, letters=named, one=one, two=two))
    elif counted.forcing_ucs2:
        without = sms_text.count("".join(c for c in sent if c not in counted.forcing_ucs2)).segments
        for char in counted.forcing_ucs2:
            if counted.segments > without:
                said.append(plural(COSTLY, counted.segments, char=char, without=without))
            else:
                said.append(say(COSTLY_FREE, char=char))
    return list(dict.fromkeys(said))
