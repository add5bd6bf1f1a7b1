"""What texting leaves in the usage figures: the keyword by its name and what it changed, never
the number, its pseudonym or the words."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from content import usage
from content.models import UsageEvent
from content.privacy import pseudonym_of
from tests.conftest import written_events
from tests.content.test_erasure import rows_mentioning
from tests.factories import create_poll
from tests.twilio_fake import CALLER_NUMBER, Texter

OTHER_NUMBER = "+4915209876543"


def events(session) -> Counter[tuple[str, str, str, str, int]]:
    """Every usage event as (channel, kind, detail, call id or "", amount), counted."""
    session.expire_all()
    rows = session.execute(
        select(UsageEvent.channel, UsageEvent.kind, UsageEvent.detail, UsageEvent.call, UsageEvent.amount)
    ).all()
    return Counter((channel, kind, detail, call or "", amount) for channel, kind, detail, call, amount in rows)


def test_a_scripted_set_of_sms_leaves_exactly_these_events(app, session, clock, texter) -> None:
    poll = create_poll(session, clock())
    other = Texter(texter.signer, OTHER_NUMBER)
    texter.send("NEU")
    texter.send("neuigkeiten 2")  # another name of NEU, with an argument: still NEU
    texter.send("PROJEKT3")
    texter.send("HELP")  # the English name: counted by the town's first language's name
    texter.send("START")
    texter.send("START")  # already subscribed: the keyword again, no second subscription
    texter.send("IDEE 4 Bänke am Stiftsplatz")
    texter.send("FRAGE Wann ist das Bürgerbüro offen?")
    texter.send("ABSTIMMEN 2")
    texter.send("ABSTIMMEN 1")  # a changed vote is no second vote
    texter.send("RÜCKRUF")
    texter.send("Hallo, wer ist da?")  # no keyword
    texter.send("STOP")
    other.send("START")
    other.send("LÖSCHEN")
    other.send("LÖSCHEN JA")  # erased: the subscription ends with it
    written_events(app)

    keyword = (usage.SMS, usage.KEYWORD)
    assert events(session) == Counter(
        {
            (*keyword, "NEU", "", 1): 2,
            (*keyword, "PROJEKTE", "", 1): 1,
            (*keyword, "HILFE", "", 1): 1,
            (*keyword, "START", "", 1): 3,
            (*keyword, "IDEE", "", 1): 1,
            (*keyword, "FRAGE", "", 1): 1,
            (*keyword, "ABSTIMMEN", "", 1): 2,
            (*keyword, "RÜCKRUF", "", 1): 1,
            (*keyword, "unknown", "", 1): 1,
            (*keyword, "STOP", "", 1): 1,
            (*keyword, "LÖSCHEN", "", 1): 1,
            (*keyword, "LÖSCHEN JA", "", 1): 1,
            (usage.SMS, usage.SUBSCRIBED, usage.SMS, "", 1): 2,
            (usage.SMS, usage.UNSUBSCRIBED, usage.SMS, "", 1): 2,  # STOP, and the erasure
            (usage.SMS, usage.IDEA, "4", "", 1): 1,
            (usage.SMS, usage.QUESTION, "", "", 1): 1,
            (usage.SMS, usage.VOTE, str(poll.id), "", 1): 1,
            (usage.SMS, usage.CALLBACK, "", "", 1): 1,
            (usage.SMS, usage.ERASED, "", "", 1): 1,
        }
    )


def test_a_message_the_provider_sends_again_counts_once(app, session, texter) -> None:
    texter.send("NEU", sid="SM" + "7" * 32)
    texter.send("NEU", sid="SM" + "7" * 32)
    written_events(app)
    assert events(session) == Counter({(usage.SMS, usage.KEYWORD, "NEU", "", 1): 1})


def test_no_usage_event_holds_a_number_a_pseudonym_or_a_text(app, session, clock, texter) -> None:
    create_poll(session, clock())
    other = Texter(texter.signer, OTHER_NUMBER)
    texts = ["Ein Repair-Café in der Stadtbibliothek", "Gibt es WLAN im Bürgerbüro?", "Hallo wer ist da"]
    texter.send("START")
    texter.send(f"IDEE {texts[0]}")
    texter.send(f"FRAGE 2 {texts[1]}")
    texter.send(texts[2])
    texter.send("ABSTIMMEN 3")
    texter.send("RÜCKRUF")
    texter.send("SPRACHE EN")
    texter.send("DATEN")
    other.send("START")
    other.send("LÖSCHEN")
    other.send("LÖSCHEN JA")
    texter.send("STOP")
    written_events(app)
    needles = [*texts, "Repair", "WLAN", "Hallo"]
    for number in (CALLER_NUMBER, OTHER_NUMBER):
        needles += [number, number[3:], pseudonym_of(number)]
    session.expire_all()
    assert len(session.scalars(select(UsageEvent)).all()) >= 12  # the texting above was recorded
    found = rows_mentioning(session, needles)
    assert "usage_event" not in found and "usage_day" not in found
    assert "submission" in found  # the needles do find what they look for: the idea is stored
