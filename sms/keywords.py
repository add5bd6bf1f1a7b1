"""Reading an SMS: which keyword its first words are, in which language, and what follows them.

The first word decides (or the first few, for names of several words such as VIELEN DANK). Case,
accents and umlaut spellings do not matter (LOESCHEN = LÖSCHEN), in every script: Cyrillic and
Arabic letters count as letters, Turkish İ and ı are i, Arabic hamza forms, vowel marks and
Eastern Arabic digits are read like their plain forms; Cyrillic and Greek letters that look like
Latin ones may stand in for them (СТОР is STOP, a Latin O in ПОМОЩЬ is no matter). Obvious typos
of longer keywords are accepted, and a number glued to the word counts as its argument
(PROJEKT3). Keyword names come from the message catalogs (each language's own script and the
Latin spellings typed on old phones), so a new language brings its own names without a code change.

Keywords that erase or change consent are different: only their exact names count, never a typo
(LÖSEN is not LÖSCHEN, ANMELDUNG is not ANMELDEN), and they are never suggested.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from content.i18n import translate, translations
from sms import prompts

# German umlauts as they are typed without them; Turkish dotless ı as i; Polish ł as l (the one
# Polish letter that has no plain letter inside it for NFKD to find); Arabic letters people
# write either way (final ta marbuta as ha, alif maqsura as ya), the letters a Persian keyboard
# types for Arabic ya and kaf (many Arabic speakers text on one: ایقاف is إيقاف), and the
# stretching tatweel.
_SPELLINGS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": None}
)
_NOT_WORD = re.compile(r"[\W_]")
_PLACEHOLDER = re.compile(r"%\(\w+\)s")
_GLUED_NUMBER = re.compile(r"^(\D+?)(\d+)$")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
LONGEST_BODY = 1600

# Cyrillic and Greek letters that look like Latin ones (as the capitals keywords are typed in),
# with the Latin letters each stands for; С also for S, as a Cyrillic keyboard types STOP: СТОР.
# A word typed with them (a Latin O inside a Cyrillic word, STOP in Cyrillic letters) is the word
# it looks like. Only a Latin letter stands in: two letters of one other script never do.
_LOOK_ALIKES = {
    **{"а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "cs", "т": "t"},
    **{"у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w"},
    **{"α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "nv", "ο": "o"},
    **{"ρ": "p", "τ": "t", "υ": "y", "χ": "x"},
}

# Keywords that erase something or change what the texter agreed to: exact names only, never suggested.
EXACT_ONLY = frozenset({"delete", "delete_confirmed", "stop", "subscribe"})
# Words that are answered but ask for nothing: never offered as "Did you mean …?".
NOT_SUGGESTED = frozenset({"thanks"})


def spelled(language: str, message: str) -> list[str]:
    """The comma-separated names a catalog gives for a word ("NEIN, NÖ"): each on its own."""
    return [name.strip() for name in translate(language, message).split(",") if name.strip()]


def names_in(language: str) -> dict[str, list[str]]:
    """Each keyword's names in language, from the catalog: the listed ones, then the other words
    people use for them; the erasure's confirmation is the erase keyword and the word for yes."""
    names = {keyword: spelled(language, message) for keyword, message in prompts.KEYWORD_NAMES.items()}
    for keyword, message in prompts.OTHER_NAMES.items():
        names[keyword] = names.get(keyword, []) + spelled(language, message)
    yes = spelled(language, prompts.YES)
    names["delete_confirmed"] = [f"{name} {word}" for name in names["delete"] for word in yes]
    return names


