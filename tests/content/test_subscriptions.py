"""Subscribing, stopping and the reply language: one rule for SMS and the phone."""

from __future__ import annotations

from sqlalchemy import select

from content import subscriptions
from content.models import SUBSCRIBED, UNSUBSCRIBED, Subscriber
from tests.twilio_fake import CALLER_NUMBER


def test_a_new_subscription_replaces_the_topics_an_earlier_one_chose(session, clock) -> None:
    subscriptions.subscribe(
        session,
        CALLER_NUMBER,
        language="de",
        channel="sms",
        wording="START MOBILITÄT",
        now=clock(),
        topics=["mobility"],
    )
    subscriptions.stop(session, CALLER_NUMBER, language="de", now=clock(), channel="sms")
    renewed = subscriptions.subscribe(
        session, CALLER_NUMBER, language="en", channel="phone", wording="every item", now=clock()
    )
    assert (renewed.status, renewed.topics, renewed.language) == (SUBSCRIBED, [], "en")
    assert (renewed.consent_channel, renewed.consent_wording, renewed.stopped_at) == ("phone", "every item", None)


def test_stop_from_a_number_never_subscribed_is_remembered_as_stopped(session, clock) -> None:
    subscriptions.stop(session, CALLER_NUMBER, language="de", now=clock(), channel="sms")
    stopped = subscriptions.find(session, CALLER_NUMBER)
    assert stopped is not None and (stopped.status, stopped.stopped_at) == (UNSUBSCRIBED, clock())
    assert not subscriptions.already_has(stopped)


def test_choosing_a_language_keeps_the_subscription_as_it_is(session, clock) -> None:
    subscriptions.subscribe(session, CALLER_NUMBER, language="de", channel="sms", wording="START", now=clock())
    subscriptions.choose_language(session, CALLER_NUMBER, "en")
    chosen = subscriptions.find(session, CALLER_NUMBER)
    assert chosen is not None and (chosen.language, chosen.status, chosen.consent_wording) == (
        "en",
        SUBSCRIBED,
        "START",
    )


def test_after_a_topic_by_sms_and_stop_subscribing_on_the_phone_brings_every_announcement(
    texter, caller, session
) -> None:
    texter.send("START MOBILITÄT")
    texter.send("STOP")
    caller.call().press("4").press("1")
    assert caller.heard.startswith("Vielen Dank. Sie bekommen gleich eine SMS zur Bestätigung.")
    session.expire_all()
    subscriber = session.scalar(select(Subscriber))
    assert (subscriber.status, subscriber.consent_channel, subscriber.topics) == (SUBSCRIBED, "phone", [])


def test_a_caller_with_one_topic_who_agrees_on_the_phone_gets_every_announcement(texter, caller, session) -> None:
    texter.send("START MOBILITÄT")
    caller.call().press("4").press("1")
    assert caller.heard.startswith("Vielen Dank. Sie bekommen gleich eine SMS zur Bestätigung.")
    session.expire_all()
    assert session.scalar(select(Subscriber)).topics == []
    caller.call().press("4")
    assert "Sie bekommen die Neuigkeiten schon per SMS." in caller.heard
