"""The local phone (simulator, flask call): requests signed as Twilio signs them, TwiML read back."""

from __future__ import annotations

import pytest

from telephony import provider
from telephony.local import BUSY, CallerDoes, turn
from telephony.twilio import local, twiml
from telephony.voice import Ask, Connect, GoTo, HangUp, Record, Say, VoiceAnswer
from tests.twilio_fake import BASE_URL, CALLER_NUMBER, HOTLINE_NUMBER

GERMAN = Say(("Für Aktuelles drücken Sie die 1.", "Zum Wiederholen die Stern-Taste."), "Polly.Vicki-Neural", "de-DE")
ENGLISH = Say(("For English, press 9.",), "Polly.Amy-Neural", "en-GB", rate="75%", pause="700ms")


def test_reading_twiml_gives_back_every_command_as_it_was_rendered() -> None:
    answer = VoiceAnswer(
        [
            Say(("Guten Tag.",), "Polly.Vicki-Neural", "de-DE"),
            Ask("/voice/main?lang=de", (GERMAN, ENGLISH), "de-DE", "Aktuelles, Projekte", 8),
            Record("/voice/recorded", "/voice/recording-status", 120, 10),
            Connect("+496313650", "/voice/dialled", 30),
            GoTo("/voice/main?silences=1"),
            HangUp(),
        ]
    )
    assert local.read_voice(twiml.voice(answer)) == answer


@pytest.mark.parametrize("document", ["", "not xml <", "<html><body>502 Bad Gateway</body></html>", "<Response>"])
def test_a_document_that_is_not_twiml_reads_as_hanging_up(document: str) -> None:
    assert local.read_voice(document) == VoiceAnswer([HangUp()])


def test_odd_numbers_in_twiml_read_as_the_defaults() -> None:
    read = local.read_voice('<Response><Gather action="/v" timeout="soon"/><Dial timeout="-1">0631</Dial></Response>')
    assert read == VoiceAnswer([Ask("/v", (), "", "", 5), Connect("0631", "", 30)])


def test_a_turn_says_what_is_heard_and_what_the_caller_is_asked_for() -> None:
    read = turn(VoiceAnswer([Ask("/voice/main", (GERMAN, ENGLISH), "de-DE"), GoTo("/voice/main?silences=1")]))
    assert read.said == (
        ("Für Aktuelles drücken Sie die 1. Zum Wiederholen die Stern-Taste.", "de-DE"),
        ("For English, press 9.", "en-GB"),
    )
    assert (read.waits_for, read.otherwise, read.hangs_up) == (
        Ask("/voice/main", (GERMAN, ENGLISH), "de-DE"),
        "/voice/main?silences=1",
        False,
    )


def test_the_local_phones_requests_pass_the_apps_own_signature_check(app, client) -> None:
    with app.test_request_context():
        form, headers = provider.local_call(
            BASE_URL + "/voice", CallerDoes(), call_id="CA" + "1" * 32, caller=CALLER_NUMBER, hotline=HOTLINE_NUMBER
        )
        tampered = {**form, "From": "+4915199999999"}
    assert client.post("/voice", data=form, headers=headers).status_code == 200
    assert client.post("/voice", data=tampered, headers=headers).status_code == 403


def test_a_put_through_outcome_is_sent_in_twilios_words() -> None:
    form = local.call_request(
        CallerDoes(connect_outcome=BUSY), call_id="CA1", caller=CALLER_NUMBER, hotline=HOTLINE_NUMBER
    )
    assert form["DialCallStatus"] == "busy"
    answered = local.call_request(
        CallerDoes(connect_outcome="answered", key="1"), call_id="CA1", caller=CALLER_NUMBER, hotline=HOTLINE_NUMBER
    )
    assert (answered["DialCallStatus"], answered["Digits"]) == ("completed", "1")
