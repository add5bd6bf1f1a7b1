"""Everything the hotline says, as catalog messages (English source, translated per language).

Keep sentences short and plain: they are heard once, by someone who may be hard of hearing.
"""

from content.i18n import N_, N_plural

# Welcome
WELCOME = N_("Welcome to the citizens' line of %(town)s.")
WELCOME_BACK = N_("Nice to hear from you again.")
NEW_SINCE_LAST_CALL = N_plural(
    "Since your last call there is %(count)s new announcement. Press 1 to hear it.",
    "Since your last call there are %(count)s new announcements. Press 1 to hear them.",
)
SPEAK_OR_PRESS = N_("You can also simply say what you would like.")

# Main menu
FOR_NEWS = N_("For news from the city, press 1.")
FOR_PROJECTS = N_("For the city's digital projects, press 2.")
FOR_TAKE_PART = N_("To take part, or to be called back, press 3.")
FOR_SUBSCRIBE = N_("For news by SMS or by phone call, and your data, press 4.")
FOR_PERSON = N_("To speak to a person, press 0.")
TO_REPEAT = N_("To hear this again, press the star key.")
FOR_LANGUAGE = N_("For %(language)s, press %(key)s.")
# When key 9 switches to one language at once (the one a caller's number suggests), the others are
# two presses away: 9 switches, and 9 again opens the language menu.
FOR_LANGUAGE_TWICE = N_("For %(language)s, press %(key)s twice.")
# At the start of a first call whose number suggests no language: each other language in brief,
# its name and the key ("Türkçe: 9"), so that a German caller waits seconds, not half a minute.
FOR_LANGUAGE_BRIEF = N_("%(language)s: %(key)s.")
FOR_OTHER_LANGUAGE = N_("For another language, press %(key)s.")
FOR_OTHER_LANGUAGE_TWICE = N_("For another language, press %(key)s twice.")
NOW_IN_LANGUAGE = N_("You will now hear the citizens' line in %(language)s.")

# Lists of news and projects
NEWS_COUNT = N_plural(
    "There is %(count)s announcement. The newest comes first.",
    "There are %(count)s announcements. The newest comes first.",
)
NO_NEWS = N_("There is no news at the moment.")
NEWS_ITEM = N_("Announcement %(position)s of %(total)s, from %(date)s.")
NEW_NEWS_ITEM = N_("New since your last call: announcement %(position)s of %(total)s, from %(date)s.")
END_OF_NEW = N_("Those were the new announcements. Now the older ones.")
LAST_NEWS = N_("That was the last announcement.")
NEXT_NEWS = N_("For the next announcement, press 1.")

PROJECT_COUNT = N_plural(
    "The city has %(count)s digital project. Here it is.",
    "The city has %(count)s digital projects. You will hear them one after another.",
)
NO_PROJECTS = N_("There are no projects to report at the moment.")
PROJECT_ITEM = N_("Project number %(number)s: %(title)s.")
# Before a project's title in another language (after the note that it exists only in that one).
PROJECT_NUMBER = N_("Project number %(number)s.")
PROJECT_STATUS = N_("Status: %(status)s.")
PROJECT_LATEST = N_("Latest news from %(date)s:")
PROJECT_NO_NEWS = N_("There is no progress report yet.")
LAST_PROJECT = N_("That was the last project.")
NEXT_PROJECT = N_("For the next project, press 1.")

REPEAT_OR_BACK = N_("To hear it again, press the star key. To go back to the main menu, press the hash key.")
ONLY_IN_LANGUAGE = N_("This is only available in %(language)s.")

