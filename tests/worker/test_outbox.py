"""The outbox: broadcasts queued in the database, sent by the worker through the real twilio client
to a fake of Twilio's API on loopback; retries, opt-outs, delivery reports, crash recovery."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from content import db, outbox
from content.models import (
    DELIVERED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    SUBSCRIBED,
    UNDELIVERED,
    UNKNOWN,
    UNSUBSCRIBED,
    Announcement,
    OutboundMessage,
    Subscriber,
)
from tests.conftest import ACCOUNT, AUTH_TOKEN
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import BASE_URL
from worker import cli
from worker.sending import run

ROOT = Path(__file__).resolve().parent.parent.parent


def subscribe(session, count: int, language: str = "de", status: str = SUBSCRIBED, start: int = 0) -> list[str]:
    numbers = [f"+49151{n:08d}" for n in range(start, start + count)]
    session.add_all(Subscriber(number=n, language=language, status=status, topics=[]) for n in numbers)
    session.commit()
    return numbers


def send_news(app, session) -> int:
    announcement = session.scalars(select(Announcement).order_by(Announcement.publish_at.desc().nulls_last())).first()
    result = app.test_cli_runner().invoke(args=["news", "send", str(announcement.id)])
    assert result.exit_code == 0, result.output
    return int(result.output.split()[1].rstrip(":"))


def work(app) -> None:
    with app.app_context():
        run(cli.make_worker(), until_idle=True)


def rows(session) -> list[OutboundMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def test_a_broadcast_reaches_every_subscriber_once_in_their_language(app, session, provider) -> None:
    german = subscribe(session, 5)
    english = subscribe(session, 3, language="en", start=100)
    stopped = subscribe(session, 2, status=UNSUBSCRIBED, start=200)
    broadcast_id = send_news(app, session)
    assert outbox.progress(session, broadcast_id) == {QUEUED: 8}
    work(app)
    assert outbox.progress(session, broadcast_id) == {SENT: 8}
    for number in german:
        assert [m["body"] for m in provider.sent_to(number)] == [
            "Kaiserslautern: Das Bürgertelefon ist da. Ab sofort erfahren Sie am Telefon, was es Neues gibt und "
            "wie die digitalen Projekte der Stadt vorankommen. Alles, was Sie brauchen, ist ein Telefon. "
            "Abbestellen: STOP"
        ]
    for number in english:
        assert len(provider.sent_to(number)) == 1 and provider.sent_to(number)[0]["body"].startswith(
            "Kaiserslautern: The citizens' line is here."
        )
    assert all(not provider.sent_to(number) for number in stopped)
    assert {m["status_callback"] for m in provider.messages} == {
        f"{BASE_URL}/sms/status?outbox={r.id}" for r in rows(session)
    }


def test_the_same_idempotency_key_is_queued_once(app, session, clock) -> None:
    for _ in range(3):
        outbox.enqueue(session, recipient="+4915100000001", body="„Hallo“ – Test…", key="reply-SM1", now=clock())
    session.commit()
    assert [(r.idempotency_key, r.body) for r in rows(session)] == [("reply-SM1", '"Hallo" - Test...')]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_provider_trouble_is_retried_later_and_sent_once(app, session, provider, clock, status) -> None:
    number = subscribe(session, 1)[0]
    provider.fail(number, status)
    send_news(app, session)
    work(app)
    (message,) = rows(session)
    assert (message.status, message.attempts) == (QUEUED, 1) and message.next_attempt_at > clock()
    assert provider.sent_to(number) == []
    clock.now += timedelta(minutes=1)
    work(app)
    (message,) = rows(session)
    assert (message.status, message.attempts) == (SENT, 2) and len(provider.sent_to(number)) == 1


def test_a_permanent_error_is_not_retried(app, session, provider, clock) -> None:
    number = subscribe(session, 1)[0]
    provider.fail(number, 400, code=21211)
    send_news(app, session)
    work(app)
    clock.now += timedelta(hours=1)
    work(app)
    (message,) = rows(session)
    assert message.status == FAILED and message.attempts == 1 and "21211" in message.error
    # Twilio's message quotes the number ("The 'To' number +49151… is not valid"): not stored.
    said = "Unable to create record: The 'To' number [number] is not a valid phone number."
    assert message.error == f"provider answered 400: code 21211: {said}"


def test_error_21610_ends_the_subscription(app, session, provider) -> None:
    number = subscribe(session, 1)[0]
    provider.fail(number, 400, code=21610)
    send_news(app, session)
    work(app)
    assert rows(session)[0].status == FAILED
    assert session.scalar(select(Subscriber.status).where(Subscriber.number == number)) == UNSUBSCRIBED


def test_delivery_reports_update_the_status_and_unknown_ones_are_ignored(app, session, provider, signer) -> None:
    subscribe(session, 1)
    send_news(app, session)
    work(app)
    (message,) = rows(session)
    url = f"{BASE_URL}/sms/status?outbox={message.id}"
    assert signer.post(url, {"MessageSid": message.provider_id, "MessageStatus": "delivered"}).status_code == 204
    assert (
        signer.post(url, {"MessageSid": message.provider_id, "MessageStatus": "sent"}).status_code == 204
    )  # late, older
    assert rows(session)[0].status == DELIVERED
    assert (
        signer.post(
            f"{BASE_URL}/sms/status?outbox=999999", {"MessageSid": "SMx", "MessageStatus": "failed"}
        ).status_code
        == 204
    )
    assert (
        signer.post(f"{BASE_URL}/sms/status?outbox=abc", {"MessageSid": "SMx", "MessageStatus": "failed"}).status_code
        == 204
    )
    assert signer.post(url, {"MessageSid": "SMother", "MessageStatus": "failed"}).status_code == 204
    assert rows(session)[0].status == DELIVERED
    assert (
        app.test_client().post(url, data={"MessageSid": message.provider_id, "MessageStatus": "failed"}).status_code
        == 403
    )


def test_a_message_left_sending_is_marked_sent_if_the_provider_has_it_else_sent_again(
    app, session, provider, clock
) -> None:
    reached, lost = subscribe(session, 2)
    send_news(app, session)
    with app.app_context():
        worker = cli.make_worker()
        claimed = worker.claim()
        worker.sender.send(claimed[0].recipient, claimed[0].body, None)  # the provider got it; then the worker died
    assert {r.status for r in rows(session)} == {SENDING}
    clock.now += timedelta(minutes=5)
    work(app)
    assert [r.status for r in rows(session)] == [SENT, SENT]
    assert len(provider.sent_to(reached)) == 1 and len(provider.sent_to(lost)) == 1


def test_a_message_whose_fate_nobody_knows_is_shown_as_unknown(app, session, provider, clock) -> None:
    subscribe(session, 1)
    send_news(app, session)
    with app.app_context():
        cli.make_worker().claim()
    provider.stop()
    clock.now += timedelta(minutes=5)
    work(app)
    assert rows(session)[0].status == UNKNOWN


def test_without_credentials_the_demo_delivers_locally(app, session, capsys) -> None:
    subscribe(session, 2)
    send_news(app, session)
    work(app)
    assert [r.status for r in rows(session)] == [DELIVERED, DELIVERED]
    printed = capsys.readouterr().out
    assert "Das Bürgertelefon ist da" in printed and "+4915100000000" not in printed


def test_a_worker_killed_mid_broadcast_and_restarted_sends_every_message_exactly_once(
    app, session, database_url, tmp_path
) -> None:
    fake = FakeTwilioApi(ACCOUNT, AUTH_TOKEN, delay=0.01).start()
    numbers = subscribe(session, 150)
    send_news(app, session)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HOTLINE_INSTANCE_PATH": str(tmp_path / "worker"),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_PHONE_NUMBER": "+496313651000",
        "TWILIO_API_BASE_URL": fake.url,
        "SECRET_KEY": "s",
        "PSEUDONYM_KEY": "p",
        "SMS_PER_SECOND": "0",
        "OUTBOX_STALE_SECONDS": "0.5",
    }
    command = [sys.executable, "-m", "flask", "--app", "app", "outbox", "run"]
    fake.hold_after(40)  # the provider takes 40, then holds what the worker has in flight
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while fake.waiting == 0 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.01)
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        fake.release()  # what the dead worker sent reaches the provider; the worker never heard back
        assert 40 < len(fake.messages) < 150
        time.sleep(0.6)  # let what the dead worker held go stale
        restart = subprocess.run([*command, "--until-idle"], cwd=ROOT, env=env, capture_output=True, timeout=120)
        assert restart.returncode == 0, restart.stderr.decode()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if worker.stderr:
            worker.stderr.close()
        fake.stop()
    assert sorted(m["to"] for m in fake.messages) == sorted(numbers)  # each exactly once
    with app.app_context():
        statuses = (
            db.session().execute(select(OutboundMessage.status, func.count()).group_by(OutboundMessage.status)).all()
        )
    assert dict(statuses) == {SENT: 150}


def test_the_pacer_keeps_to_the_configured_rate() -> None:
    from worker.sending import Pacer

    pacer = Pacer(per_second=50)
    started = time.monotonic()
    for _ in range(11):
        pacer.wait()
    assert time.monotonic() - started >= 10 / 50 * 0.95  # ten intervals of 20 ms after the first send
    assert Pacer(per_second=0).interval == 0  # pacing off: no waiting at all


def test_topic_subscribers_get_their_topic_and_the_general_news_only(app, session, clock) -> None:
    session.add_all(
        [
            Subscriber(number="+4915100001001", language="de", status=SUBSCRIBED, topics=[]),
            Subscriber(number="+4915100001002", language="de", status=SUBSCRIBED, topics=["mobility"]),
            Subscriber(number="+4915100001003", language="de", status=SUBSCRIBED, topics=["urban_development"]),
        ]
    )
    session.commit()
    item = session.scalars(select(Announcement)).first()
    general = outbox.broadcast(session, item, languages=["de", "en"], author="t", now=clock())
    mobility = outbox.broadcast(session, item, languages=["de", "en"], author="t", now=clock(), topic="mobility")
    session.commit()

    def recipients(sent) -> set[str]:
        return set(session.scalars(select(OutboundMessage.recipient).where(OutboundMessage.broadcast_id == sent.id)))

    assert recipients(general) == {"+4915100001001", "+4915100001002", "+4915100001003"}
    assert recipients(mobility) == {"+4915100001001", "+4915100001002"}  # "urban_development" must not match "mobility"


def test_a_delivery_report_that_the_recipient_opted_out_ends_the_subscription(app, session, provider, signer) -> None:
    subscribe(session, 1)
    send_news(app, session)
    work(app)
    (message,) = rows(session)
    report = {"MessageSid": message.provider_id, "MessageStatus": "undelivered", "ErrorCode": "21610"}
    assert signer.post(f"{BASE_URL}/sms/status?outbox={message.id}", report).status_code == 204
    session.expire_all()
    assert (rows(session)[0].status, rows(session)[0].error) == (UNDELIVERED, "code 21610")
    assert session.scalar(select(Subscriber.status).where(Subscriber.number == message.recipient)) == UNSUBSCRIBED


def test_news_send_refuses_a_draft_and_a_second_send_without_again(app, session, clock) -> None:
    subscribe(session, 1)
    draft = Announcement(publish_at=None, texts={"de": {"title": "Entwurf", "body": "Noch nicht freigegeben."}})
    session.add(draft)
    session.commit()
    refused = app.test_cli_runner().invoke(args=["news", "send", str(draft.id)])
    assert refused.exit_code != 0 and "not public now" in refused.output
    send_news(app, session)
    public = session.scalars(select(Announcement).order_by(Announcement.publish_at.desc().nulls_last())).first()
    twice = app.test_cli_runner().invoke(args=["news", "send", str(public.id)])
    assert twice.exit_code != 0 and "add --again" in twice.output
    assert len(rows(session)) == 1
    again = app.test_cli_runner().invoke(args=["news", "send", str(public.id), "--again"])
    assert again.exit_code == 0, again.output
    assert len(rows(session)) == 2


def test_in_production_the_worker_refuses_to_start_without_a_way_to_send(app, session, capsys) -> None:
    """The console stand-in prints each SMS: fine for the demo, never for residents' messages."""
    subscribe(session, 1)
    send_news(app, session)
    app.config.update(HOTLINE_ENV="production", TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_PHONE_NUMBER=None)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--until-idle"])
    assert result.exit_code == 1
    assert "No SMS can be sent: set TWILIO_ACCOUNT_SID and TWILIO_PHONE_NUMBER" in result.output
    assert "Das Bürgertelefon ist da" not in capsys.readouterr().out + result.output
    assert [r.status for r in rows(session)] == [QUEUED]


