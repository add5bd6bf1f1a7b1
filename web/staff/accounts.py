"""Staff accounts: who may log in, and with which role (administrators only)."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, ValidationError
from wtforms.validators import DataRequired, Length

from content import db
from content.i18n import N_
from content.models import ADMIN, ROLE_NAMES, ROLES, StaffUser
from web.staff.auth import MIN_PASSWORD_LENGTH, SHORT_PASSWORD, end_sessions, find, hash_password, needs
from web.staff.blueprint import bp
from web.staff.forms import StaffForm, say

TAKEN = N_("There is an account with this address already.")
NOT_EMAIL = N_("Please enter an e-mail address.")
LOOKS_LIKE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_account(email: str, password: str, role: str) -> StaffUser:
    """A new staff account (the caller adds and commits it)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    return StaffUser(email=email.strip().lower(), password_hash=hash_password(password), role=role, active=True)


class AccountForm(StaffForm):
    email = EmailField(validators=[DataRequired(), Length(max=254)])
    role = SelectField(choices=list(ROLES), validators=[DataRequired()])
    password = PasswordField(validators=[DataRequired()])

    def validate_email(self, field: Any) -> None:
        if not LOOKS_LIKE_EMAIL.match(field.data or ""):
            raise ValidationError(say(NOT_EMAIL))
        if find(field.data or ""):
            raise ValidationError(say(TAKEN))

    def validate_password(self, field: Any) -> None:
        if len(field.data or "") < MIN_PASSWORD_LENGTH:
            raise ValidationError(say(SHORT_PASSWORD, count=MIN_PASSWORD_LENGTH))


class RoleForm(StaffForm):
    role = SelectField(choices=[*ROLES, "inactive"], validators=[DataRequired()])


@bp.route("/accounts", methods=["GET", "POST"])
@needs(ADMIN)
def accounts() -> Any:
    """List the staff accounts and add one."""
    form = AccountForm()
    session = db.session()
    if form.validate_on_submit():
        session.add(new_account(form.email.data, form.password.data, form.role.data))
        session.commit()
        flash(say(N_("Account created. Tell the new colleague the password by a safe way.")))
        return redirect(url_for("staff.accounts"))
    users = list(session.scalars(select(StaffUser).order_by(StaffUser.email)))
    return render_template("staff/accounts.html", form=form, users=users, role_names=ROLE_NAMES, role_form=RoleForm), (
        422 if form.errors else 200
    )


@bp.post("/accounts/<int:user_id>")
@needs(ADMIN)
def change_role(user_id: int) -> Any:
    """Give an account another role, or close it."""
    form, session = RoleForm(), db.session()
    user = session.get(StaffUser, user_id) or abort(404)
    if form.validate_on_submit():
        if user.id == g.staff.id and form.role.data != ADMIN:
            flash(say(N_("You cannot take away your own administrator role.")))
            return redirect(url_for("staff.accounts"))
        active = form.role.data != "inactive"
        role = form.role.data if active else user.role
        if (active, role) != (user.active, user.role):
            # A session goes with the role it started under: closed or changed, it ends, even if changed back.
            end_sessions(user)
        user.active, user.role = active, role
        session.commit()
        flash(say(N_("Saved.")))
    return redirect(url_for("staff.accounts"))
