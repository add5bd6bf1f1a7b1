"""What each menu is for, in one short sentence: what a caller hears after "Hilfe" or "help"."""

from __future__ import annotations

from content.i18n import N_

# What the menus of key 4 are for, whoever calls: the same sentence that opens them.
KEY_4 = N_(
    "Here you can get the city's news by SMS or by phone call, and hear or erase what we keep about your number."
)
CALLBACK = N_("Here you can ask the city to call you back on the number you are calling from.")
CHOOSING_CALLS = N_("Here you choose how often and when the city calls you with its news.")

# By menu name (ivr.tree.NODES); a menu not listed here gets GENERAL.
PURPOSES = {
    "main": N_("This is the city's phone line: news, the city's digital projects, and ways to take part."),
    "language": N_("Here you choose the language you hear this line in."),
    "news": N_("Here you hear the city's announcements one by one, the newest first."),
    "projects": N_("Here you hear the city's digital projects one by one, with their latest news."),
    "subscribe": KEY_4,
    "sms-subscribed": KEY_4,
    "subscribe-sms": KEY_4,
    "sms-subscribed-only": KEY_4,
    "landline": N_(
        "Here you can get the city's news as a phone call, and hear or erase what we keep about your number."
    ),
    "calls-subscribed": KEY_4,
    "erase": N_("Here you can erase what we keep about your number. Nothing is erased before you press 1."),
    "take-part": N_("Here you can vote, leave a message for the city, or ask to be called back."),
    "choose-poll": N_("Here you choose which of the city's questions you want to answer."),
    "poll": N_("Here you answer the city's question by choosing one of the answers."),
    "confirm-vote": N_("Here you confirm your vote, or choose again."),
    "callback": CALLBACK,
    "calls-how-often": CHOOSING_CALLS,
    "calls-weekday": CHOOSING_CALLS,
    "calls-when": CHOOSING_CALLS,
    "calls-consent": CHOOSING_CALLS,
    "answering-machine": N_("Here you choose what happens when your answering machine takes the city's call."),
    "calls-stop": N_("Here you can stop the city's calls with the news. Nothing changes before you press 1."),
    "call-news": N_("This is a call from the city with its news. You can hear it again, or stop these calls."),
    "call-callback": CALLBACK,
}
GENERAL = N_("This is the city's phone line. You can press a key, or simply say what you would like.")


def purpose(menu: str) -> str:
    """The message that says what the menu named menu is for."""
    return PURPOSES.get(menu, GENERAL)
