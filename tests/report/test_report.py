"""The output tables: titles, headers and kinds from the template in both
languages, typed cells, localized labels, row order and the Total row."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.books import rules
from sheetsync.model import (
    Anomaly,
    Book,
    OutputTable,
    Policy,
    Retribution,
    Severity,
    Status,
)
from sheetsync.report import tables as report
from sheetsync.template import LANGS, Lang, load
from tests.support.factories import group, make_book, person, settings_of

AS_OF = dt.date(2026, 6, 30)
CELL_TYPES = {
    "money": int,
    "integer": int,
    "percent": float,
    "factor": float,
    "hours": float,
    "date": dt.date,
    "text": str,
}


def rendered(book: Book, anomalies: list[Anomaly] | None = None) -> dict[str, OutputTable]:
    tables = report.render(book, rules.compute(book, AS_OF), anomalies or [])
    return {t.key: t for t in tables}


def sample_book(lang: Lang = "fr") -> Book:
    return make_book(
        lang=lang,
        groups=[
            group("Alpha", envelope=100_000, policy=Policy.PRO_RATA, pilot="Ann"),
            group("Beta", envelope=50_000, row=3),
        ],
        people=[
            person("Émilie", billing_entity="Coop", payment_method="facture"),
            person("bob", Retribution.VOLUNTEER, row=3),
            person("Zoé", row=4),
        ],
        rows=[
            {"person": "Émilie", "hours": 7, "requested": 80_000, "date": dt.date(2026, 2, 3)},
            {"person": "Alan", "hours": 7, "date": dt.date(2026, 3, 4)},
            {"person": "bob", "group": "Beta", "hours": 3.5, "date": dt.date(2026, 3, 5)},
            {"person": "Alan", "group": "Beta", "requested": 60_000, "status": Status.REJECTED},
        ],
        payment_rows=[{"payee": "coop", "amount": 10_000}],
        settings=settings_of(currency="CHF"),
    )


@pytest.mark.parametrize("lang", LANGS)
def test_titles_headers_and_kinds_follow_the_template(lang: Lang) -> None:
    book = sample_book(lang)
    tables = report.render(book, rules.compute(book, AS_OF), [])
    outputs = load().outputs
    assert [t.key for t in tables] == [o.key for o in outputs]
    for table, output in zip(tables, outputs, strict=True):
        assert table.title == output.name(lang)
        assert table.header == tuple(c.name(lang) for c in output.columns)
        assert table.kinds == tuple(c.kind for c in output.columns)
        assert table.currency == "CHF"


def test_cells_are_typed_by_column_kind() -> None:
    anomaly = Anomaly(Severity.WARNING, "Contributions", 3, "Date", "x", "m")
    for table in rendered(sample_book(), [anomaly]).values():
        assert table.rows
        for row in table.rows:
            for kind, cell in zip(table.kinds, row, strict=True):
                assert cell is None or type(cell) is CELL_TYPES[kind], (table.key, kind, cell)


def test_group_summary_rows_and_total() -> None:
    table = rendered(sample_book())["group_summary"]
    rows = [dict(zip(table.header, row, strict=True)) for row in table.rows]
    assert [r["Groupe"] for r in rows] == ["Alpha", "Beta", "Total"]
    alpha, beta, total = rows
    assert (alpha["Pilote"], alpha["Politique"], alpha["État"]) == (
        "Ann",
        "proportionnel",
        "alerte",
    )
    assert (alpha["Consommé"], alpha["Restant"], alpha["Consommé (%)"]) == (100_000, 0, 1.0)
    assert alpha["Coefficient appliqué"] == pytest.approx(100_000 / 110_000)
    assert (alpha["Heures"], alpha["Contributeurs"]) == (14.0, 2)
    assert alpha["Dernière contribution"] == dt.date(2026, 3, 4)
    assert (beta["Politique"], beta["État"], beta["Valorisation non rétribuée"]) == (
        "signaler",
        "ok",
        15_000,
    )
    assert (total["Enveloppe"], total["Consommé"], total["Restant"]) == (150_000, 100_000, 50_000)
    assert total["Consommé (%)"] == pytest.approx(2 / 3)
    assert (total["Heures"], total["Contributeurs"], total["Valorisation non rétribuée"]) == (
        17.5,
        3,
        15_000,
    )
    assert (total["État"], total["Politique"], total["Coefficient appliqué"]) == (None, None, None)


def test_enum_labels_in_english() -> None:
    tables = rendered(sample_book("en"))
    states = [row[7] for row in tables["group_summary"].rows]
    policies = [row[12] for row in tables["group_summary"].rows]
    assert (states, policies) == (["warning", "ok", None], ["pro-rata", "flag", None])
    retributions = {row[0]: row[1] for row in tables["people_summary"].rows}
    assert retributions == {
        "Alan": "financial",
        "bob": "volunteer",
        "Émilie": "financial",
        "Zoé": "financial",
    }


def test_people_summary_alphabetical_ignoring_case_and_accents() -> None:
    table = rendered(sample_book())["people_summary"]
    assert [row[0] for row in table.rows] == ["Alan", "bob", "Émilie", "Zoé"]
    emilie = dict(zip(table.header, table.rows[2], strict=True))
    assert emilie == {
        "Personne": "Émilie",
        "Rétribution": "financière",
        "Structure de facturation": "Coop",
        "Heures": 7.0,
        "Jours": 1.0,
        "Valeur de référence": 30_000,
        "Demandé": 80_000,
        "À verser": 72_727,
        "Valorisation non rétribuée": 0,
        "Groupes": "Alpha",
    }
    alan = dict(zip(table.header, table.rows[0], strict=True))
    assert (alan["Demandé"], alan["Groupes"]) == (30_000, "Alpha")  # the rejected row is out


def test_people_by_group_and_monthly() -> None:
    tables = rendered(sample_book())
    assert tables["people_by_group"].rows == [
        ("Alan", "Alpha", 7.0, 30_000, 27_273),
        ("bob", "Beta", 3.5, 15_000, 0),
        ("Émilie", "Alpha", 7.0, 80_000, 72_727),
    ]
    assert tables["monthly"].rows == [
        ("2026-02", "Alpha", 7.0, 72_727, 72_727),
        ("2026-03", "Alpha", 7.0, 27_273, 100_000),
        ("2026-03", "Beta", 3.5, 0, 0),
    ]


def test_payouts_leave_out_payees_with_nothing() -> None:
    table = rendered(sample_book())["payouts"]
    # bob is a volunteer and Zoé has no row: nothing due, nothing paid.
    assert table.rows == [
        ("Alan", "Alan", None, 0, 27_273, 0, 27_273),
        ("Coop", "Émilie", "facture", 0, 72_727, 10_000, 62_727),
    ]


def test_anomalies_sorted_by_tab_row_column() -> None:
    def at(tab: str, row: int | None, column: str | None) -> Anomaly:
        return Anomaly(Severity.ERROR, tab, row, column, "", f"{tab}/{row}/{column}", "t")

    anomalies = [
        at("Versements", 2, "Montant"),
        at("Autre", None, None),
        at("Contributions", 10, "Date"),
        at("Contributions", 9, "Groupe"),
        at("Contributions", 9, "Date"),
        at("Contributions", 9, None),
        at("Groupes", 3, None),
        at("Paramètres", None, None),
        at("Contributions", None, None),
    ]
    table = rendered(make_book(), anomalies)["anomalies"]
    assert [row[5] for row in table.rows] == [
        "Paramètres/None/None",
        "Groupes/3/None",
        "Contributions/None/None",
        "Contributions/9/None",
        "Contributions/9/Date",
        "Contributions/9/Groupe",
        "Contributions/10/Date",
        "Versements/2/Montant",
        "Autre/None/None",
    ]
    assert table.rows[0][0] == "erreur"


@pytest.mark.parametrize(
    ("severity", "lang", "label"),
    [
        (Severity.ERROR, "fr", "erreur"),
        (Severity.WARNING, "fr", "avertissement"),
        (Severity.INFO, "en", "info"),
        (Severity.WARNING, "en", "warning"),
    ],
)
def test_severity_labels(severity: Severity, lang: Lang, label: str) -> None:
    anomaly = Anomaly(severity, "Contributions", 2, None, "", "m")
    table = rendered(make_book(lang=lang), [anomaly])["anomalies"]
    assert table.rows == [(label, "Contributions", 2, None, None, "m")]
