"""Announcements: write once, see how it sounds and what the SMS costs, publish, send, watch it arrive."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.numbers import format_currency, format_decimal
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, DateTimeLocalField, RadioField, SelectField
from wtforms.validators import Optional

from content import channel_texts, clock, db, news_calls, outbox, sms_text
from content.channel_texts import BROADCAST_SEGMENTS, broadcast_sms, reading
from content.i18n import N_, N_plural, translate, translate_plural
from content.models import EDITOR, FIELD_NAMES, IN_DEFAULT_WITH_NOTE, UNTRANSLATED_RULES, Announcement, Broadcast
from content.profile import Language, TownProfile
from content.snapshot import current
from web.pages import local_moment, page_language
from web.staff import calls
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import (
    StaffForm,
    in_town,
    local_input,
    read_texts,
    require_first_language,
    say,
    text_values,
    with_texts,
)

TEXT_FIELDS = {"title": 200, "body": 2000, "spoken": 2000, "sms": 1000}
# What staff can do with an announcement on its form.
DRAFT, PUBLISH, SCHEDULE = "draft", "publish", "schedule"

# Where an announcement stands, for the list.
STATES = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "public": N_("public"),
    "archived": N_("archived"),
}

FUTURE = N_("Choose a time in the future to schedule it.")
ENDS_BEFORE_START = N_("This time is before it becomes public.")
SEND_NEEDS_PUBLISH = N_("A draft sends nothing. Publish now or schedule it to send it to subscribers.")
CANCELLED = N_(
    "The SMS and calls planned for this news were taken back. To send them, tick “Also send it to subscribers” again."
)

# The broadcast's limit, said on the form, in the preview and when publishing is refused.
LIMIT = N_plural(
    "An SMS to subscribers is at most %(count)s SMS long: %(characters)s characters with the sender and STOP, "
    "fewer with special characters such as emoji. A longer one is not sent: write a shorter SMS version.",
    "An SMS to subscribers is at most %(count)s SMS long: %(characters)s characters with the sender and STOP, "
    "fewer with special characters such as emoji. A longer one is not sent: write a shorter SMS version.",
)
TOO_LONG = N_plural(
    "Too long for the SMS to subscribers in %(language)s: it would be %(count)s SMS, at most %(most)s are sent. "
    "Please write a shorter SMS version.",
    "Too long for the SMS to subscribers in %(language)s: it would be %(count)s SMS, at most %(most)s are sent. "
    "Please write a shorter SMS version.",
)
# What the subscribers and callers of each language get, in the preview and the confirmation.
OWN_TEXT = N_("their own text")
NOTE_GETS = N_("no text of its own: they get the text in %(first)s with the note “%(note)s”")
SKIP_GETS = N_("no text of its own: they get nothing")
# The confirmation before a broadcast.
SEND_NOW = N_plural("Publish now and send to %(count)s subscriber", "Publish now and send to %(count)s subscribers")
SEND_LATER = N_plural(
    "Schedule, and send to %(count)s subscriber when it becomes public",
    "Schedule, and send to %(count)s subscribers when it becomes public",
)
# With call subscribers, the button says how many get it which way.
SEND_NOW_AND_CALL = N_plural(
    "Publish now and send to %(count)s subscriber: %(sms)s by SMS, %(calls)s by a call",
    "Publish now and send to %(count)s subscribers: %(sms)s by SMS, %(calls)s by a call",
)
SEND_LATER_AND_CALL = N_plural(
    "Schedule, and send to %(count)s subscriber when it becomes public: %(sms)s by SMS, %(calls)s by a call",
    "Schedule, and send to %(count)s subscribers when it becomes public: %(sms)s by SMS, %(calls)s by a call",
)
IN_ALL = N_plural("%(count)s SMS in all", "%(count)s SMS in all")
CALL_MINUTES = N_plural(
    "About %(count)s call minute in all (every minute begun counts).",
    "About %(count)s call minutes in all (every minute begun counts).",
)
CALLS_WITHDRAWN = N_plural(
    "%(count)s news call that had not rung yet was taken back.",
    "%(count)s news calls that had not rung yet were taken back.",
)
REACH_CHANGED = N_("Since you opened this overview, the number of subscribers changed. Please check again.")
CONTENT_CHANGED = N_("What you are sending is not what this overview showed. Please check again.")
SENT_BEFORE = N_(
    "This news was already sent on %(time)s. If you send it now, SMS subscribers get it a second time. "
    "Nobody is called twice for the same news."
)
ALREADY_SENT = N_("This confirmation was already used: nothing was sent again.")


def state(announcement: Announcement, now: datetime) -> str:
    if announcement.publish_at is None:
        return "draft"
    if announcement.expires_at is not None and announcement.expires_at <= now:
        return "archived"
    return "scheduled" if announcement.publish_at > now else "public"


def announcement_form(languages: tuple[Language, ...], **values: Any) -> Any:
    """The form for an announcement's texts in every enabled language, times and sending."""

    class AnnouncementForm(StaffForm):
        publish_at = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[Optional()])
        expires_at = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[Optional()])
        send = BooleanField()
        topic = SelectField(choices=["", *FIELD_NAMES], validators=[Optional()])
        untranslated = RadioField(choices=list(UNTRANSLATED_RULES), default=IN_DEFAULT_WITH_NOTE)

    return with_texts(AnnouncementForm, languages, TEXT_FIELDS)(**values)


