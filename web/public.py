"""The public pages, open to everyone: how the hotline works, the roadmap, and its feeds."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content import clock, db, guides, history, office_hours, polls, queries, snapshot, usage
from content.clean import xml_safe
from content.i18n import catalog_codes
from content.models import STATUS_NAMES, Poll, Project
from content.phone import spoken_form
from web import pages

bp = Blueprint("public", __name__, static_folder="static", static_url_path="/assets", template_folder="templates")


@bp.get("/")
def home() -> str:
    """Say what the hotline is, its number, its keys and its SMS keywords."""
    language = pages.page_language()
    profile = snapshot.current().profile
    return render_template(
        "home.html",
        hours=office_hours.describe(profile, language),
        phone_keys=guides.guide("phone", language),
        sms_keywords=guides.guide("sms", language),
        news=snapshot.current().public_news(clock.now())[:3],
        hotline=spoken_form(profile.hotline_number) if profile.hotline_number else None,
    )


@bp.get("/leichte-sprache")
def easy() -> str:
    """Explain the hotline in Leichte Sprache: what it is, the number, the keys, SMS, when a person
    answers, and what is kept; from the same town profile and guides as the start page."""
    if pages.EASY not in catalog_codes():
        abort(404)
    g.page_language = pages.EASY
    profile = snapshot.current().profile
    return render_template(
        "easy.html",
        hours=office_hours.describe(profile, pages.EASY),
        phone_keys=guides.guide("phone", pages.EASY),
        sms_keywords=guides.guide("sms", pages.EASY),
        hotline=spoken_form(profile.hotline_number) if profile.hotline_number else None,
        spoken_on_the_phone=any(language.code == pages.EASY for language in profile.languages),
        switch_to=url_for("public.home"),
    )


@bp.get("/roadmap")
def roadmap() -> str:
    """Show every project with its status, its updates and the history of its changes."""
    session = db.session()
    projects = queries.roadmap(session)
    revisions = history.by_project(history.public_revisions(session))
    return render_template(
        "roadmap.html",
        polls=closed_polls(session),
        projects=projects,
        revisions=revisions,
        status_names=STATUS_NAMES,
        changes=history.changes,
        public_author=history.public_author,
        field_labels=history.FIELD_LABELS,
        value_names=history.VALUE_NAMES,
    )


def closed_polls(session: Session) -> list[tuple[Poll, dict[int, int]]]:
    """Polls that have closed, newest first, with the votes per answer: results are public only then."""
    query = (
        select(Poll)
        .options(selectinload(Poll.options))
        .where(Poll.closes_at <= clock.now())
        .order_by(Poll.closes_at.desc())
    )
    closed = list(session.scalars(query))
    counted = polls.results(session, closed)
    return [
        (poll, {position: sum(by_channel.values()) for position, by_channel in counted[poll.id].items()})
        for poll in closed
    ]


def _poll_json(poll: Poll, totals: dict[int, int]) -> dict[str, Any]:
    return {
        "id": poll.id,
        "texts": poll.texts,
        "opened_at": poll.opens_at.isoformat(),
        "closed_at": poll.closes_at.isoformat(),
        "project_number": poll.project_number,
        "results": [
            {"position": o.position, "texts": o.texts, "votes": totals.get(o.position, 0)} for o in poll.options
        ],
    }


def _project_json(project: Project) -> dict[str, Any]:
    return {
        "number": project.number,
        "field": project.field,
        "status": project.status,
        "texts": project.texts,
        "updated_at": project.updated_at.isoformat(),
        "updates": [
            {"id": update.id, "date": update.happened_on.isoformat(), "texts": update.texts}
            for update in project.updates
        ],
    }


def _public_news() -> list[Any]:
    return list(snapshot.current().public_news(clock.now()))


# The public pages the usage figures count (content.usage.PAGES), by the view that shows them.
COUNTED_PAGES = {
    "public.home": "home",
    "public.easy": "easy",
    "public.roadmap": "roadmap",
    "public.roadmap_json": "roadmap-json",
    "public.roadmap_atom": "feed",
    "flyer.flyer_page": "flyer",
    "flyer.flyer_pdf": "flyer",
}


@bp.after_app_request
def count_page(response: Response) -> Response:
    """A public page shown (not an apology, not a redirect) counts as a page view: which page, no more."""
    page = COUNTED_PAGES.get(request.endpoint or "")
    if page is not None and request.method == "GET" and response.status_code == 200:
        usage.record(usage.PAGE, channel=usage.WEB, at=clock.now(), detail=page)
    return response


@bp.after_request
def open_to_all(response: Response) -> Response:
    """Any site's scripts may read the roadmap's JSON, also when it says it failed."""
    if request.endpoint == "public.roadmap_json":
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/roadmap.json")
@pages.fails_as(pages.JSON)
def roadmap_json() -> Response:
    """The roadmap, its public news and every public revision, for anyone to reuse."""
    session = db.session()
    news = _public_news()
    return jsonify(
        {
            "town": snapshot.current().profile.town,
            "generated_at": clock.now().isoformat(),
            "projects": [_project_json(project) for project in queries.roadmap(session)],
            "news": [
                {"id": item.id, "published_at": item.publish_at.isoformat(), "texts": item.texts} for item in news
            ],
            "polls": [_poll_json(poll, totals) for poll, totals in closed_polls(session)],
            "revisions": [
                history.as_json(revision) for revision in history.public_revisions(session, (item.id for item in news))
            ],
        }
    )


@bp.get("/roadmap.atom")
@pages.fails_as(pages.TEXT)  # a feed reader must not take an apology for an entry
def roadmap_atom() -> Response:
    """An Atom feed with an entry for every project update and every public announcement."""
    session = db.session()
    projects = queries.roadmap(session)
    entries = [
        {
            "kind": "update",
            "id": update.id,
            "project": project,
            "when": update.created_at,
            "day": update.happened_on,
            "texts": update.texts,
        }
        for project in projects
        for update in project.updates
    ] + [
        {"kind": "news", "id": item.id, "project": None, "when": item.publish_at, "day": None, "texts": item.texts}
        for item in _public_news()
    ]
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    body = render_template("roadmap.atom.xml", entries=entries, now=clock.now())
    # Staff forms clean what they take; a row stored before (or by hand) must not break the feed either.
    return Response(xml_safe(body), mimetype="application/atom+xml")
