"""Projects of the roadmap and their dated progress notes. A project keeps its number for good."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired

from content import clock, db, queries
from content.i18n import N_
from content.models import EDITOR, FIELD_NAMES, STATUS_NAMES, Project, ProjectUpdate
from content.profile import Language
from content.snapshot import current
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.forms import StaffForm, read_texts, require_first_language, say, text_values, with_texts

PROJECT_TEXTS = {"title": 200, "summary": 2000, "spoken": 2000}
UPDATE_TEXTS = {"text": 2000, "spoken": 2000}


def project_form(languages: tuple[Language, ...], **values: Any) -> Any:
    class ProjectForm(StaffForm):
        status = SelectField(choices=list(STATUS_NAMES), validators=[DataRequired()])
        field = SelectField(choices=list(FIELD_NAMES), validators=[DataRequired()])

    return with_texts(ProjectForm, languages, PROJECT_TEXTS)(**values)


def update_form(languages: tuple[Language, ...], **values: Any) -> Any:
    class UpdateForm(StaffForm):
        happened_on = DateField(validators=[DataRequired()])

    return with_texts(UpdateForm, languages, UPDATE_TEXTS)(**values)


@bp.get("/projects")
@needs(EDITOR)
def projects() -> str:
    """List the roadmap's projects by number."""
    return render_template("staff/projects.html", projects=queries.roadmap(db.session()), status_names=STATUS_NAMES)


@bp.route("/projects/new", methods=["GET", "POST"])
@bp.route("/projects/<int:number>", methods=["GET", "POST"])
@needs(EDITOR)
def project(number: int | None = None) -> Any:
    """Create a project or change its status and texts; add progress notes to it."""
    session, languages = db.session(), current().profile.languages
    item = find_project(number) if number else Project(texts={}, status="planned", field="administration")
    values = {"status": item.status, "field": item.field, **text_values(item.texts, PROJECT_TEXTS)}
    form = project_form(languages, **(values if request.method == "GET" else {}))
    if form.validate_on_submit() and require_first_language(form, languages, ("title", "summary")):
        if not item.id:  # a new project, not yet saved
            # The next free number, never reused: callers and the printed flyer rely on it.
            item.number = (session.scalar(select(func.max(Project.number))) or 0) + 1
            session.add(item)
        item.status, item.field = form.status.data, form.field.data
        item.texts = read_texts(form, languages, PROJECT_TEXTS)
        try:
            session.commit()
        except IntegrityError:  # a colleague took the same number a moment ago
            session.rollback()
            form.form_errors.append(say(N_("A colleague created a project at the same moment. Please save again.")))
        else:
            flash(say(N_("Saved. Callers hear it from the next call on.")))
            return redirect(url_for("staff.project", number=item.number))
    return render_template(
        "staff/project.html", form=form, item=item, status_names=STATUS_NAMES, field_names=FIELD_NAMES
    ), (422 if form.errors else 200)


def find_project(number: int) -> Project:
    found = db.session().scalar(select(Project).where(Project.number == number))
    return found if found is not None else abort(404)


@bp.route("/projects/<int:number>/updates/new", methods=["GET", "POST"])
@bp.route("/projects/<int:number>/updates/<int:update_id>", methods=["GET", "POST"])
@needs(EDITOR)
def project_update(number: int, update_id: int | None = None) -> Any:
    """Add a dated progress note to a project, or correct one."""
    session, languages = db.session(), current().profile.languages
    item = find_project(number)
    note = session.get(ProjectUpdate, update_id) if update_id else ProjectUpdate(texts={})
    if note is None or (update_id and note.project_id != item.id):
        abort(404)
    values = {"happened_on": note.happened_on or clock.now().date(), **text_values(note.texts, UPDATE_TEXTS)}
    form = update_form(languages, **(values if request.method == "GET" else {}))
    if form.validate_on_submit() and require_first_language(form, languages, ("text",)):
        note.happened_on = form.happened_on.data
        note.texts = read_texts(form, languages, UPDATE_TEXTS)
        if not note.id:  # a new progress note, not yet saved
            item.updates.append(note)
        session.commit()
        flash(say(N_("Progress note saved.")))
        return redirect(url_for("staff.project", number=number))
    return render_template("staff/update.html", form=form, item=item, note=note), (422 if form.errors else 200)


@bp.route("/projects/<int:number>/updates/<int:update_id>/delete", methods=["GET", "POST"])
@needs(EDITOR)
def delete_update(number: int, update_id: int) -> Any:
    """Remove a progress note (the public history keeps what it said), after asking: the question
    names the note's date and text, and only its confirming button removes it."""
    session, item = db.session(), find_project(number)
    note = session.get(ProjectUpdate, update_id)
    if note is None or note.project_id != item.id:
        abort(404)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("staff/remove_update.html", item=item, note=note)
    session.delete(note)
    session.commit()
    flash(say(N_("Progress note removed.")))
    return redirect(url_for("staff.project", number=number))