def form_values(announcement: Announcement, timezone: str) -> dict[str, Any]:
    return {
        "publish_at": local_input(announcement.publish_at, timezone),
        "expires_at": local_input(announcement.expires_at, timezone),
        "untranslated": announcement.untranslated or IN_DEFAULT_WITH_NOTE,
        **text_values(announcement.texts, TEXT_FIELDS),
    }


def problems(form: Any, action: str, languages: tuple[Language, ...], publish_at: datetime | None) -> bool:
    """Add the errors the fields cannot see alone; True if there are any."""
    found = not require_first_language(form, languages, ("title", "body"))
    expires_at = in_town(form.expires_at.data, current().profile.timezone)
    if expires_at is not None and expires_at <= (publish_at if action == SCHEDULE and publish_at else clock.now()):
        form.expires_at.errors = [*form.expires_at.errors, say(ENDS_BEFORE_START)]
        found = True
    if action == SCHEDULE and (publish_at is None or publish_at <= clock.now()):
        form.publish_at.errors = [*form.publish_at.errors, say(FUTURE)]
        found = True
    if form.send.data and action == DRAFT:
        form.send.errors = [*form.send.errors, say(SEND_NEEDS_PUBLISH)]
        found = True
    if form.send.data and action != DRAFT:
        found = too_long(form, languages) or found
    return found


def too_long(form: Any, languages: tuple[Language, ...]) -> bool:
    """Mark the SMS version that makes a broadcast SMS longer than the limit; True if there is one.
    A field says it once: for its own language, or else for the first language that reads it
    (with eight languages, a long German text would otherwise say it seven times). A language
    without its own text and without subscribers blocks nothing: the German text with an Arabic
    note needs the 67 characters per SMS of Arabic letters, but only where somebody reads it."""
    texts, rule, profile = read_texts(form, languages, TEXT_FIELDS), form.untranslated.data, current().profile
    codes = [language.code for language in languages]
    readers = outbox.audience(db.session(), languages=codes)
    marked: set[str] = set()
    for language in languages:
        if not readers[language.code] and not channel_texts.written(texts, language.code):
            continue
        sms = broadcast_sms(texts, rule, language.code, languages[0].code, profile.sender)
        segments = sms_text.count(sms).segments if sms else 0
        written = reading(texts, rule, language.code, languages[0].code)
        name = f"sms_{written.language if written else language.code}"
        if segments > BROADCAST_SEGMENTS and name not in marked:
            form[name].errors = [
                *form[name].errors,
                plural(TOO_LONG, segments, language=language.name(page_language())),
            ]
            marked.add(name)
    return bool(marked)


def plural(message: tuple[str, str], count: int, **values: object) -> str:
    """A message with a count, the count written as staff read numbers ("1.234")."""
    language = page_language()
    return translate_plural(
        language, message, count, count=format_decimal(count, locale=language), most=BROADCAST_SEGMENTS, **values
    )


@dataclass(frozen=True)
class Share:
    """The subscribers of one language: how many, and what each of them gets, by SMS and by a call."""

    language: Language
    recipients: int
    sms: str | None  # exactly as sent; None: the rule skips them
    noted: bool  # the first language's text, after a note in their own
    segments: int
    windows: Mapping[str, int]  # the call subscribers it calls, per calling window (none if skipped)
    minutes_per_call: int  # estimated, billed per minute begun

    @property
    def messages(self) -> int:
        return self.recipients * self.segments

    @property
    def calls(self) -> int:
        return sum(self.windows.values())

    @property
    def call_minutes(self) -> int:
        return self.calls * self.minutes_per_call


