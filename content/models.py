"""The content store's records: what callers hear, texters read and the web shows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from content.i18n import N_


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, stored as UTC and always handed back timezone-aware.

    SQLite keeps no time zone, so naive values read back are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: say which time zone it is in")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")

# Per-language texts are kept as {"de": {"title": ..., ...}, "en": {...}}: one record, every
# language, so a revision shows all of it and no language can be half-saved.


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONDocument}


class Setting(Base):
    """One item of the town profile (name, greeting, numbers, office hours, languages)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONDocument)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# For subscribers and callers whose language has no text of an announcement: the default
# language's text with a one-line note in their own language, or nothing at all.
IN_DEFAULT_WITH_NOTE = "note"
SKIP_UNTRANSLATED = "skip"
UNTRANSLATED_RULES = {
    IN_DEFAULT_WITH_NOTE: N_("the text in the first language, with a short note in their own language"),
    SKIP_UNTRANSLATED: N_("nothing: they do not get this announcement"),
}


class Announcement(Base):
    """A news item ("Aktuelles"), public from publish_at until expires_at."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    # {"de": {"title": ..., "body": ..., "spoken": optional override}}
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What readers and listeners of a language without its own text get (UNTRANSLATED_RULES).
    untranslated: Mapped[str] = mapped_column(String(12), default="note", server_default="note")
    publish_at: Mapped[datetime | None] = mapped_column(index=True)  # None: a draft
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def is_public(self, now: datetime) -> bool:
        return (
            self.publish_at is not None
            and self.publish_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )


# Project status: where a roadmap project stands.
PLANNED = "planned"  # agreed, work has not started
IN_PROGRESS = "in_progress"  # being built
PILOT = "pilot"  # in trial operation with residents
DONE = "done"  # finished and in everyday use
PAUSED = "paused"  # on hold
# How each status is said and written (catalog messages, translated per language).
STATUS_NAMES = {
    PLANNED: N_("planned"),
    IN_PROGRESS: N_("in progress"),
    PILOT: N_("in trial operation"),
    DONE: N_("completed"),
    PAUSED: N_("on hold"),
}

# The Leitbild's fields of action: what a project is about, and the topics news can be sent on.
FIELD_NAMES = {
    "administration": N_("Administration and services"),
    "education": N_("Education"),
    "economy": N_("Economy and work"),
    "health_care": N_("Health and care"),
    "infrastructure": N_("Infrastructure"),
    "mobility": N_("Mobility"),
    "safety": N_("Safety"),
    "urban_development": N_("Urban development"),
    "participation": N_("Participation"),
    "environment": N_("Environment and energy"),
}


class Project(Base):
    """A project of the digital roadmap, known everywhere by its stable number."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    field: Mapped[str] = mapped_column(String(64))  # the Leitbild's field of action, a short key
    status: Mapped[str] = mapped_column(String(16), default=PLANNED)
    # {"de": {"title": ..., "summary": ..., "spoken": optional override}}
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updates: Mapped[list[ProjectUpdate]] = relationship(
        back_populates="project",
        order_by="(ProjectUpdate.happened_on.desc(), ProjectUpdate.id.desc())",
        cascade="all, delete-orphan",
    )

    @property
    def latest_update(self) -> ProjectUpdate | None:
        return self.updates[0] if self.updates else None


class ProjectUpdate(Base):
    """Dated progress on a project."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date]
    # {"de": {"text": ..., "spoken": optional override}}
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship(back_populates="updates")


class Revision(Base):
    """One change to public content: who changed what, when, and how it looked before and after."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))  # table name, e.g. "project"
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))  # create, update, delete
    author: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


# Subscriber status: whether a number gets the news by SMS.
SUBSCRIBED = "subscribed"  # asked for the news (START, or key 4 on the phone)
UNSUBSCRIBED = "unsubscribed"  # ended them (STOP, or the provider reported an opt-out)
NOT_SUBSCRIBED = "not_subscribed"  # only chose a reply language


