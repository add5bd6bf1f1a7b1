"""Subscriber figures, and one number looked up, exported or erased on request (administrators only).

There is deliberately no list of numbers: staff see counts, and a single record only when they
type its number to answer that person's request.
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, url_for
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from content import db, privacy
from content.i18n import N_
from content.models import ADMIN, Subscriber
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import StaffForm, phone_number, say


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
    return {"by_status": by_status, "by_language": by_language}


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
        privacy.erase(session, form.number.data)
        session.commit()
        flash(say(N_("Erased: nothing is kept for this number any more.")))
    return redirect(url_for("staff.subscribers"))
