"""What every web page shares: the page language, translated words, dates, and CSRF protection."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask import Flask, Response, current_app, g, jsonify, render_template, request, session
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from content import db, last_known, snapshot
from content.channel_texts import only_in
from content.failures import log_failure
from content.i18n import N_, catalog_codes, html_language, is_right_to_left, language_name, translate, translate_plural
from content.profile import TownProfile
from content.texts import pick_language
from telephony.deadline import Desk

log = logging.getLogger(__name__)

csrf = CSRFProtect()

View = TypeVar("View", bound=Callable[..., Any])


def current_profile() -> TownProfile:
    """The town profile; on a bad day (database gone) the last one known, so pages still render."""
    if g.get("database_in_trouble"):  # rendering the trouble page: do not ask the database again
        return last_known.recall() or TownProfile()
    try:
        return snapshot.current().profile
    except SQLAlchemyError:
        return last_known.recall() or TownProfile()


# German in Leichte Sprache: a public body's web presence in Germany is expected to explain itself
# in it, so the explaining page (/leichte-sprache) is there whether or not the phone speaks it.
EASY = "de@easy"
EASY_LINK = N_("The citizens' line in easy language")


def page_language() -> str:
    """The language the visitor chose (?lang=, remembered), else the town's first language; a page
    written in one language only (the Leichte-Sprache page) sets g.page_language."""
    fixed = g.get("page_language")
    if isinstance(fixed, str):
        return fixed
    enabled = {language.code.lower(): language.code for language in current_profile().languages}
    asked = enabled.get(request.args.get("lang", "").strip().lower())  # ?lang=AR is ar; ?lang=xx is nothing
    if asked is not None:
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    remembered = session.get("lang")  # an odd or disabled ?lang= keeps the visitor's choice
    return remembered if isinstance(remembered, str) and remembered in enabled.values() else [*enabled.values()][0]


def language_attributes(code: str) -> Markup:
    """The lang and dir attributes of an element whose words are in this language: lang="ar" dir="rtl"."""
    direction = "rtl" if is_right_to_left(code) else "ltr"
    return Markup('lang="%s" dir="%s"') % (html_language(code), direction)


class Written(dict[str, Any]):
    """A record's texts as a page shows them: the fields of the language they are read in, and,
    where that is not the page's language, the note that says so ("Nur auf Deutsch:") and the lang
    and dir attributes for the element that shows them (see content.texts.pick_language)."""

    def __init__(self, texts: dict[str, Any], page: str, fallback: str) -> None:
        code = pick_language(texts, page, fallback)
        super().__init__(texts[code] if code else {})
        self.language = code or page
        foreign = code is not None and code != page
        self.note = only_in(code, page) if foreign and code else ""
        self.attrs = language_attributes(self.language) if foreign else Markup("")

    def shown(self, name: str) -> Markup:
        """One field for a sentence of the page: in a span with its lang and dir where it is foreign."""
        value = str(self.get(name) or "")
        return Markup("<span %s>%s</span>") % (self.attrs, value) if self.attrs else Markup.escape(value)


def with_markup(translated: str, /, **values: Any) -> Markup:
    """A translated message, filled with values that carry their own markup (a Written.shown, a
    phone_number); other values are escaped: with_markup(_("Project %(number)s: %(title)s"), …)."""
    return Markup.escape(translated) % values


def _town_time(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(current_profile().timezone))


def local_moment(value: datetime | None, language: str) -> str:
    """A moment in the town's time, as staff read it: "27. November 2026, 09:49"."""
    if not isinstance(value, datetime):
        return ""
    local = _town_time(value)
    return f"{format_date(local, 'long', locale=language)}, {format_time(local, 'short', locale=language)}"


