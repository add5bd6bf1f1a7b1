"""Answers are reused between callers, but never outlive the content or the moment they describe."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from content import snapshot
from content.models import Announcement
from tests.twilio_fake import Caller


def test_a_scheduled_announcement_is_heard_once_its_time_comes(caller, session, clock) -> None:
    session.add(
        Announcement(publish_at=clock() + timedelta(hours=2), texts={"de": {"title": "Um zwölf", "body": "Jetzt."}})
    )
    session.commit()
    caller.call().press("1")
    assert "Es gibt 3 Meldungen" in caller.heard and "Um zwölf" not in caller.heard
    clock.now += timedelta(hours=3)
    caller.call().press("1")
    assert "Es gibt 4 Meldungen" in caller.heard and "Um zwölf" in caller.heard


def test_the_same_keys_after_closing_time_no_longer_forward(caller, clock) -> None:
    caller.call().press("0")
    assert caller.dialled == "+496313650"
    clock.set(2026, 11, 24, 16, 30)
    caller.call().press("0")
    assert caller.dialled is None and "Gerade ist niemand im Büro" in caller.heard


def test_an_edit_behind_the_apps_back_is_heard_once_the_snapshot_expires(caller, session, monkeypatch) -> None:
    caller.call()
    session.execute(text("UPDATE setting SET value = :value WHERE key = 'greeting'"), {"value": "{}"})
    session.execute(text("UPDATE setting SET value = :value WHERE key = 'town'"), {"value": '"Trippstadt"'})
    session.commit()
    monkeypatch.setattr(snapshot, "MAX_AGE", 0.0)
    newcomer = Caller(caller.signer, number="+4915100000042")  # a first call hears the town's name
    assert "Stadt Trippstadt" in newcomer.call().heard


def test_callers_pressing_the_same_keys_get_the_same_answer(signer) -> None:
    from tests.twilio_fake import Caller

    first = Caller(signer, "+4915111111111").call().press("2").press("1")
    second = Caller(signer, "+4915122222222").call().press("2").press("1")
    assert first.heard == second.heard and "Projekt Nummer 2" in first.heard
