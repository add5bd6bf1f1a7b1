"""The menus of the hotline: main menu, news, projects, news by SMS or by call and your data (languages:
ivr.languages; choosing news calls: ivr.call_choices)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from babel.lists import format_list

from content.channel_texts import news_for, reading, spoken, written
from content.models import IN_DEFAULT_WITH_NOTE, STATUS_NAMES
from content.snapshot import NewsItem, RoadmapProject
from ivr import call_choices, numbers, prompts
from ivr.call import Call, Heard
from ivr.languages import LANGUAGE, key_nine_lines, language_options, start_offers
from ivr.menu import (
    CALLBACK,
    Node,
    Option,
    goodbye,
    nobody_answered,
    present,
    redirect_to,
    repeat,
    respond,
    said_words,
)
from ivr.speaking import Line
from ivr.taking_part import CHOOSE_POLL, CONFIRM_VOTE, POLL, TAKE_PART, Offer, offer_lines, offer_options
from telephony.calls import PutThrough
from telephony.voice import VoiceAnswer

# What the main menu says, key by key (the public page shows the same sentences).
MAIN_MENU_SENTENCES = (
    ("1", prompts.FOR_NEWS),
    ("2", prompts.FOR_PROJECTS),
    ("3", prompts.FOR_TAKE_PART),
    ("4", prompts.FOR_SUBSCRIBE),
    ("0", prompts.FOR_PERSON),
    ("*", prompts.TO_REPEAT),
)


def main_menu_lines(call: Call, hints: Sequence[str] = (), *, key_nine: bool = True) -> list[Line]:
    """The keys, then (at the start of a call) hints on how to use them, then repeat and language."""
    *keys, (_star, to_repeat) = MAIN_MENU_SENTENCES
    lines = [call.line(prompt) for _key, prompt in keys]
    lines += [call.line(hint) for hint in hints] + [call.line(to_repeat)]
    return lines + (key_nine_lines(call) if key_nine else [])


def main_menu_options(call: Call) -> list[Option]:
    options = [
        Option("1", said_words(prompts.SAY_NEWS), start_news),
        Option("2", said_words(prompts.SAY_PROJECTS), start_projects),
        Option("3", said_words(prompts.SAY_TAKE_PART), lambda call: present(TAKE_PART, call)),
        Option("4", said_words(prompts.SAY_SUBSCRIBE), redirect_to("sms-and-data")),
    ]
    if len(call.profile.languages) > 1:
        options += language_options(call)
    return options


def repeat_main_menu(call: Call) -> VoiceAnswer:
    return repeat(MAIN, call)


MAIN = Node("main", main_menu_lines, main_menu_options, back=repeat_main_menu)


def count_new(news: Sequence[NewsItem], previous_call: datetime | None) -> int:
    """How many of the news (newest first) were published since the caller's previous call."""
    if previous_call is None:
        return 0
    return sum(1 for item in news if item.publish_at > previous_call)


def welcome(call: Call, returning: bool, settled: bool) -> VoiceAnswer:
    """The start of every call: greeting, then the main menu, the most useful first.

    Somebody who called before knows the service: a short welcome, and what is new comes first.
    A first-time caller hears the keys first; how to speak and how to slow down follow them.
    A caller whose language is not settled yet (a first call, nothing chosen before) hears every
    other language offered right after the greeting, each in its own voice; the others, whose call
    starts in the language they chose, hear only how key 9 changes it, after the keys.
    """
    if returning:
        lead = [call.line(prompts.WELCOME_BACK)]
        if call.state.new:
            lead.append(call.plural(prompts.NEW_SINCE_LAST_CALL, call.state.new))
        hints = [prompts.HOW_TO_SLOW_DOWN]
    else:
        greeting = call.profile.greeting.get(call.language.code) or call.text(prompts.WELCOME, town=call.profile.town)
        lead = [Line(greeting, call.language)]
        hints = [prompts.SPEAK_OR_PRESS, prompts.HOW_TO_SLOW_DOWN]

    def say(call: Call) -> list[Line]:
        if settled:
            return main_menu_lines(call, hints)
        return start_offers(call) + main_menu_lines(call, hints, key_nine=False)

    # The main menu itself (its address, keys and words), said with the hints of a call's start.
    return present(replace(MAIN, say=say), call, lead)


