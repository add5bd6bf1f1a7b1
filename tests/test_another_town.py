"""Another town runs the service by changing content and settings: nothing of Kaiserslautern leaks."""

from __future__ import annotations

import pytest

from content import outbox
from content.models import QUEUED, Announcement, OutboundMessage
from tests.factories import create_subscriber

pytestmark = pytest.mark.small_town


def test_a_caller_hears_the_towns_own_greeting_and_news(caller) -> None:
    caller.call()
    assert caller.heard.startswith("Guten Tag, hier ist das Bürgertelefon von Musterstadt.")
    assert "die 9" not in caller.heard and "English" not in caller.heard  # one language: no language key
    caller.press("1")
    assert "Sprechstunde im Rathaus" in caller.heard and "Kaiserslautern" not in caller.heard


def test_after_office_hours_key_0_names_the_towns_hours(caller, clock) -> None:
    clock.set(2026, 11, 24, 15)
    caller.call().press("0")
    assert "von 9 bis 12 Uhr" in caller.heard and "Kaiserslautern" not in caller.heard


def test_a_texter_gets_the_towns_projects_and_news(texter) -> None:
    assert texter.send("PROJEKTE").startswith("Digitale Projekte: 1) Bürgerbüro online. 2) Freies Netz im Park.")
    assert "Sprechstunde im Rathaus" in texter.send("NEU")
    assert "Musterstadt" in texter.send("HILFE")


def test_a_broadcast_queues_the_towns_news_for_its_subscriber(session, clock) -> None:
    create_subscriber(session, clock())
    announcement = session.query(Announcement).one()
    outbox.broadcast(session, announcement, languages=["de"], author="tests", now=clock())
    session.commit()
    (queued,) = session.query(OutboundMessage).all()
    assert (queued.status, queued.body) == (
        QUEUED,
        "Musterstadt: Sprechstunde im Rathaus. Jeden Mittwoch von 9 bis 12 Uhr. Abbestellen: STOP",
    )


def test_the_public_page_shows_the_towns_name_and_number(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Musterstadt" in page and "030 23125000" in page and "Kaiserslautern" not in page
