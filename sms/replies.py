"""One small handler per keyword: (what we know, the words after the keyword) -> the reply.

Handlers are pure. A handler that changes something (subscribe, stop, language) says so in its
Reply; the view applies it, so that reading and answering stay testable without a database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date
from babel.lists import format_list

from content import channel_texts, subscriptions
from content.i18n import other_names, translate, translate_plural
from content.models import FIELD_NAMES, NOT_SUBSCRIBED, SUBSCRIBED, UNSUBSCRIBED
from content.profile import Language, TownProfile
from content.sms_text import fit, fits, smart_encode
from content.snapshot import NewsItem, RoadmapProject
from content.texts import fields_in, pick_language, sentence
from sms import prompts
from sms.keywords import Command, fold, keyword_names, looks_like


@dataclass(frozen=True)
class Texter:
    """What we know about the person texting (nothing, if the number never asked for anything)."""

    status: str | None = None
    language: str | None = None
    consent_at: datetime | None = None
    consent_channel: str | None = None
    stopped_at: datetime | None = None
    topics: tuple[str, ...] = ()  # empty: all news


@dataclass(frozen=True)
class Conversation:
    profile: TownProfile
    language: str  # the language to answer in
    texter: Texter
    news: Sequence[NewsItem]  # public now, newest first
    projects: Sequence[RoadmapProject]

    def text(self, message: str, **values: object) -> str:
        return translate(self.language, message, **values)

    def counted(self, message: tuple[str, str], count: int, **values: object) -> str:
        return translate_plural(self.language, message, count, **values)

    def date(self, moment: datetime) -> str:
        return format_date(moment, "medium", locale=self.language)

    def listed(self, items: Iterable[str]) -> str:
        """Items as a sentence reads them: "a, b und c"."""
        return format_list(list(items), locale=self.language)

    def language_name(self, code: str | None) -> str:
        """A language by its name in this conversation's language ("Deutsch", "Englisch")."""
        return self.profile.language(code or self.language).name(self.language)


@dataclass(frozen=True)
class Reply:
    text: str
    change: str | None = None  # "subscribe", "stop" or "language"
    language: str | None = None  # the chosen language, with change "language"
    topics: tuple[str, ...] = ()  # with change "subscribe": the topics chosen (empty: all news)


def leading_number(argument: str) -> tuple[int | None, str]:
    """The number the words after a keyword start with ("3 more benches" -> 3), and the rest."""
    first, _, rest = argument.partition(" ")
    digits = plain_digits(first)
    if digits and len(digits) < 6:
        return int(digits), rest.strip()
    return None, argument


def plain_digits(word: str) -> str | None:
    """A number in any script's digits as 0–9 ("٣" and "۳" as "3", a full-width "３" or a keycap
    "3️⃣" too); None if the word is no number."""
    digits = [char for char in unicodedata.normalize("NFKC", word) if unicodedata.category(char) not in _MARKS]
    if not digits or not all(unicodedata.decimal(char, None) is not None for char in digits):
        return None
    return "".join(str(unicodedata.decimal(char)) for char in digits)


_MARKS = frozenset({"Mn", "Me", "Cf"})  # what a digit may carry: the keycap, an emoji selector


def _number(argument: str) -> int | None:
    return leading_number(argument)[0]


def _texts(talk: Conversation, texts: dict[str, Any]) -> dict[str, Any]:
    return fields_in(texts, talk.language, talk.profile.default_language.code)


def help_reply(talk: Conversation, argument: str) -> Reply:
    return Reply(fit(talk.text(prompts.HELP, town=talk.profile.town)))


def whole_entries(heading: str, entries: Sequence[str], rest: Callable[[int], str], more: str) -> str:
    """A list in two SMS without cutting an entry: as many whole entries as fit, then rest(how many
    did not fit); more (how to read one) when everything fits and there is room for it."""
    for shown in range(len(entries), -1, -1):
        tail = [rest(len(entries) - shown)] if shown < len(entries) else []
        text = " ".join([heading, *entries[:shown], *tail])
        if fits(smart_encode(text)):
            return f"{text} {more}" if not tail and fits(smart_encode(f"{text} {more}")) else text
    return heading


