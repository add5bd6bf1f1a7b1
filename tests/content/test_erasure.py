"""Erasure leaves nothing linkable: after LÖSCHEN no table holds the number or its pseudonym."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import String, cast, or_, select

from content.models import Base, ErasureRequest
from content.phone import pseudonym
from tests.conftest import written_visits
from tests.factories import create_poll
from tests.twilio_fake import CALLER_NUMBER


def rows_mentioning(session, needles: list[str]) -> dict[str, int]:
    """For every table, how many rows hold one of the needles in any column."""
    found = {}
    for table in Base.metadata.sorted_tables:
        columns = [cast(column, String) for column in table.columns]
        condition = or_(*(column.contains(needle, autoescape=True) for column in columns for needle in needles))
        count = len(session.execute(select(table).where(condition)).all())
        if count:
            found[table.name] = count
    return found


def test_after_loeschen_no_table_holds_the_number_or_its_pseudonym(app, session, clock, caller, texter) -> None:
    create_poll(session, clock())
    needles = [CALLER_NUMBER, CALLER_NUMBER[3:], pseudonym(CALLER_NUMBER, app.config["PSEUDONYM_KEY"])]
    caller.call().press("4").press("1")  # subscribe by phone (a confirmation SMS is queued)
    caller.call().press("3").press("1").press("2").press("1")  # vote by phone
    caller.call().press("3").press("2").record(10)  # a voice message
    caller.call().press("3").press("3").press("1")  # a call back
    texter.send("IDEE Ein Repair-Café in der Stadtbibliothek")
    texter.send("FRAGE Gibt es WLAN im Bürgerbüro?")
    texter.send("ABSTIMMEN 3")
    written_visits(app)
    session.expire_all()
    assert set(rows_mentioning(session, needles)) >= {
        "subscriber",
        "vote",
        "submission",
        "callback_request",
        "caller_visit",
        "outbound_message",
    }

    texter.send("LÖSCHEN")
    texter.send("LÖSCHEN JA")
    session.expire_all()
    assert rows_mentioning(session, needles) == {}
    kept = [row.text for row in session.execute(select(Base.metadata.tables["submission"])).all()]
    assert "Ein Repair-Café in der Stadtbibliothek" in kept  # the idea itself stays, anonymous


def test_erasing_by_phone_also_drops_the_visit_of_the_call_itself(app, session, caller) -> None:
    caller.call().press("4").press("3").press("1")
    assert caller.heard.startswith("Erledigt")
    written_visits(app)
    session.expire_all()
    assert rows_mentioning(session, [pseudonym(CALLER_NUMBER, app.config["PSEUDONYM_KEY"])]) == {}


def test_an_unconfirmed_erasure_request_goes_with_the_purge_or_the_erasure(app, session, clock, caller, texter) -> None:
    texter.send("START")
    texter.send("LÖSCHEN")
    assert session.scalar(select(ErasureRequest)) is not None
    clock.now += timedelta(minutes=9)
    assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    session.expire_all()
    assert session.scalar(select(ErasureRequest)) is not None  # still waiting for LÖSCHEN JA
    clock.now += timedelta(minutes=2)
    assert "erasure_requests 1" in app.test_cli_runner().invoke(args=["purge"]).output
    session.expire_all()
    assert session.scalar(select(ErasureRequest)) is None

    texter.send("LÖSCHEN")
    caller.call().press("4").press("2").press("1")  # erased by phone instead (a subscriber: keep 1, erase 2)
    session.expire_all()
    assert session.scalar(select(ErasureRequest)) is None