def back_to_main(call: Call) -> VoiceAnswer:
    return present(MAIN, call.but(repeats=0))


# News by SMS or by call, and your data (key 4) ----------------------------------------------------
# One menu per situation (the actions know the caller's number and choose): a mobile that does
# not get the news yet, a mobile that does, a landline, a number called with the news already, a
# number we can neither text nor call; a withheld number hears why nothing is possible and goes
# back to the main menu. Stopping never comes first: keys pressed from habit must not end anybody's news.


# Asked only after the caller heard what is kept (actions.ask_to_erase).
ERASE = Node(
    "erase",
    lambda call: [call.line(prompts.ERASE_CONFIRM)],
    lambda call: [Option("1", said_words(prompts.SAY_YES), redirect_to("erase-now"))],
    back=lambda call: present(MAIN, call.but(repeats=0), [call.line(prompts.NOTHING_ERASED)]),
)

YOUR_DATA = [
    Offer(prompts.FOR_WHAT_WE_KEEP, prompts.SAY_WHAT_WE_KEEP, redirect_to("what-we-keep")),
    Offer(prompts.FOR_ERASE, prompts.SAY_ERASE, redirect_to("erase-ask")),
]
CALLS_OFFER = Offer(prompts.FOR_CALLS, prompts.SAY_CALLS, call_choices.start_choosing)
# A mobile's keys stay where they were, so that habits still work (4 then 1 subscribes to the SMS,
# 4 then 3 stops them); the calls come after them. A landline's first option is the calls.
SUBSCRIBE_OFFERS = [*YOUR_DATA, CALLS_OFFER]
SUBSCRIBED_OFFERS = [
    *YOUR_DATA,
    Offer(prompts.FOR_STOP_SMS, prompts.SAY_STOP_SMS, redirect_to("stop-now")),
    CALLS_OFFER,
]
LANDLINE_OFFERS = [CALLS_OFFER, *YOUR_DATA]
CALLED_OFFERS = [
    Offer(prompts.FOR_CHANGE_CALLS, prompts.SAY_CHANGE, call_choices.start_choosing),
    Offer(prompts.FOR_MACHINE, prompts.SAY_MACHINE, redirect_to("calls-machine")),
    *YOUR_DATA,
    Offer(prompts.FOR_STOP_CALLS, prompts.SAY_STOP_CALLS, lambda call: present(call_choices.STOP_CALLS, call)),
]


def offering(name: str, offers: list[Offer]) -> Node:
    """A menu of key 4 that offers these, numbered from 1, then says how to go back."""
    return Node(
        name,
        lambda call: [*offer_lines(call, offers), call.line(prompts.BACK_TO_MAIN)],
        lambda call: offer_options(offers),
        back=back_to_main,
    )


def subscribing(name: str, offers: list[Offer], *after: str) -> Node:
    """Key 4 for a mobile without the SMS: 1 subscribes to them, then the offers from 2 on, then
    the sentences after (the SMS are explained first: a note before would confuse their "then")."""
    return Node(
        name,
        lambda call: [
            call.line(prompts.SUBSCRIBE_EXPLAIN),
            call.line(prompts.SUBSCRIBE_CONFIRM),
            *offer_lines(call, offers, first=2),
            *(call.line(message) for message in after),
        ],
        lambda call: [
            Option("1", said_words(prompts.SAY_YES), redirect_to("subscribe-now")),
            *offer_options(offers, first=2),
        ],
        back=back_to_main,
    )


SUBSCRIBE = subscribing("subscribe", SUBSCRIBE_OFFERS)
GETS_SMS = offering("sms-subscribed", SUBSCRIBED_OFFERS)
LANDLINE = offering("landline", LANDLINE_OFFERS)
GETS_CALLS = offering("calls-subscribed", CALLED_OFFERS)
DATA_ONLY = offering("your-data", YOUR_DATA)
# For a mobile the city cannot call with the news (content.phone.can_be_called): the same keys,
# without the calls (they come last).
SUBSCRIBE_NOT_CALLED = subscribing(
    "subscribe-sms", [each for each in SUBSCRIBE_OFFERS if each is not CALLS_OFFER], prompts.CANNOT_CALL
)
GETS_SMS_NOT_CALLED = offering("sms-subscribed-only", [each for each in SUBSCRIBED_OFFERS if each is not CALLS_OFFER])


