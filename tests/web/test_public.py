"""The public pages and feeds: no login, the hotline's number and keys, the roadmap and its history."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import func, select

from content.models import Announcement, ProjectUpdate
from tests.twilio_fake import BASE_URL, CALLER_NUMBER

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_landing_page_names_the_number_the_keys_and_the_keywords(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="tel:+496990009000"' in page and "069 90009000" in page
    assert "Für Aktuelles aus der Stadt drücken Sie die 1." in page  # the menu's own words
    assert "NEU, AKTUELL" in page and "STOP" in page
    assert "Montag" in page  # the office hours, from the town profile


def test_the_landing_page_speaks_english_when_asked(client) -> None:
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "For news from the city, press 1." in page
    # The choice is remembered on the next page.
    assert '<html lang="en" dir="ltr">' in client.get("/roadmap").get_data(as_text=True)


def test_the_roadmap_shows_every_project_with_status_updates_and_history(client) -> None:
    page = client.get("/roadmap").get_data(as_text=True)
    for number in range(1, 10):
        assert f'id="project-{number}"' in page
    assert "im Probebetrieb" in page or "Probebetrieb" in page
    assert "Die Probefahrten laufen." in page
    assert "Projekt angelegt" in page  # the history: the demo created them


def test_a_change_by_staff_shows_in_the_history_page_json_and_atom(app, editor, client) -> None:
    editor.submit(
        "/staff/projects/1",
        {
            "status": "done",
            "field": "mobility",
            "title_de": "Autonomes Fahren und E-Mobilität",
            "summary_de": "Die Busse fahren jetzt im Alltag.",
        },
    )
    editor.submit(
        "/staff/projects/1/updates/new", {"happened_on": "2026-11-24", "text_de": "Der Probebetrieb ist beendet."}
    )
    page = client.get("/roadmap").get_data(as_text=True)
    assert "Stand:\n            <del>im Probebetrieb</del> →\n            <ins>abgeschlossen</ins>" in page
    assert "durch die Stadtverwaltung" in page
    assert "redaktion@kaiserslautern.de" not in page  # staff are not named in public

    feed = client.get("/roadmap.json")
    assert feed.headers["Access-Control-Allow-Origin"] == "*"
    data = feed.get_json()
    project = next(p for p in data["projects"] if p["number"] == 1)
    assert (
        project["status"] == "done" and project["updates"][0]["texts"]["de"]["text"] == "Der Probebetrieb ist beendet."
    )
    newest = data["revisions"][0]
    assert newest["entity"] == "project_update" and newest["author"] == "staff"
    assert any(
        r["entity"] == "project" and r["action"] == "update" and r["after"]["status"] == "done"
        for r in data["revisions"]
    )

    atom = client.get("/roadmap.atom")
    assert atom.mimetype == "application/atom+xml"
    entries = ET.fromstring(atom.data).findall(f"{ATOM}entry")
    assert "Der Probebetrieb ist beendet." in entries[0].find(f"{ATOM}content").text


def test_drafts_and_scheduled_news_stay_out_of_the_feeds(app, editor, client, session) -> None:
    editor.submit(
        "/staff/announcements/new", {"title_de": "Geheimer Entwurf", "body_de": "Noch nicht.", "action": "draft"}
    )
    editor.submit(
        "/staff/announcements/new",
        {"title_de": "Später", "body_de": "Im Dezember.", "publish_at": "2026-12-05T09:00", "action": "schedule"},
    )
    for url in ("/", "/roadmap.json", "/roadmap.atom"):
        body = client.get(url).get_data(as_text=True)
        assert "Geheimer Entwurf" not in body and "Im Dezember" not in body
    public = session.scalars(select(Announcement).where(Announcement.publish_at.is_not(None))).all()
    news_ids = {item["id"] for item in client.get("/roadmap.json").get_json()["news"]}
    assert news_ids == {a.id for a in public if a.texts["de"]["title"] != "Später"}


def test_every_atom_entry_has_what_feed_readers_need(app, client, session, clock) -> None:
    feed = ET.fromstring(client.get("/roadmap.atom").data)
    entries = feed.findall(f"{ATOM}entry")
    updates = session.scalar(select(func.count()).select_from(ProjectUpdate))
    public_news = [a for a in session.scalars(select(Announcement)) if a.publish_at and a.publish_at <= clock()]
    assert updates and public_news
    assert len(entries) == updates + len(public_news)  # an entry per update and per public announcement
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")


def test_web_pages_forbid_foreign_and_inline_scripts(client) -> None:
    for url in ("/", "/roadmap", "/staff/login"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"


SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def broken_app(app):
    """The same app with its database unreachable, knowing the town from the last known profile."""
    from app import create_app

    return create_app(
        {
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
            "INSTANCE_PATH": app.instance_path,
            "SECRET_KEY": "s",
            "TWILIO_AUTH_TOKEN": "t",
            "PSEUDONYM_KEY": "p",
            "HOTLINE_ENV": app.config["HOTLINE_ENV"],
            "TESTING": True,
        }
    )


def headers_of_every_kind_of_response(app, client, signer) -> dict[str, dict[str, str]]:
    broken = broken_app(app).test_client()
    responses = {
        "page": client.get("/"),
        "feed": client.get("/roadmap.atom"),
        "asset": client.get("/assets/site.css"),
        "staff page": client.get("/staff/login"),
        "not found": client.get("/gibt-es-nicht"),
        "health": client.get("/healthz"),
        "webhook": signer.post(BASE_URL + "/sms", {"MessageSid": "SM1", "From": CALLER_NUMBER, "Body": "HILFE"}),
        "page, database gone": broken.get("/"),
        "health, database gone": broken.get("/healthz"),
    }
    for response in responses.values():
        response.close()
    return {kind: dict(response.headers) for kind, response in responses.items()}


def test_every_response_carries_the_security_headers_but_hsts_only_in_production(app, client, signer) -> None:
    client.get("/")  # the town profile becomes the last known one, for the broken app
    development = headers_of_every_kind_of_response(app, client, signer)
    assert {
        kind: [name for name in SECURITY_HEADERS if name not in headers] for kind, headers in development.items()
    } == {kind: [] for kind in development}
    assert [kind for kind, headers in development.items() if "Strict-Transport-Security" in headers] == []

    app.config["HOTLINE_ENV"] = "production"
    production = headers_of_every_kind_of_response(app, client, signer)
    assert {kind: headers.get("Strict-Transport-Security") for kind, headers in production.items()} == {
        kind: "max-age=31536000" for kind in production
    }


def test_with_the_database_gone_the_pages_apologise_and_name_the_staff_number(app, client) -> None:
    client.get("/")  # a normal page: the town profile is now the last known one
    broken = broken_app(app)
    for url in ("/", "/roadmap", "/flyer.pdf"):
        response = broken.test_client().get(url)
        assert (response.status_code, response.mimetype, response.headers["Retry-After"]) == (503, "text/html", "120")
        assert "Entschuldigung, da ist etwas schiefgegangen" in response.get_data(as_text=True)
        assert "+496313650" in response.get_data(as_text=True)
    assert broken.test_client().get("/staff/login").status_code == 200  # needs no database until one logs in


def test_with_the_database_gone_the_feeds_say_so_in_their_own_format(app, client) -> None:
    client.get("/")
    broken = broken_app(app).test_client()
    as_json = broken.get("/roadmap.json")
    assert (as_json.status_code, as_json.mimetype, as_json.headers["Retry-After"]) == (503, "application/json", "120")
    assert as_json.get_json() == {"error": "temporarily unavailable"}
    assert as_json.headers["Access-Control-Allow-Origin"] == "*"  # other sites' scripts may see that it failed
    atom = broken.get("/roadmap.atom")
    assert (atom.status_code, atom.mimetype, atom.headers["Retry-After"]) == (503, "text/plain", "120")
    assert atom.get_data(as_text=True) == (
        "Entschuldigung, da ist etwas schiefgegangen. Bitte versuchen Sie es in ein paar Minuten noch einmal.\n"
    )


def test_an_unknown_page_says_so_plainly(client) -> None:
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404 and "Diese Seite gibt es nicht" in response.get_data(as_text=True)
