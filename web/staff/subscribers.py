"""Subscriber figures, and one number looked up, exported or erased on request (administrators only).

There is deliberately no list of numbers: staff see counts, and a single record only when they
type its number to answer that person's request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import get_day_names
from flask import flash, jsonify, redirect, render_template, url_for
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from content import db, news_calls, privacy
from content.i18n import N_
from content.models import ADMIN, SENDING, SENT, WEEKLY, CallSubscriber, Subscriber
from content.snapshot import current
from web.pages import page_language
from web.staff import calls
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import StaffForm, phone_number, say

EACH_ANNOUNCEMENT = N_("For each new announcement")
ONCE_A_WEEK = N_("Once a week, on %(day)s, with the news of the week")
MACHINE_IS_ENOUGH = N_("A message on the answering machine is enough.")
KEEP_TRYING = N_("After a message on the answering machine, the city tries again to reach the person.")


@dataclass(frozen=True)
class CallChoices:
    """A call subscription as staff read it: how often, when, and what an answering machine counts for."""

    how_often: str
    when: str
    machine: str
    waiting: int  # calls waiting for their time (or to be tried again)
    next_call: datetime | None  # when the next of them may ring
    ringing: bool  # a call is ringing now


def call_choices(subscriber: CallSubscriber) -> CallChoices:
    language, profile = page_language(), current().profile
    if subscriber.frequency == WEEKLY and subscriber.weekday is not None:
        weekday = get_day_names("wide", locale=language)[subscriber.weekday]
        how_often = say(ONCE_A_WEEK, day=weekday)
    else:
        how_often = say(EACH_ANNOUNCEMENT)
    pending = news_calls.pending(db.session(), subscriber.number)
    ringing = any(call.status in (SENDING, SENT) for call in pending)
    queued = [call.next_attempt_at for call in pending if call.status not in (SENDING, SENT)]
    return CallChoices(
        how_often=how_often,
        when=calls.describe_window(profile, subscriber.window, language),
        machine=say(MACHINE_IS_ENOUGH if subscriber.machine_is_enough else KEEP_TRYING),
        waiting=len(queued),
        next_call=min(queued) if queued else None,
        ringing=ringing,
    )


class LookupForm(StaffForm):
    number = StringField(validators=[DataRequired(), phone_number])


class EraseForm(StaffForm):
    number = HiddenField(validators=[DataRequired(), phone_number])


def figures() -> dict[str, Any]:
    session = db.session()
    by_status = dict(session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    by_language = dict(
        session.execute(
            select(Subscriber.language, func.count())
            .where(Subscriber.status == "subscribed")
            .group_by(Subscriber.language)
        ).all()
    )
    return {
        "by_status": by_status,
        "by_language": by_language,
        "called": news_calls.subscribed(session),
        "called_by_language": news_calls.subscribed_by_language(session),
    }


@bp.route("/subscribers", methods=["GET", "POST"])
@needs(ADMIN)
def subscribers() -> Any:
    """Show how many get the news; look up one number to answer a request."""
    form = LookupForm()
    kept = None
    if form.validate_on_submit():
        kept = privacy.kept_about(db.session(), form.number.data)
    erase = EraseForm(formdata=None, number=form.number.data) if kept is not None else None
    return render_template(
        "staff/subscribers.html",
        figures=figures(),
        form=form,
        kept=kept,
        calls=call_choices(kept.calls) if kept is not None and kept.calls is not None else None,
        erase=erase,
    ), (422 if form.errors else 200)


@bp.post("/subscribers/export")
@needs(ADMIN)
def export_number() -> Any:
    """Everything kept about one number, as a file to hand to the person (right of access)."""
    form = EraseForm()
    if not form.validate_on_submit():
        return redirect(url_for("staff.subscribers"))
    kept = privacy.kept_about(db.session(), form.number.data)
    response = jsonify(privacy.as_record(kept))
    response.headers["Content-Disposition"] = "attachment; filename=buergertelefon-auskunft.json"
    return response


@bp.post("/subscribers/erase")
@needs(ADMIN)
def erase_subscriber() -> Any:
    """Erase everything linked to one number; ideas stay without it."""
    form = EraseForm()
    if form.validate_on_submit():
        session = db.session()
        privacy.erase(session, form.number.data, asked_on="staff")
        session.commit()
        flash(say(N_("Erased: nothing is kept for this number any more.")))
    return redirect(url_for("staff.subscribers"))