@functools.cache
def keyword_names(languages: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """Each enabled language's names for each keyword (read once per set of languages)."""
    return {code: names_in(code) for code in languages}


@functools.cache
def alphabets(languages: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Each enabled language's letters, as its catalog writes the SMS replies and keyword names."""
    return {code: frozenset(letters(" ".join(_written(code)))) for code in languages}


def _written(code: str) -> list[str]:
    """Every SMS message of a language as its catalog writes it (placeholders left in)."""
    catalog = translations(code)
    texts = []
    for name, message in vars(prompts).items():
        for one in message.values() if isinstance(message, dict) else [message]:
            if name.isupper() and isinstance(one, tuple):
                texts += [catalog.ngettext(one[0], one[1], count) for count in (1, 2, 5)]
            elif name.isupper() and isinstance(one, str):
                texts.append(catalog.gettext(one))
    return [_PLACEHOLDER.sub(" ", text) for text in texts]


def canonical_name(keyword: str | None, language: str) -> str:
    """How the usage figures name a keyword, whatever language or spelling it came in: its first
    name in language (the town's first: NEU, PROJEKTE, LÖSCHEN JA); "unknown" for a message that
    is no keyword. Never anything the texter wrote."""
    if keyword is None:
        return "unknown"
    names = keyword_names((language,))[language].get(keyword)
    return names[0] if names else keyword


def confirmation(language: str) -> str:
    """What to send to confirm an erasure, in language: LÖSCHEN JA, DELETE YES."""
    return names_in(language)["delete_confirmed"][0]


def fold(word: str) -> str:
    """LÖSCHEN, Löschen and loeschen all become "loeschen", ПОМОЩЬ "помощь", YARDIM and yardım
    "yardim", ٣ "3"; anything but letters and digits goes."""
    # NFKC: a decomposed ö is ö too, and an Arabic letter in its joined presentation form (ﺓ) is
    # its plain letter before the spellings above are read.
    word = unicodedata.normalize("NFKC", word).casefold().translate(_SPELLINGS)
    word = "".join(_plain(c) for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _NOT_WORD.sub("", word)


def _plain(char: str) -> str:
    """A digit of any script as 0–9; any other character as it is."""
    digit = unicodedata.decimal(char, None)
    return str(digit) if digit is not None else char


def letters(text: str) -> set[str]:
    """The letters a text is written with, in lower case (accents kept: they tell languages apart)."""
    return {char for char in unicodedata.normalize("NFC", text).casefold() if char.isalpha()}


def guess_language(text: str, alphabets: Mapping[str, Collection[str]], usual: str) -> str:
    """The language whose letters the text is written in: an SMS in Cyrillic is not German, one
    with ı or ğ is Turkish, one with і or ї Ukrainian. Where the letters fit several languages
    equally (any Latin text without telling letters), the usual one stays."""
    used = letters(text)
    if not used:
        return usual

    def share(code: str) -> float:
        return len(used & set(alphabets.get(code, ()))) / len(used)

    best = max(alphabets, key=share)  # the first of equals, in the town's order
    return best if share(best) > share(usual) else usual


def typo_distance(a: str, b: str) -> int:
    """Edits between a and b: insertions, deletions, substitutions and swapped neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def typos_allowed(name: str) -> int:
    """Short keywords must be exact; longer ones may have one typo, long ones two."""
    return 0 if len(name) < 4 else 1 if len(name) <= 6 else 2


@dataclass(frozen=True)
class Command:
    keyword: str | None  # e.g. "news"; None if the first word is no keyword
    language: str | None  # the language whose keyword name was used
    argument: str  # the rest of the message, tidied
    closest: str | None = None  # for an unknown word: the keyword name it is nearest to


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]  # the name folded word by word: ("vielen", "dank")
    spelled: str  # as the catalog writes it: "VIELEN DANK"
    keyword: str
    language: str

    @property
    def folded(self) -> str:
        return "".join(self.words)


def tidy(body: str) -> str:
    """The message without invisible and control characters, single-spaced, at most 1,600 characters."""
    return " ".join(_INVISIBLE.sub("", body[: LONGEST_BODY * 2]).split())[:LONGEST_BODY]


def _names(names: Mapping[str, Mapping[str, Sequence[str]]]) -> list[_Name]:
    found = []
    for language, table in names.items():
        for keyword, spelled in table.items():
            for name in spelled:
                words = tuple(filter(None, (fold(word) for word in name.split())))
                if words:
                    found.append(_Name(words, name, keyword, language))
    return found


def looks_like(typed: str, name: str) -> bool:
    """Whether a folded word is the folded name, or looks like it letter for letter (see _LOOK_ALIKES)."""
    return typed == name or (len(typed) == len(name) and all(map(_looks_like_letter, typed, name)))


def _looks_like_letter(a: str, b: str) -> bool:
    return a == b or b in _LOOK_ALIKES.get(a, "") or a in _LOOK_ALIKES.get(b, "")


def _exactly(words: Sequence[str], candidates: Sequence[_Name], prefer: str | None) -> tuple[_Name, int] | None:
    """The longest name the message starts with, word for word (or looking so), and how many words
    it took; of names several languages share (STOP, INFO), the prefer language's."""
    folded = [fold(word) for word in words]
    matching = [
        name for name in candidates if len(folded) >= len(name.words) and all(map(looks_like, folded, name.words))
    ]
    if not matching:
        return None
    longest = max(matching, key=lambda name: (len(name.words), name.language == prefer))
    return longest, len(longest.words)


def read(
    body: str,
    names: Mapping[str, Mapping[str, Sequence[str]]],
    prefer: str | None = None,
    exact_only: Collection[str] = EXACT_ONLY,
) -> Command:
    """Read a message; names maps language -> keyword -> its names in that language.

    For a word that is no keyword, the closest name is suggested: only in the prefer language (if
    it has names), and never one of the exact_only keywords.
    """
    text = tidy(body)
    words = text.split(" ") if text else []
    while words and not fold(words[0]):  # "🛑 STOP", "» STOP": an emoji or a dash is no first word
        words.pop(0)
    candidates = _names(names)
    if words and (found := _exactly(words, candidates, prefer)):
        name, taken = found
        return Command(name.keyword, name.language, " ".join(words[taken:]))
    word = fold(words[0]) if words else ""
    rest = " ".join(words[1:])
    glued = _GLUED_NUMBER.match(word)
    if glued:
        stuck = [name for name in candidates if name.folded == glued.group(1) and len(name.words) == 1]
        if stuck:
            name = max(stuck, key=lambda name: name.language == prefer)
            return Command(name.keyword, name.language, f"{glued.group(2)} {rest}".strip())
    forgiving = [name for name in candidates if name.keyword not in exact_only and len(name.words) == 1]
    if not word or not forgiving:
        return Command(None, None, text)
    distance = {name: typo_distance(word, name.folded) for name in forgiving}
    nearest = min(distance.values())
    best = [name for name in forgiving if distance[name] == nearest]
    name = min(best, key=lambda name: (name.language != prefer, name.folded))
    if nearest <= typos_allowed(name.folded) and len({name.keyword for name in best}) == 1:
        return Command(name.keyword, name.language, rest)
    suggestible = [name for name in forgiving if name.keyword not in NOT_SUGGESTED]
    return Command(None, None, text, closest=_suggestion(word, suggestible, prefer))


# A suggestion further away than this many edits guesses more than it helps.
FURTHEST_SUGGESTION = 3


def _suggestion(word: str, forgiving: Sequence[_Name], prefer: str | None) -> str | None:
    """The closest name in the texter's language (so that no reply mixes two languages), if it is
    close enough to be what they meant."""
    own = [name for name in forgiving if name.language == prefer] or list(forgiving)
    if not own:
        return None
    distance, name = min(((typo_distance(word, name.folded), name) for name in own), key=lambda d: (d[0], d[1].folded))
    return name.spelled if distance <= FURTHEST_SUGGESTION else None