class Subscriber(Base):
    """A number that asked for something lasting: the news by SMS, or a reply language."""

    __tablename__ = "subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # E.164, see content.phone
    channel: Mapped[str] = mapped_column(String(8), default="sms")
    language: Mapped[str] = mapped_column(String(8))
    topics: Mapped[list[str]] = mapped_column(JSONDocument, default=list)  # empty: all news
    status: Mapped[str] = mapped_column(String(16), default=NOT_SUBSCRIBED)
    # The consent record: when, by which channel, and the words the person agreed to.
    consent_at: Mapped[datetime | None]
    consent_channel: Mapped[str | None] = mapped_column(String(8))
    consent_wording: Mapped[str | None] = mapped_column(Text)
    stopped_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# News calls: how often and when a call subscriber wants to be called.
EVERY_ITEM = "each"  # a call for each new announcement
WEEKLY = "weekly"  # one call a week, on their weekday, with the week's news
MORNING = "morning"  # in the town's morning calling hours
AFTERNOON = "afternoon"  # in the town's afternoon calling hours
CALL_WINDOWS = (MORNING, AFTERNOON)


class CallSubscriber(Base):
    """A number that asked to be called when there is news (key 4 on the phone, any phone).

    The row exists only while the subscription does: stopping deletes it, and with it the
    number, so that nothing is kept for a purpose that ended.
    """

    __tablename__ = "call_subscriber"
    # Ids are never used again (SQLite would reuse a deleted last one): a call's idempotency key
    # names the subscription, and a new subscriber must not inherit an old one's calls.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # E.164, see content.phone
    language: Mapped[str] = mapped_column(String(16))
    frequency: Mapped[str] = mapped_column(String(8), default=EVERY_ITEM)  # EVERY_ITEM or WEEKLY
    weekday: Mapped[int | None]  # WEEKLY: 0 Monday … 5 Saturday
    window: Mapped[str] = mapped_column(String(12), default=MORNING)  # MORNING or AFTERNOON
    # A message left on the answering machine counts as delivered: no more tries for that news.
    machine_is_enough: Mapped[bool] = mapped_column(default=True)
    # The consent record: when, by which channel, and the words the person agreed to.
    consent_at: Mapped[datetime]
    consent_channel: Mapped[str] = mapped_column(String(8))
    consent_wording: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InboundMessage(Base):
    """An SMS already answered, so that the provider's retries get the same answer and change nothing."""

    __tablename__ = "inbound_message"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    reply: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# Outbox status: where an outbound message is on its way.
QUEUED = "queued"  # waiting for the worker (again, after a provider error, at next_attempt_at)
SENDING = "sending"  # a worker took it and is handing it to the provider
SENT = "sent"  # the provider accepted it (provider_id set)
DELIVERED = "delivered"  # the provider reports it arrived
UNDELIVERED = "undelivered"  # the provider reports it did not arrive
FAILED = "failed"  # refused for good (invalid number, opted out, too many attempts)
UNKNOWN = "unknown"  # a worker died while sending it, and the provider does not know it either way

# Outbox channels: what leaves through the outbox.
SMS = "sms"
CALL = "call"  # a news call: the body lists the announcements it reads (ids, newest first: "14,12")

# How a news call went the last time it was placed (outbound_message.call_outcome).
PERSON = "human"  # a person answered and heard the news
MACHINE = "machine"  # an answering machine took the short message
BUSY = "busy"
NO_ANSWER = "no-answer"
CALL_FAILED = "failed"  # the provider could not place it (a wrong number, a network fault)
STOPPED = "stopped"  # the resident stopped the calls (or had the number erased) before it rang
CALL_OUTCOMES = (PERSON, MACHINE, BUSY, NO_ANSWER, CALL_FAILED, STOPPED)


