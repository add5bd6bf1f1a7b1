"""Real headless Chromium (Debian's, driven by Playwright) against the app served on loopback."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

import axe_playwright_python
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags this machine's closed network needs: no background connections, no updates, no sync.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# What WCAG 2.1 AA asks, as axe-core tags its rules.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class LiveServer:
    """The app on a free loopback port, in a thread of the test process (same database)."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


def serious_violations(page: Any) -> list[str]:
    """Run axe-core on the page; describe every serious or critical WCAG 2.1 AA violation."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def wait_until(page: Any, expression: str, seconds: float = 10) -> None:
    """Wait until a JavaScript expression holds in the page. Asked from outside (page.evaluate),
    which the pages' Content-Security-Policy allows; wait_for_function polls with eval inside the
    page, which the policy rightly refuses whenever the first look is not yet true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {seconds} s: {expression}"
        page.wait_for_timeout(50)
