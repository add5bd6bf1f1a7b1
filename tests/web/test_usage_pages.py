"""What the web counts for the usage figures: public pages shown (which, no more), and call backs
made in time or late. Staff pages, the simulator and the health check are not counted."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from content import db, usage
from content.models import UsageEvent
from tests.conftest import written_events


def events(app) -> Counter[tuple[str, str, str]]:
    written_events(app)
    with app.app_context():
        rows = db.session().execute(select(UsageEvent.channel, UsageEvent.kind, UsageEvent.detail)).all()
    return Counter((channel, kind, detail) for channel, kind, detail in rows)


def test_each_public_page_shown_counts_by_its_name(app, client) -> None:
    for url in ("/", "/?lang=en", "/leichte-sprache", "/roadmap", "/roadmap.json", "/roadmap.atom", "/flyer"):
        assert client.get(url).status_code == 200, url
    for url in ("/healthz", "/staff/", "/simulator", "/nowhere"):
        client.get(url)
    assert client.head("/").status_code == 200  # a monitor looking: no view
    assert events(app) == Counter(
        {
            (usage.WEB, usage.PAGE, "home"): 2,
            (usage.WEB, usage.PAGE, "easy"): 1,
            (usage.WEB, usage.PAGE, "roadmap"): 1,
            (usage.WEB, usage.PAGE, "roadmap-json"): 1,
            (usage.WEB, usage.PAGE, "feed"): 1,
            (usage.WEB, usage.PAGE, "flyer"): 1,
        }
    )


def test_the_flyer_as_pdf_counts_as_the_flyer(app, client) -> None:
    assert client.get("/flyer.pdf").status_code == 200
    assert events(app) == Counter({(usage.WEB, usage.PAGE, "flyer"): 1})


def test_a_call_back_made_by_the_day_promised_is_in_time_a_later_one_late(app, moderator, texter, clock) -> None:
    texter.send("RÜCKRUF")  # Tuesday: promised for Wednesday
    clock.now += timedelta(days=1)  # made on Wednesday: in time
    assert moderator.login("buergerdialog@kaiserslautern.de").status_code == 302
    moderator.submit("/staff/callbacks", {}, to="/staff/callbacks/1/done")
    moderator.submit("/staff/callbacks", {}, to="/staff/callbacks/1/done")  # twice: counted once
    texter.send("RÜCKRUF")  # Wednesday: promised for Thursday
    clock.now += timedelta(days=2)  # made on Friday: late
    assert moderator.login("buergerdialog@kaiserslautern.de").status_code == 302
    moderator.submit("/staff/callbacks", {}, to="/staff/callbacks/2/done")
    found = events(app)
    assert {key: n for key, n in found.items() if key[1] == usage.CALLBACK_DONE} == {
        ("", usage.CALLBACK_DONE, usage.IN_TIME): 1,
        ("", usage.CALLBACK_DONE, usage.LATE): 1,
    }
    assert found[(usage.SMS, usage.CALLBACK, "")] == 2
