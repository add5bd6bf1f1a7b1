"""flask call and flask text: the hotline in a terminal, through the real signed webhooks."""

from __future__ import annotations

from sqlalchemy import select

from content import outbox
from content.models import DELIVERED, OutboundMessage
from content.phone import SIMULATED_NUMBER, is_simulated
from telephony.local import CallerDoes
from web.simulator import SimulatedPhone


def test_flask_text_answers_like_the_sms_service(app) -> None:
    result = app.test_cli_runner().invoke(args=["text", "NEU"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Aktuelles aus Kaiserslautern: 1) Das Bürgertelefon ist da.")


def test_flask_call_walks_the_menu_with_keys_words_and_silence(app) -> None:
    result = app.test_cli_runner().invoke(args=["call"], input="1\nzurück\nProjekte\n")
    assert result.exit_code == 0, result.output
    heard = result.output
    assert "Herzlich willkommen beim Bürgertelefon" in heard
    assert "Das Bürgertelefon ist da." in heard  # key 1: the news
    assert "Projekt Nummer 1: Autonomes Fahren und E-Mobilität." in heard  # the word "Projekte"
    assert heard.rstrip().endswith("(call ended)")
    assert "HTTP 403" not in heard


def test_the_simulator_signs_only_for_the_hotlines_own_voice_webhooks(app) -> None:
    phone = SimulatedPhone(app)
    assert phone.voice("/voice", CallerDoes()).status == 200
    for outside in ("https://evil.example/voice", "//evil.example/voice", "/staff/accounts", "/sms/status"):
        try:
            phone.voice(outside, CallerDoes())
        except ValueError:
            continue
        raise AssertionError(f"the simulator signed a request to {outside}")


def test_sms_to_a_simulated_phone_never_reach_the_provider(app, session, provider, clock) -> None:
    from worker import cli
    from worker.sending import run

    number = SIMULATED_NUMBER
    assert is_simulated(number) and not is_simulated("+4915112345678")
    outbox.enqueue(session, recipient=number, body="Hallo", key="sim-1", now=clock())
    session.commit()
    with app.app_context():
        run(cli.make_worker(), until_idle=True)
    session.expire_all()
    assert session.scalar(select(OutboundMessage)).status == DELIVERED
    assert provider.messages == []