def news_reply(talk: Conversation, argument: str) -> Reply:
    news = channel_texts.news_for(talk.news, talk.language, talk.profile.default_language.code)
    if not news:
        return Reply(talk.text(prompts.NO_NEWS))
    number = _number(argument)
    if number is None:
        default = talk.profile.default_language.code
        headlines = [f"{n}) {channel_texts.headline(item, talk.language, default)}" for n, item in enumerate(news, 1)]
        heading = talk.text(prompts.NEWS_LIST, town=talk.profile.town)
        shown = len(headlines)

        def rest(count: int) -> str:
            return talk.counted(prompts.NEWS_REST, count, number=shown - count + 1)

        return Reply(whole_entries(heading, headlines, rest, talk.text(prompts.NEWS_MORE)))
    if not 1 <= number <= len(news):
        return Reply(talk.text(prompts.NO_SUCH_NEWS, number=number))
    item = news[number - 1]
    sms = channel_texts.item_sms(item, talk.language, talk.profile.default_language.code)
    dated = f"{talk.date(item.publish_at)}: {sms}"
    return Reply(dated if fits(smart_encode(dated)) else fit(sms))  # the date only where it costs no words


def projects_reply(talk: Conversation, argument: str) -> Reply:
    if not talk.projects:
        return Reply(talk.text(prompts.NO_PROJECTS))
    number = _number(argument)
    if number is None:
        titles = [f"{p.number}) {_project_title(talk, p)}" for p in talk.projects]

        def rest(count: int) -> str:
            return talk.counted(prompts.PROJECTS_REST, count, number=talk.projects[len(titles) - count].number)

        return Reply(whole_entries(talk.text(prompts.PROJECT_LIST), titles, rest, talk.text(prompts.PROJECT_MORE)))
    project = next((p for p in talk.projects if p.number == number), None)
    if project is None:
        return Reply(talk.text(prompts.NO_SUCH_PROJECT, number=number))
    return Reply(channel_texts.project_sms(project, talk.language, talk.profile.default_language.code))


def _project_title(talk: Conversation, project: RoadmapProject) -> str:
    """A project's title in a list, after the note where it is not written in the texter's language."""
    code = pick_language(dict(project.texts), talk.language, talk.profile.default_language.code) or talk.language
    title = sentence(str(project.texts.get(code, {}).get("title", "")))
    return channel_texts.noted(title, code, talk.language)


def topic_named(talk: Conversation, argument: str) -> str | None:
    """The topic (a field of action) the texter named, in their language or by its key."""
    wanted = fold(argument)
    for key, name in FIELD_NAMES.items():
        if wanted and wanted in {fold(key), fold(talk.text(name)), fold(talk.text(name).split()[0])}:
            return key
    return None


def subscribe_reply(talk: Conversation, argument: str) -> Reply:
    """START: all news by SMS; START and a topic: the news on that topic and the general news."""
    topics: tuple[str, ...] = ()
    if argument.strip():
        topic = topic_named(talk, argument)
        if topic is None:
            names = [talk.text(name).split()[0] for name in FIELD_NAMES.values()]
            return Reply(fit(talk.text(prompts.TOPICS, topics=", ".join(names))))
        topics = (topic,)
    if subscriptions.gets_exactly(talk.texter.status, talk.texter.topics, topics):
        return Reply(talk.text(prompts.ALREADY_SUBSCRIBED))
    if topics:
        text = talk.text(prompts.SUBSCRIBED_TOPIC, topic=talk.text(FIELD_NAMES[topics[0]]), town=talk.profile.town)
        return Reply(text, change="subscribe", topics=topics)
    return Reply(talk.text(prompts.SUBSCRIBED, town=talk.profile.town), change="subscribe")


def stop_reply(talk: Conversation, argument: str) -> Reply:
    """STOP ends the news; "Stopp bitte nicht" is no STOP: ending consent takes the word alone.
    An emoji, punctuation or the word again is no other word: "STOP 🙏" and "STOP STOP" stop."""
    if not stop_alone(talk, argument):
        return Reply(talk.text(prompts.STOP_ALONE))
    return Reply(talk.text(prompts.STOPPED), change="stop")


