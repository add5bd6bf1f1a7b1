"""The menu's pure functions, without HTTP: a call step in, the voice answer out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from content.profile import Language, TownProfile
from content.snapshot import NewsItem, OpenPoll, RoadmapProject
from ivr.call import Call, Heard
from ivr.menu import CALLBACK, respond
from ivr.nodes import MAIN, TAKE_PART, after_dial
from ivr.speaking import NORMAL_RATE, SLOW_RATE
from ivr.state import CallState
from telephony.calls import PutThrough
from telephony.voice import Ask, Connect, GoTo, HangUp, Say, VoiceAnswer

ENGLISH = Language("en", "en-GB", "Polly.Amy-Neural")
STAFF = "+496313650"
TOWN = TownProfile(
    town="Teststadt",
    staff_number=STAFF,
    office_hours={day: [["08:00", "16:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    languages=(ENGLISH,),
)
BERLIN = ZoneInfo("Europe/Berlin")
FIRST_STEP = CallState()


@dataclass(frozen=True)
class NoContent:
    announcements: tuple[NewsItem, ...] = ()
    projects: tuple[RoadmapProject, ...] = ()
    polls: tuple[OpenPoll, ...] = ()


def url(node: str, state: CallState) -> str:
    return f"/voice/{node}?{urlencode(state.query())}"


def call_at(hour: int, state: CallState = FIRST_STEP) -> Call:
    """A call on a Tuesday (office hours 8 to 16) at hour."""
    return Call(TOWN, state, datetime(2026, 11, 24, hour, tzinfo=BERLIN), NoContent(), url)


def ask(answer: VoiceAnswer) -> Ask:
    asks = [command for command in answer.commands if isinstance(command, Ask)]
    assert len(asks) == 1, answer.commands
    return asks[0]


def following(call: Call, address: str) -> Call:
    """The call as it goes on at address (an Ask's action or a GoTo): the state rides in its query."""
    state = CallState.from_query(dict(parse_qsl(urlsplit(address).query)))
    return Call(call.profile, state, call.now, call.content, url)


def rates(answer: VoiceAnswer) -> set[str]:
    """The speaking rates of everything said, prompts included."""
    says = [say for command in answer.commands for say in (command.prompt if isinstance(command, Ask) else (command,))]
    return {say.rate for say in says if isinstance(say, Say)}


def test_silence_brings_the_menu_again_and_then_a_slower_i_did_not_hear_anything() -> None:
    call = call_at(10)
    first = respond(MAIN, call, Heard())
    assert ask(first).prompt == ask(respond(MAIN, call, Heard(key="*"))).prompt
    go_on = first.commands[-1]
    assert isinstance(go_on, GoTo)
    second = respond(MAIN, following(call, go_on.url), Heard())
    assert second.spoken.startswith("I did not hear anything. For news from the city, press 1.")
    assert rates(second) == {SLOW_RATE}


def test_silence_twice_after_office_hours_offers_the_call_back_and_the_third_says_goodbye() -> None:
    answer = respond(MAIN, call_at(20, CallState(silences=2)), Heard())
    assert answer.spoken.startswith("I still did not hear anything. Nobody is in the office now, but we can call")
    assert "To ask for the call back, press 1." in answer.spoken
    assert "You can reach us Monday to Friday from 8 AM to 4 PM." in answer.spoken
    assert urlsplit(ask(answer).action).path == "/voice/callback"
    go_on = answer.commands[-1]
    assert isinstance(go_on, GoTo)
    last = respond(CALLBACK, following(call_at(20), go_on.url), Heard())
    assert last.spoken == "You are welcome to call this line again at any time. Thank you for calling. Goodbye!"
    assert isinstance(last.commands[-1], HangUp)
    assert not any(isinstance(command, (Ask, Connect)) for command in last.commands)


def test_silence_twice_in_office_hours_puts_the_caller_through_to_staff() -> None:
    answer = respond(MAIN, call_at(10, CallState(silences=2)), Heard())
    assert answer.spoken.startswith("I still did not hear anything. One moment please.")
    put_through = answer.commands[-1]
    assert isinstance(put_through, Connect) and put_through.number == STAFF
    assert urlsplit(put_through.action).path == "/voice/dialled"


def test_an_unused_key_is_named_and_the_menu_is_presented_again() -> None:
    answer = respond(MAIN, call_at(10), Heard(key="7"))
    assert answer.spoken.startswith("The key 7 is not used here. For news from the city, press 1.")
    assert urlsplit(ask(answer).action).path == "/voice/main"


def test_star_repeats_the_menu_and_star_again_repeats_it_slower() -> None:
    call = call_at(10)
    once = respond(MAIN, call, Heard(key="*"))
    twice = respond(MAIN, following(call, ask(once).action), Heard(key="*"))
    assert once.spoken == twice.spoken
    assert rates(once) == {NORMAL_RATE} and rates(twice) == {SLOW_RATE}


def test_spoken_words_choose_what_their_key_would() -> None:
    call = call_at(10)
    by_words = respond(MAIN, call, Heard(speech="I would like to take part"))
    assert by_words == respond(MAIN, call, Heard(key="3"))
    assert urlsplit(ask(by_words).action).path == f"/voice/{TAKE_PART.name}"


def test_words_that_mean_no_key_are_not_understood_and_the_menu_follows() -> None:
    answer = respond(MAIN, call_at(10), Heard(speech="potato salad"))
    assert answer.spoken.startswith("I am sorry, I did not understand that. For news from the city, press 1.")


def test_after_talking_to_staff_the_call_ends_and_after_no_answer_the_call_back_is_offered() -> None:
    talked = after_dial(call_at(10), PutThrough.TALKED)
    assert isinstance(talked.commands[-1], HangUp) and talked.spoken.endswith("Goodbye!")
    for ended in (PutThrough.BUSY, PutThrough.NO_ANSWER, PutThrough.FAILED, None):
        nobody = after_dial(call_at(10), ended)
        assert nobody.spoken.startswith(
            "I am sorry, nobody is free at the moment. We can call you back on Wednesday, November 25"
        )
        assert urlsplit(ask(nobody).action).path == "/voice/callback"
