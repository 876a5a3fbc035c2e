"""Playwright with Debian's chromium (never `playwright install`): one browser per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: one sync Playwright per thread at a time, so other modules can start theirs."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (CI installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture(scope="module")
def bfcache_browser():
    """Chromium with its back/forward cache ON, as in a normal Chrome: Playwright turns it off
    by default (its `--disable-back-forward-cache` switch), so that switch is left out here."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (CI installs it)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(
        executable_path=CHROMIUM, args=ARGS, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def phone_page(browser):
    """A phone-sized page that keeps our Content Security Policy (the app's own JS must work)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_page(browser):
    """A phone-sized page where axe-core may be injected (the CSP forbids injected scripts)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", bypass_csp=True)
    yield context.new_page()
    context.close()
