"""The moderation inbox: ideas, questions and voice messages, and the queue of call backs."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from content import clock, db, office_hours, outbox, privacy
from content.i18n import N_, translate
from content.inbox import callback_done as mark_callback_done
from content.inbox import handled
from content.models import HANDLED, KIND_NAMES, MODERATOR, OPEN, CallbackRequest, Submission
from content.sms_text import fits, smart_encode
from content.snapshot import current
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import StaffForm, say

STATUS_NAMES = {OPEN: N_("open"), HANDLED: N_("handled")}
# An answer must fit in two SMS; staff see the same count as for news.
LONGEST_ANSWER = 306


# An answer says who writes and what it answers: the resident may have texted days ago.
ANSWER_HEAD = N_("%(sender)s, on your reference %(reference)s:")
TOO_LONG_WITH_HEAD = N_("With the town's name and the reference in front, this answer is longer than two SMS.")


def answer_sms(item: Submission, text: str) -> str:
    """The SMS a resident gets as answer, in the language they wrote in."""
    head = translate(item.language, ANSWER_HEAD, sender=current().profile.sender, reference=item.reference)
    return smart_encode(f"{head} {text}")


class AnswerForm(StaffForm):
    answer = TextAreaField(validators=[DataRequired(), Length(max=LONGEST_ANSWER)])


def chosen(name: str, allowed: set[str]) -> str | None:
    value = request.args.get(name, "")
    return value if value in allowed else None


@bp.get("/inbox")
@needs(MODERATOR)
def inbox() -> str:
    """Ideas, questions and voice messages, newest first, filtered by kind, project and status."""
    kind = chosen("kind", set(KIND_NAMES))
    status = chosen("status", set(STATUS_NAMES)) if "status" in request.args else OPEN
    project = request.args.get("project", "")
    query = select(Submission).order_by(Submission.received_at.desc(), Submission.id.desc()).limit(200)
    if kind:
        query = query.where(Submission.kind == kind)
    if status:
        query = query.where(Submission.status == status)
    if project.isascii() and project.isdigit() and len(project) < 6:
        query = query.where(Submission.project_number == int(project))
    items = list(db.session().scalars(query))
    return render_template(
        "staff/inbox.html",
        items=items,
        kind=kind,
        status=status,
        project=project,
        kind_names=KIND_NAMES,
        status_names=STATUS_NAMES,
        projects=current().projects,
        speech_locales={language.code: language.speech for language in current().profile.languages},
    )


@bp.get("/inbox/<int:item_id>/recording")
@needs(MODERATOR)
def recording(item_id: int) -> Response:
    """The voice message from the city's own storage, for listening in the browser."""
    item = db.session().get(Submission, item_id) or abort(404)
    if not item.recording_file:
        abort(404)
    path = privacy.recordings_dir() / item.recording_file
    if not path.is_file():
        abort(404)
    # Read whole (two minutes at most): a browser that stops listening half-way leaves no file open.
    return send_file(io.BytesIO(path.read_bytes()), mimetype="audio/mpeg", max_age=0, conditional=True)


@bp.post("/inbox/<int:item_id>/handled")
@needs(MODERATOR)
def mark_handled(item_id: int) -> Any:
    """Mark an item as dealt with."""
    item = db.session().get(Submission, item_id) or abort(404)
    handled(item, g.staff.email, clock.now())
    db.session().commit()
    flash(say(N_("Marked as handled: reference %(reference)s."), reference=item.reference))
    return redirect(url_for("staff.inbox"))


@bp.post("/inbox/<int:item_id>/answer")
@needs(MODERATOR)
def answer(item_id: int) -> Any:
    """Answer by SMS through the outbox, and mark the item handled."""
    session = db.session()
    item = session.get(Submission, item_id) or abort(404)
    form = AnswerForm()
    if item.number is None:
        flash(say(N_("No number is kept for this item any more, so it cannot be answered.")))
    elif form.validate_on_submit():
        text = form.answer.data.strip()
        body = answer_sms(item, text)
        if not fits(body):
            flash(say(TOO_LONG_WITH_HEAD))
            return redirect(url_for("staff.inbox"))
        # The same answer sent twice (a double click) leaves once.
        key = f"answer-{item.id}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        outbox.enqueue(session, recipient=item.number, body=body, key=key, now=clock.now())
        item.answer = text
        handled(item, g.staff.email, clock.now())
        session.commit()
        flash(say(N_("The answer to reference %(reference)s is on its way."), reference=item.reference))
    else:
        flash(" ".join(form.answer.errors))
    return redirect(url_for("staff.inbox"))


@bp.get("/inbox.csv")
@needs(MODERATOR)
def inbox_csv() -> Response:
    """Every idea, question and voice message for the council's report: content, no phone numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["reference", "kind", "channel", "language", "project", "received", "status", "handled", "text", "answer"]
    )
    for item in db.session().scalars(select(Submission).order_by(Submission.id)):
        writer.writerow(
            [
                item.reference,
                item.kind,
                item.channel,
                item.language,
                item.project_number or "",
                item.received_at.date().isoformat(),
                item.status,
                item.handled_at.date().isoformat() if item.handled_at else "",
                _cell(item.text),
                _cell(item.answer),
            ]
        )
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=buergertelefon-beitraege.csv"
    return response


def _cell(text: str | None) -> str:
    """Text as a spreadsheet cell that cannot turn into a formula."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/callbacks")
@needs(MODERATOR)
def callbacks() -> str:
    """Who asked to be called back, the newest request first; overdue ones stand out."""
    session = db.session()
    waiting = list(
        session.scalars(
            select(CallbackRequest)
            .where(CallbackRequest.status == OPEN)
            .order_by(CallbackRequest.requested_at.desc(), CallbackRequest.id.desc())
        )
    )
    today = office_hours.local_date(current().profile, clock.now())
    return render_template("staff/callbacks.html", waiting=waiting, today=today)


@bp.post("/callbacks/<int:request_id>/done")
@needs(MODERATOR)
def callback_done(request_id: int) -> Any:
    """The call back was made."""
    item = db.session().get(CallbackRequest, request_id) or abort(404)
    mark_callback_done(db.session(), current().profile, item, g.staff.email, clock.now())
    db.session().commit()
    flash(say(N_("Call back done.")))
    return redirect(url_for("staff.callbacks"))
