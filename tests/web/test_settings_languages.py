"""The town profile's languages: all eight can be enabled, ordered and voiced, Leichte Sprache slowly."""

from __future__ import annotations

import re

from content.profile import RETENTION_DAYS, Language
from content.snapshot import current
from tests.web.conftest import CALLING_TIMES

EIGHT = [
    "de de-DE Polly.Vicki-Neural",
    "tr tr-TR Polly.Burcu-Neural",
    "de@easy de-DE Polly.Vicki-Neural slow",
    "en en-GB Polly.Amy-Neural",
    "ru ru-RU Polly.Tatyana",
    "uk uk-UA Google.uk-UA-Wavenet-A",
    "ar ar-AE Polly.Hala-Neural",
    "pl pl-PL Polly.Ola-Neural",
]


def settings(languages: list[str]) -> dict[str, object]:
    return {
        "town": "Kaiserslautern",
        "timezone": "Europe/Berlin",
        "holidays_subdivision": "RP",
        "languages": languages,
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        **CALLING_TIMES,
    }


def test_an_admin_enables_all_eight_languages_in_her_order_with_leichte_sprache_spoken_slowly(app, admin) -> None:
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    assert page.count('<select id="languages-') == 8  # one list per language there is a voice for
    assert admin.submit("/staff/settings", settings(EIGHT)).status_code == 302
    with app.app_context():
        languages = current().profile.languages
    assert [language.code for language in languages] == ["de", "tr", "de@easy", "en", "ru", "uk", "ar", "pl"]
    assert languages[2] == Language("de@easy", "de-DE", "Polly.Vicki-Neural", slow=True)
    assert languages[5] == Language("uk", "uk-UA", "Google.uk-UA-Wavenet-A")
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    assert re.search(r'<option value="de@easy de-DE Polly.Vicki-Neural slow" selected>[^<]*immer langsam', page)


def test_the_voices_say_who_makes_them_a_google_voice_is_not_amazon_polly(admin) -> None:
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    ukrainian = re.findall(r'<option value="uk uk-UA [^"]+"[^>]*>([^<]*)</option>', page)
    assert ukrainian and all("Google" in label and "Polly" not in label for label in ukrainian), ukrainian
    turkish = re.findall(r'<option value="tr tr-TR [^"]+"[^>]*>([^<]*)</option>', page)
    assert turkish and all("Amazon Polly" in label for label in turkish), turkish


def test_a_voice_of_another_language_or_a_made_up_word_after_it_is_refused(app, admin) -> None:
    with app.app_context():
        before = current().profile.languages
    for wrong in ("uk uk-UA Polly.Tatyana", "de@easy de-DE Polly.Vicki-Neural fast"):
        assert admin.submit("/staff/settings", settings([EIGHT[0], wrong])).status_code == 422, wrong
    with app.app_context():
        assert current().profile.languages == before


def test_a_language_no_list_offers_is_added_with_its_own_line_once_its_catalog_is_there(app, admin) -> None:
    """A ninth language (its catalog installed) is one line: code, speech region, a Twilio voice.
    Without a catalog it is refused with a reason; a listed language keeps to its listed voices."""
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    assert 'id="languages-another" name="languages" value=""' in page
    refused = admin.submit("/staff/settings", settings([EIGHT[0], "it it-IT Polly.Bianca-Neural"]))
    assert refused.status_code == 422
    assert "Für die Sprache it gibt es noch keine Texte" in refused.get_data(as_text=True)
    assert admin.submit("/staff/settings", settings([EIGHT[0], "ar ar-SA Polly.Zayd-Neural"])).status_code == 422
    assert admin.submit("/staff/settings", settings([EIGHT[0], "de@easy de-DE Polly.Hans-Nope"])).status_code == 422


def test_a_language_taken_out_and_offered_again_greets_as_before(app, admin) -> None:
    with app.app_context():
        turkish_greeting = current().profile.greeting["tr"]
    # Taken out (the page still shows the greeting it sends), then offered again (no field for it).
    only_german = {**settings([EIGHT[0]]), "greeting_tr": turkish_greeting}
    assert admin.submit("/staff/settings", only_german).status_code == 302
    assert admin.submit("/staff/settings", settings(EIGHT)).status_code == 302
    with app.app_context():
        assert current().profile.greeting["tr"] == turkish_greeting
