"""flask purge: personal data go when their time is up; the content of ideas and anonymous votes stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from content import privacy
from content.models import CallbackRequest, CallerVisit, InboundMessage, OutboundMessage, Submission, Vote
from content.profile import profile_from_settings
from tests.factories import create_poll


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_purge_removes_what_expired_and_keeps_what_did_not(app, session, clock, texter, tmp_path) -> None:
    app.config["RECORDINGS_DIR"] = str(tmp_path / "voice")
    poll = create_poll(session, clock(), days_open=2)
    texter.send("IDEE Ein Trinkbrunnen am Schillerplatz")
    texter.send("ABSTIMMEN 1")
    texter.send("RÜCKRUF")
    voice = Submission(
        kind="voice",
        channel="phone",
        language="de",
        number="+4915100000001",
        pseudonym="p",
        received_at=clock(),
        recording_file="1-RE.mp3",
        fetch_attempts=0,
        recording_wanted=True,
    )
    session.add(voice)
    session.commit()
    (tmp_path / "voice").mkdir(exist_ok=True)
    (tmp_path / "voice" / "1-RE.mp3").write_bytes(b"audio")

    assert app.test_cli_runner().invoke(args=["purge"]).output.startswith("Purged: voice 0, contact 0, callback 0")
    assert count(session, InboundMessage) == 3 and count(session, CallbackRequest) == 1

    clock.now += timedelta(days=40)  # past the callbacks' 30 days, the SMS log's 30 and the votes' 30 after closing
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert count(session, CallbackRequest) == 0 and count(session, InboundMessage) == 0
    assert [v.voter for v in session.scalars(select(Vote))] == [None]
    idea = session.scalar(select(Submission).where(Submission.kind == "idea"))
    assert idea.number is not None  # contact data are kept 90 days

    clock.now += timedelta(days=200)
    app.test_cli_runner().invoke(args=["purge"])
    session.expire_all()
    idea = session.scalar(select(Submission).where(Submission.kind == "idea"))
    assert idea.text == "Ein Trinkbrunnen am Schillerplatz" and idea.number is None and idea.pseudonym is None
    assert not (tmp_path / "voice" / "1-RE.mp3").exists()
    assert session.get(Submission, voice.id).recording_file is None
    assert poll.id and count(session, Vote) == 1


def test_the_town_sets_its_own_retention(session, clock, tmp_path) -> None:
    profile = profile_from_settings({"retention_days": {"visits": 7, "outbox": "soon", "unknown": 3, "sms_log": 0}})
    assert profile.retention_days["visits"] == 7
    assert profile.retention_days["outbox"] == 90 and profile.retention_days["sms_log"] == 30  # bad values ignored
    session.add(CallerVisit(pseudonym="x" * 64, last_call_at=clock() - timedelta(days=8)))
    session.add(
        OutboundMessage(
            idempotency_key="k",
            recipient="+4915100000009",
            body="b",
            status="delivered",
            updated_at=clock() - timedelta(days=91),
            next_attempt_at=clock(),
            attempts=1,
        )
    )
    session.commit()
    touched = privacy.purge(session, profile, clock(), tmp_path)
    session.commit()
    assert touched["visits"] == 1 and touched["outbox"] == 1
