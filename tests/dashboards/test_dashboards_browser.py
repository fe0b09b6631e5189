"""Each dashboard rendered in headless Chromium, as a user sees it: every chart drawn, no error box.

A screenshot of each is kept in the session's artifacts folder (printed at the end of the run).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
ERROR_BOXES = ".ant-alert-error, [data-test='error-message'], .alert-danger"
SLUGS = ["centre-overview", "team-performance", "agent-scorecard", "attendance-discipline", "quality-complaints", "data-quality"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser: Browser, superset) -> Iterator[Page]:
    # Tall enough that every chart is in view: Superset only draws the charts on screen.
    page = browser.new_page(viewport={"width": 1600, "height": 2400})
    page.goto(f"{superset.url}/login/")
    page.fill("#username", "admin")
    page.fill("#password", superset.settings.admin_password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/superset/welcome/**")
    yield page
    page.close()


@pytest.mark.parametrize("slug", SLUGS)
def test_dashboard_renders_every_chart_without_an_error(page: Page, admin, artifacts, slug):
    dashboard = next(d for d in admin.list_all("/api/v1/dashboard/", columns=["id", "slug"]) if d["slug"] == slug)
    charts = admin.get(f"/api/v1/dashboard/{dashboard['id']}/charts")["result"]
    page.goto(f"{admin.base_url}/superset/dashboard/{slug}/")
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-test='chart-container']\").length >= n"
        " && document.querySelectorAll(\"[data-test='loading-indicator'], .loading\").length === 0",
        arg=len(charts),
        timeout=180_000,
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # the charts' drawing animations, for a complete picture
    screenshot = artifacts / f"{slug}.png"
    page.screenshot(path=str(screenshot))
    print(f"screenshot: {screenshot}")
    errors = page.locator(ERROR_BOXES)
    assert errors.count() == 0, errors.first.inner_text()
    drawn = page.evaluate(
        """() => [...document.querySelectorAll("[data-test='chart-container']")]
                 .filter(chart => chart.querySelector('canvas, table') || chart.innerText.trim()).length"""
    )
    assert drawn == len(charts)
