"""Several requests for one number at the same moment, on SQLite and PostgreSQL: each person
gets a proper answer (never the technical-problem apology), one row is kept, and no log line
shows the number whatever the database says."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import select

from content.models import SUBSCRIBED, Subscriber
from tests.conftest import AUTH_TOKEN
from tests.twilio_fake import Caller, Signer, Texter

NEW_NUMBER = "+4915187654321"
AT_ONCE = 8
APOLOGY = "technisches Problem"


def at_once(app, act: Callable[[Signer, int], str]) -> list[str]:
    """Run act in AT_ONCE threads, each with its own client, released together."""
    start = threading.Barrier(AT_ONCE)
    answers: list[str] = [""] * AT_ONCE

    def one(index: int) -> None:
        signer = Signer(app.test_client(), AUTH_TOKEN)
        answers[index] = act(signer, index, start)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def shows_the_number(log_text: str) -> bool:
    return "87654321" in log_text


def test_callers_from_one_new_number_subscribing_at_once_each_hear_a_proper_answer(app, session, caplog) -> None:
    def subscribe(signer: Signer, index: int, start: threading.Barrier) -> str:
        caller = Caller(signer, number=NEW_NUMBER).call().press("4")
        start.wait()
        return caller.press("1").heard

    caplog.set_level(logging.DEBUG)
    answers = at_once(app, subscribe)
    assert [answer for answer in answers if APOLOGY in answer] == []
    thanked = [answer for answer in answers if answer.startswith("Vielen Dank.")]
    already = [answer for answer in answers if answer.startswith("Sie bekommen die Neuigkeiten schon per SMS.")]
    assert len(thanked) >= 1 and len(thanked) + len(already) == AT_ONCE
    (subscriber,) = session.scalars(select(Subscriber)).all()
    assert (subscriber.number, subscriber.status) == (NEW_NUMBER, SUBSCRIBED)
    assert not shows_the_number(caplog.text)


def test_texts_from_one_new_number_at_once_each_get_a_reply_and_one_subscription(app, session, caplog) -> None:
    def start_news(signer: Signer, index: int, start: threading.Barrier) -> str:
        texter = Texter(signer, number=NEW_NUMBER)
        start.wait()
        return texter.send("START", sid=f"SM{index:032d}")

    caplog.set_level(logging.DEBUG)
    answers = at_once(app, start_news)
    assert [answer for answer in answers if "technisches Problem" in answer or not answer] == []
    (subscriber,) = session.scalars(select(Subscriber)).all()
    assert (subscriber.number, subscriber.status) == (NEW_NUMBER, SUBSCRIBED)
    assert not shows_the_number(caplog.text)


def test_no_log_line_shows_the_number_whatever_the_database_says(app, session, signer, caplog, monkeypatch) -> None:
    """The database refuses a row and quotes it (PostgreSQL: DETAIL: Key (number)=(+49…) already
    exists): the caller hears the apology, the log names the error and the code, not the number."""
    from content import subscriptions
    from content.models import Base

    def refused(session, number: str, **_ignored) -> None:
        table = Base.metadata.tables[Subscriber.__tablename__]
        row = {"number": number, "language": "de", "status": SUBSCRIBED, "topics": []}
        session.execute(table.insert(), [row, row])

    monkeypatch.setattr(subscriptions, "subscribe", refused)
    caplog.set_level(logging.DEBUG)
    heard = Caller(signer, number=NEW_NUMBER).call().press("4").press("1").heard
    assert APOLOGY in heard
    assert "voice webhook failed at /voice/subscribe-now: IntegrityError" in caplog.text
    assert not shows_the_number(caplog.text)


def test_stop_start_and_erase_from_one_number_at_once_each_get_their_answer(app, session, caplog) -> None:
    """STOP must never be lost to a race: on PostgreSQL an erasure (LÖSCHEN) racing a START or
    STOP ended in deadlocks and vanished rows, and the texter got the apology instead."""
    words = ["STOP", "LÖSCHEN", "START", "IDEE Mehr Bänke", "RÜCKRUF"]

    def text(signer: Signer, index: int, start: threading.Barrier) -> str:
        texter = Texter(signer, number=NEW_NUMBER)
        start.wait()
        return texter.send(words[index % len(words)], sid=f"SM{index:032d}")

    for _ in range(10):
        answers = at_once(app, text)
        assert [answer for answer in answers if APOLOGY in answer or not answer] == []
    assert not shows_the_number(caplog.text)
