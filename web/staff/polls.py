"""Polls: a question with two to five answers, open for a while, answered by keypad and SMS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from wtforms import DateTimeLocalField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional

from content import clock, db
from content.i18n import N_
from content.models import EDITOR, Poll, PollOption, Vote
from content.polls import results as poll_results
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

MOST_OPTIONS = 5
QUESTION = {"question": 300}
TOO_FEW = N_("A poll needs at least two answers in the first language.")
CLOSES_FIRST = N_("The poll must close after it opens.")
OPTIONS_FIXED = N_("People have voted already: the answers can be corrected, not added or removed.")


def option_fields(position: int) -> dict[str, int]:
    return {f"option{position}": 80}


def poll_form(languages: tuple[Language, ...], **values: Any) -> Any:
    class PollForm(StaffForm):
        opens_at = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
        closes_at = DateTimeLocalField(format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
        project_number = IntegerField(validators=[Optional(), NumberRange(min=1, max=99999)])

    with_texts(PollForm, languages, QUESTION)
    for position in range(1, MOST_OPTIONS + 1):
        with_texts(PollForm, languages, option_fields(position))
    return PollForm(**values)


def form_values(poll: Poll, timezone: str) -> dict[str, Any]:
    values = {
        "opens_at": local_input(poll.opens_at, timezone),
        "closes_at": local_input(poll.closes_at, timezone),
        "project_number": poll.project_number,
        **text_values(poll.texts, QUESTION),
    }
    for option in poll.options:
        labels = {code: {f"option{option.position}": fields.get("label", "")} for code, fields in option.texts.items()}
        values.update(text_values(labels, option_fields(option.position)))
    return values


def answers_from(form: Any, languages: tuple[Language, ...]) -> list[dict[str, dict[str, str]]]:
    """The answers in order, each {"de": {"label": ...}}; rows left empty in the first language are dropped."""
    answers = []
    for position in range(1, MOST_OPTIONS + 1):
        texts = read_texts(form, languages, option_fields(position))
        texts = {code: {"label": fields[f"option{position}"]} for code, fields in texts.items()}
        if texts.get(languages[0].code):
            answers.append(texts)
    return answers


def state(poll: Poll, now: datetime) -> str:
    return "open" if poll.is_open(now) else ("coming" if poll.opens_at > now else "closed")


STATES = {"open": N_("open"), "coming": N_("not yet open"), "closed": N_("closed")}


@bp.get("/polls")
@needs(EDITOR)
def polls() -> str:
    """List the polls, the latest first, with their votes so far."""
    session = db.session()
    items = list(session.scalars(select(Poll).order_by(Poll.opens_at.desc(), Poll.id.desc())))
    counts = dict(session.execute(select(Vote.poll_id, func.count()).group_by(Vote.poll_id)).all())
    return render_template("staff/polls.html", items=items, counts=counts, state=state, states=STATES, now=clock.now())


@bp.route("/polls/new", methods=["GET", "POST"])
@bp.route("/polls/<int:poll_id>", methods=["GET", "POST"])
@needs(EDITOR)
def poll(poll_id: int | None = None) -> Any:
    """Write or change a poll, and see its results by channel."""
    session, profile = db.session(), current().profile
    item = session.get(Poll, poll_id) if poll_id else Poll(texts={})
    if item is None:
        abort(404)
    voted = bool(item.id) and bool(
        session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == item.id))
    )
    form = poll_form(
        profile.languages, **(form_values(item, profile.timezone) if request.method == "GET" and item.id else {})
    )
    if form.validate_on_submit() and require_first_language(form, profile.languages, ("question",)):
        answers = answers_from(form, profile.languages)
        opens, closes = in_town(form.opens_at.data, profile.timezone), in_town(form.closes_at.data, profile.timezone)
        if len(answers) < 2:
            form.form_errors.append(say(TOO_FEW))
        elif voted and len(answers) != len(item.options):
            form.form_errors.append(say(OPTIONS_FIXED))
        elif closes <= opens:  # type: ignore[operator]  # both required: the form validated them
            form.closes_at.errors = [*form.closes_at.errors, say(CLOSES_FIRST)]
        else:
            save(item, form, answers, opens, closes)  # type: ignore[arg-type]  # both required: the form validated them
            flash(say(N_("Poll saved.")))
            return redirect(url_for("staff.poll", poll_id=item.id))
    results = poll_results(session, [item])[item.id] if item.id else {}
    return render_template(
        "staff/poll.html",
        form=form,
        item=item,
        results=results,
        most=MOST_OPTIONS,
        voted=voted,
    ), (422 if form.errors else 200)


def save(item: Poll, form: Any, answers: list[dict[str, Any]], opens: datetime, closes: datetime) -> None:
    session, profile = db.session(), current().profile
    item.texts = read_texts(form, profile.languages, QUESTION)
    item.opens_at, item.closes_at, item.project_number = opens, closes, form.project_number.data
    existing = {option.position: option for option in item.options}
    for position, texts in enumerate(answers, 1):
        if position in existing:
            existing[position].texts = texts
        else:
            item.options.append(PollOption(position=position, texts=texts))
    for position in [p for p in existing if p > len(answers)]:
        item.options.remove(existing[position])
    session.add(item)
    session.commit()