# News by SMS (key 4), and "send me this as SMS" (key 2 in lists)
SUBSCRIBE_EXPLAIN = N_(
    "You will get every new announcement as an SMS on your mobile phone. You can end this at any time by texting STOP."
)
SUBSCRIBE_CONFIRM = N_("If you agree, press 1. To go back, press the hash key.")
SUBSCRIBED_BY_PHONE = N_("Thank you. You will get an SMS to confirm it shortly.")
ALREADY_SUBSCRIBED = N_("You already get the news by SMS.")
NEEDS_MOBILE = N_("For SMS we need a mobile number. You are calling from a landline, or your number is withheld.")
SEND_AS_SMS = N_("To get this as an SMS, press 2.")
SMS_ON_ITS_WAY = N_("The SMS is on its way.")
# The confirmation SMS; the same words as the SMS service's answer to START.
SUBSCRIBED_SMS = N_("You will now get the news of %(town)s by SMS. To end this at any time, send STOP.")

# Taking part (key 3)
FOR_POLL = N_("To vote in the city's poll, press %(key)s.")
FOR_POLLS = N_("To vote in one of the city's polls, press %(key)s.")
POLLS_COUNT = N_plural(
    "The city asks %(count)s question at the moment.", "The city asks %(count)s questions at the moment."
)
POLL_PICK = N_("Question %(key)s: %(question)s")
POLLS_HOW = N_("Press the number of the question you want to answer.")
FOR_MESSAGE = N_("To leave a message for the city, press %(key)s.")
FOR_CALLBACK = N_("To be called back by the city, press %(key)s.")
BACK_TO_MAIN = N_("To go back to the main menu, press the hash key.")
POLL_QUESTION = N_("The city asks: %(question)s")
POLL_UNTIL = N_("You can vote until %(date)s.")
POLL_CHOICE = N_("Answer %(key)s: %(label)s")
POLL_YOUR_VOTE = N_("You have voted for %(label)s. To change your vote, choose again.")
POLL_CONFIRM = N_("You chose: %(label)s. To confirm, press 1. To choose again, press 2.")
VOTE_COUNTED = N_("Thank you. Your vote for %(label)s counts.")
VOTE_CHANGED = N_("Thank you. Your vote is changed to %(label)s.")
# An answer named by its number in the sentences above, where its words are in another language
# (they are read just before, in that language's voice).
ANSWER_NUMBER = N_("answer %(key)s")
VOTE_NEEDS_NUMBER = N_(
    "To vote, we need to see your phone number, and it is withheld. One vote per number keeps it fair."
)
POLL_CLOSED = N_("This poll has just closed.")
NO_POLL = N_("There is no poll at the moment.")
# What a voice message is for, then the request to speak: the tone comes right after it.
MESSAGE_EXPLAIN = N_plural(
    "Only staff of the city hear your message, and we keep it for %(count)s day. You have up to two "
    "minutes; when you are done, press the hash key. Please speak after the tone.",
    "Only staff of the city hear your message, and we keep it for %(count)s days. You have up to two "
    "minutes; when you are done, press the hash key. Please speak after the tone.",
)
MESSAGE_THANKS = N_("Thank you for your message. Its reference number is %(reference)s. Once more: %(reference)s.")
MESSAGE_EMPTY = N_("I did not hear a message.")
CALLBACK_OFFER = N_("We can call you back on %(day)s during office hours, on the number you are calling from.")
CALLBACK_CONFIRM = N_("To ask for the call back, press 1. To go back, press the hash key.")
CALLBACK_PROMISED = N_("Thank you. We will call you back on %(day)s.")
CALLBACK_NEEDS_NUMBER = N_(
    "We cannot see your phone number, so we cannot call you back. Please call again during office hours."
)

