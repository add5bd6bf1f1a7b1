"""The phone menus for the people who need them most: erasing only after hearing what goes, key 4
speaking to the caller's situation, menus numbered without gaps, projects by their number, polls
that read naturally, references digit by digit, the demo's open poll and a short greeting for
those who called before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from content import db
from content.models import SUBSCRIBED, UNSUBSCRIBED, Submission, Subscriber, Vote
from ivr import numbers
from tests.conftest import empty_database
from tests.factories import create_poll
from tests.ivr.keys import CODES
from tests.twilio_fake import WITHHELD, Caller, Texter

LANDLINE = "+496313651234"
PURPOSE = (
    "Hier bekommen Sie Neuigkeiten per SMS oder als Anruf, "
    "und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
# The same for a landline, where only the calls are offered.
LANDLINE_PURPOSE = (
    "Hier bekommen Sie Neuigkeiten als Anruf, und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
CALLS_OFFER = "Für Neuigkeiten als Anruf drücken Sie die {}."
VISIT = (
    "Wir speichern, wann Sie zuletzt angerufen haben, unter einem Code aus Ihrer Nummer, "
    "damit wir Ihnen sagen können, was neu ist."
)
ERASE_QUESTION = "Um alles zu löschen, drücken Sie die 1. Um es zu behalten, drücken Sie die Raute-Taste."


def subscriber(session) -> Subscriber | None:
    session.expire_all()
    return session.scalar(select(Subscriber))


# Every menu but the main menu ends by naming the key for a person.
FOR_A_PERSON = "Für einen Menschen: die 0."


def sentences(caller: Caller) -> list[str]:
    return [" ".join((part.text or "").split()) for part in caller.element.iter("prosody")]


# Erasing by phone -----------------------------------------------------------------------------


def test_erasing_says_first_what_is_kept_then_asks(caller, texter, session) -> None:
    texter.send("START")
    texter.send("IDEE Ein Bücherschrank am Markt")
    caller.call().press("4").press("2")
    assert sentences(caller)[:4] == [
        "Wir speichern Ihre Nummer, weil Sie Neuigkeiten per SMS bekommen.",
        "Zu Ihrer Nummer speichern wir 1 Nachricht oder Idee.",
        VISIT,
        "Wenn Sie löschen, bleiben Ihre Nachrichten und Ideen bei der Stadt, aber ohne Ihre Nummer.",
    ]
    assert caller.heard.endswith(f"{ERASE_QUESTION} {FOR_A_PERSON}") and "gelöscht" not in caller.heard
    assert subscriber(session).status == SUBSCRIBED


@pytest.mark.parametrize("key", ["#", "2", "9", "*"])
def test_only_key_1_erases(caller, texter, session, key) -> None:
    texter.send("START")
    caller.call().press("4").press("2").press(key)
    assert "Erledigt" not in caller.heard and subscriber(session).status == SUBSCRIBED
    caller.call().press("4").press("2").press("1")
    assert caller.heard.startswith("Erledigt: Wir haben Ihre Nummer und alles, was dazu gehört, gelöscht.")
    assert subscriber(session) is None


def test_keeping_it_with_the_hash_key_says_nothing_was_erased(caller, texter, session) -> None:
    texter.send("START")
    caller.call().press("4").press("2").press("#")
    assert caller.heard.startswith("Es wurde nichts gelöscht. Für Aktuelles")
    assert subscriber(session).status == SUBSCRIBED


def test_a_first_time_caller_hears_that_the_call_is_remembered_and_can_erase_it(caller, session) -> None:
    caller.call().press("4").press("3")  # a mobile: 1 SMS, 2 what we keep, 3 erase, 4 calls
    assert sentences(caller)[0] == VISIT and caller.heard.endswith(f"{ERASE_QUESTION} {FOR_A_PERSON}")
    assert "Ideen" not in caller.heard  # no ideas of theirs to speak of
    caller.press("1")
    assert caller.heard.startswith("Erledigt:")


# Key 4 speaks to the caller's situation -------------------------------------------------------


def test_key_4_tells_a_subscriber_how_to_stop(caller, texter, session) -> None:
    texter.send("START")
    caller.call().press("4")
    assert sentences(caller)[:6] == [
        PURPOSE,
        "Sie bekommen die Neuigkeiten schon per SMS.",
        "Was wir zu Ihrer Nummer speichern, hören Sie mit der 1.",
        "Um alles zu löschen, was wir zu Ihrer Nummer speichern, drücken Sie die 2.",
        "Um sie zu beenden, drücken Sie die 3. Sie können sie auch jederzeit mit einer SMS mit dem Wort STOP beenden.",
        CALLS_OFFER.format(4),  # after the keys habits know
    ]
    caller.press("3")
    assert caller.heard.startswith("Sie bekommen keine Neuigkeiten per SMS mehr.")
    assert subscriber(session).status == UNSUBSCRIBED


def test_key_4_tells_a_landline_what_is_possible_numbered_from_1(signer, session) -> None:
    landline = Caller(signer, number=LANDLINE).call().press("4")
    assert sentences(landline)[:4] == [
        LANDLINE_PURPOSE,  # no SMS to a landline
        CALLS_OFFER.format(1),  # what a landline can have comes first
        "Was wir zu Ihrer Nummer speichern, hören Sie mit der 2.",
        "Um alles zu löschen, was wir zu Ihrer Nummer speichern, drücken Sie die 3.",
    ]
    landline.press("2")
    assert landline.heard.startswith(f"{VISIT} {CALLS_OFFER.format(1)}")


def test_key_4_tells_a_withheld_number_that_nothing_is_kept(signer, session) -> None:
    withheld = Caller(signer, number=WITHHELD).call().press("4")
    assert sentences(withheld)[:3] == [
        PURPOSE,
        "Ihre Nummer ist unterdrückt. Deshalb speichern wir nichts dazu und können Ihnen weder SMS schicken "
        "noch Sie mit Neuigkeiten anrufen. Dafür rufen Sie bitte mit sichtbarer Nummer an.",
        "Für Aktuelles aus der Stadt drücken Sie die 1.",  # and the main menu follows
    ]


# Taking part without a poll is numbered from 1 --------------------------------------------------


def test_without_a_poll_taking_part_starts_at_1_and_1_does_what_is_said(caller) -> None:
    caller.call().press("3")
    assert sentences(caller)[:2] == [
        "Für eine Nachricht an die Stadt drücken Sie die 1.",
        "Wenn die Stadt Sie zurückrufen soll, drücken Sie die 2.",
    ]
    caller.press("1")
    assert caller.element.find("Record") is not None and "bis zu zwei Minuten" in caller.heard


# Projects by their number ---------------------------------------------------------------------


@pytest.mark.parametrize("said", ["fünf", "Projekt fünf", "5", "Projekt Nummer 5"])
def test_saying_a_projects_number_opens_it(caller, said) -> None:
    caller.call().press("2").say(said)
    assert caller.heard.startswith("Projekt Nummer 5: Selbstbestimmt wohnen im Alter.")
    caller.say("eins")  # a number alone that is a key of the list still means the key: next
    assert caller.heard.startswith("Projekt Nummer 6: Bürgerkonto.")


def test_the_list_says_once_how_to_jump_to_a_number(caller) -> None:
    jump = "Um direkt zu einem Projekt zu gehen, sagen Sie seine Nummer, oder drücken Sie die 3 und tippen Sie sie ein."
    caller.call().press("2")
    assert jump in caller.heard
    caller.press("1")
    assert jump not in caller.heard


def test_typing_a_number_and_the_hash_key_jumps_to_that_project(caller) -> None:
    caller.call().press("2").press("3")
    assert caller.heard.startswith("Bitte tippen Sie die Nummer des Projekts ein und dann die Raute-Taste.")
    assert caller.gather.get("finishOnKey") == "#" and caller.gather.get("numDigits") is None
    caller.press("8")  # Twilio sends the keys before the hash key
    assert caller.heard.startswith("Projekt Nummer 8: Büro der Zukunft im Rathaus.")


@pytest.mark.parametrize(("typed", "said"), [("42", None), (None, "Projekt zwölf")])
def test_a_number_that_is_no_project_is_named_with_the_numbers_there_are(caller, typed, said) -> None:
    caller.call().press("2").press("3")
    caller.press(typed) if typed else caller.say(said)
    number = typed or "12"
    assert caller.heard.startswith(
        f"Ein Projekt mit der Nummer {number} gibt es nicht. Die Projekte haben die Nummern 1 bis 9."
    )
    caller.press("9")
    assert caller.heard.startswith("Projekt Nummer 9: Schnelles Internet für alle.")


def test_number_words_come_from_the_catalog_and_digits_work_as_well() -> None:
    names = numbers.names_of_numbers(lambda message: {"twelve": "zwölf", "five": "fünf"}.get(message, message))
    assert numbers.number_said("Projekt Zwölf", names) == 12
    assert numbers.number_said("ich möchte Nummer 17", names) == 17
    assert numbers.number_said("fünf bitte", names) == 5
    assert numbers.number_said("weiter", names) is None
    assert [numbers.number_typed(keys) for keys in ("12", "12#", "1*", "", "123456")] == [12, 12, None, None, None]


# Polls read naturally ---------------------------------------------------------------------------


def test_poll_answers_are_numbered_and_hash_goes_where_it_says(session, clock, caller) -> None:
    create_poll(session, clock())
    caller.call().press("3").press("1")
    assert sentences(caller)[:6] == [
        "Die Stadt fragt: Wo soll die nächste Ladesäule stehen?",
        "Antwort 1: Am Rathaus.",
        "Antwort 2: Am Bahnhof.",
        "Antwort 3: Am Betzenberg.",
        "Drücken Sie die Nummer Ihrer Antwort.",
        "Sie können bis zum 8. Dezember abstimmen.",
    ]
    assert "Hauptmenü" not in caller.heard
    assert caller.heard.endswith(f"Zurück geht es mit der Raute-Taste. {FOR_A_PERSON}")
    caller.press("#")
    assert caller.heard.startswith("Für die Abstimmung der Stadt drücken Sie die 1.")


# References ---------------------------------------------------------------------------------------


def test_a_voice_message_gets_a_four_digit_reference_said_digit_by_digit_twice(session, caller) -> None:
    caller.call().press("3").press("1").record(12)
    message = session.scalar(select(Submission))
    spoken = " ".join(message.reference)
    assert len(message.reference) == 4 and spoken.startswith("0 0")
    assert caller.heard.startswith(
        f"Vielen Dank für Ihre Nachricht. Ihre Nachricht hat die Vorgangsnummer {spoken}. Noch einmal: {spoken}."
    )
    assert "Ihre Nummer ist" not in caller.heard


# The demo's open poll -------------------------------------------------------------------------------


def test_the_demo_has_an_open_poll_to_vote_in_by_phone_and_sms(app, clock, signer) -> None:
    empty_database(app.extensions["content.engine"])
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    clock.now += timedelta(days=300)  # a demo left running keeps its poll
    caller = Caller(signer).call().press("3")
    assert caller.heard.startswith("Für die Abstimmung der Stadt drücken Sie die 1.")
    caller.press("1")
    assert caller.heard.startswith("Die Stadt fragt: Wo soll das nächste freie WLAN der Stadt entstehen?")
    caller.press("2").press("1")
    assert caller.heard.startswith("Vielen Dank. Ihre Stimme zählt: Im Volkspark.")
    texter = Texter(signer, number="+4915199999999")
    assert texter.send("ABSTIMMEN 3").startswith("Danke! Ihre Stimme: In der Stadtbibliothek.")
    with app.app_context():
        assert (
            len(db.session().scalars(select(Vote).where(Vote.voter.is_not(None))).all()) == 2
        )  # the demo's are anonymous


# A shorter greeting for those who called before ---------------------------------------------------


def test_a_returning_caller_hears_what_is_new_in_the_second_sentence(caller, session, clock) -> None:
    from tests.factories import create_announcement

    caller.call()
    first_time = sentences(caller)
    assert first_time[0].startswith("Herzlich willkommen") and "Schön, dass" not in caller.heard
    clock.now += timedelta(days=2)
    create_announcement(session, clock())
    clock.now += timedelta(hours=1)
    returning = sentences(caller.call())
    assert returning[:2] == [
        "Schön, dass Sie wieder anrufen.",
        "Seit Ihrem letzten Anruf gibt es 1 neue Meldung. Drücken Sie die 1, um sie zu hören.",
    ]
    assert "Sie können auch einfach sagen, was Sie möchten." not in returning
    # A first-time caller hears the keys right after the greeting and the other languages' offers
    # (in brief, one sentence each); how to use them comes after them.
    assert "English: 9." in first_time[1 : len(CODES)]
    assert first_time.index("Für Aktuelles aus der Stadt drücken Sie die 1.") == len(CODES)


def test_the_greeting_says_once_how_to_make_speech_slower(caller) -> None:
    slower = "Wenn Ihnen das zu schnell ist, sagen Sie „langsamer“."
    assert sentences(caller.call()).count(slower) == 1
    caller.press("1")
    assert slower not in caller.heard


@pytest.mark.parametrize(
    "words",
    [
        "Nein, damit bin ich nicht einverstanden",
        "Das ist nicht richtig",
        "Genau das will ich nicht",
        "Ich weiß nicht, okay?",
        "nein ja",
        "nicht die 1",
    ],
)
def test_words_that_say_no_never_erase_and_are_asked_again(caller, texter, session, words) -> None:
    texter.send("START")
    caller.call().press("4").press("2")
    caller.say(words)
    assert caller.heard.startswith("Das habe ich leider nicht verstanden.") and "Erledigt" not in caller.heard
    assert subscriber(session).status == SUBSCRIBED


@pytest.mark.parametrize("words", ["Nein, nicht beenden", "Ich will das nicht beenden"])
def test_words_that_say_no_never_stop_the_news(caller, texter, session, words) -> None:
    texter.send("START")
    caller.call().press("4")
    caller.say(words)
    assert caller.heard.startswith("Das habe ich leider nicht verstanden.")
    assert subscriber(session).status == SUBSCRIBED


def test_a_voice_message_is_explained_first_and_the_tone_follows_the_request_to_speak(caller) -> None:
    caller.call().press("3").press("1")  # no poll open: 1 is the voice message
    assert caller.heard.startswith("Ihre Nachricht hören nur Mitarbeitende der Stadt")
    assert caller.heard.endswith("Bitte sprechen Sie nach dem Ton.")