def publish(session, clock, texts: dict, untranslated: str) -> Announcement:
    item = Announcement(texts=texts, untranslated=untranslated, publish_at=clock())
    session.add(item)
    session.commit()
    return item


GERMAN_ONLY = {"de": {"title": "Neue Bänke", "body": "Am Rathaus stehen jetzt fünf Bänke."}}
BOTH = {**GERMAN_ONLY, "en": {"title": "New benches", "body": "There are five new benches at the town hall."}}


@pytest.mark.parametrize(
    ("texts", "untranslated", "english_gets"),
    [
        (BOTH, "note", ["Kaiserslautern: New benches. There are five new benches at the town hall. Unsubscribe: STOP"]),
        (BOTH, "skip", ["Kaiserslautern: New benches. There are five new benches at the town hall. Unsubscribe: STOP"]),
        (
            GERMAN_ONLY,
            "note",
            ["Kaiserslautern: Only in German: Neue Bänke. Am Rathaus stehen jetzt fünf Bänke. Unsubscribe: STOP"],
        ),
        (GERMAN_ONLY, "skip", []),
    ],
)
def test_each_subscriber_gets_the_news_in_their_language_or_as_the_rule_for_untranslated_ones_says(
    app, session, provider, clock, texts, untranslated, english_gets
) -> None:
    (german,) = subscribe(session, 1)
    (english,) = subscribe(session, 1, language="en", start=100)
    item = publish(session, clock, texts, untranslated)
    outbox.broadcast(session, item, languages=["de", "en"], author="t", now=clock())
    session.commit()
    work(app)
    assert [m["body"] for m in provider.sent_to(german)] == [
        "Kaiserslautern: Neue Bänke. Am Rathaus stehen jetzt fünf Bänke. Abbestellen: STOP"
    ]
    assert [m["body"] for m in provider.sent_to(english)] == english_gets


def test_a_broadcast_is_signed_with_the_towns_short_name_and_never_cut(app, session, provider, clock) -> None:
    from content import queries

    profile = queries.town_profile(session)
    queries.save_town_profile(session, dataclasses.replace(profile, short_name="Stadt Kaiserslautern"))
    (number,) = subscribe(session, 1)
    body = "Sehr lang. " * 40
    item = publish(session, clock, {"de": {"title": "Lang", "body": body}}, "note")
    outbox.broadcast(session, item, languages=["de"], author="t", now=clock())
    session.commit()
    work(app)
    (sent,) = provider.sent_to(number)
    assert sent["body"] == f"Stadt Kaiserslautern: Lang. {body.strip()} Abbestellen: STOP"