# Your data (key 4)
FOR_WHAT_WE_KEEP = N_("To hear what we keep about your number, press %(key)s.")
FOR_ERASE = N_("To erase everything we keep about your number, press %(key)s.")
KEEP_VISIT = N_(
    "We keep when you last called, under a code made from your number, so that we can tell you what is new."
)
KEEP_VISIT_LANGUAGE = N_("Under the same code we keep the language you chose, so that your next call starts in it.")
KEEP_SUBSCRIPTION = N_("We keep your number because you get the news by SMS.")
KEEP_STOPPED = N_("You ended the news by SMS. We keep your number only so that none is sent to you by mistake.")
KEEP_LANGUAGE = N_("We keep your number only to remember your language.")
KEEP_SUBMISSIONS = N_plural(
    "We keep your number with %(count)s message or idea.", "We keep your number with %(count)s messages or ideas."
)
KEEP_CALLBACKS = N_("We keep your number for a call back.")
KEEP_VOTES = N_("You have voted; we keep only a code made from your number, not the number.")
ERASE_CONFIRM = N_("To erase it all, press 1. To keep it, press the hash key.")
ERASED = N_("It is done: we have erased your number and everything linked to it.")
NUMBER_WITHHELD = N_("Your number is withheld, so we do not know it and keep nothing about it.")

# A person
CONNECTING = N_("One moment please. I am putting you through to the citizens' service.")
NOBODY_FREE = N_("I am sorry, nobody is free at the moment.")
OFFICE_CLOSED = N_("Nobody is in the office at the moment.")
PUBLIC_HOLIDAY = N_("Today is a public holiday.")
OFFICE_HOURS = N_("You can reach us %(hours)s.")
NO_STAFF_NUMBER = N_("I am sorry, I cannot put you through at the moment.")

# When something is not as expected
KEY_NOT_USED = N_("The key %(key)s is not used here.")
NOT_UNDERSTOOD = N_("I am sorry, I did not understand that.")
DID_NOT_HEAR = N_("I did not hear anything.")
STILL_NOTHING = N_("I still did not hear anything.")
TECHNICAL_PROBLEM = N_("I am sorry, we have a technical problem at the moment.")
CALL_STAFF = N_("You can reach the city administration on %(number)s.")
GOODBYE = N_("Thank you for calling. Goodbye!")

# Words a caller may say instead of pressing a key, comma-separated; translators add synonyms.
SAY_NEWS = N_("news, latest, announcements, what's new")
SAY_PROJECTS = N_("projects, project, roadmap, digital projects")
SAY_PERSON = N_(
    "person, someone, somebody, human, staff, operator, agent, representative, speak to someone, real person"
)
SAY_REPEAT = N_("repeat, again, pardon, once more, say that again")
SAY_BACK = N_("back, main menu, menu, return")
SAY_NEXT = N_("next, continue, more, go on")
SAY_LANGUAGE = N_("language, other language")
SAY_SUBSCRIBE = N_("sms, text message, subscribe")
SAY_SEND_SMS = N_("sms, text message, send")
SAY_YES = N_("yes, agree, okay, yes please, sure, correct")
SAY_TAKE_PART = N_("take part, vote, idea, message, call back")
SAY_POLL = N_("poll, vote")
SAY_MESSAGE = N_("message, idea, record")
SAY_CALLBACK = N_("call back, callback, ring back")
SAY_AGAIN = N_("again, change, other")
SAY_WHAT_WE_KEEP = N_("data, what do you keep, privacy")
SAY_ERASE = N_("erase, delete")
SAY_DIGITS = {
    "0": N_("zero"),
    "1": N_("one"),
    "2": N_("two"),
    "3": N_("three"),
    "4": N_("four"),
    "5": N_("five"),
    "6": N_("six"),
    "7": N_("seven"),
    "8": N_("eight"),
    "9": N_("nine"),
    "*": N_("star"),
    "#": N_("hash, pound"),
}


# The phone menus: situations, numbers, polls (phone-menus) ----------------------------------------

