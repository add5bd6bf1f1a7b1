"""The staff forms: field checks, CSRF, and error messages in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField, ValidationError
from wtforms.i18n import get_translations
from wtforms.validators import Length, Optional

from content.clean import xml_safe
from content.i18n import N_, translate
from content.phone import to_e164
from content.profile import Language
from web.pages import page_language

NOT_A_NUMBER = N_("Please enter a telephone number, for example 0631 365-0.")
REQUIRED = N_("Please write this in %(language)s, the hotline's first language.")


class StaffForm(FlaskForm):
    """A form whose built-in messages ("This field is required.") speak the page's language, and
    whose text fields keep no character that would break the TwiML or the feed it ends up in."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            return get_translations([page_language()])

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if is_text(unbound_field.field_class):
                options = {**options, "filters": [*unbound_field.kwargs.get("filters", ()), cleaned]}
            return super().bind_field(form, unbound_field, options)


def is_text(field_class: type) -> bool:
    """Text typed or pasted by staff; a password is kept exactly as typed."""
    return issubclass(field_class, StringField) and not issubclass(field_class, PasswordField)


def cleaned(value: Any) -> Any:
    """A field's text without the characters XML forbids (see content.clean); other values as they are."""
    return xml_safe(value) if isinstance(value, str) else value


def say(message: str | tuple[str, str], **values: Any) -> str:
    """A message in the page's language (a plural one takes its count from values["count"])."""
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


ONE_LINE = 300  # texts up to this long (titles, questions, answers) get a one-line field

# Texts per language are form fields named "<text>_<language code>", e.g. "title_de".


def with_texts(form_class: type, languages: tuple[Language, ...], texts: dict[str, int]) -> type:
    """Add a field for each text (name → longest length) in each language; short texts get one line."""
    for language in languages:
        for name, longest in texts.items():
            kind = StringField if longest <= ONE_LINE else TextAreaField
            setattr(form_class, f"{name}_{language.code}", kind(validators=[Optional(), Length(max=longest)]))
    return form_class


def read_texts(form: Any, languages: tuple[Language, ...], names: dict[str, int]) -> dict[str, dict[str, str]]:
    """The texts as stored: {"de": {"title": ...}}, leaving out empty texts and empty languages."""
    texts = {}
    for language in languages:
        fields = {name: (form[f"{name}_{language.code}"].data or "").strip() for name in names}
        if any(fields.values()):
            texts[language.code] = {name: value for name, value in fields.items() if value}
    return texts


def text_values(texts: dict[str, dict[str, str]], names: dict[str, int]) -> dict[str, str]:
    """Stored texts as the form's field values."""
    return {f"{name}_{code}": fields.get(name, "") for code, fields in (texts or {}).items() for name in names}


def require_first_language(form: Any, languages: tuple[Language, ...], names: tuple[str, ...]) -> bool:
    """Mark the first language's required texts that are empty; True if all are there."""
    complete = True
    for name in names:
        field = form[f"{name}_{languages[0].code}"]
        if not (field.data or "").strip():
            field.errors = [*field.errors, say(REQUIRED, language=languages[0].name())]
            complete = False
    return complete
