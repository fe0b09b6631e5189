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
SIGN_IN_ATTEMPTS = 3
SLUGS = ["centre-overview", "team-performance", "agent-scorecard", "attendance-discipline", "quality-complaints", "data-quality"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser: Browser, superset, artifacts) -> Iterator[Page]:
    # Tall enough that every chart is in view: Superset only draws the charts on screen.
    page = browser.new_page(viewport={"width": 1600, "height": 2400})
    _sign_in(page, superset, artifacts)
    yield page
    page.close()


def _sign_in(page: Page, superset, artifacts) -> None:
    """Signs in through the login form, as a user does.

    On a busy machine the form has once come back to itself instead of opening the welcome page,
    while the same password signed in through the REST API; so the form is tried again, and each
    failed attempt leaves a screenshot and what the page said.
    """
    failures = []
    for attempt in range(1, SIGN_IN_ATTEMPTS + 1):
        page.goto(f"{superset.url}/login/")
        page.wait_for_load_state("networkidle")
        page.fill("#username", "admin")
        page.fill("#password", superset.settings.admin_password)
        page.click("[data-test='login-button']")
        page.wait_for_url(lambda url: "/superset/welcome/" in url or "/login/?" in url, timeout=120_000)
        if "/superset/welcome/" in page.url:
            return
        page.wait_for_load_state("networkidle")
        screenshot = artifacts / f"sign-in-{attempt}.png"
        page.screenshot(path=str(screenshot))
        failures.append(f"attempt {attempt}: {page.url} ({screenshot}): {page.locator('body').inner_text()[:300]!r}")
        print(failures[-1])
    pytest.fail("the login form did not sign in:\n" + "\n".join(failures))


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