# Key 4: what it is for, then the caller's situation
SMS_AND_DATA = N_(
    "Here you can get the city's news by SMS or by phone call, and hear or erase what we keep about your number."
)
# The same for a landline: the SMS need a mobile, so only the calls are offered.
LANDLINE_CALLS_AND_DATA = N_(
    "Here you can get the city's news as a phone call, and hear or erase what we keep about your number."
)
SITUATION_SUBSCRIBED = N_("You already get the news by SMS.")
FOR_STOP_SMS = N_("To stop them, press %(key)s. You can also stop them at any time by texting STOP.")
SITUATION_LANDLINE = N_("You are not calling from a mobile phone. The news by SMS need a mobile number.")
SITUATION_WITHHELD = N_(
    "Your number is withheld, so we keep nothing about it, and we can neither send you SMS nor call you "
    "with the news. For that, please call with your number shown."
)
# A number the city may not call with the news (abroad, or one that costs more than a call to a person).
CANNOT_CALL = N_("We cannot call this number with the news.")
SAY_STOP_SMS = N_("stop, end, unsubscribe")
SMS_STOPPED = N_("You will get no more news by SMS. You can start them again here at any time.")
NOTHING_ERASED = N_("Nothing was erased.")
MESSAGES_STAY = N_("If you erase it, your messages and ideas stay with the city, but without your number.")

# Projects by number
FOR_PROJECT_NUMBER = N_("To go straight to a project, say its number, or press %(key)s and type it.")
TYPE_PROJECT_NUMBER = N_("Please type the project's number and then the hash key.")
NO_SUCH_PROJECT = N_("There is no project number %(number)s. The projects have the numbers %(numbers)s.")
NUMBERS_FROM_TO = N_("%(first)s to %(last)s")
SAY_PROJECT_NUMBER = N_("project number, number")
# Numbers a caller may say, beyond the digits (SAY_DIGITS); comma-separated, translators add synonyms.
SAY_NUMBERS = {
    10: N_("ten"),
    11: N_("eleven"),
    12: N_("twelve"),
    13: N_("thirteen"),
    14: N_("fourteen"),
    15: N_("fifteen"),
    16: N_("sixteen"),
    17: N_("seventeen"),
    18: N_("eighteen"),
    19: N_("nineteen"),
    20: N_("twenty"),
}

# Polls
POLL_HOW_TO_ANSWER = N_("Press the number of your answer.")
BACK_ONE_STEP = N_("To go back, press the hash key.")


# The menu engine: help, slower speech, what to do after silence or errors (every menu) -------
# Only used to find what a prompt offers for a key: how "For news, press 1." names the key.
# Translate it the way the prompts say "press" (e.g. "%(what)s drücken Sie die %(key)s.").
PRESS_KEY = N_("%(what)s, press %(key)s.")
# After every menu that does not name it already: a person is always one key away.
PERSON_KEY = N_("For a person: 0.")
HOW_TO_SLOW_DOWN = N_("If this is too fast for you, say 'slower'.")
SLOWER_NOW = N_("Gladly. I will speak more slowly now.")
HELP_PERSON = N_("If you would like to speak to a person, press 0, or say 'person'.")
TRY_A_PERSON = N_("I am sorry, this does not seem to work. A person can help you.")
CLOSED_CALLBACK_OFFER = N_("Nobody is in the office now, but we can call you back on %(day)s, on this number.")
CALL_AGAIN = N_("You are welcome to call this line again at any time.")
SAY_HELP = N_("help, help me, what can I do, I do not understand, information")
SAY_SLOWER = N_("slower, slowly, too fast, more slowly")
SAY_NO = N_("no, no thanks, cancel")
# Single words that turn an answer into a no: with one of them, words never choose an option.
SAY_NOT = N_("no, not, don't, never, nothing, none")


