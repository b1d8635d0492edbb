"""The public page in a real browser (SPEC §13): Debian's Chromium driven by playwright
(pointed at the system's chromium, it downloads nothing), JavaScript off, at a phone's and
a desktop's width, printed on A4, checked by axe-core and by the Nu Html Checker.

Screenshots and PDFs are kept under tmp/artefacts/publish (gitignored; elsewhere with
SHEETSYNC_ARTEFACTS). Without Chromium, playwright, Java or tools/node's modules the tests
skip saying what is missing, and fail on CI (`.ci/run` installs them all):
`apt-get install chromium chromium-driver default-jre-headless`,
`npm install --prefix tools/node`.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sheetsync import demo
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.report import publish
from tests.support import publish_cases as cases
from tests.support.ledger_cases import make_sheet
from tests.support.node_tools import TOOLS, node_module, required
from tests.support.paths import ROOT
from tests.support.years import MARCH_2027, close_2026, move_to_2027

AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTEFACTS = Path(os.environ.get("SHEETSYNC_ARTEFACTS", ROOT / "tmp" / "artefacts")) / "publish"
WIDTHS = (390, 1280)  # a phone, a desktop

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Site:
    """A published folder: its case's name, its page, and its network's name."""

    name: str
    page: Path
    network: str


def _publish(name: str, folder: Path) -> publish.Published:
    if name in ("fr", "en"):  # the small network: a hostile group name, consent mixes
        return publish.publish(cases.XlsxSheet(folder, name).backend(), cases.AS_OF)
    if name == "years":  # 2026 closed with its checksum, the sheet moved on to 2027
        sheet = make_sheet("xlsx", folder)
        close_2026(sheet)
        move_to_2027(sheet)
        return publish.publish(sheet.backend(), MARCH_2027)
    path, _ = demo.run(folder, "fr")  # a year of a network of ten groups, as a funder gets it
    return publish.publish(XlsxBackend(path, "fr"), demo.DEMO_AS_OF)


@pytest.fixture(scope="module", params=["fr", "en", "years", "demo"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    name = str(request.param)
    folder = tmp_path_factory.mktemp(f"publish-{name}")
    published = _publish(name, folder)
    publish.write(published, folder / "site")
    network = json.loads(published.data)["network"]
    return Site(name, folder / "site" / publish.PAGE_FILE, network)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium")
    required(
        "Chromium is not installed (apt-get install chromium chromium-driver)"
        if chromium is None
        else "playwright is not installed (pip install -e '.[dev]')"
        if importlib.util.find_spec("playwright") is None
        else None
    )
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only with Chromium

    with sync_playwright() as driver:
        found = driver.chromium.launch(executable_path=chromium, chromium_sandbox=False)
        try:
            yield found
        finally:
            found.close()


def _keep(name: str, content: bytes) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / name).write_bytes(content)


@pytest.mark.parametrize("width", WIDTHS)
def test_readable_without_javascript(browser: Any, site: Site, width: int) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(site.page.as_uri())
        _keep(f"index-{site.name}-{width}.png", page.screenshot(full_page=True))
        assert asked == [site.page.as_uri()]  # nothing fetched but the page itself
        # Nothing wider than the screen but the tables, which scroll in their own region.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("h1").inner_text() == site.network
        charts = page.locator("svg[role=img]")
        assert charts.count() == 2
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None
            assert 0 < box["width"] <= width
    finally:
        context.close()


def test_prints_on_two_or_three_a4_pages(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.page.as_uri())
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()
    _keep(f"index-{site.name}.pdf", pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert 2 <= len(reader.pages) <= 3
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)
    assert site.network in reader.pages[0].extract_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_core_finds_no_violation(browser: Any, site: Site, width: int) -> None:
    node_module("axe-core")
    # The page has no script; axe is one, so this context alone runs JavaScript.
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.page.as_uri())
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    assert found["passes"]  # axe did run its rules on the page
    # None at all: not only no serious or critical one, not even a moderate or minor one.
    bad = [
        (v["impact"], v["id"], v["help"], [n["html"][:80] for n in v["nodes"]])
        for v in found["violations"]
    ]
    assert bad == []


def _nu_check(path: Path) -> list[dict[str, Any]]:
    java = shutil.which("java")
    required("Java is not installed (apt-get install default-jre-headless)" if not java else None)
    node_module("vnu-jar")
    assert java is not None
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages: list[dict[str, Any]] = json.loads(checked.stderr or checked.stdout)["messages"]
    return messages


def test_the_nu_html_checker_finds_no_error(site: Site) -> None:
    assert _nu_check(site.page) == []


def test_the_nu_html_checker_finds_a_broken_page(tmp_path: Path) -> None:
    """The check above can fail: a table cell outside any row is an error."""
    broken = tmp_path / "index.html"
    text = _publish("en", tmp_path).html.decode("utf-8")
    broken.write_text(text.replace("<tr>", "<td>x</td><tr>", 1), "utf-8")
    assert broken.read_text("utf-8") != text
    assert _nu_check(broken) != []