# Texts in the caller's language, or in another with a word of warning ------------------------


def in_language(call: Call, texts: dict[str, Any], *parts: str, rule: str = IN_DEFAULT_WITH_NOTE) -> list[Line]:
    found = reading(texts, rule, call.language.code, call.profile.default_language.code)
    if found is None:
        return []
    language = call.profile.language(found.language)
    lines = [Line(spoken(found.fields, *parts), language)]
    if found.noted:
        warning = call.line(prompts.ONLY_IN_LANGUAGE, language=language.name(call.language.code))
        lines.insert(0, warning)
    return lines


# News ----------------------------------------------------------------------------------------


def is_new(call: Call, position: int) -> bool:
    """New since the caller's last call: the newest items come first, so the first few."""
    return position <= call.state.new


def heard_news(call: Call) -> tuple[NewsItem, ...]:
    """The news this caller hears: without those whose rule skips the caller's language; on a news
    call only those it was placed for (and still public)."""
    news = news_for(call.content.announcements, call.language.code, call.profile.default_language.code)
    if call.state.news:
        wanted = set(call.state.news_ids)
        news = tuple(item for item in news if item.id in wanted)
    return news


def news_position(call: Call) -> int:
    return min(max(call.state.item, 1), len(heard_news(call)))


def news_item_lines(call: Call) -> list[Line]:
    items = heard_news(call)
    if not items:  # the last one expired while the caller listened
        return [call.line(prompts.NO_NEWS)]
    position = news_position(call)
    item = items[position - 1]
    header = prompts.NEW_NEWS_ITEM if is_new(call, position) else prompts.NEWS_ITEM
    when = call.spoken_date(item.publish_at.date())
    lines = [call.line(header, position=position, total=len(items), date=when)]
    return lines + in_language(call, item.texts, "title", "body", rule=item.untranslated) + news_keys(call)


def news_keys(call: Call) -> list[Line]:
    return [call.line(prompts.NEXT_NEWS), call.line(prompts.SEND_AS_SMS), call.line(prompts.REPEAT_OR_BACK)]


def start_news(call: Call) -> VoiceAnswer:
    items = heard_news(call)
    if not items:
        return present(MAIN, call, [call.line(prompts.NO_NEWS)])
    return present(NEWS, call.but(item=1), [call.plural(prompts.NEWS_COUNT, len(items))])


def next_news(call: Call) -> VoiceAnswer:
    items = heard_news(call)
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
    """The project's number, title, status and summary, then its latest news, then the keys.

    A project without a text in the caller's language: its number and status in theirs, then the
    note that it exists only in the default language, and its title and summary in that one.
    """
    project = current_project(call)
    if project is None:
        return [call.line(prompts.NO_PROJECTS)]
    status = call.line(prompts.PROJECT_STATUS, status=call.text(STATUS_NAMES.get(project.status, project.status)))
    if written(project.texts, call.language.code):
        title = project.texts[call.language.code].get("title", "")
        lines = [call.line(prompts.PROJECT_ITEM, number=project.number, title=title), status]
        lines += in_language(call, project.texts, "summary")
    else:
        lines = [call.line(prompts.PROJECT_NUMBER, number=project.number), status]
        lines += in_language(call, project.texts, "title", "summary")
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
    lead = [call.plural(prompts.PROJECT_COUNT, len(projects))]
    if len(projects) > 1:
        lead.append(call.line(prompts.FOR_PROJECT_NUMBER, key=NUMBER_KEY))
    return present(PROJECTS, first, lead)


def next_project(call: Call) -> VoiceAnswer:
    project = current_project(call)
    later = [p for p in call.content.projects if project is not None and p.number > project.number]
    if not later:
        return present(MAIN, call, [call.line(prompts.LAST_PROJECT)])
    return present(PROJECTS, call.but(item=later[0].number))