def shares(texts: Mapping[str, Any], rule: str, topic: str | None, announcement_id: int | None) -> list[Share]:
    """Whom a broadcast of these texts reaches now, language by language (as outbox.broadcast queues
    it): the SMS subscribers (of topic), and the call subscribers not yet called for this news."""
    profile, session = current().profile, db.session()
    codes = [language.code for language in profile.languages]
    counts = outbox.audience(session, languages=codes, topic=topic)
    called = news_calls.audience_in_windows(session, languages=codes, announcement_id=announcement_id)
    found = []
    for language in profile.languages:
        sms = broadcast_sms(texts, rule, language.code, codes[0], profile.sender)
        written = reading(texts, rule, language.code, codes[0])
        segments = sms_text.count(sms).segments if sms else 0
        windows = called[language.code] if written else {}
        minutes = calls.minutes_per_call(texts, rule, language, codes[0])
        found.append(
            Share(language, counts[language.code], sms, bool(written and written.noted), segments, windows, minutes)
        )
    return found


def reach(found: list[Share]) -> str:
    """What staff confirmed, in a few characters: SMS recipients, SMS and calls per language."""
    return " ".join(f"{share.language.code}:{share.recipients}:{share.segments}:{share.calls}" for share in found)


def what_they_get(profile: TownProfile, rule: str, texts: Mapping[str, Any], language: Language) -> str:
    """In a few words, what subscribers and callers of language get under the rule."""
    if channel_texts.written(texts, language.code):
        return say(OWN_TEXT)
    if rule != IN_DEFAULT_WITH_NOTE:
        return say(SKIP_GETS)
    first = profile.default_language
    note = translate(language.code, channel_texts.ONLY_IN, language=first.name(language.code))
    return say(NOTE_GETS, first=first.name(page_language()), note=note)


@bp.get("/announcements")
@needs(EDITOR)
def announcements() -> str:
    """List every announcement, newest first, with where it stands."""
    query = select(Announcement).order_by(Announcement.created_at.desc(), Announcement.id.desc())
    items = list(db.session().scalars(query))
    return render_template("staff/announcements.html", items=items, state=state, now=clock.now(), states=STATES)


@bp.route("/announcements/new", methods=["GET", "POST"])
@bp.route("/announcements/<int:announcement_id>", methods=["GET", "POST"])
@needs(EDITOR)
def announcement(announcement_id: int | None = None) -> Any:
    """Write or change an announcement; save it as a draft, schedule it or publish it now."""
    session, profile = db.session(), current().profile
    item = session.get(Announcement, announcement_id) if announcement_id else Announcement(texts={})
    if item is None:
        abort(404)
    values = form_values(item, profile.timezone) if request.method == "GET" else {}
    form = announcement_form(profile.languages, **values)
    action = request.form.get("action", DRAFT)
    if action not in (DRAFT, PUBLISH, SCHEDULE):
        abort(400)
    if form.validate_on_submit():
        publish_at = in_town(form.publish_at.data, profile.timezone)
        if not problems(form, action, profile.languages, publish_at):
            if not form.send.data:
                return save(item, form, action, publish_at)
            step = request.form.get("step")
            if step != "change":
                return confirm_or_send(item, form, action, publish_at, step == "send")
    broadcasts = (
        []
        if item.id is None
        else list(
            session.scalars(select(Broadcast).where(Broadcast.announcement_id == item.id).order_by(Broadcast.id.desc()))
        )
    )
    status = 422 if form.errors else 200
    return render_template(
        "staff/announcement.html",
        form=form,
        item=item,
        state=state(item, clock.now()) if item.id else "draft",
        states=STATES,
        broadcasts=broadcasts,
        field_names=FIELD_NAMES,
        rules=UNTRANSLATED_RULES,
        limit=plural(LIMIT, BROADCAST_SEGMENTS, characters=sms_text.most_units("GSM-7", BROADCAST_SEGMENTS)),
    ), status