def stop_alone(talk: Conversation, argument: str) -> bool:
    """Whether the words after STOP say nothing but STOP (in any of the town's languages)."""
    codes = tuple(language.code for language in talk.profile.languages)
    names = [word for table in keyword_names(codes).values() for name in table["stop"] for word in name.split()]
    stops = [fold(name) for name in names]
    return all(not word or any(looks_like(word, stop) for stop in stops) for word in map(fold, argument.split()))


def language_reply(talk: Conversation, argument: str) -> Reply:
    """LANGUAGE and a language: by its code (TR), its own name (Türkçe, TURKCE, Русский), the other
    ways its catalog writes it (RUSSKIY, عربي), its name in any of the town's languages (Türkisch,
    Turkish, турецкий: the texter may write the keyword of one language and think in another), or
    the start of one of them (SPRACHE LEICHT)."""
    if chosen := language_named(talk, argument):
        text = translate(chosen.code, prompts.LANGUAGE_SET, language=chosen.name())
        return Reply(text, change="language", language=chosen.code)
    choices = talk.listed(talk.language_name(language.code) for language in talk.profile.languages)
    return Reply(talk.text(prompts.LANGUAGES, choices=choices))


def _spellings(name: str) -> set[str]:
    """A name folded as typed with its letters, and as typed without them (Türkçe: TURKCE)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return {fold(name), fold(plain)}


def language_named(talk: Conversation, argument: str) -> Language | None:
    wanted = {fold(argument), fold(argument.split(" ", 1)[0])} - {""}
    if not wanted:
        return None
    found: list[Language] = []
    readers = [talk.language, *(language.code for language in talk.profile.languages)]
    for language in talk.profile.languages:
        names = {language.code, language.code.partition("@")[0], *(language.name(reader) for reader in readers)}
        names |= set(other_names(language.code))  # RUSSKIY, عربي
        spelled = set().union(*(_spellings(name) for name in names))
        if wanted & spelled:
            return language
        if any(len(word) >= 4 and name.startswith(word) for word in wanted for name in spelled):
            found.append(language)
    return found[0] if len(found) == 1 else None


def privacy_reply(talk: Conversation, argument: str) -> Reply:
    texter = talk.texter
    if texter.status == SUBSCRIBED and texter.consent_at:
        return Reply(
            fit(
                talk.text(
                    prompts.PRIVACY_SUBSCRIBER,
                    date=talk.date(texter.consent_at),
                    language=talk.language_name(texter.language),
                    channel=talk.text(prompts.CHANNELS.get(texter.consent_channel or "sms", prompts.CHANNELS["sms"])),
                )
            )
        )
    if texter.status == UNSUBSCRIBED and texter.stopped_at:
        return Reply(talk.text(prompts.PRIVACY_STOPPED, date=talk.date(texter.stopped_at)))
    if texter.status == NOT_SUBSCRIBED:
        return Reply(talk.text(prompts.PRIVACY_LANGUAGE, language=talk.language_name(texter.language)))
    return Reply(talk.text(prompts.PRIVACY_NONE))


def thanks_reply(talk: Conversation, argument: str) -> Reply:
    return Reply(talk.text(prompts.THANKS))


HANDLERS: dict[str, Callable[[Conversation, str], Reply]] = {
    "help": help_reply,
    "news": news_reply,
    "projects": projects_reply,
    "subscribe": subscribe_reply,
    "stop": stop_reply,
    "language": language_reply,
    "privacy": privacy_reply,
    "thanks": thanks_reply,
}


def answer(talk: Conversation, command: Command) -> Reply:
    """The reply to a message, always a short friendly one; smart-encoded for sending."""
    if command.keyword is None:
        if not command.argument:
            return Reply(talk.text(prompts.EMPTY))
        if command.closest is None:
            return Reply(smart_encode(talk.text(prompts.NOT_UNDERSTOOD_NO_GUESS)))
        return Reply(smart_encode(talk.text(prompts.NOT_UNDERSTOOD, closest=command.closest)))
    reply = HANDLERS[command.keyword](talk, command.argument)
    return Reply(smart_encode(reply.text), reply.change, reply.language, reply.topics)
