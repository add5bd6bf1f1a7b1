"""Which language a call speaks: the other languages offered, each in its own language and voice,
key 9 of the main menu, and the language menu.

A caller hears their own language within the first seconds of their first call: right after the
greeting each other language is offered, the one their number suggests first (CallState.likely),
and key 9 goes straight to that one (CallState.quick). Every other language is one more 9 away,
in the language menu, whose keys 1 to 9 follow the town's order and never move. Once chosen, a
language is remembered (ivr.actions.language_chosen): the next call starts in it.
"""

from __future__ import annotations

from collections.abc import Callable

from content.i18n import translate
from content.profile import Language
from ivr import prompts
from ivr.call import Call
from ivr.menu import Node, Option, present, redirect_to, said_words
from ivr.speaking import Line
from telephony.voice import VoiceAnswer

LANGUAGE_KEY = "9"
# What a language's name stands for in the main menu, where no key does: "Türkçe" is Turkish at once.
NAMED = "language:"
# The language menu's keys: 1 to 9, one per language in the town's order (in the language menu 9
# is free: it means "language" only in the main menu).
MOST_LANGUAGES = 9


def other_languages(call: Call) -> list[Language]:
    return [language for language in call.profile.languages if language != call.language]


def enabled(call: Call, code: str) -> Language | None:
    return next((language for language in call.profile.languages if language.code == code), None)


def likely_first(call: Call, languages: list[Language]) -> list[Language]:
    """languages with the one the caller's number suggests first, the others in the town's order."""
    return sorted(languages, key=lambda language: language.code != call.state.likely)


def offer(language: Language, key: str, *, twice: bool = False, brief: bool = False) -> Line:
    """ "Türkçe için 9'a basın" (brief: "Türkçe: 9"): in the language offered, in its voice, so that
    who needs it understands it."""
    message = prompts.FOR_LANGUAGE_TWICE if twice else prompts.FOR_LANGUAGE_BRIEF if brief else prompts.FOR_LANGUAGE
    return Line(translate(language.code, message, language=language.name(), key=key), language)


def quick_language(call: Call) -> Language | None:
    """The language key 9 switches to at once: the only other one, or the one offered for it."""
    others = other_languages(call)
    if len(others) == 1:
        return others[0]
    quick = enabled(call, call.state.quick)
    return quick if quick is not None and quick != call.language else None


def start_offers(call: Call) -> list[Line]:
    """At the start of a first call: every other language, each in its own voice, the likely one
    first. Without a likely one (most callers, who speak the town's language) each is offered in
    brief, its name and the key, so that the menu follows within seconds."""
    quick = quick_language(call)
    if quick is None:
        return [offer(language, LANGUAGE_KEY, brief=True) for language in other_languages(call)]
    return [
        offer(language, LANGUAGE_KEY, twice=language != quick) for language in likely_first(call, other_languages(call))
    ]


def key_nine_lines(call: Call) -> list[Line]:
    """What the main menu says for key 9: the language it switches to (in that language), and how to
    reach the others (in the caller's)."""
    others = other_languages(call)
    if not others:
        return []
    quick = quick_language(call)
    if quick is None:
        return [call.line(prompts.FOR_OTHER_LANGUAGE, key=LANGUAGE_KEY)]
    lines = [offer(quick, LANGUAGE_KEY)]
    if len(others) > 1:
        lines.append(call.line(prompts.FOR_OTHER_LANGUAGE_TWICE, key=LANGUAGE_KEY))
    return lines


def language_options(call: Call) -> list[Option]:
    """Key 9, or "language"; and each other language's name, which switches to it at once. A name
    goes before "language", so that "Türkische Sprache" is Turkish, not the language menu."""
    named = [_named(f"{NAMED}{language.code}", language) for language in other_languages(call)]
    return [*named, Option(LANGUAGE_KEY, said_words(prompts.SAY_LANGUAGE), change_language)]


def change_language(call: Call) -> VoiceAnswer:
    """Key 9: the quick language if there is one, else the language menu."""
    quick = quick_language(call)
    return switch_to(quick)(call) if quick is not None else present(LANGUAGE, call)


def switch_to(language: Language) -> Callable[[Call], VoiceAnswer]:
    """Go on in language; the action remembers the choice for the next call."""

    def go(call: Call) -> VoiceAnswer:
        code = "" if language == call.profile.default_language else language.code
        return redirect_to("language-chosen")(call.but(lang=code, quick="", repeats=0, silences=0, errors=0))

    return go


def numbered(call: Call) -> list[tuple[str, Language]]:
    return [(str(key), language) for key, language in enumerate(call.profile.languages[:MOST_LANGUAGES], 1)]


def language_menu_lines(call: Call) -> list[Line]:
    """Every other language with its key, in its own voice; the likely one is said first."""
    keys = {language: key for key, language in numbered(call)}
    said = likely_first(call, [language for language in keys if language != call.language])
    return [offer(language, keys[language]) for language in said]


def _named(key: str, language: Language) -> Option:
    """Key, or the language's name: its own and the caller's name for it (given as speech hints),
    and its name in each other language of the town ("Turkish", "турецкий"), as callers know it."""
    return Option(
        key,
        lambda call: [language.name(), language.name(call.language.code)],
        switch_to(language),
        also=lambda call: [language.name(other.code) for other in call.profile.languages],
    )


def language_menu_options(call: Call) -> list[Option]:
    return [_named(key, language) for key, language in numbered(call)]


LANGUAGE = Node("language", language_menu_lines, language_menu_options, back=redirect_to("main"))
