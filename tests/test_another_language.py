"""A seventh language takes a catalog and a setting, nothing else.

The code is copied as it is; into the copy goes one more catalog (Italian, made the way the README
says: from the template, translated, compiled), and the town profile enables it with a voice. Then
a caller from Italy, a texter and a web visitor are served in Italian. No line of code changes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from content.i18n import OWN_NAME
from sms import prompts

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRECTORIES = ("content", "telephony", "ivr", "sms", "web", "worker", "translations")
MARK = "[it]"
# Keyword names are words people type: real Italian ones, not marked.
ITALIAN_NAMES = {prompts.KEYWORD_NAMES["help"]: "AIUTO, INFO", prompts.KEYWORD_NAMES["news"]: "NOTIZIE"}


def italian_catalog() -> Catalog:
    """Every message of the code, "translated" recognisably: the mark, then the English."""
    catalog = Catalog(locale="it", project="Bürgertelefon")
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.xml", "jinja2")]
    keywords = {"N_": None, "N_plural": (1, 2), "_": None, "gettext": None, "ngettext": (1, 2)}
    for directory in ("content", "ivr", "sms", "web"):
        for _file, _line, message, *_ in extract_from_dir(ROOT / directory, method_map=method_map, keywords=keywords):
            if isinstance(message, tuple):
                catalog.add(message, (f"{MARK} {message[0]}", f"{MARK} {message[1]}"))
            elif message == OWN_NAME:
                catalog.add(message, "Italiano")
            else:
                catalog.add(message, ITALIAN_NAMES.get(message, f"{MARK} {message}"))
    return catalog


SCRIPT = """
import json, sys
from dataclasses import replace
from twilio.request_validator import RequestValidator
from app import create_app
from content import db, demo, migrate
from content.profile import Language
from content.queries import save_town_profile

settings = {"DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "k",
            "TWILIO_AUTH_TOKEN": "t", "PSEUDONYM_KEY": "p", "TESTING": True}
migrate.upgrade(db.make_engine(sys.argv[1]))
app = create_app(settings)
with app.app_context():
    demo.load(db.session(), demo.date.today())
    italian = Language("it", "it-IT", "Polly.Bianca-Neural")  # the setting
    profile = replace(demo.KAISERSLAUTERN, languages=(*demo.KAISERSLAUTERN.languages, italian))
    save_town_profile(db.session(), profile)
    db.session().commit()
import content
assert content.__file__.startswith(__import__("os").getcwd()), content.__file__
client = app.test_client()

def post(path, params):
    url = "http://localhost" + path
    signature = RequestValidator("t").compute_signature(url, params)
    return client.post(url, data=params, headers={"X-Twilio-Signature": signature}).get_data(as_text=True)

call = {"CallSid": "CA" + "1" * 32, "From": "+390612345678", "To": "+496990009000"}
sms = {"MessageSid": "SM" + "2" * 32, "From": "+393331234567", "To": "+496990009000", "Body": "AIUTO"}
print(json.dumps({
    "call": post("/voice", call),
    "sms": post("/sms", sms),
    "page": client.get("/?lang=it").get_data(as_text=True),
}))
"""


def test_a_seventh_language_needs_a_catalog_and_a_setting_nothing_else(tmp_path: Path) -> None:
    copy = tmp_path / "code"
    for name in CODE_DIRECTORIES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("app.py", "config.py"):
        shutil.copy(ROOT / name, copy / name)
    italian = copy / "translations" / "it" / "LC_MESSAGES"
    italian.mkdir(parents=True)
    catalog = italian_catalog()
    with open(italian / "messages.po", "wb") as po, open(italian / "messages.mo", "wb") as mo:
        write_po(po, catalog)
        write_mo(mo, catalog)

    database = f"sqlite:///{tmp_path / 'town.db'}"
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, database, str(tmp_path / "instance")],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    served = json.loads(run.stdout.strip().splitlines()[-1])

    # A caller from Italy hears the Italian offer in the Italian voice, before the German menu.
    call = served["call"]
    italian_say = call.index('voice="Polly.Bianca-Neural"')
    assert f"{MARK} " in call[italian_say:]
    assert italian_say < call.index("Für Aktuelles")
    # A texter who writes AIUTO is answered in Italian.
    assert f"{MARK} " in served["sms"]
    # The web page speaks Italian and names it in the language switch.
    assert 'lang="it"' in served["page"] and "Italiano" in served["page"]
