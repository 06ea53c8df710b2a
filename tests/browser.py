"""Chromium through Playwright for the browser tests: fixtures and helpers.

Registered as a pytest plugin by tests/conftest.py. Tests that use it mark
themselves with `pytestmark = BROWSER` so they skip, saying why, where Debian's
chromium is absent.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from scripts.audit_judges import CHROMIUM as CHROMIUM_PATH
from scripts.audit_judges import CHROMIUM_FLAGS

CHROMIUM = shutil.which("chromium") or CHROMIUM_PATH
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="needs Debian's chromium (apt-get install -y chromium); .ci/run installs it",
    ),
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (scripts on, as readers have them)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def open_tab(browser, **options):
    """A page in a fresh context that fails its test if the CSP blocked anything."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    return context, page, refused


@pytest.fixture
def tab(browser):
    context, page, refused = open_tab(browser)
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy blocked something on a page"


@pytest.fixture
def scriptless_tab(browser):
    """A page with JavaScript turned off: everything must still work."""
    context, page, _refused = open_tab(browser, java_script_enabled=False)
    yield page
    context.close()


def snap(page, name: str, *, of=None) -> None:
    """With SCREENSHOT_DIR set (`make screenshots`), save the whole page, or only the
    element `of` (a locator), as docs/screenshots/<name>.png."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"{name}.png")
        if of is not None:
            of.screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)
