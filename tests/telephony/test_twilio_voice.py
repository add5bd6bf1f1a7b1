"""Twilio's side of a call: our voice commands as the TwiML Twilio needs, and its webhook fields
read into neutral call steps, whatever arrives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask, request

from telephony import provider
from telephony.calls import CallStep, PutThrough, RecordingReport
from telephony.twilio import calls, twiml
from telephony.voice import Ask, Connect, GoTo, HangUp, Record, Say, VoiceAnswer

SENTENCES = ("Hallo.", "Für Aktuelles drücken Sie die 1.")
GERMAN = Say(SENTENCES, voice="Polly.Vicki-Neural", language="de-DE", rate="75%", pause="700ms")
SID = "RE" + "0123456789abcdef" * 2
RECORDING_URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{'f' * 32}/Recordings/{SID}"


def rendered(*commands: Say | Ask | Record | Connect | GoTo | HangUp) -> ET.Element:
    root = ET.fromstring(twiml.voice(VoiceAnswer(list(commands))))
    assert root.tag == "Response"
    return root


# Our commands as TwiML ------------------------------------------------------------------------


def test_a_say_speaks_each_sentence_at_its_rate_with_a_pause_after_it() -> None:
    say = rendered(GERMAN).find("Say")
    assert say is not None and (say.get("voice"), say.get("language")) == ("Polly.Vicki-Neural", "de-DE")
    assert [(part.tag, part.text, part.attrib) for part in say] == [
        ("prosody", "Hallo.", {"rate": "75%"}),
        ("break", None, {"time": "700ms"}),
        ("prosody", "Für Aktuelles drücken Sie die 1.", {"rate": "75%"}),
        ("break", None, {"time": "700ms"}),
    ]


def test_an_ask_waits_for_one_key_or_words_and_keeps_hash_as_a_key() -> None:
    asked = Ask("/voice/main?lang=en", (GERMAN,), language="de-DE", hints="aktuelles, zurück", timeout=8)
    gather = rendered(asked).find("Gather")
    assert gather is not None
    assert gather.attrib == {
        "input": "dtmf speech",
        "action": "/voice/main?lang=en",
        "method": "POST",
        "numDigits": "1",
        "finishOnKey": "",
        "timeout": "8",
        "speechTimeout": "auto",
        "language": "de-DE",
        "hints": "aktuelles, zurück",
    }
    assert [say.get("voice") for say in gather] == ["Polly.Vicki-Neural"]


def test_an_ask_for_a_typed_number_takes_several_keys_ended_by_hash() -> None:
    asked = Ask("/voice/project-number", (GERMAN,), language="de-DE", hints="fünf", typed_number=True)
    gather = rendered(asked).find("Gather")
    assert gather is not None and gather.get("finishOnKey") == "#" and "numDigits" not in gather.attrib


def test_an_ask_without_hints_sends_no_empty_hints() -> None:
    gather = rendered(Ask("/voice/main", (GERMAN,), language="de-DE")).find("Gather")
    assert gather is not None and "hints" not in gather.attrib


def test_a_record_is_limited_ends_on_hash_and_reports_where_the_recording_is() -> None:
    record = rendered(Record("/voice/recorded", "/voice/recording-status", longest=120, silence=10)).find("Record")
    assert record is not None
    assert record.attrib == {
        "action": "/voice/recorded",
        "method": "POST",
        "maxLength": "120",
        "finishOnKey": "#",
        "playBeep": "true",
        "timeout": "10",
        "trim": "trim-silence",
        "recordingStatusCallback": "/voice/recording-status",
        "recordingStatusCallbackMethod": "POST",
        "recordingStatusCallbackEvent": "completed",
    }


def test_connect_dials_the_number_and_reports_the_outcome_to_its_action() -> None:
    dial = rendered(Connect("+496313650", action="/voice/dialled", timeout=30)).find("Dial")
    assert dial is not None and (dial.text or "").strip() == "+496313650"
    assert dial.attrib == {"action": "/voice/dialled", "method": "POST", "timeout": "30"}


def test_the_commands_come_out_in_their_order_as_twilio_verbs() -> None:
    root = rendered(GERMAN, GoTo("/voice/main?silences=1"), HangUp())
    assert [verb.tag for verb in root] == ["Say", "Redirect", "Hangup"]
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text == "/voice/main?silences=1" and redirect.get("method") == "POST"


def test_an_sms_reply_is_one_message_and_no_text_is_no_reply() -> None:
    assert [m.text for m in ET.fromstring(twiml.sms("Danke & tschüss <3")).iter("Message")] == ["Danke & tschüss <3"]
    assert list(ET.fromstring(twiml.sms(""))) == []


def test_a_character_xml_forbids_never_reaches_the_twiml() -> None:
    """A greeting or announcement stored with a form feed, an escape or NUL still gives well-formed TwiML."""
    pasted = Say(("Grüß\x0c Gott\x1b!\x00\ufffe",), voice="Polly.Vicki-Neural", language="de-DE", rate="75%", pause="")
    asked = Ask("/voice/main", (pasted,), language="de-DE", hints="eins\x01, zwei", timeout=8)
    root = rendered(pasted, asked)
    assert [part.text for part in root.iter("prosody")] == ["Grüß Gott!", "Grüß Gott!"]
    assert root.find("Gather").get("hints") == "eins, zwei"
    assert [m.text for m in ET.fromstring(twiml.sms("Neu\x0c:\x1b Bus\x00")).iter("Message")] == ["Neu: Bus"]


def test_the_provider_face_answers_with_twiml_over_http(app: Flask) -> None:
    with app.test_request_context("/voice", method="POST"):
        response = provider.voice_answer(VoiceAnswer([GERMAN, HangUp()]))
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert [verb.tag for verb in ET.fromstring(response.get_data())] == ["Say", "Hangup"]


# Twilio's fields read as neutral call steps ---------------------------------------------------


def test_a_full_call_step_is_read_into_our_words() -> None:
    form = {
        "CallSid": "CA" + "1" * 32,
        "From": "+4915112345678",
        "Digits": "4",
        "SpeechResult": "Neuigkeiten per SMS",
        "DialCallStatus": "completed",
        "To": "+496313651000",
    }
    assert calls.call_step(form) == CallStep(
        call_id="CA" + "1" * 32,
        caller="+4915112345678",
        key="4",
        speech="Neuigkeiten per SMS",
        put_through=PutThrough.TALKED,
    )


# Twilio's markers for ANONYMOUS, RESTRICTED, UNAVAILABLE and BLOCKED, as Twilio sends them and padded.
@pytest.mark.parametrize("withheld", ["+266696687", "+7378742833", "+86282452253", "+2562533", " +266696687\n", ""])
def test_a_withheld_number_reaches_us_as_no_number(withheld: str) -> None:
    assert calls.call_step({"From": withheld}).caller is None


@pytest.mark.parametrize(
    ("status", "ended"),
    [
        ("completed", PutThrough.TALKED),
        ("answered", PutThrough.TALKED),
        ("busy", PutThrough.BUSY),
        ("no-answer", PutThrough.NO_ANSWER),
        ("failed", PutThrough.FAILED),
        ("canceled", PutThrough.FAILED),
        ("surprise", None),
        ("COMPLETED", None),
        ("", None),
    ],
)
def test_how_a_put_through_ended_is_told_in_our_words(status: str, ended: PutThrough | None) -> None:
    assert calls.call_step({"DialCallStatus": status}).put_through is ended


def test_a_missing_or_empty_form_is_a_step_where_nothing_happened() -> None:
    assert calls.call_step({}) == CallStep() == calls.call_step({"Digits": "", "SpeechResult": "", "From": ""})
    assert CallStep().key is None and CallStep().speech is None and CallStep().caller is None


def test_words_are_read_without_the_characters_xml_forbids() -> None:
    assert calls.call_step({"SpeechResult": "Neuig\x00keiten\x0c per\x1b SMS"}).speech == "Neuigkeiten per SMS"
    assert calls.call_step({"SpeechResult": "\x00\x1b"}).speech is None


def test_huge_fields_are_cut_to_size_never_refused() -> None:
    huge = {"CallSid": "C" * 10_000, "From": "+49" * 5_000, "Digits": "1" * 10_000, "SpeechResult": "x" * 100_000}
    step = calls.call_step(huge)
    assert len(step.call_id) == 64 and step.caller is None
    assert step.key == "1" * 32 and step.speech == "x" * 1000


def test_a_finished_recording_is_read_with_its_id_place_length_and_state() -> None:
    form = {
        "RecordingSid": SID,
        "RecordingUrl": RECORDING_URL,
        "RecordingDuration": "42",
        "RecordingStatus": "completed",
    }
    report = RecordingReport(recording_id=SID, url=RECORDING_URL, seconds=42, complete=True)
    assert calls.recording_report(form) == report


def test_a_recording_named_only_by_its_url_is_still_found() -> None:
    assert calls.recording_report({"RecordingUrl": RECORDING_URL + "/"}).recording_id == SID


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"RecordingSid": "RE123", "RecordingUrl": RECORDING_URL},  # a bad sid is not replaced by the URL's
        {"RecordingSid": SID + "\n"},
        {"RecordingSid": "CA" + SID[2:]},
        {"RecordingUrl": "https://example.org/../../etc/passwd"},
    ],
)
def test_a_report_without_a_proper_recording_sid_names_no_recording(form: dict[str, str]) -> None:
    assert calls.recording_report(form).recording_id is None


@pytest.mark.parametrize("url", ["http://api.twilio.com/" + SID, "file:///etc/passwd", "https://x/" + "a" * 300, ""])
def test_a_recording_kept_anywhere_but_a_short_https_address_has_no_place(url: str) -> None:
    assert calls.recording_report({"RecordingSid": SID, "RecordingUrl": url}).url == ""


@pytest.mark.parametrize(
    ("raw", "seconds"), [("0", 0), ("120", 120), ("", None), ("abc", None), ("²", None), ("-5", None), ("123456", None)]
)
def test_a_recordings_length_is_a_small_whole_number_or_unknown(raw: str, seconds: int | None) -> None:
    assert calls.recording_report({"RecordingDuration": raw}).seconds == seconds


@pytest.mark.parametrize("status", ["in-progress", "absent", "Completed", ""])
def test_only_a_completed_recording_is_complete(status: str) -> None:
    assert calls.recording_report({"RecordingSid": SID, "RecordingStatus": status}).complete is False


def test_the_provider_face_reads_the_request_of_a_webhook(app: Flask) -> None:
    form = {
        "CallSid": "CA" + "2" * 32,
        "From": "+266696687",
        "Digits": "0",
        "RecordingSid": SID,
        "RecordingDuration": "7",
    }
    with app.test_request_context("/voice/recorded", method="POST", data=form):
        step, report = provider.call_step(request), provider.recording_report(request)
    assert step == CallStep(call_id="CA" + "2" * 32, caller=None, key="0")
    assert report == RecordingReport(recording_id=SID, seconds=7)