class Broadcast(Base):
    """An announcement sent to subscribers: one outbox row per subscriber."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcement.id", ondelete="SET NULL"))
    topic: Mapped[str | None] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_at: Mapped[datetime | None]  # for scheduled news: when it goes out; None: at once
    # The digest of the confirmation staff pressed to send it: one broadcast per confirmation.
    confirmation: Mapped[str | None] = mapped_column(String(64), unique=True)


class OutboundMessage(Base):
    """The outbox: every message that leaves the system, sent at most once per idempotency key."""

    __tablename__ = "outbound_message"
    # The worker looks for due work per channel: SMS at once, calls only in their window. Ids are
    # never used again (SQLite would reuse a deleted last one): the provider's reports name a row
    # by its id, and a late report about an erased SMS must not settle the row that came next.
    __table_args__ = (
        Index("ix_outbound_message_due", "status", "channel", "next_attempt_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    recipient: Mapped[str] = mapped_column(String(20))  # E.164
    channel: Mapped[str] = mapped_column(String(8), default="sms")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the OutboxWorker sending it
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str | None] = mapped_column(String(200))
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcast.id", ondelete="SET NULL"), index=True)
    # News calls only: the calling window it may ring in (MORNING, AFTERNOON), and how it went last.
    window: Mapped[str | None] = mapped_column(String(12))
    call_outcome: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxWorker(Base):
    """A running outbox worker, alive while its heartbeat is recent: it holds the lease on the
    messages it claimed, and nobody else settles them."""

    __tablename__ = "outbox_worker"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class CallerVisit(Base):
    """When a caller last called, known only by a keyed pseudonym of the number."""

    __tablename__ = "caller_visit"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_call_at: Mapped[datetime]
    # The language the caller chose on the phone (a catalog code); None: they never chose one.
    language: Mapped[str | None] = mapped_column(String(16))


class UsageEvent(Base):
    """Something that happened on the line, with nobody in it (see content.usage): no number, no
    pseudonym, no text; a call's events share a random id only until their day is counted."""

    __tablename__ = "usage_event"
    __table_args__ = (Index("ix_usage_event_at", "at"), Index("ix_usage_event_call", "call"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(8))  # phone, sms, web
    kind: Mapped[str] = mapped_column(String(24))  # what happened: content.usage's kinds
    detail: Mapped[str] = mapped_column(String(48), default="")  # from a closed list: a menu, a key, a language
    amount: Mapped[int] = mapped_column(default=1)  # how many (a broadcast's recipients, records purged)
    call: Mapped[str | None] = mapped_column(String(16))  # ties a call's events together, for a day


class UsageDay(Base):
    """What a day's events add up to: the report's figures, kept when the events are gone. A row of
    kind "counted" marks a day as counted (with or without other rows)."""

    __tablename__ = "usage_day"

    day: Mapped[date] = mapped_column(primary_key=True)  # in the town's time zone
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    detail: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int]


# Staff roles: what a staff member may do. Admins may do everything.
EDITOR = "editor"  # announcements, projects and their updates, broadcasts
MODERATOR = "moderator"  # the inbox of ideas, questions and callbacks
ADMIN = "admin"  # staff accounts, the town profile and settings, subscriber look-ups
REPORT = "report"  # reads the report to the council (usage figures, all counts) and changes nothing
ROLES = (EDITOR, MODERATOR, REPORT, ADMIN)
ROLE_NAMES = {
    EDITOR: N_("Editor"),
    MODERATOR: N_("Moderator"),
    REPORT: N_("Report (read only)"),
    ADMIN: N_("Administrator"),
}


