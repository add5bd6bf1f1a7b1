"""Staff and residents in real headless Chromium: publish news end to end, and axe-core on every page."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import func, select

from content.models import Announcement, OutboundMessage, Subscriber
from tests.web.browser import CHROMIUM, serious_violations, wait_until
from tests.web.conftest import PASSWORD, add_account
from tests.web.test_languages import languages
from worker import cli as outbox_cli
from worker.sending import run

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

TITLE = "Bürgersprechstunde – jetzt auch „digital“"
BODY = "Ab Dezember beantwortet die Stadt Ihre Fragen jeden Dienstag – am Telefon und per SMS."

PUBLIC_PAGES = ["/", "/?lang=en", "/roadmap", "/flyer", "/simulator"]
STAFF_PAGES = [
    "/staff/",
    "/staff/announcements",
    "/staff/announcements/new",
    "/staff/announcements/1",
    "/staff/projects",
    "/staff/projects/1",
    "/staff/projects/new",
    "/staff/projects/1/updates/new",
    "/staff/settings",
    "/staff/subscribers",
    "/staff/accounts",
    "/staff/inbox",
    "/staff/callbacks",
    "/staff/polls",
    "/staff/polls/new",
]


# The loudspeaker is the one part that cannot exist here: speechSynthesis.speak is recorded instead.
RECORD_SPEECH = """
window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push({text: utterance.text, lang: utterance.lang});
"""


def log_in(page, site, email: str) -> None:
    page.goto(site.url + "/staff/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(site.url + "/staff/")


def send_queued_messages(app) -> None:
    with app.app_context():
        run(outbox_cli.make_worker(), until_idle=True)


def test_staff_publish_news_that_is_heard_texted_sent_and_in_the_feeds(
    app, site, page, session, provider, caller, texter
) -> None:
    # A German and English town: in Arabic, the note before a German text needs special characters,
    # and this news would no longer fit in two SMS (test_languages covers that preview).
    languages(session, "de", "en")
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    session.add_all(
        Subscriber(number=f"+4915100000{n:03d}", language="de", status="subscribed", topics=[]) for n in range(20)
    )
    session.commit()
    page.add_init_script(RECORD_SPEECH)
    log_in(page, site, "redaktion@kaiserslautern.de")

    page.get_by_role("link", name="Meldung schreiben").first.click()
    german = page.locator("fieldset[data-language=de]")
    german.get_by_label("Titel").fill(TITLE)
    german.get_by_label("Text für das Internet").fill(BODY)
    # The en dash and the German quotes would force UCS-2; smart encoding makes the SMS GSM-7.
    changes = german.locator("[data-out=changes]")
    changes.filter(has_text="– wird zu -").wait_for()
    assert changes.inner_text() == '– wird zu -; „ wird zu "; “ wird zu "'
    assert german.locator("[data-out=encoding]").inner_text() == "normale SMS-Zeichen (160 pro SMS)"
    assert german.locator("[data-out=segments]").inner_text() == "2"  # with the sender and STOP
    assert german.locator("[data-out=spoken]").inner_text() == f"{TITLE}. {BODY}"
    german.get_by_role("button", name="Gesprochene Fassung anhören").click()
    wait_until(page, "window.spoken.length > 0")
    assert page.evaluate("window.spoken") == [{"text": f"{TITLE}. {BODY}", "lang": "de-DE"}]

    page.get_by_label("Auch an die Abonnentinnen und Abonnenten senden", exact=False).check()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    # First whom it reaches: nothing is queued before staff confirm it.
    page.get_by_role("heading", name="Vor dem Senden prüfen").wait_for()
    assert page.locator("tr[data-language=de] [data-out=recipients]").inner_text() == "20"
    assert (
        "Englisch: kein eigener Text: Sie bekommen den Text auf Deutsch"
        in page.locator("[data-missing=en]").inner_text()
    )
    assert provider.messages == [] and session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    page.get_by_role("button", name="Jetzt veröffentlichen und an 20 Abonnentinnen und Abonnenten senden").click()
    page.wait_for_url("**/staff/broadcasts/*")
    assert page.locator("[data-figure=total]").inner_text() == "20"

    worker = threading.Thread(target=send_queued_messages, args=(app,))
    worker.start()
    page.locator("[data-figure=percent]").filter(has_text="100").wait_for(timeout=20_000)
    worker.join()
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.locator("[data-finished]").is_visible()
    assert len(provider.messages) == 20
    assert {m["body"] for m in provider.messages} == {
        'Kaiserslautern: Bürgersprechstunde - jetzt auch "digital". '
        "Ab Dezember beantwortet die Stadt Ihre Fragen jeden Dienstag - am Telefon und per SMS. Abbestellen: STOP"
    }

    # A caller hears it first in the news; a texter gets it with NEU.
    caller.call().press("1")
    assert "Bürgersprechstunde – jetzt auch „digital“." in caller.heard
    assert "Bürgersprechstunde" in texter.send("NEU")

    # The public feeds show the new revision, without logging in.
    public = page.context.browser.new_context()
    feed = json.loads(public.request.get(site.url + "/roadmap.json").text())
    item = session.scalar(select(Announcement).where(Announcement.texts["de"]["title"].as_string() == TITLE))
    revision = next(r for r in feed["revisions"] if r["entity"] == "announcement" and r["entity_id"] == str(item.id))
    assert revision["author"] == "staff" and revision["after"]["texts"]["de"]["title"] == TITLE
    assert TITLE in public.request.get(site.url + "/roadmap.atom").text()
    public.close()


def test_public_pages_have_no_serious_accessibility_violations(site, audited_page) -> None:
    page, found = audited_page, {}
    for url in PUBLIC_PAGES + ["/staff/login"]:
        page.goto(site.url + url)
        found[url] = serious_violations(page)
    assert found == {url: [] for url in found}


def test_staff_pages_have_no_serious_accessibility_violations(app, site, audited_page) -> None:
    page = audited_page
    add_account(app, "admin@kaiserslautern.de", "admin")
    log_in(page, site, "admin@kaiserslautern.de")
    found = {}
    for url in STAFF_PAGES:
        page.goto(site.url + url)
        found[url] = serious_violations(page)
    # A form with errors, as staff see it after a mistake.
    page.goto(site.url + "/staff/announcements/new")
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    found["announcement with errors"] = serious_violations(page)
    assert found == {url: [] for url in found}


def test_the_staff_pages_work_with_the_keyboard_alone(app, site, page) -> None:
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    page.goto(site.url + "/staff/login")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.locator("#email").focus()
    page.keyboard.type("redaktion@kaiserslautern.de")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url + "/staff/")


def test_a_moderator_plays_marks_and_answers_in_the_inbox(app, site, page, texter, tmp_path, clock) -> None:
    from content import db
    from content.models import OutboundMessage, Submission

    app.config["RECORDINGS_DIR"] = str(tmp_path)
    (tmp_path / "voice.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 512)
    texter.send("FRAGE Wann fährt der Bus zum Betzenberg?")
    with app.app_context():
        db.session().add(
            Submission(
                kind="voice",
                channel="phone",
                language="de",
                recording_file="voice.mp3",
                received_at=clock(),
                fetch_attempts=0,
                recording_wanted=True,
                status="open",
            )
        )
        db.session().commit()
    add_account(app, "buergerdialog@kaiserslautern.de", "moderator")
    log_in(page, site, "buergerdialog@kaiserslautern.de")
    page.get_by_role("link", name="Eingang", exact=True).click()

    with page.expect_response("**/recording") as played:
        page.locator("audio").evaluate("audio => { audio.preload = 'auto'; audio.load(); }")
    assert played.value.status in (200, 206) and played.value.headers["content-type"] == "audio/mpeg"

    question = page.locator("article", has_text="Wann fährt der Bus")
    question.get_by_label("Antwort per SMS").fill("Die Linie 105 fährt alle 20 Minuten – gute Fahrt!")
    question.get_by_role("button", name="Antwort senden").click()
    page.get_by_text("ist unterwegs").wait_for()
    voice = page.locator("article", has_text="Sprachnachricht")
    voice.get_by_role("button", name="Als erledigt markieren").click()
    page.get_by_text("Hier ist nichts.").wait_for()
    with app.app_context():
        sent = db.session().scalars(select(OutboundMessage)).all()
        statuses = {item.kind: item.status for item in db.session().scalars(select(Submission))}
    assert [m.body for m in sent] == [
        "Kaiserslautern, zu Ihrem Vorgang 0001: Die Linie 105 fährt alle 20 Minuten - gute Fahrt!"
    ]
    assert statuses == {"question": "handled", "voice": "handled"}


def test_a_first_time_visitor_calls_through_the_news_and_texts_in_the_simulator(app, site, page) -> None:
    page.add_init_script(RECORD_SPEECH)
    page.goto(site.url + "/")
    page.get_by_role("link", name="Ausprobieren").first.click()
    page.get_by_role("button", name="Anrufen").click()
    transcript = page.locator("[data-transcript]")
    transcript.get_by_text("Für Aktuelles aus der Stadt drücken Sie die 1.").wait_for()
    page.keyboard.press("1")  # the keyboard works like the keypad
    transcript.get_by_text("Das Bürgertelefon ist da.", exact=False).wait_for()
    page.get_by_role("button", name="1", exact=True).click()
    transcript.get_by_text("Digital-Sprechstunde", exact=False).first.wait_for()
    page.get_by_label("Oder etwas sagen (Sprache)").fill("zurück")
    page.get_by_role("button", name="Sagen", exact=True).click()
    transcript.get_by_text("Für die digitalen Projekte der Stadt drücken Sie die 2.").nth(
        1
    ).wait_for()  # the main menu again
    page.get_by_role("button", name="Auflegen").click()
    assert page.evaluate("window.spoken.length") > 0  # read aloud with the browser's speech synthesis

    page.get_by_label("Ihre SMS an das Bürgertelefon", exact=False).fill("NEU")
    page.get_by_role("button", name="Senden").click()
    page.locator("[data-chat] li.theirs").first.wait_for()
    assert (
        page.locator("[data-chat] li.theirs p")
        .first.inner_text()
        .startswith("Aktuelles aus Kaiserslautern: 1) Das Bürgertelefon ist da.")
    )


def test_the_simulator_has_no_serious_accessibility_violations(site, audited_page) -> None:
    audited_page.goto(site.url + "/simulator")
    assert serious_violations(audited_page) == []
    audited_page.get_by_role("button", name="Anrufen").click()
    audited_page.locator("[data-transcript] li").first.wait_for()
    assert serious_violations(audited_page) == []


def test_the_preview_marks_a_too_long_sms_and_says_what_english_subscribers_get(app, site, page) -> None:
    add_account(app, "redaktion@kaiserslautern.de", "editor")
    log_in(page, site, "redaktion@kaiserslautern.de")
    page.goto(site.url + "/staff/announcements/new")
    german, english = page.locator("fieldset[data-language=de]"), page.locator("fieldset[data-language=en]")
    german.get_by_label("Titel").fill("Sommerfest")
    german.get_by_label("Text für das Internet").fill("Wir feiern am Rathaus mit Musik. " * 9 + "Bis Sonntag 🎉")
    german.locator("[data-out=too-long]").filter(has_text="Zu lang").wait_for()
    assert german.locator("mark[data-part=cut]").inner_text().endswith("Bis Sonntag 🎉. Abbestellen: STOP")
    assert (
        "🎉 bleibt, aber die ganze SMS wird mit Sonderzeichen gesendet"
        in german.locator("[data-out=changes]").inner_text()
    )
    english.locator("[data-out=gets]").filter(has_text="Hinweis „Only in German:“").wait_for()
    page.get_by_label("nichts – diese Meldung erreicht sie nicht").check()
    english.locator("[data-out=gets]").filter(has_text="Sie bekommen nichts").wait_for()
    assert english.locator("[data-part=sent]").inner_text() == "–"

    page.get_by_label("Auch an die Abonnentinnen und Abonnenten senden", exact=False).check()
    page.get_by_role("button", name="Jetzt veröffentlichen").click()
    assert "Bitte schreiben Sie eine kürzere SMS-Fassung." in page.locator("#sms_de-errors").inner_text()
    german = page.locator("fieldset[data-language=de]")
    german.get_by_label("SMS-Fassung (freiwillig)").fill("Sommerfest am Rathaus, bis Sonntag 🎉")
    sent = german.locator("[data-part=sent]")
    sent.filter(has_text="Kaiserslautern: Sommerfest am Rathaus, bis Sonntag 🎉 Abbestellen: STOP").wait_for()
    assert german.locator("[data-out=too-long]").is_hidden()
    assert german.locator("[data-out=segments]").inner_text() == "2"
