"""Delivery reports lost while the database was away: /sms/status fails so that Twilio sees it,
and the worker later asks Twilio (the real twilio client, a fake of its API on loopback) what
became of each message."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import create_app
from content.models import DELIVERED, SENT, SUBSCRIBED, UNDELIVERED, UNSUBSCRIBED, Subscriber
from tests.conftest import AUTH_TOKEN
from tests.twilio_fake import BASE_URL, Signer, Texter
from tests.worker.test_outbox import rows, send_news, subscribe, work
from worker import cli, delivery

UNREACHABLE_DATABASE = "postgresql://nobody@127.0.0.1:9/none"


def sent(app, session, count: int) -> list:
    subscribe(session, count)
    send_news(app, session)
    work(app)
    messages = rows(session)
    assert [m.status for m in messages] == [SENT] * count
    return messages


def chores_of(app):
    with app.app_context():
        return cli.make_chores()


def test_with_the_database_gone_a_delivery_report_fails_so_that_twilio_sees_it(app, client) -> None:
    client.get("/")  # the town profile is now the last known one
    broken = create_app(
        {
            "DATABASE_URL": UNREACHABLE_DATABASE,
            "INSTANCE_PATH": app.instance_path,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "SECRET_KEY": "s",
            "PSEUDONYM_KEY": "p",
        }
    )
    signer = Signer(broken.test_client(), AUTH_TOKEN)
    report = {"MessageSid": "SM" + "1" * 32, "MessageStatus": "delivered"}
    response = signer.post(f"{BASE_URL}/sms/status?outbox=1", report)
    assert (response.status_code, response.data) == (503, b"")
    assert "technisches Problem" in Texter(signer).send("NEU")  # a person texting still gets an apology


def test_reports_that_never_came_are_asked_for_after_half_an_hour(app, session, provider, clock) -> None:
    delivered, opted_out, on_its_way = sent(app, session, 3)
    provider.reports(delivered.provider_id, "delivered")
    provider.reports(opted_out.provider_id, "undelivered", error_code=21610)
    chores = chores_of(app)

    clock.now += timedelta(minutes=29)
    chores()
    assert provider.looked_up == []  # the reports may still come

    clock.now += timedelta(minutes=6)  # the next round, five minutes after the last
    chores()
    assert sorted(provider.looked_up) == sorted(m.provider_id for m in (delivered, opted_out, on_its_way))
    assert [(m.status, m.error) for m in rows(session)] == [
        (DELIVERED, None),
        (UNDELIVERED, "code 21610"),
        (SENT, None),
    ]
    statuses = dict(session.execute(select(Subscriber.number, Subscriber.status)).all())
    assert (statuses[opted_out.recipient], statuses[delivered.recipient]) == (UNSUBSCRIBED, SUBSCRIBED)

    clock.now += timedelta(minutes=10)
    chores()
    assert len(provider.looked_up) == 3  # the one still on its way is asked about half an hour later

    clock.now += timedelta(minutes=20)
    chores()
    assert provider.looked_up[3:] == [on_its_way.provider_id]
    provider.reports(on_its_way.provider_id, "delivered")

    clock.now += timedelta(days=3)
    chores()
    assert provider.looked_up[4:] == [] and rows(session)[2].status == SENT  # three days on: no more asking


def test_a_provider_in_trouble_ends_the_round_and_is_asked_again_later(app, session, provider, clock) -> None:
    first, second = sent(app, session, 2)
    provider.reports(first.provider_id, "delivered")
    provider.reports(second.provider_id, "delivered")
    provider.fail(first.provider_id, 503)
    chores = chores_of(app)
    clock.now += timedelta(minutes=31)
    chores()
    assert provider.looked_up == [] and [m.status for m in rows(session)] == [SENT, SENT]
    clock.now += timedelta(minutes=4)
    chores()
    assert provider.looked_up == []  # the next round comes five minutes later
    clock.now += timedelta(minutes=1)
    chores()
    assert [m.status for m in rows(session)] == [DELIVERED, DELIVERED]


def test_a_full_batch_is_followed_by_the_next_at_once(app, session, provider, clock) -> None:
    messages = sent(app, session, delivery.BATCH + 5)
    chores = chores_of(app)
    clock.now += timedelta(minutes=31)
    chores()
    assert len(provider.looked_up) == delivery.BATCH
    chores()
    assert sorted(provider.looked_up) == sorted(m.provider_id for m in messages)  # each asked once
    chores()
    assert len(provider.looked_up) == delivery.BATCH + 5
