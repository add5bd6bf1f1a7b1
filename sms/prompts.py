"""Everything the SMS service writes, as catalog messages (English source, translated per language).

Replies must fit in two GSM-7 messages (306 characters), so keep them short.
"""

from content.i18n import N_, N_plural

# The names of each keyword in a language, comma-separated. STOP works in every language.
KEYWORD_NAMES = {
    "help": N_("HELP, INFO"),
    "news": N_("NEWS"),
    "projects": N_("PROJECTS, PROJECT"),
    "subscribe": N_("START, SUBSCRIBE"),
    "stop": N_("STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT"),
    "language": N_("LANGUAGE"),
    "privacy": N_("PRIVACY"),
    "vote": N_("VOTE"),
    "idea": N_("IDEA"),
    "question": N_("QUESTION"),
    "callback": N_("CALLBACK"),
    "delete": N_("DELETE"),
}

# Further names understood, but not listed in HELP or on the public page: the words people write
# anyway ("Neuigkeiten" for NEU, "Danke" for a thank-you).
OTHER_NAMES = {
    "news": N_("LATEST, HEADLINES, UPDATES"),
    "thanks": N_("THANKS, THANK YOU, THANK, MANY THANKS, OK, OKAY"),
}
# The words that confirm or refuse an erasure after DELETE (DELETE YES, DELETE NO).
YES = N_("YES")
NO = N_("NO")

# What each keyword gives, for the public page's table of keywords.
KEYWORD_PURPOSES = {
    "news": N_("the latest news; NEWS 2 for the whole second item"),
    "projects": N_("the digital projects; PROJECT 3 for project number 3"),
    "subscribe": N_("every new announcement by SMS; START and a topic for fewer"),
    "stop": N_("no more news by SMS"),
    "language": N_("replies in another language, for example LANGUAGE EN"),
    "privacy": N_("what we keep about your number"),
    "vote": N_("the open poll; VOTE 2 to choose answer 2"),
    "idea": N_("IDEA and your idea; IDEA 3 and your idea for project 3"),
    "question": N_("QUESTION and your question; the city answers by SMS"),
    "callback": N_("a call back from the city on the next working day"),
    "delete": N_("erase everything we keep about your number"),
    "help": N_("a short overview of all words"),
}

