"""The public page in a real browser (SPEC §13): Debian's Chromium driven by playwright
(pointed at /usr/bin/chromium, it downloads nothing), JavaScript off, at a phone's and a
desktop's width (screenshots kept under tmp/artefacts/publish), printed on A4, checked by
axe-core and by the Nu Html Checker. Skipped, saying what is missing, without them:
`apt-get install chromium chromium-driver default-jre-headless` and
`npm install --prefix tools/node` (.ci/run does both).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sheetsync.report import publish
from tests.report import publish_cases as cases

ROOT = Path(__file__).parent.parent.parent
MODULES = ROOT / "tools" / "node" / "node_modules"
AXE = MODULES / "axe-core" / "axe.min.js"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
JAVA = shutil.which("java")
ARTEFACTS = Path(os.environ.get("SHEETSYNC_ARTEFACTS", ROOT / "tmp" / "artefacts")) / "publish"


def _missing() -> str | None:
    if CHROMIUM is None:
        return "Chromium is not installed (apt-get install chromium chromium-driver)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(_missing() is not None, reason=_missing() or ""),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only with Chromium

    with sync_playwright() as driver:
        found = driver.chromium.launch(executable_path=CHROMIUM, chromium_sandbox=False)
        try:
            yield found
        finally:
            found.close()


@pytest.fixture(scope="module", params=["fr", "en"])
def page_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(f"publish-{request.param}")
    sheet = cases.XlsxSheet(folder, request.param)
    publish.write(publish.publish(sheet.backend(), cases.AS_OF), folder / "site")
    return folder / "site" / "index.html"


@pytest.mark.parametrize("width", [390, 1280])
def test_readable_without_javascript(browser: Any, page_file: Path, width: int) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        lang = page_file.parent.parent.name.split("-")[1].rstrip("0123456789")
        page.screenshot(path=str(ARTEFACTS / f"index-{lang}-{width}.png"), full_page=True)
        # Nothing wider than the screen but the tables, which scroll in their own region.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("svg[role=img]").count() == 2
        assert page.locator("h1").inner_text() == cases.NETWORK
    finally:
        context.close()


def test_prints_on_at_most_three_a4_pages(browser: Any, page_file: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        context.close()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"{page_file.parent.parent.name}.pdf").write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 1 <= pages <= 3


@pytest.mark.skipif(
    not AXE.is_file(), reason="axe-core is missing: npm install --prefix tools/node"
)
def test_axe_core_finds_no_serious_violation(browser: Any, page_file: Path) -> None:
    # The page has no script; axe needs one, so this context alone runs JavaScript.
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    bad = [
        (v["id"], v["help"], [n["html"][:80] for n in v["nodes"]])
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


@pytest.mark.skipif(
    JAVA is None or not VNU.is_file(),
    reason="the Nu Html Checker needs java and vnu-jar: apt-get install default-jre-headless, "
    "npm install --prefix tools/node",
)
def test_the_nu_html_checker_finds_no_error(page_file: Path) -> None:
    assert JAVA is not None
    checked = subprocess.run(
        [JAVA, "-jar", str(VNU), "--format", "json", "--errors-only", str(page_file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    assert messages == [], messages