def bound(item: Announcement, form: Any, action: str, publish_at: datetime | None, reached: str) -> bytes:
    """Everything a confirmation shows and sends, in one canonical form: the announcement, every text
    in every language, the topic, the rule, the action, the times and the reach."""
    profile = current().profile
    expires_at = in_town(form.expires_at.data, profile.timezone)
    values = {
        "announcement": item.id,
        "texts": read_texts(form, profile.languages, TEXT_FIELDS),
        "topic": form.topic.data or None,
        "untranslated": form.untranslated.data,
        "action": action,
        "publish_at": publish_at.isoformat() if publish_at else None,
        "expires_at": expires_at.isoformat() if expires_at else None,
        "reach": reached,
    }
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def signed(nonce: str, values: bytes) -> str:
    """The confirmation token: a one-time nonce and the HMAC (with SECRET_KEY) of it and the values."""
    key = str(current_app.secret_key).encode()
    mac = hmac.new(key, b"broadcast-confirmation\0" + nonce.encode() + b"\0" + values, hashlib.sha256)
    return f"{nonce}.{mac.hexdigest()}"


def genuine(token: str, values: bytes) -> bool:
    """Whether token confirms exactly these values."""
    nonce = token.partition(".")[0]
    return bool(nonce) and hmac.compare_digest(signed(nonce, values).encode(), token.encode())


def digest(token: str) -> str:
    """What a broadcast keeps of the confirmation that sent it (unique: one broadcast per confirmation)."""
    return hashlib.sha256(token.encode()).hexdigest()


def already_sent(token: str) -> Any:
    """The broadcast this confirmation made, if it made one: a second press only shows it."""
    sent = db.session().scalar(select(Broadcast).where(Broadcast.confirmation == digest(token)))
    if sent is None:
        return None
    flash(say(ALREADY_SENT))
    return redirect(url_for("staff.broadcast", broadcast_id=sent.id))


def confirm_or_send(item: Announcement, form: Any, action: str, publish_at: datetime | None, confirmed: bool) -> Any:
    """Send only what staff confirmed, once; before that, and when anything changed since, show whom it reaches."""
    profile = current().profile
    texts, rule, topic = read_texts(form, profile.languages, TEXT_FIELDS), form.untranslated.data, form.topic.data
    found = shares(texts, rule, topic or None, item.id)
    changed = None
    if confirmed:
        token = str(request.form.get("confirmation", ""))
        if genuine(token, bound(item, form, action, publish_at, str(request.form.get("reach", "")))):
            if (done := already_sent(token)) is not None:
                return done
            if request.form.get("reach") == reach(found):
                return save(item, form, action, publish_at, confirmation=token)
            changed = say(REACH_CHANGED)
        else:
            changed = say(CONTENT_CHANGED)
    recipients = sum(share.recipients for share in found if share.sms)
    called = sum(share.calls for share in found)
    messages = sum(share.messages for share in found)
    language = page_language()
    price = float(current_app.config["SMS_PRICE_PER_SEGMENT"])
    send_at = publish_at if action == SCHEDULE else None
    return render_template(
        "staff/broadcast_confirm.html",
        item=item,
        shares=found,
        reach=reach(found),
        confirmation=signed(secrets.token_urlsafe(16), bound(item, form, action, publish_at, reach(found))),
        changed=changed,
        sent_before=sent_before(item),
        carried=[(key, value) for key, value in request.form.items(multi=True) if key not in CONFIRMATION_KEYS],
        missing=[share for share in found if not channel_texts.written(texts, share.language.code)],
        gets={share.language.code: what_they_get(profile, rule, texts, share.language) for share in found},
        topic=FIELD_NAMES.get(topic or ""),
        send_at=send_at,
        in_all=plural(IN_ALL, messages),
        cost=format_currency(messages * price, "EUR", locale=language),
        price=format_currency(price, "EUR", locale=language),
        button=button(action, recipients, called),
        rule=UNTRANSLATED_RULES[rule],
        number=lambda count: format_decimal(count, locale=language),
        called=called,
        call_minutes=plural(CALL_MINUTES, sum(share.call_minutes for share in found)),
        ringing=ringing(found, send_at or clock.now()),
        pace=calls.pace(calls.calls_per_second(), language),
        window=lambda name: calls.describe_window(profile, name, language),
        takes=takes,
    )


