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
GOOGLE_FEMALE_STANDARD = N_("female, standard (Google)")
GOOGLE_FEMALE_WAVENET = N_("female, natural-sounding (Google WaveNet)")
# A voice that always speaks slowly (Language.slow): for Leichte Sprache.
SPOKEN_SLOWLY = N_("%(description)s, always spoken slowly")
SAVED_VOICE = N_("saved earlier, not in the list")
VOICE_LABEL = N_("%(language)s: %(voice)s – %(description)s")


@dataclass(frozen=True)
class Voice:
    """A Twilio voice: the language it speaks (catalog code and speech locale) and how it sounds."""

    code: str
    speech: str  # the voice's locale, which is also the speech recognition's (<Gather language>)
    voice: str
    description: str
    slow: bool = False

    @property
    def language(self) -> Language:
        return Language(self.code, self.speech, self.voice, self.slow)

    @property
    def short_name(self) -> str:
        """ "Polly.Vicki-Neural" as "Vicki", "Google.uk-UA-Wavenet-A" as "Wavenet A"."""
        provider, _, name = self.voice.partition(".")
        if provider == "Google":
            return " ".join(name.split("-")[2:]) or self.voice
        return name.removesuffix("-Neural") or self.voice


GERMAN = (
    ("Polly.Vicki-Neural", FEMALE_NEURAL),
    ("Polly.Daniel-Neural", MALE_NEURAL),
    ("Polly.Marlene", FEMALE_STANDARD),
    ("Polly.Hans", MALE_STANDARD),
)

# Twilio's voices for the languages the catalogs speak (Twilio's list of Amazon Polly and Google
# voices), each with a locale its speech recognition understands too. Ukrainian has no Polly
# voice: Google's. Arabic: the Gulf voices (ar-AE); Polly's Zeina speaks "arb", which speech
# recognition does not take. Leichte Sprache is German, always spoken slowly (or, if a town
# prefers, at the normal rate).
VOICES = (
    *(Voice("de", "de-DE", voice, description) for voice, description in GERMAN),
    *(Voice("de@easy", "de-DE", voice, description, slow=True) for voice, description in GERMAN),
    *(Voice("de@easy", "de-DE", voice, description) for voice, description in GERMAN),
    Voice("en", "en-GB", "Polly.Amy-Neural", FEMALE_NEURAL),
    Voice("en", "en-GB", "Polly.Brian-Neural", MALE_NEURAL),
    Voice("en", "en-US", "Polly.Joanna-Neural", FEMALE_NEURAL),
    Voice("en", "en-US", "Polly.Matthew-Neural", MALE_NEURAL),
    Voice("tr", "tr-TR", "Polly.Burcu-Neural", FEMALE_NEURAL),
    Voice("tr", "tr-TR", "Polly.Filiz", FEMALE_STANDARD),
    Voice("ru", "ru-RU", "Polly.Tatyana", FEMALE_STANDARD),
    Voice("ru", "ru-RU", "Polly.Maxim", MALE_STANDARD),
    Voice("uk", "uk-UA", "Google.uk-UA-Wavenet-A", GOOGLE_FEMALE_WAVENET),
    Voice("uk", "uk-UA", "Google.uk-UA-Standard-A", GOOGLE_FEMALE_STANDARD),
    Voice("ar", "ar-AE", "Polly.Hala-Neural", FEMALE_NEURAL),
    Voice("ar", "ar-AE", "Polly.Zayd-Neural", MALE_NEURAL),
    Voice("pl", "pl-PL", "Polly.Ola-Neural", FEMALE_NEURAL),
    Voice("pl", "pl-PL", "Polly.Ewa", FEMALE_STANDARD),
    Voice("pl", "pl-PL", "Polly.Jacek", MALE_STANDARD),
)

SLOW = "slow"


def as_line(language: Language) -> str:
    """A language as the form sends it: code, speech locale and voice ("de de-DE Polly.Vicki-Neural"),
    and "slow" for a language always spoken slowly."""
    line = f"{language.code} {language.speech} {language.voice}"
    return f"{line} {SLOW}" if language.slow else line


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
                description=_described(voice, page),
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


def _described(voice: Voice, page: str) -> str:
    description = translate(page, voice.description)
    return translate(page, SPOKEN_SLOWLY, description=description) if voice.slow else description


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
