"""Fixtures for the browser suite: one live server and one Chromium per module, a fresh context per user.

Skips with the reason when Chromium or the playwright package is missing (scripts/ensure_browser.sh
installs both); in CI a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.live import CHROMIUM, Live, launch_chromium, live_server, sign_in


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not installed; run scripts/ensure_browser.sh"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (test extra); run scripts/ensure_browser.sh"
    return None


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)
    with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="module")
def chromium(live: Live) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def as_user(live: Live, chromium: Any) -> Iterator[Callable[..., Any]]:
    """`as_user("amina")` -> a signed-in Playwright page in a context of its own (own cookies)."""
    contexts: list[Any] = []

    def open_as(name: str, *, locale: str = "en-GB") -> Any:
        context = chromium.new_context(locale=locale, viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live.base_url, name)
        return page

    yield open_as
    for context in contexts:
        context.close()