def button(action: str, recipients: int, called: int) -> str:
    """What the send button says: whom it reaches, by SMS and (if anybody) by a call."""
    if not called:
        return plural(SEND_LATER if action == SCHEDULE else SEND_NOW, recipients)
    language = page_language()
    return plural(
        SEND_LATER_AND_CALL if action == SCHEDULE else SEND_NOW_AND_CALL,
        recipients + called,
        sms=format_decimal(recipients, locale=language),
        calls=format_decimal(called, locale=language),
    )


def ringing(found: list[Share], start: datetime) -> list[calls.Ringing]:
    """When the calls of this broadcast ring, window by window, and how long placing them takes."""
    windows: dict[str, int] = {}
    for share in found:
        for window, count in share.windows.items():
            windows[window] = windows.get(window, 0) + count
    return calls.when_they_ring(current().profile, windows, start, calls.calls_per_second())


def takes(ringing: calls.Ringing) -> str:
    """How long placing a window's calls takes, as staff read it."""
    if ringing.calling_days > 1:
        return plural(calls.TAKES_DAYS, ringing.calling_days)
    return plural(calls.TAKES_MINUTES, ringing.minutes)


def sent_before(item: Announcement) -> str | None:
    """When this announcement last went out, if it did: a second broadcast must not be a surprise."""
    if not item.id:  # a new announcement was never sent
        return None
    last = db.session().scalar(select(func.max(Broadcast.created_at)).where(Broadcast.announcement_id == item.id))
    return None if last is None else say(SENT_BEFORE, time=local_moment(last, page_language()))


# Fields of the confirmation itself, not of the announcement form it carries.
CONFIRMATION_KEYS = frozenset({"csrf_token", "step", "reach", "confirmation"})


def save(
    item: Announcement, form: Any, action: str, publish_at: datetime | None, confirmation: str | None = None
) -> Any:
    try:
        return saved(item, form, action, publish_at, confirmation)
    except IntegrityError:
        # The same confirmation sent a moment ago (a double click, two tabs): the unique
        # confirmation took back all of this one, a new announcement too; show the first.
        db.session().rollback()
        if confirmation is None or (done := already_sent(confirmation)) is None:
            raise
        return done


def saved(item: Announcement, form: Any, action: str, publish_at: datetime | None, confirmation: str | None) -> Any:
    session, profile, now = db.session(), current().profile, clock.now()
    # A new time or text makes SMS planned for the old one wrong: take them back first.
    cancelled = outbox.cancel_scheduled(session, item.id, now) if item.id else 0
    item.texts = read_texts(form, profile.languages, TEXT_FIELDS)
    item.untranslated = form.untranslated.data
    item.expires_at = in_town(form.expires_at.data, profile.timezone)
    item.publish_at = {DRAFT: None, PUBLISH: min(publish_at or now, now), SCHEDULE: publish_at}[action]
    session.add(item)
    session.flush()
    sent = None
    if form.send.data:
        languages = [language.code for language in profile.languages]
        topic = form.topic.data or None
        send_at = publish_at if action == SCHEDULE else None
        sent = outbox.broadcast(
            session,
            item,
            languages=languages,
            author=g.staff.email,
            now=now,
            topic=topic,
            send_at=send_at,
            confirmation=digest(confirmation) if confirmation else None,
        )
    session.commit()
    if cancelled and sent is None:
        flash(say(CANCELLED))
    flash(say({DRAFT: N_("Saved as a draft."), PUBLISH: N_("Published."), SCHEDULE: N_("Scheduled.")}[action]))
    if sent is not None:
        return redirect(url_for("staff.broadcast", broadcast_id=sent.id))
    return redirect(url_for("staff.announcement", announcement_id=item.id))


@bp.post("/announcements/<int:announcement_id>/archive")
@needs(EDITOR)
def archive(announcement_id: int) -> Any:
    """Take an announcement off the phone, the SMS replies and the web (it stays in the history)."""
    session = db.session()
    item = session.get(Announcement, announcement_id) or abort(404)
    item.expires_at = clock.now()
    if outbox.cancel_scheduled(session, item.id, clock.now()):
        flash(say(CANCELLED))
    if withdrawn := news_calls.withdraw(session, item.id):  # sent already, but not yet rung
        flash(plural(CALLS_WITHDRAWN, withdrawn))
    session.commit()
    flash(say(N_("Archived: callers and texters no longer get it.")))
    return redirect(url_for("staff.announcements"))
