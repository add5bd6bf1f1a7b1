"""Subscriber figures, and one number looked up or erased on request (administrators only).

There is deliberately no list of numbers: staff see counts, and a single record only when they
type its number to answer that person's request.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from sqlalchemy import delete, func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from content import db
from content.i18n import N_
from content.models import ADMIN, OutboundMessage, Subscriber
from content.staff.auth import needs
from content.staff.blueprint import bp
from content.staff.forms import StaffForm, phone_number, say


class LookupForm(StaffForm):
    number = StringField(validators=[DataRequired(), phone_number])


class EraseForm(StaffForm):
    number = HiddenField(validators=[DataRequired(), phone_number])


def figures() -> dict[str, Any]:
    session = db.session()
    by_status = dict(session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    by_language = dict(
        session.execute(
            select(Subscriber.language, func.count()).where(Subscriber.status == "subscribed").group_by(Subscriber.language)
        ).all()
    )
    return {"by_status": by_status, "by_language": by_language}


@bp.route("/subscribers", methods=["GET", "POST"])
@needs(ADMIN)
def subscribers() -> Any:
    """Show how many get the news; look up one number to answer a request."""
    form = LookupForm()
    found = None
    messages = 0
    if form.validate_on_submit():
        session = db.session()
        found = session.scalar(select(Subscriber).where(Subscriber.number == form.number.data))
        messages = session.scalar(
            select(func.count()).select_from(OutboundMessage).where(OutboundMessage.recipient == form.number.data)
        )
    erase = EraseForm(formdata=None, number=form.number.data) if form.number.data and not form.errors else None
    return render_template(
        "staff/subscribers.html", figures=figures(), form=form, found=found, messages=messages,
        looked_up=form.is_submitted() and not form.errors, erase=erase,
    ), (422 if form.errors else 200)


@bp.post("/subscribers/erase")
@needs(ADMIN)
def erase_subscriber() -> Any:
    """Erase everything kept for one number: the subscription and the messages sent to it."""
    form = EraseForm()
    if form.validate_on_submit():
        session = db.session()
        session.execute(delete(Subscriber).where(Subscriber.number == form.number.data))
        session.execute(delete(OutboundMessage).where(OutboundMessage.recipient == form.number.data))
        session.commit()
        flash(say(N_("Erased: nothing is kept for this number any more.")))
    return redirect(url_for("staff.subscribers"))
