"""The town profile: what makes the hotline this town's (administrators only)."""

from __future__ import annotations

import dataclasses
import re
from datetime import time
from typing import Any

import holidays
from babel import Locale, UnknownLocaleError
from babel.dates import format_time, get_day_names
from babel.numbers import format_decimal
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from content import calling_hours, db, queries
from content.i18n import N_, N_plural, catalog_codes, translate_plural
from content.models import ADMIN, AFTERNOON, MORNING, CallSubscriber
from content.profile import (
    EARLIEST_CALL,
    LATEST_CALL,
    MOST_CALL_RETRIES,
    RETENTION_DAYS,
    WEEKDAYS,
    Language,
    TownProfile,
    profile_from_settings,
)
from content.snapshot import current
from web.pages import page_language
from web.staff import calls
from web.staff.auth import needs
from web.staff.blueprint import bp
from web.staff.choices import SLOW, as_line, region_choices, timezone_choices, voice_choices
from web.staff.forms import StaffForm, phone_number, say

HOURS_FORMAT = N_("Write times like 08:00-12:00, several separated by commas; empty means closed.")
BAD_HOURS = N_("Not understood. %(example)s")
NO_REGION = N_("None: only the nationwide holidays")
BAD_SUBDIVISION = N_("Please choose a region from the list.")
BAD_TIMEZONE = N_("Please choose a time zone from the list.")
# What each retention period is for, as staff read it.
RETENTION_NAMES = {
    "contact": N_("Numbers of people who sent an idea, a question or a voice message"),
    "voice": N_("Recordings of voice messages"),
    "callback": N_("Call-back requests"),
    "votes": N_("Codes of the voters, after a poll closed (the votes stay)"),
    "sms_log": N_("Which SMS were answered (no number, no text)"),
    "visits": N_("When a caller last called (code only)"),
    "outbox": N_("SMS sent, with their recipients"),
    "usage_events": N_(
        "Single steps of calls and SMS for the usage figures (no number, no text; the daily totals stay)"
    ),
}
BAD_LANGUAGES = N_("Please choose a voice from the list for each language, and each language only once.")
NO_CATALOG = N_(
    "There are no texts for the language %(code)s yet: its catalog (translations/%(code)s) has to be installed first."
)
# The calling times of news calls: a start and an end for each window (morning, afternoon).
NOT_A_TIME = N_("Please write a time like 09:00.")
AT_NIGHT = N_(
    "News calls ring only between %(start)s and %(end)s: nobody is to be called early in the morning, "
    "in the evening or at night."
)
ENDS_TOO_EARLY = N_("The end must be after the start.")
CALLING_TIME_CHANGED = N_plural(
    "%(count)s person gets news calls %(window)s from now on, but agreed to %(before)s. "
    "Please let them know, for example in the next news item.",
    "%(count)s people get news calls %(window)s from now on, but agreed to %(before)s. "
    "Please let them know, for example in the next news item.",
)
RETRIES = N_("Please choose a number from %(first)s to %(last)s.")
# The legend over each calling window's start and end.
WINDOW_LEGENDS = {MORNING: N_("Calling time in the morning"), AFTERNOON: N_("Calling time in the afternoon")}
# A voice named as Twilio names them: "Polly.Bianca-Neural", "Google.uk-UA-Standard-A".
_TWILIO_VOICE = re.compile(r"^(Polly|Google)\.[A-Za-z0-9-]{1,60}$")


def parse_hours(text: str) -> list[list[str]]:
    """ "08:00-12:00, 13:00-16:00" as [["08:00", "12:00"], ["13:00", "16:00"]]; ValueError if unclear."""
    spans = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        start, _, end = part.replace("–", "-").partition("-")
        spans.append([start.strip().zfill(5), end.strip().zfill(5)])
    hours = profile_from_settings({"office_hours": {"mon": spans}}).office_hours.get("mon", [])
    if len(hours) != len(spans):
        raise ValueError(text)
    return hours


