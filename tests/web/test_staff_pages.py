"""Staff pages in plain words: lists with names, the overview, asking before removing, the inbox's
references and typed voice messages, the simulator as a conversation, and the busy-port check."""

from __future__ import annotations

import re
import socket
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from content.models import CallbackRequest, Project, ProjectUpdate, Submission, Subscriber
from tests.web.browser import CHROMIUM, wait_until
from tests.web.conftest import add_account
from tests.web.test_browser import RECORD_SPEECH, log_in

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def selected(tab, css: str) -> str:
    return tab.locator(css).evaluate("select => select.selectedOptions[0].textContent").strip()


@needs_chromium
def test_the_town_profile_offers_voices_regions_and_time_zones_by_name(app, site, page) -> None:
    add_account(app, "admin@kaiserslautern.de", "admin")
    log_in(page, site, "admin@kaiserslautern.de")
    page.goto(site.url + "/staff/settings")
    assert selected(page, "#languages-1") == "Deutsch: Vicki – weiblich, natürlich klingend (Amazon Polly Neural)"
    assert selected(page, "#holidays_subdivision") == "Rheinland-Pfalz"
    assert selected(page, "#timezone") == "Berlin – Mitteleuropäische Zeit"
    page.locator("#holidays_subdivision").select_option(label="Saarland")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Gespeichert.", exact=False).wait_for()
    assert selected(page, "#holidays_subdivision") == "Saarland"
    assert "Polly.Vicki-Neural" not in page.locator("main").inner_text()


def test_a_voice_saved_earlier_that_no_list_knows_stays(app, admin) -> None:
    from content import db, queries
    from content.profile import Language
    from content.snapshot import current

    with app.app_context():
        profile = current().profile
        odd = (Language("de", "de-DE", "Google.de-DE-Wavenet-B"),)
        queries.save_town_profile(db.session(), profile.__class__(**{**profile.__dict__, "languages": odd}))
        db.session().commit()
    html = admin.client.get("/staff/settings").get_data(as_text=True)
    assert re.search(r'<option value="de de-DE Google.de-DE-Wavenet-B" selected>[^<]*früher gespeichert', html)


def waiting(kind: str, text: str, at) -> Submission:
    return Submission(kind=kind, channel="sms", language="de", text=text, status="open", received_at=at)


def attention_lines(tab) -> list[str]:
    return [line.strip() for line in tab.locator("[data-attention] li").all_inner_texts()]


@needs_chromium
def test_the_overview_counts_what_needs_attention_and_links_there(app, site, page, session, clock) -> None:
    today = clock().date()
    session.add_all(
        [
            Submission(
                kind="idea", channel="sms", language="de", text="Mehr Bänke", status="open", received_at=clock()
            ),
            *(
                Submission(
                    kind="question", channel="sms", language="de", text=f"Frage {n}", status="open", received_at=clock()
                )
                for n in (1, 2)
            ),
            CallbackRequest(number="+4915100000001", language="de", channel="phone", due_on=today - timedelta(days=2)),
            CallbackRequest(number="+4915100000002", language="de", channel="phone", due_on=today),
            *(Subscriber(number=f"+491510000010{n}", language="de", status="subscribed", topics=[]) for n in (1, 2)),
        ]
    )
    session.commit()
    add_account(app, "admin@kaiserslautern.de", "admin")
    log_in(page, site, "admin@kaiserslautern.de")
    assert attention_lines(page) == [
        "1 neue Idee",
        "2 neue Fragen",
        "0 neue Sprachnachrichten",
        "1 Rückruf ist überfällig",
        "2 Personen bekommen die Nachrichten per SMS",
        "0 Personen werden bei Neuigkeiten angerufen",
    ]
    page.get_by_role("link", name="2 neue Fragen").click()
    assert page.locator("article h2").all_inner_texts() == ["Frage Vorgang 0003", "Frage Vorgang 0002"]
    page.go_back()
    page.get_by_role("link", name="1 Rückruf ist überfällig").click()
    assert page.locator("tr.overdue").count() == 1


@needs_chromium
def test_removing_a_progress_note_asks_first_and_says_what(app, site, page, session) -> None:
    project = session.scalar(select(Project).where(Project.number == 1))
    project.updates.append(ProjectUpdate(happened_on=date(2026, 11, 20), texts={"de": {"text": "Die Ampel steht."}}))
    session.commit()
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    log_in(page, site, "redaktion@kaiserslautern.de")
    page.goto(site.url + "/staff/projects/1")
    page.get_by_role("link", name="Entfernen 20. November 2026").click()
    assert page.locator("h1").inner_text() == "Fortschrittsnotiz entfernen?"
    assert page.locator("[data-note]").inner_text() == "20. November 2026: Die Ampel steht."
    page.get_by_role("link", name="Nein, behalten").click()
    page.get_by_text("Die Ampel steht.").wait_for()
    page.get_by_role("link", name="Entfernen 20. November 2026").click()
    page.get_by_role("button", name="Ja, diese Fortschrittsnotiz entfernen").click()
    page.get_by_text("Fortschritt entfernt.").wait_for()
    assert page.get_by_text("Die Ampel steht.").count() == 0


def test_a_progress_note_is_not_removed_by_a_post_without_the_confirmation(app, editor, session) -> None:
    project = session.scalar(select(Project).where(Project.number == 1))
    note = ProjectUpdate(happened_on=date(2026, 11, 20), texts={"de": {"text": "Die Ampel steht."}})
    project.updates.append(note)
    session.commit()
    note_id = note.id
    url = f"/staff/projects/1/updates/{note_id}/delete"
    asked = editor.submit(url, {})
    assert asked.status_code == 200 and "Die Ampel steht." in asked.get_data(as_text=True)
    session.expire_all()
    assert session.get(ProjectUpdate, note_id) is not None
    assert editor.submit(url, {"confirm": "yes"}).status_code == 302
    session.expire_all()
    assert session.get(ProjectUpdate, note_id) is None


