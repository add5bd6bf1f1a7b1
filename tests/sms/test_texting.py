"""Texting the city's number as a citizen does: every keyword, both languages, odd input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from content.models import SUBSCRIBED, UNSUBSCRIBED, InboundMessage, Subscriber
from content.sms_text import count
from tests.twilio_fake import BASE_URL, CALLER_NUMBER, Texter, twilio_signature


def short_gsm7(reply: str) -> bool:
    counted = count(reply)
    return counted.encoding == "GSM-7" and counted.segments <= 2 and reply == reply.strip() != ""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("HILFE", "Schreiben Sie: NEU für Aktuelles"),
        ("help", "Send: NEWS for the latest"),
        ("Info", "Bürgertelefon Kaiserslautern"),
        ("NEU", "Aktuelles aus Kaiserslautern: 1) Das Bürgertelefon ist da."),
        ("news", "News from Kaiserslautern: 1) The citizens' line is here."),
        ("NEU 2", "Digital-Sprechstunde im Rathaus. Jeden ersten Mittwoch"),
        ("news 2", "Digital help desk at the town hall."),
        ("PROJEKTE", "Digitale Projekte: 1) Autonomes Fahren und E-Mobilität."),
        ("projects", "Digital projects: 1) Self-driving buses and e-mobility."),
        ("PROJEKT 3", "Projekt 3: Handel in der Innenstadt. Stand: in Arbeit. Neuester Stand"),
        ("project 9", "Project 9: Fast internet for everyone. Status: in progress."),
        ("Projekt3", "Projekt 3: Handel"),
        ("PROJEKT 42", "Ein Projekt 42 gibt es nicht."),
        ("NEU 9", "Eine Meldung 9 gibt es nicht."),
        ("DATEN", "Zu Ihrer Nummer speichern wir nichts."),
        ("privacy", "We keep nothing about your number."),
        ("Hallo", "Das habe ich leider nicht verstanden. Meinten Sie"),
        ("Projektr", "Digitale Projekte:"),
    ],
)
def test_every_keyword_gets_a_short_answer_in_the_language_it_was_asked_in(texter, body, expected) -> None:
    reply = texter.send(body)
    assert expected in reply
    assert short_gsm7(reply), (reply, count(reply))


def test_start_subscribes_with_a_consent_record_and_says_how_to_stop(texter, session, clock) -> None:
    reply = texter.send("START")
    assert reply == "Sie bekommen jetzt die Neuigkeiten aus Kaiserslautern per SMS. Beenden jederzeit mit STOP."
    subscriber = session.scalar(select(Subscriber))
    assert (subscriber.number, subscriber.status, subscriber.language) == (CALLER_NUMBER, SUBSCRIBED, "de")
    assert subscriber.consent_at == clock() and subscriber.consent_channel == "sms"
    assert subscriber.consent_wording == reply
    assert "schon" in texter.send("start")
    assert "seit" in texter.send("DATEN")


@pytest.mark.parametrize("word", ["STOP", "stopp", "Abmelden", "UNSUBSCRIBE", "cancel"])
def test_stop_always_works(texter, session, word) -> None:
    texter.send("START")
    reply = texter.send(word)
    assert "START" in reply
    assert session.scalar(select(Subscriber)).status == UNSUBSCRIBED


def test_a_stop_the_provider_already_handled_is_recorded_silently(texter, session) -> None:
    texter.send("START")
    assert texter.send("Bitte keine SMS mehr", OptOutType="STOP") == ""
    assert session.scalar(select(Subscriber)).status == UNSUBSCRIBED


def test_the_chosen_language_is_kept_for_later_replies(texter, session) -> None:
    assert texter.send("SPRACHE EN") == "Your language is now English."
    assert texter.send("NEU").startswith("News from Kaiserslautern")
    assert texter.send("language deutsch") == "Ihre Sprache ist jetzt Deutsch."
    assert texter.send("SPRACHE klingonisch") == (
        "Sprachen: Deutsch, Leichte Sprache, Englisch, Türkisch, Russisch, Ukrainisch, Arabisch und Polnisch. "
        "Beispiel: SPRACHE EN"
    )
    assert session.scalar(select(Subscriber)).language == "de"
    assert texter.send("DATEN") == "Wir speichern Ihre Nummer nur, um Ihre Antwortsprache (Deutsch) zu kennen."
    texter.send("LANGUAGE EN")
    assert texter.send("LANGUAGE") == (
        "Languages: German, Leichte Sprache, English, Turkish, Russian, Ukrainian, Arabic, and Polish. "
        "Example: LANGUAGE EN"
    )


def test_a_retried_message_gets_the_same_answer_and_changes_nothing(texter, session) -> None:
    first = texter.send("START", sid="SM" + "a" * 32)
    texter.send("STOP")
    again = texter.send("START", sid="SM" + "a" * 32)
    assert again == first
    assert session.scalar(select(Subscriber)).status == UNSUBSCRIBED
    assert session.scalar(select(func.count()).select_from(InboundMessage)) == 2


def test_an_unsigned_sms_is_refused_and_nothing_is_stored(client, session) -> None:
    params = {"From": CALLER_NUMBER, "Body": "START", "MessageSid": "SM1"}
    forged = twilio_signature("wrong", BASE_URL + "/sms", params)
    assert client.post("/sms", data=params, headers={"X-Twilio-Signature": forged}).status_code == 403
    assert client.post("/sms/fallback", data=params).status_code == 403
    assert session.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_the_sms_fallback_answers_without_a_database(signer) -> None:
    response = signer.post(BASE_URL + "/sms/fallback", {"Body": "NEU"})
    assert response.status_code == 200 and b"technisches Problem" in response.data


@pytest.mark.parametrize(
    "body",
    [
        "",
        " ",
        "x" * 1600,
        "🙂🙂🙂",
        "\x00\x01\x02STOP",
        "\u202e\u200f",
        "你好",
        "'; DROP TABLE subscriber; --",
        "<Message>hi</Message>",
        "NEU " + "9" * 50,
    ],
)
def test_odd_messages_get_a_clear_short_reply(texter, body) -> None:
    reply = texter.send(body)
    assert short_gsm7(reply), reply
    assert "DROP" not in reply and "<Message>" not in reply


@pytest.mark.parametrize(
    ("body", "start"), [("Привет", "Извините"), ("مرحبا", "عذراً"), ("Merhaba, nasılsınız", "Üzgünüz")]
)
def test_a_greeting_in_another_script_gets_a_short_reply_in_its_language(texter, body, start) -> None:
    reply = texter.send(body)
    assert reply.startswith(start) and count(reply).segments == 1, reply


def test_a_message_without_a_sender_number_is_answered_and_changes_nothing(signer, session) -> None:
    response = signer.post(BASE_URL + "/sms", {"MessageSid": "SM9", "Body": "START", "From": "KL-Stadt"})
    assert response.status_code == 200
    assert session.scalar(select(func.count()).select_from(Subscriber)) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=400))
def test_any_text_gets_a_reply_that_fits(signer, body) -> None:
    reply = Texter(signer, number="+4915199999999").send(body)
    assert short_gsm7(reply) or reply == ""


def test_start_with_a_topic_subscribes_to_that_topic_and_the_general_news(texter, session) -> None:
    from content.models import Subscriber

    assert texter.send("START Mobilität").startswith(
        "Sie bekommen jetzt die Neuigkeiten aus Kaiserslautern zum Thema Mobilität"
    )
    assert session.scalar(select(Subscriber)).topics == ["mobility"]
    assert texter.send("start mobilitaet") == "Sie bekommen die Neuigkeiten schon per SMS. Beenden mit STOP."
    listing = texter.send("START Kartoffeln")
    assert listing.startswith("Themen: Verwaltung, Bildung") and "START MOBILITÄT" in listing
    texter.send("START")
    session.expire_all()
    assert session.scalar(select(Subscriber)).topics == []  # START alone: all news again


def test_start_from_a_number_that_cannot_be_read_says_so_and_keeps_nothing(signer, session) -> None:
    reply = Texter(signer, number="+4900000000").send("START")
    assert reply == "Das geht leider nur mit sichtbarer Telefonnummer."
    assert session.scalar(select(Subscriber)) is None


def test_a_start_the_provider_answered_keeps_the_texters_word_as_consent(texter, session) -> None:
    assert texter.send("START", OptOutType="START") == ""
    subscriber = session.scalar(select(Subscriber))
    assert subscriber.consent_wording == "START (confirmed by the telephone provider's own reply)"