NUMBER_KEY = "3"  # in the projects list: go to a project by its number


def ask_project_number(call: Call) -> VoiceAnswer:
    return present(PROJECT_NUMBER, call)


PROJECTS = Node(
    "projects",
    project_lines,
    lambda call: [
        Option("1", said_words(prompts.SAY_NEXT), next_project),
        Option("2", said_words(prompts.SAY_SEND_SMS), redirect_to("send-project")),
        Option(NUMBER_KEY, said_words(prompts.SAY_PROJECT_NUMBER), ask_project_number),
    ],
    back=back_to_main,
    say_after_silence=project_keys,
    is_list=True,
)

# Projects by the number printed on the flyer: typed (several keys, then the hash key) or said.
PROJECT_NUMBER = Node(
    "project-number",
    lambda call: [call.line(prompts.TYPE_PROJECT_NUMBER)],
    lambda call: [],
    back=lambda call: present(PROJECTS, call),
    is_list=True,  # it keeps the caller's place in the list, for the hash key
    typed_number=True,
)


def project_numbers(call: Call) -> str:
    """The projects' numbers as said: "1 bis 9", or "1, 2, 5 und 7" when some are missing."""
    numbers = [project.number for project in call.content.projects]
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return call.text(prompts.NUMBERS_FROM_TO, first=numbers[0], last=numbers[-1])
    return format_list([str(number) for number in numbers], locale=call.language.code)


def open_project(call: Call, number: int) -> VoiceAnswer:
    """The project with that number, or what the numbers are."""
    if any(project.number == number for project in call.content.projects):
        return present(PROJECTS, call.but(item=number, repeats=0, silences=0))
    if not call.content.projects:
        return present(MAIN, call, [call.line(prompts.NO_PROJECTS)])
    missing = call.line(prompts.NO_SUCH_PROJECT, number=number, numbers=project_numbers(call))
    return present(PROJECT_NUMBER, call.but(repeats=0, silences=0), [missing])


def number_heard(call: Call, node: Node, heard: Heard) -> int | None:
    """A project number the caller typed (where a number is asked for) or said.

    In the list a number said alone that is one of its keys ("eins") means the key.
    """
    if heard.key:
        return numbers.number_typed(heard.key) if node.typed_number and heard.key.strip() != "0" else None
    speech = heard.speech or ""
    names = numbers.names_of_numbers(call.text)
    number = numbers.number_said(speech, names)
    if number is None or node.typed_number:
        return number
    keys = {option.key for option in node.options(call)} - {NUMBER_KEY}
    return None if numbers.only_a_number(speech, names) and str(number) in keys else number


def respond_with_numbers(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer at the projects list or the number prompt: a number opens its project."""
    number = number_heard(call, node, heard)
    return respond(node, call, heard) if number is None else open_project(call, number)


# After staff were dialled --------------------------------------------------------------------


def after_dial(call: Call, ended: PutThrough | None) -> VoiceAnswer:
    """After the caller spoke to staff, say goodbye; if nobody answered, say so and offer the call back."""
    if ended is PutThrough.TALKED:
        return goodbye(call)
    return nobody_answered(call)


NODES = {
    node.name: node
    for node in (
        *(MAIN, LANGUAGE, NEWS, PROJECTS, PROJECT_NUMBER),
        *(SUBSCRIBE, GETS_SMS, LANDLINE, GETS_CALLS, DATA_ONLY, ERASE),
        *(SUBSCRIBE_NOT_CALLED, GETS_SMS_NOT_CALLED),
        *call_choices.NODES.values(),
        *(TAKE_PART, CHOOSE_POLL, POLL, CONFIRM_VOTE, CALLBACK),
    )
}

# Menus that understand a number as well as their keys; the others answer through the engine.
ANSWERS = {PROJECTS.name: respond_with_numbers, PROJECT_NUMBER.name: respond_with_numbers}


def answer(node: Node, call: Call, heard: Heard) -> VoiceAnswer:
    """Answer what the caller did at node's prompt."""
    return ANSWERS.get(node.name, respond)(node, call, heard)