HELP = N_(
    "Citizens' line %(town)s. Send: NEWS for the latest, PROJECTS for the digital projects, "
    "PROJECT 3 for one of them, START for news by SMS, STOP to end them, LANGUAGE DE or EN, "
    "PRIVACY for your data. Take part: IDEA, QUESTION, VOTE, CALLBACK."
)
NEWS_LIST = N_("News from %(town)s:")
NEWS_MORE = N_("Whole item: NEWS 1")
NO_NEWS = N_("There is no news at the moment.")
NO_SUCH_NEWS = N_("There is no item %(number)s. Send NEWS for the list.")
PROJECT_LIST = N_("Digital projects:")
PROJECT_MORE = N_("More: PROJECT 1")
PROJECTS_REST = N_plural(
    "And %(count)s more: PROJECT and its number, e.g. PROJECT %(number)s.",
    "And %(count)s more: PROJECT and its number, e.g. PROJECT %(number)s.",
)
NEWS_REST = N_plural(
    "And %(count)s more: NEWS and its number, e.g. NEWS %(number)s.",
    "And %(count)s more: NEWS and its number, e.g. NEWS %(number)s.",
)
NO_PROJECTS = N_("There are no projects to report at the moment.")
NO_SUCH_PROJECT = N_("There is no project %(number)s. Send PROJECTS for the list.")
SUBSCRIBED = N_("You will now get the news of %(town)s by SMS. To end this at any time, send STOP.")
SUBSCRIBED_TOPIC = N_(
    "You will now get the news of %(town)s on %(topic)s, and the general news, by SMS. "
    "To end this at any time, send STOP."
)
TOPICS = N_("Topics: %(topics)s. Example: START MOBILITY. START alone: all news.")
ALREADY_SUBSCRIBED = N_("You already get the news by SMS. To end this, send STOP.")
STOP_ALONE = N_("To end the news by SMS, send only the word STOP, without other words.")
STOPPED = N_("You will get no more news by SMS. To start again, send START.")
LANGUAGE_SET = N_("Your language is now %(language)s.")
LANGUAGES = N_("Languages: %(choices)s. Example: LANGUAGE EN")
PRIVACY_NONE = N_("We keep nothing about your number. Messages you send are answered and not kept.")
PRIVACY_SUBSCRIBER = N_(
    "We keep your number for the news by SMS since %(date)s (language %(language)s, agreed by "
    "%(channel)s). Send STOP to end it."
)
PRIVACY_LANGUAGE = N_("We keep your number only to remember your reply language (%(language)s).")
PRIVACY_STOPPED = N_("You ended the news by SMS on %(date)s. We keep your number only to respect that.")
CHANNELS = {"sms": N_("SMS"), "phone": N_("phone")}
NOT_UNDERSTOOD = N_("Sorry, I did not understand that. Did you mean %(closest)s? Send HELP for all words.")
NOT_UNDERSTOOD_NO_GUESS = N_("Sorry, I did not understand that. Send HELP for all words.")
EMPTY = N_("Send HELP to see what you can ask.")
# Taking part
NO_POLL = N_("There is no open poll at the moment.")
POLL = N_("Poll until %(date)s: %(question)s")
POLL_OPTION = N_("%(key)s) %(label)s")  # label ends with its full stop (texts.sentence)
POLL_HOW = N_("To vote, send VOTE and the number, e.g. VOTE 1.")
MORE_POLLS = N_("More polls: call us and press 3.")
POLL_VOTED = N_("Thank you! Your vote: %(label)s. You can change it until %(date)s.")
POLL_CHANGED = N_("Your vote is changed to: %(label)s.")
POLL_NO_SUCH_OPTION = N_("Please send VOTE and a number from 1 to %(last)s.")
NEEDS_NUMBER = N_("Sorry, without your phone number we cannot take this.")
IDEA_EMPTY = N_("Please write your idea after the word, e.g.: IDEA More benches in the park")
QUESTION_EMPTY = N_("Please write your question after the word, e.g.: QUESTION When is the town hall open?")
IDEA_THANKS = N_("Thank you for your idea! Your reference number is %(reference)s.")
QUESTION_THANKS = N_("Thank you for your question! Your reference number is %(reference)s. We answer by SMS.")
CALLBACK_THANKS = N_("Thank you. We will call you back by %(date)s during office hours.")
ERASED = N_("Done: we have erased your number and everything linked to it. Ideas you sent stay, without your number.")
THANKS = N_("You are welcome! If you need anything, send HELP.")
# What is kept about a number, as a list (DATEN, and before erasing); each entry counted.
KEPT = N_("With your number we keep: %(items)s.")
KEPT_AMONG = N_("With your number we keep, among other things: %(items)s.")
KEPT_ALSO = N_("With your number we also keep: %(items)s.")
KEPT_ALSO_AMONG = N_("With your number we also keep, among other things: %(items)s.")
DELETE_HOW = N_("To erase it all, send DELETE.")
KEPT_SUBSCRIPTION = N_("your subscription to the news by SMS")
KEPT_CALLS = N_("your subscription to calls with the news")
# Both subscriptions in one entry: in a script with 67 characters per SMS, two would not fit.
KEPT_SUBSCRIPTIONS = N_("your subscriptions to the news by SMS and by call")
KEPT_SETTINGS = N_("your SMS settings")
KEPT_SUBMISSIONS = N_plural("%(count)s idea or question", "%(count)s ideas or questions")
KEPT_CALLBACKS = N_plural("%(count)s callback request", "%(count)s callback requests")
KEPT_VOTES = N_plural("%(count)s vote in a poll", "%(count)s votes in polls")
KEPT_MESSAGES = N_plural("%(count)s SMS sent to you", "%(count)s SMS sent to you")
ERASE_CONFIRM = N_plural(
    "Send %(confirm)s within %(count)s minute and we erase it. Ideas and votes stay, without your number.",
    "Send %(confirm)s within %(count)s minutes and we erase it. Ideas and votes stay, without your number.",
)
ERASE_NOTHING = N_("We keep nothing about your number, so there is nothing to erase.")
ERASE_CANCELLED = N_("Fine: nothing is erased.")
TEMPORARY_PROBLEM = N_("Sorry, we have a technical problem. Please try again later.")
