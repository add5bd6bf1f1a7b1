"""The staff forms: field checks, CSRF, and error messages in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.i18n import get_translations

from content.i18n import N_, translate
from content.phone import to_e164
from content.web import page_language

NOT_A_NUMBER = N_("Please enter a telephone number, for example 0631 365-0.")


class StaffForm(FlaskForm):
    """A form whose built-in messages ("This field is required.") speak the page's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            return get_translations([page_language()])


def say(message: str, **values: object) -> str:
    return translate(page_language(), message, **values)


def phone_number(form: Any, field: Any) -> None:
    """A validator: an optional telephone number, stored as E.164."""
    if not field.data:
        field.data = None
        return
    number = to_e164(field.data)
    if number is None:
        raise ValidationError(say(NOT_A_NUMBER))
    field.data = number


def in_town(moment: datetime | None, timezone: str) -> datetime | None:
    """A time typed in the town's local time, made timezone-aware."""
    return moment.replace(tzinfo=ZoneInfo(timezone)) if moment else None


def local_input(moment: datetime | None, timezone: str) -> datetime | None:
    """A stored time as the town's local time without zone, for a datetime-local input."""
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None) if moment else None
