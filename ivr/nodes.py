"""The menus of the hotline: main menu, news, projects, language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from content.channel_texts import spoken
from content.i18n import translate
from content.models import STATUS_NAMES
from content.profile import Language
from content.snapshot import NewsItem, RoadmapProject
from content.texts import fields_in, pick_language
from ivr import prompts
from ivr.call import Call
from ivr.menu import CALLBACK, Node, Option, goodbye, nobody_answered, present, redirect_to, repeat, said_words
from ivr.speaking import Line
from ivr.taking_part import CHOOSE_POLL, CONFIRM_VOTE, POLL, TAKE_PART
from telephony.calls import PutThrough
from telephony.voice import VoiceAnswer

LANGUAGE_KEY = "9"

# Main menu -----------------------------------------------------------------------------------


def other_languages(call: Call) -> list[Language]:
    return [language for language in call.profile.languages if language != call.language]


# What the main menu says, key by key (the public page shows the same sentences).
MAIN_MENU_SENTENCES = (
    ("1", prompts.FOR_NEWS),
    ("2", prompts.FOR_PROJECTS),
    ("3", prompts.FOR_TAKE_PART),
    ("4", prompts.FOR_SUBSCRIBE),
    ("0", prompts.FOR_PERSON),
    ("*", prompts.TO_REPEAT),
)


def main_menu_lines(call: Call) -> list[Line]:
    lines = [call.line(prompt) for _key, prompt in MAIN_MENU_SENTENCES]
    for language in other_languages(call):
        # Said in that language, in its voice: the caller who needs it understands it.
        lines.append(Line(language_offer(language, LANGUAGE_KEY), language))
    return lines


def language_offer(language: Language, key: str) -> str:
    return translate(language.code, prompts.FOR_LANGUAGE, language=language.name(), key=key)


def language_words(call: Call) -> list[str]:
    names = [
        name for language in other_languages(call) for name in (language.name(), language.name(call.language.code))
    ]
    return [*said_words(prompts.SAY_LANGUAGE)(call), *names]


def change_language(call: Call) -> VoiceAnswer:
    others = other_languages(call)
    if len(others) == 1:
        return switch_to(others[0])(call)
    return present(LANGUAGE, call)


def main_menu_options(call: Call) -> list[Option]:
    options = [
        Option("1", said_words(prompts.SAY_NEWS), start_news),
        Option("2", said_words(prompts.SAY_PROJECTS), start_projects),
        Option("3", said_words(prompts.SAY_TAKE_PART), lambda call: present(TAKE_PART, call)),
        Option("4", said_words(prompts.SAY_SUBSCRIBE), lambda call: present(SUBSCRIBE, call)),
    ]
    if other_languages(call):
        options.append(Option(LANGUAGE_KEY, language_words, change_language))
    return options


def repeat_main_menu(call: Call) -> VoiceAnswer:
    return repeat(MAIN, call)


MAIN = Node("main", main_menu_lines, main_menu_options, back=repeat_main_menu)


def count_new(news: Sequence[NewsItem], previous_call: datetime | None) -> int:
    """How many of the news (newest first) were published since the caller's previous call."""
    if previous_call is None:
        return 0
    return sum(1 for item in news if item.publish_at > previous_call)


def welcome(call: Call, returning: bool) -> VoiceAnswer:
    """The start of every call: greeting, news since the last call, then the main menu."""
    greeting = call.profile.greeting.get(call.language.code) or call.text(prompts.WELCOME, town=call.profile.town)
    lines = [Line(greeting, call.language)]
    if returning:
        lines.append(call.line(prompts.WELCOME_BACK))
        if call.state.new:
            lines.append(call.plural(prompts.NEW_SINCE_LAST_CALL, call.state.new))
    lines.append(call.line(prompts.SPEAK_OR_PRESS))
    return present(MAIN, call, lines)


# Language ------------------------------------------------------------------------------------


def switch_to(language: Language) -> Callable[[Call], VoiceAnswer]:
    def go(call: Call) -> VoiceAnswer:
        switched = call.but(lang="" if language == call.profile.default_language else language.code)
        return present(MAIN, switched, [switched.line(prompts.NOW_IN_LANGUAGE, language=language.name())])

    return go


def language_menu_lines(call: Call) -> list[Line]:
    return [Line(language_offer(lang, str(key)), lang) for key, lang in enumerate(call.profile.languages, 1)]


def _names_of(language: Language) -> Callable[[Call], list[str]]:
    """What a caller may say for a language: its own name, and its name in the caller's language."""
    return lambda call: [language.name(), language.name(call.language.code)]


def language_menu_options(call: Call) -> list[Option]:
    return [
        Option(str(key), _names_of(lang), switch_to(lang)) for key, lang in enumerate(call.profile.languages[:8], 1)
    ]


def back_to_main(call: Call) -> VoiceAnswer:
    return present(MAIN, call.but(repeats=0))


LANGUAGE = Node("language", language_menu_lines, language_menu_options, back=back_to_main)


# News by SMS (key 4) ------------------------------------------------------------------------


ERASE = Node(
    "erase",
    lambda call: [call.line(prompts.ERASE_CONFIRM)],
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("erase-now"))],
    back=back_to_main,
)


SUBSCRIBE = Node(
    "subscribe",
    lambda call: [
        call.line(prompts.SUBSCRIBE_EXPLAIN),
        call.line(prompts.SUBSCRIBE_CONFIRM),
        call.line(prompts.FOR_WHAT_WE_KEEP),
        call.line(prompts.FOR_ERASE),
    ],
    lambda call: [
        Option("1", said_words(prompts.SAY_YES), redirect_to("subscribe-now")),
        Option("2", said_words(prompts.SAY_WHAT_WE_KEEP), redirect_to("what-we-keep")),
        Option("3", said_words(prompts.SAY_ERASE), lambda call: present(ERASE, call)),
    ],
    back=back_to_main,
)