class StaffUser(Base):
    """A staff member who may log in to the staff pages."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=EDITOR)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def may(self, role: str) -> bool:
        """Whether this account may do what role does: its own role's work, or, as admin, everything.
        The report role (REPORT) may read the report and nothing else; no other role reads it."""
        return self.active and (self.role == role or self.role == ADMIN)

    @property
    def only_reads(self) -> bool:
        """An account that may change nothing (the report role): kept out of everything that writes."""
        return self.role == REPORT


class StaffSession(Base):
    """One login: the signed session cookie holds its token, and only while this row lives does it count.

    Logging out deletes the row, so every copy of the cookie ends with it; closing an account,
    changing its role or its password deletes all of the account's rows.
    """

    __tablename__ = "staff_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the token, never the token
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)


class LoginFailure(Base):
    """Failed logins in a row on one counter (see web.staff.throttle), for any address, with or without account.

    Named by keyed digests only: neither the address nor the IP it came from is kept.
    """

    __tablename__ = "login_failure"

    counter: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)  # a new password clears all of an address's
    failures: Mapped[int]
    last_failed_at: Mapped[datetime] = mapped_column(index=True)


# Taking part ---------------------------------------------------------------------------------


class Poll(Base):
    """A question residents answer by keypad or SMS, open from opens_at until closes_at."""

    __tablename__ = "poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"de": {"question": ...}}
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    project_number: Mapped[int | None]  # the roadmap project it is about, if any
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    options: Mapped[list[PollOption]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class PollOption(Base):
    """One answer of a poll, chosen with its key (position 1–5)."""

    __tablename__ = "poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"de": {"label": ...}}

    poll: Mapped[Poll] = relationship(back_populates="options")


class Vote(Base):
    """One person's vote in a poll, known only by a keyed pseudonym of their number.

    The pseudonym is the same for phone and SMS, so a person votes once across both; after
    erasure or when the poll's contact data expire it is removed and the vote stays, anonymous.
    """

    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("poll_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_option.id", ondelete="CASCADE"))
    voter: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))  # phone, sms
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)


# Submission kinds: what a resident sent in.
IDEA = "idea"  # IDEE by SMS
QUESTION = "question"  # FRAGE by SMS; staff answer by SMS
VOICE_MESSAGE = "voice"  # a recording left under key 3
KIND_NAMES = {IDEA: N_("Idea"), QUESTION: N_("Question"), VOICE_MESSAGE: N_("Voice message")}
# Where an item of the inbox or a callback stands.
OPEN = "open"  # nobody has dealt with it yet
HANDLED = "handled"  # staff dealt with it


class Submission(Base):
    """An idea, a question or a voice message from a resident, for the staff inbox.

    The content may be kept; the contact data (number, pseudonym) only until it expires or the
    person asks for erasure.
    """

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)  # the reference number residents get (reference)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    project_number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164, contact data
    pseudonym: Mapped[str | None] = mapped_column(String(64), index=True)
    # A voice message: where the provider keeps it until it is fetched, and where it lies then.
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(300))
    recording_seconds: Mapped[int | None]
    recording_file: Mapped[str | None] = mapped_column(String(200))
    # False once the person asked for erasure: the provider's copy is deleted and not fetched.
    recording_wanted: Mapped[bool] = mapped_column(default=True)
    fetch_attempts: Mapped[int] = mapped_column(Integer, default=0)
    fetch_after: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default=OPEN, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[str | None] = mapped_column(String(254))
    handled_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    @property
    def reference(self) -> str:
        return reference(self.id)


def reference(submission_id: int) -> str:
    """The number a resident quotes for an idea, question or voice message: at least four digits
    ("0042"), said digit by digit, so that it is taken for neither a count nor a phone number."""
    return f"{submission_id:04d}"


class ErasureRequest(Base):
    """Somebody texted the erasure keyword: erasure waits for their confirmation (the exact words)
    within a few minutes. Kept by pseudonym only, and deleted once confirmed or expired."""

    __tablename__ = "erasure_request"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(index=True)


class CallbackRequest(Base):
    """A resident asked to be called back; staff promise it by due_on (the next working day)."""

    __tablename__ = "callback_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164; None once erased
    pseudonym: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(8))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default=OPEN, index=True)
    handled_by: Mapped[str | None] = mapped_column(String(254))
    handled_at: Mapped[datetime | None]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
