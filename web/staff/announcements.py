"""Announcements: write once, see how it sounds and what the SMS costs, publish, send, watch it arrive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms import BooleanField, DateTimeLocalField, SelectField
from wtforms.validators import Optional

from content import channel_texts, clock, db, outbox, sms_text
from content.channel_texts import spoken
from content.clean import xml_safe
from content.i18n import N_
from content.models import EDITOR, FIELD_NAMES, Announcement, Broadcast
from content.profile import Language
from content.snapshot import current
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
SEND_NEEDS_PUBLISH = N_("A draft sends nothing. Publish now or schedule it to send it by SMS.")
CANCELLED = N_("The SMS planned for this news were taken back. To send them, tick “send by SMS” again.")


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

    return with_texts(AnnouncementForm, languages, TEXT_FIELDS)(**values)


def form_values(announcement: Announcement, timezone: str) -> dict[str, Any]:
    return {
        "publish_at": local_input(announcement.publish_at, timezone),
        "expires_at": local_input(announcement.expires_at, timezone),
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
    return found


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
            return save(item, form, action, publish_at)
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
    ), status


def save(item: Announcement, form: Any, action: str, publish_at: datetime | None) -> Any:
    session, profile, now = db.session(), current().profile, clock.now()
    # A new time or text makes SMS planned for the old one wrong: take them back first.
    cancelled = outbox.cancel_scheduled(session, item.id, now) if item.id else 0
    item.texts = read_texts(form, profile.languages, TEXT_FIELDS)
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
            session, item, languages=languages, author=g.staff.email, now=now, topic=topic, send_at=send_at
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
    session.commit()
    flash(say(N_("Archived: callers and texters no longer get it.")))
    return redirect(url_for("staff.announcements"))


@bp.post("/preview")
@needs(EDITOR)
def preview() -> Any:
    """What an announcement's texts become: the SMS with its cost, and the spoken words."""
    fields = {name: xml_safe(str(request.form.get(name, "")))[: TEXT_FIELDS[name]] for name in TEXT_FIELDS}
    draft = channel_texts.sms_draft(fields)
    counted, sent = sms_text.count(draft), sms_text.smart_encode(draft)
    return jsonify(
        sms=sent,
        written_encoding="GSM-7" if sms_text.is_gsm7(draft) else "UCS-2",
        encoding=counted.encoding,
        characters=len(sent),
        segments=counted.segments,
        replaced=[[char, sms_text.SMART_REPLACEMENTS[char]] for char in counted.replaced],
        forcing_ucs2=list(counted.forcing_ucs2),
        spoken=spoken(fields, "title", "body"),
    )


@bp.get("/broadcasts/<int:broadcast_id>")
@needs(EDITOR)
def broadcast(broadcast_id: int) -> str:
    """Show how far a broadcast has got: queued, sent, delivered, failed."""
    sent = db.session().get(Broadcast, broadcast_id) or abort(404)
    return render_template("staff/broadcast.html", sent=sent, figures=figures(broadcast_id), now=clock.now())


@bp.get("/broadcasts/<int:broadcast_id>.json")
@needs(EDITOR)
def broadcast_progress(broadcast_id: int) -> Any:
    db.session().get(Broadcast, broadcast_id) or abort(404)
    return jsonify(figures(broadcast_id))


def figures(broadcast_id: int) -> dict[str, int]:
    """A broadcast's messages by what happened to them; done counts every one that left the queue."""
    counts = outbox.progress(db.session(), broadcast_id)
    waiting = counts.get("queued", 0) + counts.get("sending", 0)
    total = sum(counts.values())
    return {
        "total": total,
        "waiting": waiting,
        "sent": counts.get("sent", 0),
        "delivered": counts.get("delivered", 0),
        "failed": counts.get("failed", 0) + counts.get("undelivered", 0) + counts.get("unknown", 0),
        "done": total - waiting,
        "percent": 100 if total == 0 else (total - waiting) * 100 // total,
    }