def _helpers() -> dict[str, object]:
    language, profile = page_language(), current_profile()
    default = profile.default_language.code
    return {
        "lang": language,  # the catalog's code, e.g. "de@easy"
        "html_lang": html_language(language),  # as the lang attribute wants it: "de"
        "text_direction": "rtl" if is_right_to_left(language) else "ltr",
        "language_attributes": language_attributes,
        "html_language": html_language,
        # A form field for a text in this language: {"lang": "ar", "dir": "rtl"}.
        "words": lambda code: {"lang": html_language(code), "dir": "rtl" if is_right_to_left(code) else "ltr"},
        "name_of": lambda code: language_name(code, language),
        "with_markup": with_markup,
        # A telephone number reads from left to right, also inside a right-to-left sentence.
        "phone_number": lambda number: Markup('<span dir="ltr">%s</span>') % number,
        "language_query": lambda code: urlencode({"lang": code}),
        "_": lambda message, **values: translate(language, message, **values),
        "ngettext": lambda singular, plural, count, **values: translate_plural(
            language, (singular, plural), count, **values
        ),
        "day": lambda value: format_date(value, "long", locale=language) if isinstance(value, date) else "",
        "moment": lambda value: local_moment(value, language),
        # A count as staff and residents read it: "1.234".
        "number": lambda count: format_decimal(count, locale=language),
        "profile": profile,
        "texts_in": lambda texts: Written(texts or {}, language, default),
        # The link to the Leichte-Sprache page, in Leichte Sprache, on every public page.
        "easy_link": translate(EASY, EASY_LINK) if EASY in catalog_codes() else None,
        "easy_attributes": language_attributes(EASY),
    }


# Pages load nothing from elsewhere and run no inline script: injected markup could not run either.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


# In production the service is only reached over HTTPS: browsers are told to keep to it for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def is_production(app: Flask) -> bool:
    return str(app.config.get("HOTLINE_ENV", "")).lower() == "production"


def protect_page(response: Response) -> Response:
    """Headers for every response: pages, feeds, error pages, the health check and the webhooks."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if is_production(current_app):
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


# After a failure (the database away), clients are asked to come back in this many seconds.
RETRY_AFTER_SECONDS = 120
JSON, TEXT = "json", "text"
SORRY = N_("Sorry, something went wrong")
TRY_AGAIN = N_("Please try again in a few minutes.")

_failure_formats: dict[Callable[..., Any], str] = {}


def fails_as(kind: str) -> Callable[[View], View]:
    """Mark a view that is no HTML page (a feed): its failures answer in JSON or TEXT, not HTML."""

    def mark(view: View) -> View:
        _failure_formats[view] = kind
        return view

    return mark


def failure_format() -> str | None:
    """The format the failing request's view answers failures in; None for an HTML page."""
    view = current_app.view_functions.get(request.endpoint or "")
    return None if view is None else _failure_formats.get(view)


def unavailable(kind: str | None) -> Response:
    """503 in the format the client reads, asking it to come back later."""
    if kind == JSON:
        response = jsonify(error="temporarily unavailable")
    elif kind == TEXT:
        language = page_language()
        response = Response(f"{translate(language, SORRY)}. {translate(language, TRY_AGAIN)}\n", mimetype="text/plain")
    else:
        response = Response(render_template("trouble.html", status=503))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def trouble(error: Exception) -> HTTPException | Response | tuple[str, int]:
    """A missing or broken page says so in plain words and names the phone number, never a trace;
    a feed says it in its own format."""
    if isinstance(error, HTTPException):
        return (render_template("trouble.html", status=404), 404) if error.code == 404 else error
    log_failure(log, f"web page failed at {request.path}", error)
    g.database_in_trouble = True
    db.rollback_quietly()
    return unavailable(failure_format())


def init_app(app: Flask) -> None:
    # CSRF is checked by the staff pages themselves (web.staff); the webhooks are signed by
    # Twilio instead and must not be asked for a token they cannot have.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)
    app.context_processor(_helpers)
    # Every response, also those of blueprints' error handlers and of no blueprint (404, /healthz).
    app.after_request(protect_page)
    # For the web pages: the webhooks' own blueprints answer their errors with TwiML first.
    app.register_error_handler(Exception, trouble)


def answered_in_time(app: Flask, blueprints: tuple[str, ...]) -> None:
    """Run these blueprints' views on a desk of their own, giving up after the deadline (see
    telephony.deadline): a page or feed stuck on the database answers 503 and never holds the
    server's threads, which the webhooks and their fallbacks need."""
    desk = Desk()
    app.extensions["web.desk"] = desk
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.partition(".")[0] not in blueprints:
            continue

        def in_time(*args: Any, _view: Callable[..., Any] = view, **kwargs: Any) -> Any:
            return desk.answer(current_app.config["WEBHOOK_DEADLINE_SECONDS"], _view, *args, **kwargs)

        functools.update_wrapper(in_time, view)
        if view in _failure_formats:
            _failure_formats[in_time] = _failure_formats[view]
        app.view_functions[endpoint] = in_time