# Texts in the caller's language, or in another with a word of warning ------------------------


def in_language(call: Call, texts: dict[str, Any], *parts: str) -> list[Line]:
    code = pick_language(texts, call.language.code, call.profile.default_language.code)
    if code is None:
        return []
    language = call.profile.language(code)
    lines = [Line(spoken(texts[code], *parts), language)]
    if language != call.language:
        warning = call.line(prompts.ONLY_IN_LANGUAGE, language=language.name(call.language.code))
        lines.insert(0, warning)
    return lines


# News ----------------------------------------------------------------------------------------


def is_new(call: Call, position: int) -> bool:
    """New since the caller's last call: the newest items come first, so the first few."""
    return position <= call.state.new


def news_position(call: Call) -> int:
    return min(max(call.state.item, 1), len(call.content.announcements))


def news_item_lines(call: Call) -> list[Line]:
    items = call.content.announcements
    if not items:  # the last one expired while the caller listened
        return [call.line(prompts.NO_NEWS)]
    position = news_position(call)
    item = items[position - 1]
    header = prompts.NEW_NEWS_ITEM if is_new(call, position) else prompts.NEWS_ITEM
    when = call.spoken_date(item.publish_at.date())
    lines = [call.line(header, position=position, total=len(items), date=when)]
    return lines + in_language(call, item.texts, "title", "body") + news_keys(call)


def news_keys(call: Call) -> list[Line]:
    return [call.line(prompts.NEXT_NEWS), call.line(prompts.SEND_AS_SMS), call.line(prompts.REPEAT_OR_BACK)]


def start_news(call: Call) -> VoiceAnswer:
    items = call.content.announcements
    if not items:
        return present(MAIN, call, [call.line(prompts.NO_NEWS)])
    return present(NEWS, call.but(item=1), [call.plural(prompts.NEWS_COUNT, len(items))])


def next_news(call: Call) -> VoiceAnswer:
    items = call.content.announcements
    position = news_position(call)
    if position >= len(items):
        return present(MAIN, call, [call.line(prompts.LAST_NEWS)])
    lead = []
    if is_new(call, position) and not is_new(call, position + 1):
        lead.append(call.line(prompts.END_OF_NEW))
    return present(NEWS, call.but(item=position + 1), lead)


NEWS = Node(
    "news",
    news_item_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_NEXT), next_news),
        Option("2", said_words(prompts.SAY_SEND_SMS), redirect_to("send-news")),
    ],
    back=back_to_main,
    say_after_silence=news_keys,
    is_list=True,
)


# Projects ------------------------------------------------------------------------------------


def current_project(call: Call) -> RoadmapProject | None:
    projects = call.content.projects
    chosen = [project for project in projects if project.number >= call.state.item]
    return chosen[0] if chosen else (projects[-1] if projects else None)


def project_lines(call: Call) -> list[Line]:
    project = current_project(call)
    if project is None:
        return [call.line(prompts.NO_PROJECTS)]
    title = fields_in(project.texts, call.language.code, call.profile.default_language.code).get("title", "")
    lines = [call.line(prompts.PROJECT_ITEM, number=project.number, title=title)]
    lines.append(call.line(prompts.PROJECT_STATUS, status=call.text(STATUS_NAMES.get(project.status, project.status))))
    lines += in_language(call, project.texts, "summary")
    update = project.latest_update
    if update is None:
        lines.append(call.line(prompts.PROJECT_NO_NEWS))
    else:
        lines.append(call.line(prompts.PROJECT_LATEST, date=call.spoken_date(update.happened_on)))
        lines += in_language(call, update.texts, "text")
    return lines + project_keys(call)


def project_keys(call: Call) -> list[Line]:
    return [call.line(prompts.NEXT_PROJECT), call.line(prompts.SEND_AS_SMS), call.line(prompts.REPEAT_OR_BACK)]


def start_projects(call: Call) -> VoiceAnswer:
    projects = call.content.projects
    if not projects:
        return present(MAIN, call, [call.line(prompts.NO_PROJECTS)])
    first = call.but(item=projects[0].number)
    return present(PROJECTS, first, [call.plural(prompts.PROJECT_COUNT, len(projects))])


def next_project(call: Call) -> VoiceAnswer:
    project = current_project(call)
    later = [p for p in call.content.projects if project is not None and p.number > project.number]
    if not later:
        return present(MAIN, call, [call.line(prompts.LAST_PROJECT)])
    return present(PROJECTS, call.but(item=later[0].number))


PROJECTS = Node(
    "projects",
    project_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_NEXT), next_project),
        Option("2", said_words(prompts.SAY_SEND_SMS), redirect_to("send-project")),
    ],
    back=back_to_main,
    say_after_silence=project_keys,
    is_list=True,
)


# After staff were dialled --------------------------------------------------------------------


def after_dial(call: Call, ended: PutThrough | None) -> VoiceAnswer:
    """After the caller spoke to staff, say goodbye; if nobody answered, say so and offer the call back."""
    if ended is PutThrough.TALKED:
        return goodbye(call)
    return nobody_answered(call)


NODES = {
    node.name: node
    for node in (MAIN, LANGUAGE, NEWS, PROJECTS, SUBSCRIBE, ERASE, TAKE_PART, CHOOSE_POLL, POLL, CONFIRM_VOTE, CALLBACK)
}