def simulator_token(client) -> str:
    return re.search(r'data-token="([^"]+)"', client.get("/simulator").get_data(as_text=True)).group(1)


def test_the_inbox_shows_four_digit_references_in_plain_words(app, moderator, texter) -> None:
    texter.send("IDEE Mehr Bänke am Stiftsplatz")
    html = moderator.client.get("/staff/inbox").get_data(as_text=True)
    assert "Idee Vorgang 0001" in html and "per SMS · Deutsch ·" in html


@needs_chromium
def test_a_voice_message_typed_in_the_simulator_is_read_aloud_in_the_inbox(app, site, page, client) -> None:
    headers = {"X-CSRFToken": simulator_token(client)}
    client.post("/simulator/voice", json={"path": "/voice"}, headers=headers)
    typed = "Die Ampel am Rathaus ist kaputt."
    step = {"path": "/voice/recorded", "inputs": {"seconds": "6", "message": typed}}
    assert client.post("/simulator/voice", json=step, headers=headers).get_json()["status"] == 200
    add_account(app, "buergerdialog@kaiserslautern.de", "moderator")
    page.add_init_script(RECORD_SPEECH)
    log_in(page, site, "buergerdialog@kaiserslautern.de")
    page.goto(site.url + "/staff/inbox")
    voice = page.locator("article", has_text="Sprachnachricht")
    assert voice.locator("blockquote").inner_text() == typed
    assert "Keine Aufnahme" not in voice.inner_text()
    voice.get_by_role("button", name="Mit Computerstimme vorlesen").click()
    wait_until(page, "window.spoken.length > 0")
    assert page.evaluate("window.spoken") == [{"text": typed, "lang": "de-DE"}]


@needs_chromium
def test_the_simulator_reads_like_a_call_and_keeps_the_chat_on_reload(site, page) -> None:
    page.add_init_script(RECORD_SPEECH)
    page.goto(site.url + "/simulator")
    page.get_by_role("button", name="Anrufen").click()
    transcript = page.locator("[data-transcript]")
    transcript.get_by_text("Für Aktuelles aus der Stadt drücken Sie die 1.", exact=True).wait_for()
    page.get_by_role("button", name="1", exact=True).click()
    transcript.locator("li.caller", has_text="Sie: 1").wait_for()
    page.get_by_label("Oder etwas sagen (Sprache)").fill("zurück")
    page.get_by_role("button", name="Sagen", exact=True).click()
    transcript.locator("li.caller", has_text="Sie sagen: zurück").wait_for()
    lines = transcript.locator("li").all_inner_texts()
    assert all(line.count(". ") == 0 for line in lines if not line.startswith("Sie"))
    newest = transcript.locator("li").last
    assert newest.evaluate(
        "item => { const box = item.closest('ol').getBoundingClientRect(), r = item.getBoundingClientRect();"
        " return r.bottom <= box.bottom + 1; }"
    )

    page.get_by_label("Ihre SMS an das Bürgertelefon", exact=False).fill("NEU")
    page.get_by_role("button", name="Senden").click()
    page.locator("[data-chat] li.theirs").first.wait_for()
    page.reload()
    chat = page.locator("[data-chat]")
    assert chat.locator("li.mine p").all_inner_texts() == ["NEU"]
    assert chat.locator("li.theirs p").first.inner_text().startswith("Aktuelles aus Kaiserslautern")
    assert re.fullmatch(r"\d\d:\d\d", chat.locator("li.mine time").inner_text())


def test_a_busy_port_is_reported_with_a_free_one_to_try(app) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = app.test_cli_runner().invoke(args=["port-free", str(port)])
    assert result.exit_code == 1
    suggested = re.fullmatch(rf"Port {port} ist belegt\. Versuchen Sie: make run PORT=(\d+)\n", result.output)
    assert suggested is not None and int(suggested.group(1)) > port


def test_a_free_port_passes_the_check(app) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = app.test_cli_runner().invoke(args=["port-free", str(port)])
    assert (result.exit_code, result.output) == (0, "")


def test_a_port_whose_last_connection_is_still_closing_is_free(app) -> None:
    """Right after Ctrl+C the server's side of its last connection waits in TIME_WAIT: make run
    may start again at once, as the server itself (SO_REUSEADDR) can."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Werkzeug's server does
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server closes first: its side of the connection goes to TIME_WAIT
            client.recv(1)  # the end of the connection has arrived
    result = app.test_cli_runner().invoke(args=["port-free", str(port)])
    assert (result.exit_code, result.output) == (0, "")


@pytest.mark.parametrize(
    ("count", "said"),
    [(0, "0 neue Ideen"), (1, "1 neue Idee"), (2, "2 neue Ideen")],
)
def test_the_overview_counts_ideas_in_right_german(app, moderator, session, clock, count: int, said: str) -> None:
    session.add_all(waiting("idea", "x", clock()) for _ in range(count))
    session.commit()
    html = moderator.client.get("/staff/").get_data(as_text=True)
    assert f">{said}</a>" in html


def test_staff_add_speaks_german(app) -> None:
    result = app.test_cli_runner().invoke(
        args=["staff", "add", "chefin@kaiserslautern.de", "--role", "admin"], input="correct horse battery staple\n"
    )
    assert result.output == "Das Konto chefin@kaiserslautern.de ist angelegt, mit der Rolle Administration.\n"
