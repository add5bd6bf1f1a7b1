"""What the town profile's lists offer: voices, holiday regions and time zones, each with a name a
clerk understands. A value saved earlier that no list knows stays selectable, so saving never
changes it behind anybody's back."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

import holidays
from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location, get_timezone_name

from content.i18n import N_, translate
from content.profile import Language

FEMALE_NEURAL = N_("female, natural-sounding (Amazon Polly Neural)")
MALE_NEURAL = N_("male, natural-sounding (Amazon Polly Neural)")
FEMALE_STANDARD = N_("female, standard (Amazon Polly)")
MALE_STANDARD = N_("male, standard (Amazon Polly)")
SAVED_VOICE = N_("saved earlier, not in the list")
VOICE_LABEL = N_("%(language)s: %(voice)s – %(description)s")


@dataclass(frozen=True)
class Voice:
    """A Twilio voice: the language it speaks (catalog code and speech locale) and how it sounds."""

    code: str
    speech: str
    voice: str
    description: str

    @property
    def language(self) -> Language:
        return Language(self.code, self.speech, self.voice)

    @property
    def short_name(self) -> str:
        """ "Polly.Vicki-Neural" as "Vicki"."""
        return self.voice.partition(".")[2].removesuffix("-Neural") or self.voice


# Twilio's Amazon Polly voices for the languages the catalogs speak.
VOICES = (
    Voice("de", "de-DE", "Polly.Vicki-Neural", FEMALE_NEURAL),
    Voice("de", "de-DE", "Polly.Daniel-Neural", MALE_NEURAL),
    Voice("de", "de-DE", "Polly.Marlene", FEMALE_STANDARD),
    Voice("de", "de-DE", "Polly.Hans", MALE_STANDARD),
    Voice("en", "en-GB", "Polly.Amy-Neural", FEMALE_NEURAL),
    Voice("en", "en-GB", "Polly.Brian-Neural", MALE_NEURAL),
    Voice("en", "en-US", "Polly.Joanna-Neural", FEMALE_NEURAL),
    Voice("en", "en-US", "Polly.Matthew-Neural", MALE_NEURAL),
)


def as_line(language: Language) -> str:
    """A language as the form sends it: code, speech locale and voice ("de de-DE Polly.Vicki-Neural")."""
    return f"{language.code} {language.speech} {language.voice}"


def voice_choices(saved: tuple[Language, ...], page: str) -> list[tuple[str, str]]:
    """Every known voice with a plain description, and any voice saved earlier that is not among them."""
    known = {voice.language for voice in VOICES}
    choices = [
        (
            as_line(voice.language),
            translate(
                page,
                VOICE_LABEL,
                language=voice.language.name(page) + _region(voice.speech, page),
                voice=voice.short_name,
                description=translate(page, voice.description),
            ),
        )
        for voice in VOICES
    ]
    for language in saved:
        if language not in known:
            label = translate(
                page,
                VOICE_LABEL,
                language=language.name(page),
                voice=language.voice,
                description=translate(page, SAVED_VOICE),
            )
            choices.append((as_line(language), label))
    return choices


def _region(speech: str, page: str) -> str:
    """ " (Vereinigtes Königreich)" for en-GB, nothing where the language has one region only."""
    code, _, territory = speech.partition("-")
    regions = {voice.speech for voice in VOICES if voice.code == code}
    if len(regions) < 2 or not territory:
        return ""
    return f" ({Locale.parse(page).territories.get(territory, territory)})"


def region_choices(country: str, saved: str | None) -> list[tuple[str, str]]:
    """The country's regions with their names ("Rheinland-Pfalz"), for the public holidays."""
    aliases = holidays.country_holidays(country).get_subdivision_aliases()
    choices = sorted(((code, names[0] if names else code) for code, names in aliases.items()), key=lambda c: c[1])
    if saved and saved not in aliases:
        choices.append((saved, saved))
    return choices


def timezone_choices(saved: str, page: str) -> list[tuple[str, str]]:
    """Europe's time zones by city and name ("Berlin – Mitteleuropäische Zeit"), each name once (old
    aliases such as Europe/Kiev read like Europe/Kyiv), and the saved one."""
    aliases = get_global("zone_aliases")  # CLDR: old names and links to the zone they mean
    named: dict[str, str] = {}
    for zone in sorted(zone for zone in available_timezones() if zone.startswith("Europe/") and zone not in aliases):
        named.setdefault(timezone_name(zone, page), zone)
    choices = {zone: name for name, zone in named.items()}
    if saved and saved not in choices:
        choices[saved] = timezone_name(saved, page)
    return sorted(choices.items(), key=lambda pair: pair[1])


def timezone_name(zone: str, page: str) -> str:
    try:
        tz = get_timezone(zone)
        city = get_timezone_location(tz, locale=page, return_city=True)
        return f"{city} – {get_timezone_name(tz, 'long', locale=page)}"
    except (LookupError, ValueError):
        return zone