def parse_languages(text: str) -> tuple[Language, ...]:
    languages = []
    for line in filter(None, (row.strip() for row in text.splitlines())):
        parts = line.split()
        if len(parts) not in (3, 4) or parts[3:] not in ([], [SLOW]) or len(line) > 100:
            raise ValueError(line)
        try:
            Locale.parse(parts[0])
            Locale.parse(parts[1], sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            raise ValueError(line) from None
        if not _TWILIO_VOICE.match(parts[2]):
            raise ValueError(line)
        languages.append(Language(parts[0], parts[1], parts[2], slow=parts[3:] == [SLOW]))
    if not languages:
        raise ValueError(text)
    return tuple(languages)


class LanguagesField(SelectMultipleField):  # type: ignore[misc]  # wtforms has no type hints
    """The languages in order, one voice each: several lists of the same name (the first is the
    default language); an empty list adds no language. Checked by the form, in plain words."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [line.strip() for value in valuelist for line in value.splitlines() if line.strip()]

    def pre_validate(self, form: Any) -> None:
        pass  # the form's validate_languages says what is wrong in the page's language


def listed(choices: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in choices]


def settings_form(profile: TownProfile, **values: Any) -> Any:
    page = page_language()
    saved_region, saved_zone = profile.holidays_subdivision, profile.timezone

    class SettingsForm(StaffForm):
        town = StringField(validators=[DataRequired(), Length(max=100)])
        short_name = StringField(validators=[Optional(), Length(max=40)])
        hotline_number = StringField(validators=[Optional(), phone_number])
        staff_number = StringField(validators=[Optional(), phone_number])
        holidays_subdivision = SelectField(
            choices=listed([("", say(NO_REGION)), *region_choices(profile.holidays_country, saved_region)]),
            validate_choice=False,
        )
        timezone = SelectField(choices=listed(timezone_choices(saved_zone, page)), validate_choice=False)
        languages = LanguagesField(choices=listed(voice_choices(profile.languages, page)))

        def validate_holidays_subdivision(self, field: Any) -> None:
            known = set(holidays.country_holidays(profile.holidays_country).subdivisions) | {saved_region}
            if field.data and field.data not in known:
                raise ValidationError(say(BAD_SUBDIVISION))
            field.data = field.data or None

        def validate_timezone(self, field: Any) -> None:
            if field.data not in {zone for zone, _name in timezone_choices(saved_zone, page)}:
                raise ValidationError(say(BAD_TIMEZONE))  # only the list, and what was saved before

        def validate_languages(self, field: Any) -> None:
            """A voice of the list for each language; or, for a language not in it (a new catalog),
            a line of its own: the catalog's code, the speech region and a Twilio voice."""
            offered = {choice.value for choice in field.choices}
            listed_codes = {value.split()[0] for value in offered}
            codes = [line.split()[0] for line in field.data]
            own_lines = [line for line in field.data if line not in offered]
            if not field.data or len(codes) != len(set(codes)) or len(own_lines) > 1:
                raise ValidationError(say(BAD_LANGUAGES))
            if any(line.split()[0] in listed_codes for line in own_lines):  # a language with voices: one of them
                raise ValidationError(say(BAD_LANGUAGES))
            try:
                parse_languages("\n".join(field.data))
            except ValueError:
                raise ValidationError(say(BAD_LANGUAGES)) from None
            for code in codes:
                if code not in catalog_codes():
                    raise ValidationError(say(NO_CATALOG, code=code))

    for day in WEEKDAYS:
        setattr(SettingsForm, f"hours_{day}", StringField(validators=[Optional(), _hours_validator]))
    for window in WINDOW_LEGENDS:
        setattr(SettingsForm, f"calls_{window}_start", StringField(validators=[_calling_time]))
        setattr(SettingsForm, f"calls_{window}_end", StringField(validators=[_calling_time, _after_start]))
    SettingsForm.call_retries = IntegerField(
        validators=[NumberRange(min=0, max=MOST_CALL_RETRIES, message=say(RETRIES, first=0, last=MOST_CALL_RETRIES))]
    )
    for kind in RETENTION_DAYS:
        setattr(
            SettingsForm, f"retention_{kind}", IntegerField(validators=[DataRequired(), NumberRange(min=1, max=3650)])
        )
    for language in profile.languages:
        setattr(SettingsForm, f"greeting_{language.code}", TextAreaField(validators=[Optional(), Length(max=500)]))
    return SettingsForm(**values)


def _hours_validator(form: Any, field: Any) -> None:
    try:
        parse_hours(field.data or "")
    except ValueError:
        raise ValidationError(say(BAD_HOURS, example=say(HOURS_FORMAT))) from None


def _calling_time(form: Any, field: Any) -> None:
    """A validator: a time of day within the hours news calls may ring, kept as "09:00"."""
    try:
        moment = time.fromisoformat((field.data or "").strip().zfill(5))
    except ValueError:
        raise ValidationError(say(NOT_A_TIME)) from None
    if moment.tzinfo is not None:  # "09:00Z" is no time of the town's day (and compares with none)
        raise ValidationError(say(NOT_A_TIME))
    if not EARLIEST_CALL <= moment <= LATEST_CALL:
        language = page_language()
        start, end = (format_time(limit, "short", locale=language) for limit in (EARLIEST_CALL, LATEST_CALL))
        raise ValidationError(say(AT_NIGHT, start=start, end=end))
    field.data = moment.strftime("%H:%M")


def _after_start(form: Any, field: Any) -> None:
    """A validator for a window's end: after its start (when the start is a time at all)."""
    start = form[field.name.removesuffix("_end") + "_start"]
    if not start.errors and not field.errors and field.data <= start.data:
        raise ValidationError(say(ENDS_TOO_EARLY))


def form_values(profile: TownProfile) -> dict[str, Any]:
    values: dict[str, Any] = {
        "town": profile.town,
        "short_name": profile.short_name,
        "hotline_number": profile.hotline_number,
        "staff_number": profile.staff_number,
        "holidays_subdivision": profile.holidays_subdivision,
        "timezone": profile.timezone,
        "languages": [as_line(language) for language in profile.languages],
    }
    for kind, days in profile.retention_days.items():
        values[f"retention_{kind}"] = days
    for window in WINDOW_LEGENDS:
        start, end = calling_hours.span(profile, window)
        values[f"calls_{window}_start"], values[f"calls_{window}_end"] = f"{start:%H:%M}", f"{end:%H:%M}"
    values["call_retries"] = profile.call_retries
    for day in WEEKDAYS:
        values[f"hours_{day}"] = ", ".join(f"{start}-{end}" for start, end in profile.office_hours.get(day, []))
    for language in profile.languages:
        values[f"greeting_{language.code}"] = profile.greeting.get(language.code, "")
    return values


def profile_from(form: Any, profile: TownProfile) -> TownProfile:
    # The greetings of languages no longer offered are kept: offered again, they greet as before.
    greeting = {code: text for code, text in profile.greeting.items() if f"greeting_{code}" not in form}
    for language in profile.languages:
        if text := (form[f"greeting_{language.code}"].data or "").strip():
            greeting[language.code] = text
    hours = {day: parse_hours(form[f"hours_{day}"].data or "") for day in WEEKDAYS}
    return dataclasses.replace(
        profile,
        town=form.town.data.strip(),
        short_name=(form.short_name.data or "").strip(),
        greeting=greeting,
        hotline_number=form.hotline_number.data,
        staff_number=form.staff_number.data,
        office_hours={day: spans for day, spans in hours.items() if spans},
        holidays_subdivision=form.holidays_subdivision.data,
        timezone=form.timezone.data,
        languages=parse_languages("\n".join(form.languages.data)),
        retention_days={kind: form[f"retention_{kind}"].data for kind in RETENTION_DAYS},
        calling_hours={
            window: [form[f"calls_{window}_start"].data, form[f"calls_{window}_end"].data] for window in WINDOW_LEGENDS
        },
        call_retries=form.call_retries.data,
    )


def calling_time_notices(session: Any, before: TownProfile, after: TownProfile) -> list[str]:
    """For each calling time that changed: how many people chose it, and that they agreed to the
    old one (their consent names it), so that staff can let them know."""
    language, notices = page_language(), []
    for window in WINDOW_LEGENDS:
        if calling_hours.span(before, window) == calling_hours.span(after, window):
            continue
        count = session.scalar(select(func.count()).select_from(CallSubscriber).where(CallSubscriber.window == window))
        if count:
            notices.append(
                translate_plural(
                    language,
                    CALLING_TIME_CHANGED,
                    count,
                    count=format_decimal(count, locale=language),
                    window=calls.describe_window(after, window, language),
                    before=calls.describe_window(before, window, language),
                )
            )
    return notices


def language_slots(form: Any) -> list[str]:
    """What each language list shows: the chosen voices in order, then empty lists to add a language
    (a line that is in no list, a language of its own, is shown in the field for another language)."""
    offered = {choice.value for choice in form.languages.choices}
    chosen = [line for line in form.languages.data or [] if line in offered]
    languages = {choice.value.split()[0] for choice in form.languages.choices}
    return chosen + [""] * max(0, len(languages) - len(chosen))


def another_language(form: Any) -> str:
    """The line typed for a language that no list offers, as it was typed."""
    offered = {choice.value for choice in form.languages.choices}
    return next((line for line in form.languages.data or [] if line not in offered), "")


@bp.route("/settings", methods=["GET", "POST"])
@needs(ADMIN)
def settings() -> Any:
    """Change the town's name, greeting, numbers, office hours, calling times and languages."""
    profile = current().profile
    form = settings_form(profile, **(form_values(profile) if request.method == "GET" else {}))
    if form.validate_on_submit():
        session = db.session()
        changed = profile_from(form, profile)
        queries.save_town_profile(session, changed)
        session.commit()
        flash(say(N_("Saved. Callers hear the change from the next call on.")))
        for notice in calling_time_notices(session, profile, changed):
            flash(notice)
        return redirect(url_for("staff.settings"))
    names = get_day_names("wide", locale=page_language())
    day_names = {day: names[index] for index, day in enumerate(WEEKDAYS)}
    return render_template(
        "staff/settings.html",
        form=form,
        day_names=day_names,
        hours_hint=say(HOURS_FORMAT),
        retention_names=RETENTION_NAMES,
        window_legends=WINDOW_LEGENDS,
        language_slots=language_slots(form),
        another_language=another_language(form),
    ), (422 if form.errors else 200)
