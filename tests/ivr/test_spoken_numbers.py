"""Project numbers said in the caller's language: names of two words (Turkish and Arabic 11 to 19)
and words that an apostrophe splits (Ukrainian п'ять, дев'ять) mean the whole number."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest

from content import demo, queries
from content.i18n import translate
from content.snapshot import current
from ivr import numbers, prompts
from tests.twilio_fake import BASE_URL, Caller

# What a catalog might say for each number (the test's own, so that it holds whatever translators change).
NAMES = {
    "three": "ثلاثة, üç",
    "five": "п'ять",
    "nine": "дев'ять",
    "ten": "on",
    "eleven": "on bir",
    "thirteen": "ثلاثة عشر, ثلاث عشرة",
    "fifteen": "п'ятнадцять",
}


@pytest.fixture
def names() -> dict[int, list[str]]:
    return numbers.names_of_numbers(lambda message: NAMES.get(message, message))


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("проєкт п'ять", 5),
        ("проєкт пʼять", 5),  # the apostrophe as a letter (U+02BC)
        ("проєкт п’ять", 5),
        ("дев'ять", 9),
        ("п'ятнадцять", 15),
        ("proje on bir", 11),
        ("proje on", 10),
        ("المشروع ثلاثة عشر", 13),
        ("ثلاث عشرة من فضلك", 13),
        ("ثلاثة", 3),
        ("مشروع ٥", 5),  # Arabic-Indic digits
        ("مشروع ١٣", 13),
    ],
)
def test_a_number_of_several_words_is_the_whole_number(names, said, number) -> None:
    assert numbers.number_said(said, names) == number


def test_a_number_of_several_words_said_alone_is_only_a_number(names) -> None:
    assert numbers.only_a_number("п'ять", names) and numbers.only_a_number("on bir", names)
    assert not numbers.only_a_number("proje on bir", names)
    assert numbers.number_said("12345", names) is None and not numbers.only_a_number("12345", names)


def town_of_eight(session) -> None:
    profile = current().profile
    queries.save_town_profile(session, dataclasses.replace(profile, languages=demo.LANGUAGES))
    session.commit()


def at_the_projects(signer, code: str) -> Caller:
    caller = Caller(signer)
    caller._post(f"{BASE_URL}/voice/projects?lang={code}&item=1", {})
    return caller


@pytest.mark.parametrize(("code", "said", "number"), [("uk", "проєкт п'ять", 5), ("uk", "дев’ять", 9)])
def test_a_caller_is_taken_to_the_project_they_named_in_their_language(signer, session, code, said, number) -> None:
    town_of_eight(session)
    caller = at_the_projects(signer, code).say(said)
    assert urlsplit(caller.gather.get("action")).query == f"lang={code}&item={number}"


@pytest.mark.parametrize(("code", "said", "number"), [("ar", "المشروع ثلاثة عشر", 13), ("tr", "proje on bir", 11)])
def test_a_number_of_two_words_is_not_taken_for_its_first_word(signer, session, code, said, number) -> None:
    town_of_eight(session)
    caller = at_the_projects(signer, code).say(said)
    there_are = translate(code, prompts.NUMBERS_FROM_TO, first=1, last=len(demo.PROJECTS))
    assert caller.heard.startswith(translate(code, prompts.NO_SUCH_PROJECT, number=number, numbers=there_are))
