"""The layout description of owned tabs: widths that show every header, Total rows,
conditional colours as data, print setup, and which tabs stay out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.layout import MAX_WIDTH, Rule, describe
from sheetsync.model import OutputTable
from sheetsync.sync import pipeline
from tests.support.golden import load_case, write_xlsx
from tests.support.paths import GOLDEN

OVER = load_case(GOLDEN / "fr-flag-over.toml")
ENGLISH = load_case(GOLDEN / "en-prorata-ties.toml")


def outputs(case_name: str, tmp_path: Path) -> dict[str, OutputTable]:
    case = load_case(GOLDEN / f"{case_name}.toml")
    path = tmp_path / "budget.xlsx"
    write_xlsx(case.inputs, path)
    _, outcome = pipeline.analyse(XlsxBackend(path, "fr"), case.as_of)
    return {t.key: t for t in outcome.tables}


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OutputTable]:
    return outputs("fr-flag-over", tmp_path_factory.mktemp("fr"))


def test_every_header_fits_its_column(french: dict[str, OutputTable]) -> None:
    for table in french.values():
        widths = describe(table).widths
        assert len(widths) == len(table.header)
        for header, width in zip(table.header, widths, strict=True):
            assert width >= len(header) + 2, (table.title, header, width)


def test_the_header_cut_in_the_issue_now_fits(french: dict[str, OutputTable]) -> None:
    groups = french["group_summary"]
    column = groups.header.index("Valorisation non rétribuée")
    # The template's 18 characters showed "Valorisation non rét".
    assert describe(groups).widths[column] > len("Valorisation non rétribuée")


def test_long_content_widens_a_column_up_to_a_limit() -> None:
    long = OutputTable(
        key="people_summary",
        title="Synthèse personnes",
        header=("Personne", "Groupes"),
        kinds=("text", "text"),
        rows=[("Ana " * 12, "x" * 300)],
    )
    widths = describe(long).widths
    assert widths[0] >= len("Ana " * 12)
    assert widths[1] == MAX_WIDTH


def test_the_total_row_is_the_group_summary_last(french: dict[str, OutputTable]) -> None:
    groups = french["group_summary"]
    assert describe(groups).total_rows == (len(groups.rows) - 1,)
    assert groups.rows[-1][0] == "Total"
    assert describe(french["people_summary"]).total_rows == ()


def test_a_total_row_is_the_one_its_builder_flagged() -> None:
    """The word "Total" in a cell makes no total row: only the builder's flag does."""
    table = OutputTable(
        key="group_summary",
        title="Synthèse groupes",
        header=("Groupe", "Enveloppe"),
        kinds=("text", "money"),
        rows=[("Total", 100), ("Com", 200), ("Total", 300)],
        total_rows=(2,),
    )
    assert describe(table).total_rows == (2,)
    unflagged = OutputTable(table.key, table.title, table.header, table.kinds, table.rows)
    assert describe(unflagged).total_rows == ()


def test_a_group_named_total_never_becomes_a_total_row(tmp_path: Path) -> None:
    case = load_case(GOLDEN / "fr-flag-over.toml")
    groups = case.inputs["Groupes"]
    named = [groups[0], *groups[1:], ["total", *groups[1][1:]]]
    path = tmp_path / "budget.xlsx"
    write_xlsx({**case.inputs, "Groupes": named}, path)
    _, outcome = pipeline.analyse(XlsxBackend(path, "fr"), case.as_of)
    summary = next(t for t in outcome.tables if t.key == "group_summary")
    assert [row[0] for row in summary.rows].count("Total") == 1
    assert "total" not in [row[0] for row in summary.rows]
    assert describe(summary).total_rows == (len(summary.rows) - 1,)
    assert "group_name_reserved" in {a.code for a in outcome.anomalies}


def test_state_words_are_coloured_green_amber_red(french: dict[str, OutputTable]) -> None:
    groups = french["group_summary"]
    state = groups.header.index("État")
    rows = (2, len(groups.rows) + 1)
    found = {(r.text, r.colour) for r in describe(groups).rules if r.kind == "equals"}
    assert {("ok", "green"), ("alerte", "amber"), ("dépassé", "red")} <= found
    assert all(r.columns == (state,) and r.rows == rows for r in describe(groups).rules[:3])


def test_negative_remaining_and_balance_are_red(french: dict[str, OutputTable]) -> None:
    groups, payouts = french["group_summary"], french["payouts"]
    negative = [r for r in describe(groups).rules if r.kind == "negative"]
    assert negative == [Rule("negative", (groups.header.index("Restant"),), (2, 3), "red_text")]
    (balance,) = [r for r in describe(payouts).rules if r.kind == "negative"]
    assert balance.columns == (payouts.header.index("Solde"),)


def test_error_and_warning_lines_of_anomalies_are_tinted(french: dict[str, OutputTable]) -> None:
    anomalies = french["anomalies"]
    rules = describe(anomalies).rules
    assert ("erreur", "light_red") in {(r.text, r.colour) for r in rules}
    assert ("avertissement", "light_amber") in {(r.text, r.colour) for r in rules}
    tint = next(r for r in rules if r.text == "erreur")
    assert tint.kind == "row_equals"
    assert tint.columns == tuple(range(len(anomalies.header)))
    assert tint.test == anomalies.header.index("Gravité")


def test_english_words_are_coloured_too(tmp_path: Path) -> None:
    groups = outputs("en-prorata-ties", tmp_path)["group_summary"]
    words = {r.text for r in describe(groups).rules}
    assert {"ok", "warning", "over"} <= words


def test_chart_data_and_state_are_hidden_the_rest_shown(french: dict[str, OutputTable]) -> None:
    hidden = {key for key, table in french.items() if describe(table).hidden}
    assert hidden == {"chart_data", "state"}


def test_every_tab_prints_landscape_one_page_wide_with_its_header(
    french: dict[str, OutputTable],
) -> None:
    for table in french.values():
        printing = describe(table).printing
        assert (printing.landscape, printing.pages_wide, printing.pages_tall) == (True, 1, 0)
        assert printing.title_rows == 1


def test_the_group_chart_sits_below_its_table(french: dict[str, OutputTable]) -> None:
    groups = french["group_summary"]
    (chart,) = groups.charts
    assert chart.anchor == f"A{len(groups.rows) + 3}"