# News calls: being called with the news (key 4) -----------------------------------------------
FOR_CALLS = N_("If we should call you with the news, press %(key)s.")
SAY_CALLS = N_("call, calls, call me, phone call")
CALLS_HOW_OFTEN = N_("How often should we call you?")
EVERY_ITEM_KEY = N_("With each new announcement: %(key)s.")
WEEKLY_KEY = N_("Once a week: %(key)s.")
SAY_EVERY_ITEM = N_("each, every announcement, every time, always")
SAY_WEEKLY = N_("weekly, once a week, week")
CALLS_WHICH_DAY = N_("On which day?")
DAY_KEY = N_("%(day)s: %(key)s.")
CALLS_WHEN = N_("At what time of day?")
MORNING_KEY = N_("In the morning, %(hours)s: %(key)s.")
AFTERNOON_KEY = N_("In the afternoon, %(hours)s: %(key)s.")
SAY_MORNING = N_("morning, in the morning")
SAY_AFTERNOON = N_("afternoon, in the afternoon")
# The window inside the sentences below (as their %(hours)s): "in the morning, from 9 AM to noon".
WHEN_MORNING = N_("in the morning, %(hours)s")
WHEN_AFTERNOON = N_("in the afternoon, %(hours)s")
# What was chosen (said before the consent, and to a caller who gets the calls already).
CALLS_EVERY_ITEM = N_("We call you with each new announcement, %(hours)s.")
CALLS_WEEKLY = N_("We call you once a week, on %(day)s, with the week's news, %(hours)s.")
# The consent, with what was chosen before it: how to end it, and what the number is kept for.
CALLS_CONSENT = N_(
    "We keep your number only for this. You can end it at any time with key 4, or with the %(key)s during "
    "one of our calls."
)
# The consent's question; "back" follows in a sentence of its own, so that the key comes early.
CALLS_AGREE = N_("If you agree, press 1.")
CALLS_SUBSCRIBED = N_("Thank you. We will call you when there is news.")
KEEP_CALLS = N_("We keep your number because we call you with the news.")
FOR_CHANGE_CALLS = N_("To change this, press %(key)s.")
SAY_CHANGE = N_("change, other time, settings")
FOR_MACHINE = N_("For your answering machine, press %(key)s.")
SAY_MACHINE = N_("answering machine, machine, voicemail")
MACHINE_IS_ENOUGH_NOW = N_(
    "When your answering machine takes our call, we leave a short message, and we do not call again."
)
MACHINE_TRY_AGAIN_NOW = N_(
    "When your answering machine takes our call, we leave a short message, and we call again later "
    "to reach you in person."
)
FOR_MACHINE_ENOUGH = N_("If a message on your answering machine is enough, press 1.")
FOR_MACHINE_AGAIN = N_("If we should call again until we reach you in person, press 2.")
SAY_ENOUGH = N_("enough, message is enough")
SAY_TRY_AGAIN = N_("call again, try again, in person")
SETTING_SAVED = N_("Thank you, that is saved.")
FOR_STOP_CALLS = N_("If we should no longer call you, press %(key)s.")
SAY_STOP_CALLS = N_("stop, stop the calls, no more calls, unsubscribe")
CALLS_STOP_CONFIRM = N_("To stop our calls with the news, press 1. To keep them, press the hash key.")
CALLS_STOPPED = N_(
    "We will not call you with the news any more. You can ask for the calls again at any time "
    "on the citizens' line, with key 4."
)
CALLS_KEPT = N_("Fine: we will go on calling you with the news.")

# The news call: the city calls a resident ------------------------------------------------------
CALL_GREETING = N_plural(
    "This is the citizens' line of %(town)s with %(count)s new announcement.",
    "This is the citizens' line of %(town)s with %(count)s new announcements.",
)
CALL_ITEM = N_("The announcement from %(date)s:")
CALL_GOODBYE = N_("Thank you for listening. Goodbye!")
CALL_NEWS_GONE = N_("This is the citizens' line of %(town)s. The news we are calling about is no longer current.")
# When something breaks during a news call: who is calling (before the apology), and, when the
# call is tried again, that it will be.
CALL_FROM = N_("This is the citizens' line of %(town)s.")
CALL_AGAIN_LATER = N_("We will call you again later.")
# On the answering machine, after the greeting and the titles: where to hear it, said slowly, twice.
MACHINE_HEAR_IT = N_("You can hear the news at any time on the citizens' line, on %(number)s. Once more: %(number)s.")
PLAIN_GOODBYE = N_("Goodbye!")
