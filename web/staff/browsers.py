"""Known browsers: a signed cookie naming the accounts that have logged in in this browser before.

It opens nothing by itself. It only lets the right password through while a colleague's address
is being guessed elsewhere, and counts this browser's own failures apart (see web.staff.throttle).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "staff_browser"
KEEP = timedelta(days=90)
MOST_ACCOUNTS = 5  # a shared computer in the town hall


@dataclass(frozen=True)
class Browser:
    id: str  # random, names this browser's own failure counter
    accounts: tuple[int, ...]  # the accounts that logged in here, the latest first


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staff-known-browser")


def parse(data: object) -> Browser | None:
    """The browser a verified cookie describes, or None if it describes none."""
    if not isinstance(data, dict):
        return None
    browser_id, accounts = data.get("id"), data.get("accounts")
    if not isinstance(browser_id, str) or not isinstance(accounts, list):
        return None
    if not all(type(account) is int for account in accounts):
        return None
    return Browser(browser_id, tuple(accounts[:MOST_ACCOUNTS]))


def known() -> Browser | None:
    """This request's browser, if its cookie is one we signed and not older than KEEP."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie, max_age=int(KEEP.total_seconds()))
    except BadData:
        return None
    return parse(data)


def knows(browser: Browser | None, account: int | None) -> str | None:
    """The browser's id if this account has logged in in it before."""
    if browser is None or account is None or account not in browser.accounts:
        return None
    return browser.id


def with_account(browser: Browser | None, account: int) -> Browser:
    """The browser after this account has logged in in it."""
    if browser is None:
        return Browser(secrets.token_urlsafe(16), (account,))
    others = tuple(known for known in browser.accounts if known != account)
    return Browser(browser.id, (account, *others)[:MOST_ACCOUNTS])


def remember(response: Response, browser: Browser) -> None:
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"id": browser.id, "accounts": list(browser.accounts)}),
        max_age=int(KEEP.total_seconds()),
        path=f"{request.script_root}/staff",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
