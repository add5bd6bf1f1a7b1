"""Taking part by phone with keys alone: vote and change the vote, leave a voice message, ask for a
call back, hear what is kept and erase it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from content.models import CallbackRequest, Submission, Subscriber, Vote
from tests.factories import create_poll
from tests.twilio_fake import CALLER_NUMBER, Caller, Texter

WITHHELD = "+266696687"  # what Twilio sends as From when the caller withholds the number


def votes(session) -> list[Vote]:
    session.expire_all()
    return list(session.scalars(select(Vote)))


def test_a_caller_votes_with_keys_and_can_change_the_vote(session, clock, caller) -> None:
    create_poll(session, clock())
    caller.call().press("3")
    assert "Für die Abstimmung der Stadt drücken Sie die 1" in caller.heard
    caller.press("1")
    assert "Die Stadt fragt: Wo soll die nächste Ladesäule stehen?" in caller.heard
    assert "Antwort 2: Am Bahnhof." in caller.heard
    caller.press("2")
    assert caller.heard.startswith("Sie haben gewählt: Am Bahnhof. Zum Bestätigen drücken Sie die 1.")
    caller.press("1")
    assert caller.heard.startswith("Vielen Dank. Ihre Stimme zählt: Am Bahnhof.")
    caller.call().press("3").press("1")
    assert caller.heard.startswith("Sie haben gewählt: Am Bahnhof.")
    caller.press("3").press("1")
    assert caller.heard.startswith("Vielen Dank. Ihre Stimme ist jetzt: Am Betzenberg.")
    assert [(v.channel, v.option_id) for v in votes(session)] == [("phone", votes(session)[0].option_id)]
    assert len(votes(session)) == 1


def test_a_vote_counts_once_across_phone_and_sms(session, clock, caller, texter) -> None:
    poll = create_poll(session, clock())
    caller.call().press("3").press("1").press("1").press("1")
    assert texter.send("ABSTIMMEN 3") == "Ihre Stimme ist geändert: Am Betzenberg."
    counted = votes(session)
    assert len(counted) == 1 and counted[0].channel == "sms" and counted[0].option_id == poll.options[2].id
    other = Texter(texter.signer, number="+4915199999999")
    assert other.send("ABSTIMMEN 1").startswith("Danke!")
    assert len(votes(session)) == 2


def test_a_withheld_number_cannot_vote_and_is_told_why(session, clock, signer) -> None:
    create_poll(session, clock())
    anonymous = Caller(signer, number=WITHHELD).call().press("3").press("1")
    assert "Zum Abstimmen brauchen wir Ihre Telefonnummer, und sie ist unterdrückt." in anonymous.heard
    assert votes(session) == []


def test_without_a_poll_key_3_offers_only_a_message_and_a_call_back(caller) -> None:
    caller.call().press("3")
    assert "Abstimmung" not in caller.heard
    assert "Für eine Nachricht an die Stadt drücken Sie die 1." in caller.heard


def test_a_voice_message_is_explained_recorded_and_given_a_reference(session, caller) -> None:
    caller.call().press("3").press("1")
    assert (
        "bis zu zwei Minuten" in caller.heard
        and "180 Tage" in caller.heard
        and "nur Mitarbeitende der Stadt" in caller.heard
    )
    record = caller.twiml.find("Record")
    assert (record.get("maxLength"), record.get("finishOnKey"), record.get("playBeep")) == ("120", "#", "true")
    caller.record(25)
    message = session.scalar(select(Submission))
    spoken = " ".join(f"{message.id:04d}")
    assert caller.heard.startswith(f"Vielen Dank für Ihre Nachricht. Ihre Nachricht hat die Vorgangsnummer {spoken}.")
    assert (message.kind, message.number, message.recording_url) == ("voice", CALLER_NUMBER, None)
    assert caller.recording_ready(25) == 204
    session.expire_all()
    message = session.scalar(select(Submission))
    assert message.recording_url.endswith(message.recording_sid) and message.recording_seconds == 25
    assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_the_recording_report_may_come_before_the_caller_goes_on(session, caller) -> None:
    caller.call().press("3").press("1")
    assert caller.recording_ready(9) == 204
    caller.record(9)
    messages = session.scalars(select(Submission)).all()
    assert len(messages) == 1 and messages[0].number == CALLER_NUMBER and messages[0].recording_url


def test_nothing_recorded_is_said_and_nothing_is_filed(session, caller) -> None:
    caller.call().press("3").press("1").record(0)
    assert caller.heard.startswith("Ich habe keine Nachricht gehört.")
    assert session.scalar(select(Submission)) is None


def test_a_call_back_is_asked_for_with_keys(session, caller) -> None:
    caller.call().press("3").press("2")
    assert "Wir können Sie am Mittwoch, 25. November, während der Sprechzeiten zurückrufen" in caller.heard
    caller.press("1")
    assert caller.heard.startswith("Vielen Dank. Wir rufen Sie am Mittwoch, 25. November, zurück.")
    request = session.scalar(select(CallbackRequest))
    assert (request.number, request.channel) == (CALLER_NUMBER, "phone")


def test_a_caller_hears_what_is_kept_and_erases_it(session, clock, caller, texter) -> None:
    create_poll(session, clock())
    texter.send("START")
    texter.send("IDEE Ein Bücherschrank am Markt")
    caller.call().press("3").press("1").press("1").press("1")
    caller.call().press("4").press("1")  # a subscriber's key 4: 1 what we keep, 2 erase, 3 stop, 4 calls
    heard = caller.heard
    assert (
        "weil Sie Neuigkeiten per SMS bekommen" in heard
        and "Zu Ihrer Nummer speichern wir 1 Nachricht oder Idee" in heard
        and "abgestimmt" in heard
    )
    caller.call().press("4").press("2").press("1")
    assert caller.heard.startswith("Erledigt: Wir haben Ihre Nummer")
    session.expire_all()
    assert session.scalar(select(Subscriber)) is None
    assert session.scalar(select(Submission)).number is None
    assert [v.voter for v in votes(session)] == [None]
    caller.call().press("4").press("2")
    assert caller.heard.startswith("Wir speichern, wann Sie zuletzt angerufen haben,")  # and nothing else


AUDIO = b"ID3\x03\x00fake mp3 of a resident speaking"


def fetch(app) -> int:
    from content import db, privacy
    from telephony import provider
    from worker.recordings import fetch_due

    with app.app_context():
        return fetch_due(db.session(), provider.recordings(app.config), privacy.recordings_dir(), app.config["CLOCK"]())


def test_a_voice_message_moves_into_the_citys_storage_and_leaves_the_provider(
    app, session, caller, provider, tmp_path
) -> None:
    app.config["RECORDINGS_DIR"] = str(tmp_path / "voice")
    sid = "RE" + "c" * 32
    provider.holds_recording(sid, AUDIO)
    caller.call().press("3").press("1").record(30, sid=sid)
    assert caller.recording_ready(30, sid=sid) == 204
    assert fetch(app) == 1
    session.expire_all()
    message = session.scalar(select(Submission))
    stored = tmp_path / "voice" / message.recording_file
    assert stored.read_bytes() == AUDIO and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert provider.deleted == [sid] and message.recording_url is None


def test_a_failed_download_is_tried_again_and_the_message_is_kept(
    app, session, clock, caller, provider, tmp_path
) -> None:
    app.config["RECORDINGS_DIR"] = str(tmp_path / "voice")
    sid = "RE" + "d" * 32
    provider.holds_recording(sid, AUDIO)
    provider.fail(sid, 503, times=2)
    caller.call().press("3").press("1").record(5, sid=sid)
    caller.recording_ready(5, sid=sid)
    assert fetch(app) == 0
    assert fetch(app) == 0  # not due again yet: it waits before the next attempt
    clock.now += timedelta(minutes=3)
    assert fetch(app) == 0  # the second scripted failure
    clock.now += timedelta(minutes=5)
    assert fetch(app) == 1
    session.expire_all()
    message = session.scalar(select(Submission))
    assert message.fetch_attempts == 2 and (tmp_path / "voice" / message.recording_file).read_bytes() == AUDIO
    assert provider.deleted == [sid]


def test_an_erased_callers_recording_is_deleted_at_the_provider_not_fetched(
    app, session, caller, provider, tmp_path
) -> None:
    app.config["RECORDINGS_DIR"] = str(tmp_path / "voice")
    sid = "RE" + "e" * 32
    provider.holds_recording(sid, AUDIO)
    caller.call().press("3").press("1").record(5, sid=sid)
    caller.recording_ready(5, sid=sid)
    caller.call().press("4").press("3").press("1")
    assert fetch(app) == 1
    assert provider.deleted == [sid] and not any((tmp_path / "voice").iterdir())


def test_recording_reports_from_elsewhere_are_refused(client, session) -> None:
    response = client.post(
        "/voice/recording-status", data={"RecordingSid": "RE" + "f" * 32, "RecordingStatus": "completed"}
    )
    assert response.status_code == 403
    assert session.scalar(select(Submission)) is None


def test_with_two_polls_open_the_caller_chooses_the_question_first(session, clock, caller) -> None:
    create_poll(session, clock(), opened_days_ago=3)
    create_poll(session, clock(), question="Soll der Wochenmarkt auch samstags sein?", options=("Ja", "Nein"))
    caller.call().press("3")
    assert "Für die Abstimmungen der Stadt drücken Sie die 1." in caller.heard
    caller.press("1")
    assert "Frage 1: Soll der Wochenmarkt auch samstags sein?" in caller.heard
    assert "Frage 2: Wo soll die nächste Ladesäule stehen?" in caller.heard
    caller.press("2")
    assert caller.heard.startswith("Die Stadt fragt: Wo soll die nächste Ladesäule stehen?")
    caller.press("1").press("1")
    assert caller.heard.startswith("Vielen Dank. Ihre Stimme zählt: Am Rathaus.")
    assert len(votes(session)) == 1
