"""The public page and budget.json (SPEC §13): figures equal to the tabs, privacy,
escaping, identical bytes, both languages and both backends, earlier periods."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from sheetsync import demo, display
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.errors import UsageError
from sheetsync.report import publish
from sheetsync.sync import pipeline
from sheetsync.template import load
from tests.support import publish_cases as cases
from tests.support.publish import SCHEMA
from tests.support.publish_cases import AS_OF, HOSTILE, NETWORK


def cents(value: object) -> int:
    return round(float(str(value or 0)) * 100)


def published(sheet: cases.Sheet) -> publish.Published:
    return publish.publish(sheet.backend(), AS_OF)


def data_of(found: publish.Published) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(found.data)
    return loaded


@pytest.fixture(params=["xlsx", "gsheet"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_figures_equal_the_tabs_to_the_cent(kind: str, lang: str, tmp_path: Path) -> None:
    sheet = cases.make(kind, lang, tmp_path)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF)
    data = data_of(published(sheet))
    summary = outcome.table("group_summary")
    money = ("envelope", "consumed", "pending", "remaining", "unpaid_valued", "projection")
    at = {key: summary.header.index(name) for key, name in _names("group_summary", lang)}
    (total,) = (summary.rows[i] for i in summary.total_rows)
    by_group = {row[0]: row for i, row in enumerate(summary.rows) if i not in summary.total_rows}
    assert [g["name"] for g in data["groups"]] == list(by_group)
    for group in data["groups"]:
        row = by_group[group["name"]]
        assert [group[k] for k in money] == [row[at[k]] for k in money]
        assert group["seconds"] / 3600 == row[at["hours"]]
        assert group["contributors"] == row[at["contributors"]]
    assert [data["totals"][k] for k in money[:5]] == [total[at[k]] for k in money[:5]]
    assert data["totals"]["contributors"] == total[at["contributors"]]
    monthly = outcome.table("monthly")
    by_month: dict[str, int] = {}
    for month, _, _, consumed, _ in monthly.rows:
        by_month[str(month)] = by_month.get(str(month), 0) + int(consumed)  # type: ignore[call-overload]
    assert {m["month"]: m["consumed"] for m in data["months"]} == by_month
    assert data["months"][-1]["cumulative"] == total[at["consumed"]]
    payouts = outcome.table("payouts")
    sums = [sum(int(r[i] or 0) for r in payouts.rows) for i in (3, 4, 5, 6)]  # type: ignore[call-overload]
    line = data["payments"]
    assert [line["brought_forward"], line["payable"], line["paid"], line["balance"]] == sums
    # The figures of the page are the JSON's: the consumed of each group is shown as such.
    page = published(sheet).html.decode("utf-8")
    for group in data["groups"]:
        assert display.money(group["consumed"], lang, "EUR") in page  # type: ignore[arg-type]


def _names(key: str, lang: str) -> list[tuple[str, str]]:
    return [(c.key, c.name(lang)) for c in load().output(key).columns]  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_google_sheet_publishes_the_same_bytes_as_the_workbook(lang: str, tmp_path: Path) -> None:
    from_xlsx = published(cases.make("xlsx", lang, tmp_path))
    from_google = published(cases.make("gsheet", lang, tmp_path))
    assert from_google.html == from_xlsx.html
    assert from_google.data == from_xlsx.data
    assert from_google.warnings == from_xlsx.warnings


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_nobody_is_named_without_a_yes(lang: str, tmp_path: Path) -> None:
    found = published(cases.make("xlsx", lang, tmp_path))
    page, data = found.html.decode("utf-8"), found.data.decode("utf-8")
    for secret in (*cases.EMAILS, *cases.DESCRIPTIONS):
        assert secret not in page
        assert secret not in data
    for name in cases.PRIVATE:
        escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f">{escaped}<" not in page  # never a cell of its own
        assert f'"{name}"' not in data
    people = data_of(found)["people"]
    assert [(p["name"], p["payable"]) for p in people] == [("Ana", 25000), ("Dé", 0)]
    pilots = {g["name"]: g["pilot"] for g in data_of(found)["groups"]}
    assert pilots == {"Communication": "Ana", HOSTILE: None, "Site": "Dé"}
    assert ">Ana<" in page
    assert "Publier mon nom" in page if lang == "fr" else "Publish my name" in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "Groupe « Arts & <Métiers> » : tout son consommé (300,00 €) revient à une seule "
         "personne, Cy, qui n'a pas dit oui à « Publier mon nom »"),
        ("en", "Group 'Arts & <Métiers>': all its consumed (€300.00) goes to one person, Cy, "
         "who has not said yes to 'Publish my name'"),
    ],
)  # fmt: skip
def test_a_group_paid_to_one_unconsenting_person_is_warned(
    lang: str, words: str, tmp_path: Path
) -> None:
    found = published(cases.make("xlsx", lang, tmp_path))
    assert len(found.warnings) == 1
    assert found.warnings[0].startswith(words)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_valued_volunteer_time_is_on_its_own_line(lang: str, tmp_path: Path) -> None:
    """Dé's 7 volunteer hours in Site are valued at the reference rate (300 € a day of 7 h),
    shown on a line of their own and never added to the consumed."""
    found = published(cases.make("xlsx", lang, tmp_path))
    data = data_of(found)
    site = next(g for g in data["groups"] if g["name"] == "Site")
    assert (site["consumed"], site["unpaid_valued"]) == (0, 30000)
    assert data["totals"]["unpaid_valued"] == 30000
    assert data["totals"]["consumed"] == sum(g["consumed"] for g in data["groups"])
    assert data["totals"]["consumed"] == data["months"][-1]["cumulative"]
    page = found.html.decode("utf-8")
    line = {
        "fr": "<p>Valorisation du temps non rétribué (bénévolat) : 300,00 €, au taux de",
        "en": "<p>Unpaid time valued (volunteering): €300.00, at the reference rate;",
    }[lang]
    assert line in page.replace("\u00a0", " ").replace("\u202f", " ")


def test_text_from_cells_is_escaped_everywhere(tmp_path: Path) -> None:
    found = published(cases.make("xlsx", "fr", tmp_path))
    page = found.html.decode("utf-8")
    assert "<Métiers>" not in page
    assert "<Lieux>" not in page
    assert "Arts &amp; &lt;Métiers&gt;" in page
    assert "Réseau &quot;Tiers&quot; &amp; &lt;Lieux&gt;" in page  # the title and the heading
    assert page.count("<svg") == 2
    assert data_of(found)["network"] == NETWORK
    assert HOSTILE in [g["name"] for g in data_of(found)["groups"]]


def test_the_same_books_give_the_same_bytes(tmp_path: Path) -> None:
    sheet = cases.make("xlsx", "fr", tmp_path)
    first, second = published(sheet), published(sheet)
    assert (first.html, first.data) == (second.html, second.data)
    folder = tmp_path / "site"
    assert publish.write(first, folder) == ("index.html", "budget.json")
    assert publish.write(second, folder) == ()  # nothing changed: nothing written
    assert (folder / "index.html").read_bytes() == first.html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_is_self_contained(lang: str, tmp_path: Path) -> None:
    page = published(cases.make("xlsx", lang, tmp_path)).html.decode("utf-8")
    assert f'<html lang="{lang}">' in page
    for fetch in ("<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://"):
        assert fetch not in page
    assert page.count('role="img"') == 2
    assert page.count("<table>") >= 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_budget_json_follows_its_schema(lang: str, tmp_path: Path) -> None:
    data = data_of(published(cases.make("xlsx", lang, tmp_path)))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["period"] == {
        "label": "2026",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "as_of": "2026-06-30",
        "days": 365,
        "elapsed_days": 181,
        "closed": False,
    }


def test_the_schema_refuses_money_that_is_not_whole_cents(tmp_path: Path) -> None:
    data = data_of(published(cases.make("xlsx", "fr", tmp_path)))
    data["totals"]["consumed"] = 12.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_publish_command_writes_the_folder_and_warns(tmp_path: Path) -> None:
    sheet = cases.make("xlsx", "fr", tmp_path)
    assert isinstance(sheet, cases.XlsxSheet)
    folder = tmp_path / "public"
    args = ["publish", str(sheet.path), "-o", str(folder), "--as-of", "30/06/2026"]
    found = CliRunner().invoke(cli, args)
    assert found.exit_code == 0, found.output
    assert "index.html, budget.json" in found.stdout
    assert "Arts & <Métiers>" in found.stderr
    assert (folder / "index.html").is_file()
    again = CliRunner().invoke(cli, args)
    assert "rien n'a changé" in again.stdout
    unknown = CliRunner().invoke(cli, [*args, "--period", "1999"])
    assert unknown.exit_code == 2
    assert "Période « 1999 » inconnue" in unknown.output


def test_an_unknown_period_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        publish.publish(cases.make("xlsx", "fr", tmp_path).backend(), AS_OF, "1999")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_init_asks_for_consent_and_the_example_names_only_the_yeses(
    lang: str, tmp_path: Path
) -> None:
    fr = lang == "fr"
    blank, example = tmp_path / "blank.xlsx", tmp_path / "example.xlsx"
    assert CliRunner().invoke(cli, ["init", str(blank), "--lang", lang]).exit_code == 0
    made = CliRunner().invoke(cli, ["init", str(example), "--lang", lang, "--example"])
    assert made.exit_code == 0, made.output
    workbook = openpyxl.load_workbook(blank)
    header = [c.value for c in workbook["Personnes" if fr else "People"][1]]
    assert ("Publier mon nom" if fr else "Publish my name") in header
    settings = [row[0].value for row in workbook.worksheets[0].iter_rows()]
    assert ("Nom du réseau" if fr else "Network name") in settings
    data = data_of(publish.publish(XlsxBackend(example, "fr"), demo.DEMO_AS_OF))
    assert data["network"] == demo.NETWORK[lang]
    consenting = {p.name for p in demo.PEOPLE if p.publish}
    assert 0 < len(consenting) < len(demo.PEOPLE)
    assert {p["name"] for p in data["people"]} == consenting
    pilots = {g["pilot"] for g in data["groups"]} - {None}
    assert pilots <= consenting
    assert len(pilots) < len({g.pilot for g in demo.GROUPS if g.pilot})
