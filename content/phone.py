"""Phone numbers: the one place that parses, normalises, formats and pseudonymises them."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

import phonenumbers
from babel import Locale
from babel.core import UnknownLocaleError
from babel.languages import get_official_languages

DEFAULT_REGION = "DE"

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def to_e164(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """Return the number in E.164 ("+496313650"), or None if it is no valid phone number."""
    if not raw or len(raw) > 64:
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def caller_number(raw: str | None) -> str | None:
    """The caller's number in E.164, or None when it is missing or unusable.

    Providers hand over callers' numbers in E.164 already; those are taken as they are (this runs
    on every call). Anything else goes through the full parse. Withheld numbers never get here:
    the provider's package reads its own markers for them as None.
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    if _E164.fullmatch(raw):
        return raw
    return to_e164(raw)


def is_mobile(e164: str) -> bool:
    """Whether the number can receive SMS: a mobile number (or one that may be mobile)."""
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:  # looks like E.164, but no country has such numbers
        return False
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


# The kinds of number a news call may go to: those a call to costs what a call to a person does.
# Never premium rate, shared cost, toll free, VoIP, personal, pager, UAN or voicemail numbers.
_CALLED_AT_NORMAL_COST = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def home_region(hotline_number: str | None) -> str:
    """The country the town calls from ("DE"): the one of its hotline number, Germany without one."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(hotline_number or ""))
    except phonenumbers.NumberParseException:
        return DEFAULT_REGION
    return region if region and region != "001" else DEFAULT_REGION


def can_be_called(e164: str, home_region: str) -> bool:
    """Whether the city may call this number with the news at its own cost: a fixed line or a mobile
    in its own country (home_region). Caller ids are easily forged: a premium-rate or far-away
    number must never get the city to call it, over and over."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == home_region
        and phonenumbers.number_type(number) in _CALLED_AT_NORMAL_COST
    )


def spoken_form(e164: str, region: str = DEFAULT_REGION) -> str:
    """Format a number the way a caller in region would dial it: "0631 3650"."""
    number = phonenumbers.parse(e164, region)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def likely_language(e164: str | None, codes: Sequence[str]) -> str | None:
    """The language a caller from this number probably speaks, among codes (catalog codes in the
    town's order): the first of the number's country's languages (CLDR, official and de facto)
    that the town has. "+90…" gives "tr", "+380…" "uk", a German number "de". Variants such as
    Leichte Sprache (de@easy) are a choice, never guessed from a number. None if nothing fits."""
    if not e164:
        return None
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return None
    if not region or region == "001":  # no country: satellite and other non-geographic numbers
        return None
    plain = {_language_of(code): code for code in reversed(codes) if "@" not in code}
    return next(
        (plain[language] for language in get_official_languages(region, de_facto=True) if language in plain), None
    )


def _language_of(code: str) -> str:
    """ "pt_BR" -> "pt": the language of a catalog code, as CLDR names the languages of a country."""
    try:
        return Locale.parse(code).language
    except (ValueError, UnknownLocaleError):
        return code


def pseudonym(e164: str, key: str) -> str:
    """A keyed pseudonym (HMAC-SHA256) of a number: stable per key, not reversible without it."""
    return hmac.new(key.encode(), e164.encode(), hashlib.sha256).hexdigest()


# The simulator's phone (web.simulator): a mobile number the Bundesnetzagentur keeps free for
# films and examples ("Drama Number", Amtsblatt 7/2021, Mitteilung 148/2021), so no real
# subscriber can have it. The outbox delivers to it at once, never through the provider.
SIMULATED_NUMBER = "+4915228817386"


def is_simulated(e164: str) -> bool:
    return e164 == SIMULATED_NUMBER
