"""Reading whole workbooks: tabs and columns matched, structure errors, row errors, settings."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync import sources
from sheetsync.cells import number_conventions
from sheetsync.model import (
    Anomaly,
    Book,
    CellValue,
    Policy,
    RawTab,
    RawWorkbook,
    Retribution,
    Severity,
    StructureError,
)
from sheetsync.parse.book import read_template

AS_OF = dt.date(2026, 6, 15)
Rows = list[list[CellValue]]

FR_CONTRIBUTIONS: list[CellValue] = [
    "Date",
    "Personne",
    "Groupe",
    "Type",
    "Durée (h)",
    "Montant demandé",
    "Description",
    "Invité par",
    "Statut",
    "Exception",
]
EN_CONTRIBUTIONS: list[CellValue] = [
    "Date",
    "Person",
    "Group",
    "Kind",
    "Hours",
    "Requested amount",
    "Description",
    "Invited by",
    "Status",
    "Exception",
]
FR_GROUPS: Rows = [
    ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement", "Taux journalier"],
    ["Communication", "Ana", 5000, "signaler", None],
    ["Développement", "Bo", "10 000 €", "proportionnel", 400],
]
FR_PEOPLE: Rows = [
    ["Personne", "Rétribution", "Structure de facturation", "Mode de paiement"],
    ["Alice Martin", "", "Coop Atelier", "CAE / portage"],
    ["Bob Durand", "bénévole", "", ""],
]


def workbook(tabs: dict[str, Rows], locale: str | None = "fr_FR") -> RawWorkbook:
    return RawWorkbook(
        tabs={title: RawTab(title, rows) for title, rows in tabs.items()},
        locale=locale,
        all_titles=tuple(tabs),
    )


def fr_book(contributions: Rows, **tabs: Rows) -> Book:
    """A French workbook with groups, people and these contribution rows."""
    all_tabs = {"Groupes": FR_GROUPS, "Personnes": FR_PEOPLE}
    all_tabs |= {title.replace("_", " "): rows for title, rows in tabs.items()}
    all_tabs["Contributions"] = [FR_CONTRIBUTIONS, *contributions]
    return read_template(workbook(all_tabs), AS_OF)


def contribution(**cells: CellValue) -> list[CellValue]:
    """A valid French contribution row, with some cells replaced."""
    row: dict[str, CellValue] = {
        "Date": "12/03/2026",
        "Personne": "Alice Martin",
        "Groupe": "Communication",
        "Durée (h)": "2h",
    }
    row |= {key.replace("_", " "): value for key, value in cells.items()}
    return [row.get(str(header)) for header in FR_CONTRIBUTIONS]


def codes(book: Book, severity: Severity | None = None) -> list[str]:
    return [a.code for a in book.anomalies if severity is None or a.severity == severity]


def only(book: Book, code: str) -> Anomaly:
    found = [a for a in book.anomalies if a.code == code]
    assert len(found) == 1, book.anomalies
    return found[0]


# ---------------------------------------------------------------- a whole book


def test_french_book_is_read_into_typed_records() -> None:
    book = fr_book(
        [
            contribution(),
            contribution(
                Date=dt.datetime(2026, 3, 14),
                Personne="  alice   martin ",
                Groupe="développement",
                Type="coordination",
                **{"Durée (h)": "1,5", "Montant demandé": "150,50 €"},
                Description="  Réunion ",
                Statut="validé",
                Exception="oui",
            ),
        ]
    )
    assert book.lang == "fr"
    assert [(g.name, g.envelope, g.policy, g.daily_rate) for g in book.groups] == [
        ("Communication", 500000, Policy.FLAG, None),
        ("Développement", 1000000, Policy.PRO_RATA, 40000),
    ]
    assert [(p.name, p.retribution, p.billing_entity) for p in book.people] == [
        ("Alice Martin", Retribution.FINANCIAL, "Coop Atelier"),
        ("Bob Durand", Retribution.VOLUNTEER, ""),
    ]
    table = book.contributions
    assert table.to_dict("records") == [
        {
            "row": 2,
            "date": pd.Timestamp("2026-03-12"),
            "person": "Alice Martin",
            "person_known": True,
            "group": "Communication",
            "charged": "Communication",
            "kind": "production",
            "seconds": 7200,
            "requested": None,
            "description": "",
            "invited_by": "",
            "status": "declared",
            "exception": False,
        },
        {
            "row": 3,
            "date": pd.Timestamp("2026-03-14"),
            "person": "Alice Martin",
            "person_known": True,
            "group": "Développement",
            "charged": "Développement",
            "kind": "coordination",
            "seconds": 5400,
            "requested": 15050,
            "description": "Réunion",
            "invited_by": "",
            "status": "validated",
            "exception": True,
        },
    ]
    assert codes(book, Severity.ERROR) == []
    assert codes(book, Severity.WARNING) == []


def test_contribution_and_payment_dtypes() -> None:
    book = fr_book(
        [contribution()],
        Versements=[["Date", "Bénéficiaire", "Montant"], ["01/04/2026", "coop atelier", 100]],
    )
    assert {k: str(v) for k, v in book.contributions.dtypes.items()} == {
        "row": "int64",
        "date": "datetime64[ns]",
        "person": "str",
        "person_known": "bool",
        "group": "str",
        "charged": "str",
        "kind": "str",
        "seconds": "Int64",
        "requested": "Int64",
        "description": "str",
        "invited_by": "str",
        "status": "str",
        "exception": "bool",
    }
    assert {k: str(v) for k, v in book.payments.dtypes.items()} == {
        "row": "int64",
        "date": "datetime64[ns]",
        "payee": "str",
        "amount": "int64",
        "reference": "str",
        "note": "str",
    }


def test_english_book_with_us_locale() -> None:
    raw = workbook(
        {
            "Groups": [["Group", "Envelope", "Overrun policy"], ["Web", "1,234.50", "first-come"]],
            "Contributions": [EN_CONTRIBUTIONS, ["3/4/2026", "Zoe", "web", "creative", 1.5]],
            "Settings": [["Setting", "Value"], ["Hours per day", "7.5"]],
        },
        locale="en_US",
    )
    book = read_template(raw, AS_OF)
    assert book.lang == "en"
    assert book.groups[0].envelope == 123450
    assert book.groups[0].policy == Policy.FIRST_COME
    assert book.settings.hours_per_day == Fraction(15, 2)
    row = book.contributions.iloc[0]
    assert row["date"] == pd.Timestamp("2026-03-04")
    assert (row["group"], row["kind"], row["seconds"]) == ("Web", "creative", 5400)
    assert book.titles == {
        "groups": "Groups",
        "contributions": "Contributions",
        "settings": "Settings",
    }
    assert book.headers["groups"] == {
        "group": "Group",
        "envelope": "Envelope",
        "policy": "Overrun policy",
    }


def test_columns_in_any_order_with_aliases_and_extra_columns() -> None:
    raw = workbook(
        {
            "GT": [["Notes perso", "ENVELOPPE", "  groupe "], ["x", 100, "A"]],
            "contributions": [
                ["Heures", "Remarque", "groupe", "personne", "DATE"],
                ["1:30", "ignored", "a", "Léa", "2026-02-01"],
            ],
        }
    )
    book = read_template(raw, AS_OF)
    assert book.titles == {"groups": "GT", "contributions": "contributions"}
    assert book.headers["contributions"] == {
        "hours": "Heures",
        "group": "groupe",
        "person": "personne",
        "date": "DATE",
    }
    assert book.contributions[["group", "person", "seconds"]].values.tolist() == [
        ["A", "Léa", 5400]
    ]


def test_short_rows_and_empty_rows() -> None:
    book = fr_book(
        [
            ["01/03/2026", "Alice Martin", "Communication", None, 1],
            [],
            [None, "  ", None, None, None, None, "", None, None, None],
            contribution(),
        ]
    )
    assert book.contributions["row"].tolist() == [2, 5]
    assert codes(book, Severity.ERROR) == []


# ---------------------------------------------------------------- language and locale


@pytest.mark.parametrize(
    ("groups_title", "groups_header", "contributions_header", "expected"),
    [
        ("Groupes", ["Groupe", "Enveloppe"], ["Date", "Personne", "Groupe", "Durée (h)"], "fr"),
        ("Groups", ["Group", "Envelope"], ["Date", "Person", "Group", "Hours"], "en"),
        ("Groups", ["Groupe", "Enveloppe"], ["Date", "Person", "Group", "Hours"], "en"),
        # Two names each way ("Date", "Contributions" and aliases count for neither): French.
        ("GT", ["Groupe", "Envelope"], ["Date", "Person", "Groupe", "Heures"], "fr"),
        ("Groupes", ["Groupe", "Enveloppe"], ["Date", "Person", "Group", "Hours"], "fr"),
    ],
)
def test_book_language(
    groups_title: str,
    groups_header: list[CellValue],
    contributions_header: list[CellValue],
    expected: str,
) -> None:
    raw = workbook({groups_title: [groups_header], "Contributions": [contributions_header]})
    assert read_template(raw, AS_OF).lang == expected


@pytest.mark.parametrize(
    ("locale", "lang", "expected"),
    [
        ("fr_FR", "en", (True, False)),
        ("de_DE", "fr", (True, False)),
        ("es_ES", "fr", (True, False)),
        ("en_GB", "fr", (False, False)),
        ("en_US", "fr", (False, True)),
        ("en-US", "fr", (False, True)),
        ("de_CH", "fr", (False, False)),
        (None, "fr", (True, False)),
        (None, "en", (False, False)),
        ("", "fr", (True, False)),
    ],
)
def test_number_conventions(locale: str | None, lang: str, expected: tuple[bool, bool]) -> None:
    assert number_conventions(locale, "fr" if lang == "fr" else "en") == expected


def test_locale_breaks_the_tie_on_ambiguous_numbers() -> None:
    tabs: dict[str, Rows] = {
        "Groups": [["Group", "Envelope"], ["Web", "1,234"]],
        "Contributions": [["Date", "Person", "Group", "Hours"]],
    }
    assert read_template(workbook(tabs, "en_GB"), AS_OF).groups[0].envelope == 123400
    assert read_template(workbook(tabs, "fr_FR"), AS_OF).groups[0].envelope == 123


# ---------------------------------------------------------------- structure errors

MINIMAL_CONTRIBUTIONS: Rows = [["Date", "Personne", "Groupe", "Durée (h)"]]
MINIMAL_GROUPS: Rows = [["Groupe", "Enveloppe"]]


@pytest.mark.parametrize(
    ("tabs", "expected"),
    [
        ({"Contributions": MINIMAL_CONTRIBUTIONS}, ["« Groupes » introuvable", "« Enveloppe »"]),
        ({"Groupes": MINIMAL_GROUPS}, ["« Contributions » introuvable", "« Durée (h) »"]),
        (
            {"Groupes": [["Groupe", "Notes"]], "Contributions": MINIMAL_CONTRIBUTIONS},
            ["Onglet « Groupes »", "manquante(s) « Enveloppe »"],
        ),
        (
            {"Groupes": [], "Contributions": MINIMAL_CONTRIBUTIONS},
            ["« Groupe », « Enveloppe »"],
        ),
        (
            {"Groupes": MINIMAL_GROUPS, "Contributions": [["Date", "Personne", "Groupe"]]},
            ["au moins une des colonnes « Durée (h) » / « Montant demandé »"],
        ),
        (
            {
                "Groupes": MINIMAL_GROUPS,
                "Contributions": [["Date", "Personne", "Groupe", "Durée (h)", "Heures"]],
            },
            ["« Durée (h) » et « Heures » ont le même sens"],
        ),
        (
            {
                "Groupes": MINIMAL_GROUPS,
                "GT": MINIMAL_GROUPS,
                "Contributions": MINIMAL_CONTRIBUTIONS,
            },
            ["« Groupes », « GT »", "« Groupes »"],
        ),
    ],
)
def test_structure_errors_name_tab_and_columns(tabs: dict[str, Rows], expected: list[str]) -> None:
    with pytest.raises(StructureError) as raised:
        read_template(workbook(tabs), AS_OF)
    for fragment in expected:
        assert fragment in str(raised.value)


def test_structure_errors_speak_the_books_language() -> None:
    tabs: dict[str, Rows] = {
        "Groups": [["Group", "Pilot"]],
        "Contributions": [["Date", "Person", "Group", "Kind"]],
    }
    with pytest.raises(StructureError) as raised:
        read_template(workbook(tabs, "en_US"), AS_OF)
    message = str(raised.value)
    assert 'Tab "Groups": missing column(s) "Envelope"' in message
    assert '"Hours" / "Requested amount"' in message


def test_owned_output_tabs_are_not_inputs() -> None:
    raw = RawWorkbook(
        tabs={
            "Groupes": RawTab("Groupes", MINIMAL_GROUPS),
            "Contributions": RawTab("Contributions", MINIMAL_CONTRIBUTIONS),
            "GT": RawTab("GT", [["Groupe", "Consommé"]]),
        },
        owned={"GT": "abc"},
    )
    assert read_template(raw, AS_OF).titles["groups"] == "Groupes"


# ---------------------------------------------------------------- contribution row errors


@pytest.mark.parametrize(
    ("cells", "code", "column", "value"),
    [
        ({"Date": None}, "date_missing", "Date", ""),
        ({"Date": "31/02/2026"}, "date_unreadable", "Date", "31/02/2026"),
        ({"Date": "hier"}, "date_unreadable", "Date", "hier"),
        ({"Personne": " "}, "person_missing", "Personne", ""),
        ({"Groupe": None}, "group_missing", "Groupe", ""),
        ({"Groupe": "Comunication"}, "group_unknown", "Groupe", "Comunication"),
        ({"Durée (h)": None}, "hours_and_amount_missing", "Durée (h)", ""),
        ({"Durée (h)": "beaucoup"}, "hours_unreadable", "Durée (h)", "beaucoup"),
        ({"Durée (h)": -2}, "hours_negative", "Durée (h)", "-2"),
        ({"Durée (h)": "25"}, "hours_over_24", "Durée (h)", "25"),
        ({"Durée (h)": "4 j"}, "hours_over_24", "Durée (h)", "28"),
        ({"Montant demandé": "cent"}, "amount_unreadable", "Montant demandé", "cent"),
        ({"Montant demandé": "-50"}, "amount_negative", "Montant demandé", "-50"),
        ({"Type": "réunion"}, "kind_unknown", "Type", "réunion"),
        ({"Statut": "payé"}, "status_unknown", "Statut", "payé"),
        ({"Exception": "peut-être"}, "exception_unreadable", "Exception", "peut-être"),
    ],
)
def test_row_errors_leave_the_row_out(
    cells: dict[str, CellValue], code: str, column: str, value: str
) -> None:
    book = fr_book([contribution(), contribution(**cells), contribution()])
    anomaly = only(book, code)
    assert (anomaly.severity, anomaly.tab, anomaly.row) == (Severity.ERROR, "Contributions", 3)
    assert (anomaly.column, anomaly.value) == (column, value)
    assert anomaly.message
    assert book.contributions["row"].tolist() == [2, 4]


def test_every_error_of_a_row_is_reported() -> None:
    book = fr_book([contribution(Date="x", Groupe="?", Statut="??", **{"Durée (h)": "?"})])
    assert sorted(codes(book, Severity.ERROR)) == [
        "date_unreadable",
        "group_unknown",
        "hours_unreadable",
        "status_unknown",
    ]
    assert book.contributions.empty


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Comunication", "Groupe inconnu « Comunication » (vouliez-vous dire « Communication » ?)"),
        ("Zzz", "Groupe inconnu « Zzz » : corrigez le nom"),
    ],
)
def test_unknown_group_suggests_the_closest(written: str, message: str) -> None:
    assert only(fr_book([contribution(Groupe=written)]), "group_unknown").message.startswith(
        message
    )


def test_requested_amount_alone_is_enough() -> None:
    book = fr_book([contribution(**{"Durée (h)": None, "Montant demandé": 80})])
    assert book.contributions["requested"].tolist() == [8000]
    assert book.contributions["seconds"].isna().tolist() == [True]


def test_unknown_person_is_a_warning_with_a_suggestion() -> None:
    book = fr_book([contribution(Personne="Alice Martn"), contribution(Personne="alice martn")])
    warnings = [a for a in book.anomalies if a.code == "person_unknown"]
    assert [(a.severity, a.row, a.value) for a in warnings] == [
        (Severity.WARNING, 2, "Alice Martn"),
        (Severity.WARNING, 3, "Alice Martn"),
    ]
    assert "« Alice Martin »" in warnings[0].message
    # The first spelling met is the canonical one.
    assert book.contributions["person"].tolist() == ["Alice Martn", "Alice Martn"]
    assert book.contributions["person_known"].tolist() == [False, False]


def test_without_people_tab_nobody_is_reported_unknown() -> None:
    raw = workbook(
        {
            "Groupes": FR_GROUPS,
            "Contributions": [FR_CONTRIBUTIONS, contribution(Personne="Zoé")],
        }
    )
    book = read_template(raw, AS_OF)
    assert "person_unknown" not in codes(book)
    assert book.contributions["person"].tolist() == ["Zoé"]


def test_hours_in_days_use_the_hours_per_day_setting() -> None:
    book = fr_book(
        [contribution(**{"Durée (h)": "0,5 j"})],
        Paramètres=[["Paramètre", "Valeur"], ["Heures par jour", 8]],
    )
    assert book.contributions["seconds"].tolist() == [4 * 3600]


# ---------------------------------------------------------------- settings


def test_missing_settings_tab_gives_defaults_as_info() -> None:
    book = fr_book([contribution()])
    infos = [a for a in book.anomalies if a.code == "setting_default"]
    assert len(infos) == 12
    assert {a.severity for a in infos} == {Severity.INFO}
    assert book.settings.period_start == dt.date(2026, 1, 1)
    assert book.settings.period_end == dt.date(2026, 12, 31)
    assert book.settings.reference_rate == 30000
    assert book.settings.alert_threshold == Fraction(4, 5)
    rate = next(a for a in infos if "Taux journalier" in a.message)
    assert rate.value == "300"


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("Devise", " CHF ", "currency", "CHF"),
        ("Taux journalier de référence", "350,50", "reference_rate", 35050),
        ("Heures par jour", 7.5, "hours_per_day", Fraction(15, 2)),
        ("Début de période", "01/09/2025", "period_start", dt.date(2025, 9, 1)),
        ("fin de periode", dt.datetime(2026, 8, 31), "period_end", dt.date(2026, 8, 31)),
        ("Validation requise", "oui", "validation_required", True),
        ("Coordination paid", "x", "coordination_paid", True),
        ("Seuil d'alerte (%)", "90 %", "alert_threshold", Fraction(9, 10)),
        ("Seuil d'alerte (%)", 0.75, "alert_threshold", Fraction(3, 4)),
        ("Seuil d'alerte (%)", 75, "alert_threshold", Fraction(3, 4)),
        ("Facteur d'écart de taux", "2,5", "rate_deviation_factor", Fraction(5, 2)),
        ("Jours avant relance", 45, "reminder_days", 45),
        ("Part de l'excédent aux communs (%)", "10", "surplus_commons", Fraction(1, 10)),
        ("Part de l'excédent au lissage (%)", "50 %", "surplus_smoothing", Fraction(1, 2)),
    ],
)
def test_settings_are_read(name: str, value: CellValue, field: str, expected: object) -> None:
    book = fr_book(
        [contribution()], Paramètres=[["Paramètre", "Valeur", "Aide"], [name, value, ""]]
    )
    assert getattr(book.settings, field) == expected
    assert len(codes(book, Severity.INFO)) == 11
    assert codes(book, Severity.WARNING) == []


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("Couleur", "bleu", "setting_unknown"),
        ("Heures par jour", "beaucoup", "setting_unreadable"),
        ("Heures par jour", 30, "setting_unreadable"),
        ("Heures par jour", 0, "setting_unreadable"),
        ("Taux journalier de référence", -300, "setting_unreadable"),
        ("Jours avant relance", "2,5", "setting_unreadable"),
        ("Validation requise", "bof", "setting_unreadable"),
        ("Début de période", "bientôt", "setting_unreadable"),
    ],
)
def test_bad_settings_warn_and_keep_the_default(name: str, value: CellValue, code: str) -> None:
    book = fr_book([contribution()], Paramètres=[["Paramètre", "Valeur"], [name, value]])
    anomaly = only(book, code)
    assert (anomaly.severity, anomaly.row) == (Severity.WARNING, 2)
    assert book.settings.hours_per_day == Fraction(7)
    assert book.settings.reference_rate == 30000
    assert book.settings.validation_required is False


def test_duplicate_setting_keeps_the_first() -> None:
    rows: Rows = [["Paramètre", "Valeur"], ["Devise", "CHF"], ["devise", "USD"]]
    book = fr_book([contribution()], Paramètres=rows)
    assert book.settings.currency == "CHF"
    assert only(book, "setting_duplicate").row == 3


def test_reversed_period_falls_back_to_the_calendar_year() -> None:
    rows: Rows = [
        ["Paramètre", "Valeur"],
        ["Début de période", "01/12/2026"],
        ["Fin de période", "01/01/2026"],
    ]
    book = fr_book([contribution()], Paramètres=rows)
    assert only(book, "period_reversed").severity == Severity.WARNING
    assert (book.settings.period_start, book.settings.period_end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )


# ---------------------------------------------------------------- groups and people


@pytest.mark.parametrize(
    ("cells", "code", "envelope", "policy", "rate"),
    [
        ([None, None, None], "envelope_missing", 0, Policy.FLAG, None),
        (["beaucoup", None, None], "envelope_unreadable", 0, Policy.FLAG, None),
        ([-5, None, None], "envelope_negative", 0, Policy.FLAG, None),
        ([100, "au hasard", None], "policy_unknown", 10000, Policy.FLAG, None),
        ([100, None, "cher"], "rate_unreadable", 10000, Policy.FLAG, None),
    ],
)
def test_group_errors_keep_the_group(
    cells: list[CellValue], code: str, envelope: int, policy: Policy, rate: int | None
) -> None:
    groups: Rows = [
        ["Groupe", "Enveloppe", "Politique de dépassement", "Taux journalier"],
        ["Communication", *cells],
    ]
    raw = workbook({"Groupes": groups, "Contributions": [FR_CONTRIBUTIONS, contribution()]})
    book = read_template(raw, AS_OF)
    anomaly = only(book, code)
    assert (anomaly.severity, anomaly.tab, anomaly.row) == (Severity.ERROR, "Groupes", 2)
    group = book.groups[0]
    assert (group.envelope, group.policy, group.daily_rate) == (envelope, policy, rate)
    assert len(book.contributions) == 1


def test_duplicate_group_is_an_error_and_ignored() -> None:
    groups: Rows = [["Groupe", "Enveloppe"], ["Com", 100], [None, None], [" COM ", 900]]
    book = read_template(
        workbook({"Groupes": groups, "Contributions": MINIMAL_CONTRIBUTIONS}), AS_OF
    )
    assert [(g.name, g.envelope) for g in book.groups] == [("Com", 10000)]
    anomaly = only(book, "group_duplicate")
    assert (anomaly.severity, anomaly.row) == (Severity.ERROR, 4)
    assert "ligne 2" in anomaly.message


@pytest.mark.parametrize("name", ["Total", " TOTAL ", "total"])
def test_a_group_named_total_is_refused(name: str) -> None:
    groups: Rows = [["Groupe", "Enveloppe"], ["Com", 100], [name, 900]]
    rows = [contribution(), contribution(Groupe=name)]
    book = read_template(
        workbook({"Groupes": groups, "Contributions": [FR_CONTRIBUTIONS, *rows]}), AS_OF
    )
    assert [g.name for g in book.groups] == ["Com"]
    anomaly = only(book, "group_name_reserved")
    assert (anomaly.severity, anomaly.tab, anomaly.row) == (Severity.ERROR, "Groupes", 3)
    assert "lignes de total" in anomaly.message
    assert "group_unknown" in codes(book)  # its row is charged to no group


def test_unknown_retribution_leaves_the_person_out() -> None:
    people: Rows = [*FR_PEOPLE, ["Carla", "en nature"], ["alice martin", "bénévole"]]
    book = fr_book([contribution(Personne="Carla")], Personnes=people)
    assert [p.name for p in book.people] == ["Alice Martin", "Bob Durand"]
    assert only(book, "retribution_unknown").row == 4
    assert only(book, "person_duplicate").severity == Severity.WARNING
    assert only(book, "person_unknown").value == "Carla"
    assert book.contributions["person_known"].tolist() == [False]


# ---------------------------------------------------------------- payments


def test_payments() -> None:
    payments: Rows = [
        ["Date", "Bénéficiaire", "Montant", "Référence"],
        ["01/04/2026", "coop  atelier", "1 200,00 €", "F-1"],
        [None, "bob durand", 50, None],
        ["05/04/2026", "Coop Ateleir", 10, None],
        ["x", "Alice Martin", 10, None],
        ["06/04/2026", None, 10, None],
        ["07/04/2026", "Alice Martin", None, None],
        ["08/04/2026", "Alice Martin", "dix", None],
        [None, None, None, None],
    ]
    book = fr_book([contribution()], Versements=payments)
    table = book.payments
    assert table["row"].tolist() == [2, 3, 4]
    assert table["payee"].tolist() == ["Coop Atelier", "Bob Durand", "Coop Ateleir"]
    assert table["amount"].tolist() == [120000, 5000, 1000]
    assert table["date"].isna().tolist() == [False, True, False]
    assert table["reference"].tolist() == ["F-1", "", ""]
    errors = [(a.code, a.row) for a in book.anomalies if a.tab == "Versements"]
    assert errors == [
        ("date_unreadable", 5),
        ("amount_unreadable", 8),
        ("payee_missing", 6),
        ("amount_missing", 7),
        ("payee_unknown", 4),
    ]
    assert "« Coop Atelier »" in only(book, "payee_unknown").message


def test_contributors_are_known_payees() -> None:
    raw = workbook(
        {
            "Groupes": FR_GROUPS,
            "Contributions": [FR_CONTRIBUTIONS, contribution(Personne="Zoé")],
            "Versements": [["Bénéficiaire", "Montant"], ["ZOÉ", 10]],
        }
    )
    book = read_template(raw, AS_OF)
    assert "payee_unknown" not in codes(book)
    assert book.payments["payee"].tolist() == ["Zoé"]


# ---------------------------------------------------------------- garbage never crashes

cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", " ", "oui", "x", "1h30", "12/03/2026", "Communication", "-1", "1,234"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)
garbage_rows = st.lists(st.lists(cell_values, max_size=11), max_size=6)
GARBAGE_HEADERS: dict[str, list[CellValue]] = {
    "Paramètres": ["Paramètre", "Valeur", "Aide"],
    "Groupes": FR_GROUPS[0],
    "Personnes": FR_PEOPLE[0],
    "Contributions": FR_CONTRIBUTIONS,
    "Versements": ["Date", "Bénéficiaire", "Montant", "Référence", "Note"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tabs=st.fixed_dictionaries(dict.fromkeys(GARBAGE_HEADERS, garbage_rows)),
    locale=st.sampled_from([None, "fr_FR", "en_US", "de_DE"]),
)
def test_garbage_cells_only_ever_give_anomalies(tabs: dict[str, Rows], locale: str) -> None:
    raw = workbook({title: [GARBAGE_HEADERS[title], *rows] for title, rows in tabs.items()}, locale)
    book = read_template(raw, AS_OF)
    contributions, payments = tabs["Contributions"], tabs["Versements"]
    assert len(book.contributions) <= len(contributions)
    assert len(book.payments) <= len(payments)
    assert all(a.row is None or a.row >= 2 for a in book.anomalies)
    assert book.contributions["seconds"].dropna().between(0, 24 * 3600).all()
    assert (book.contributions["requested"].dropna() >= 0).all()


@settings(max_examples=60, deadline=None)
@given(
    header=st.lists(st.one_of(cell_values, st.sampled_from(FR_CONTRIBUTIONS)), max_size=12),
    rows=garbage_rows,
)
def test_garbage_headers_raise_only_structure_errors(header: list[CellValue], rows: Rows) -> None:
    outcome = read_or_refuse(workbook({"Groupes": FR_GROUPS, "Contributions": [header, *rows]}))
    if isinstance(outcome, str):
        assert "« Contributions »" in outcome
    else:
        assert len(outcome.contributions) <= len(rows)


def read_or_refuse(raw: RawWorkbook) -> Book | str:
    """The book, or the StructureError's message."""
    try:
        return read_template(raw, AS_OF)
    except StructureError as error:
        return str(error)


# ---------------------------------------------------------------- many rows


@pytest.mark.slow
def test_many_rows_are_read_column_by_column() -> None:
    count = 100_000
    people = [f"Personne {i}" for i in range(50)]
    rows: Rows = [
        [
            dt.datetime(2026, 1, 1) + dt.timedelta(days=i % 300),
            people[i % 50],
            "Communication",
            None,
            (1, 2.5, "1h30", True)[i % 4],
            (None, 150)[i % 2],
        ]
        for i in range(count)
    ]
    book = fr_book(rows)
    # Every fourth row holds TRUE as hours: unreadable, so left out.
    assert len(book.contributions) == count * 3 // 4
    assert codes(book, Severity.ERROR) == ["hours_unreadable"] * (count // 4)
    assert book.contributions["seconds"].iloc[:3].tolist() == [3600, 9000, 5400]


# ---------------------------------------------------------------- rows left out


def test_rows_left_out_for_an_error_keep_what_could_be_read_of_them() -> None:
    book = fr_book(
        [
            contribution(),  # row 2, kept
            contribution(**{"Durée (h)": "beaucoup"}, Groupe="développement"),  # row 3
            contribution(Date="le 40 mars"),  # row 4: no date to keep
        ],
        Versements=[
            ["Date", "Bénéficiaire", "Montant", "Référence"],
            ["20/03/2026", "Alice Martin", "cinquante", "F-1"],  # row 2
        ],
    )
    assert book.left_out is not None
    left = book.left_out
    assert list(left["tab"]) == ["contributions", "contributions", "payments"]
    assert list(left["row"]) == [3, 4, 2]
    assert list(left["group"]) == ["Développement", "Communication", ""]
    assert left["date"].iloc[0] == pd.Timestamp(2026, 3, 12)
    assert pd.isna(left["date"].iloc[1])
    assert left["date"].iloc[2] == pd.Timestamp(2026, 3, 20)
    assert list(book.contributions["row"]) == [2]
    read = sources.rows_read(book, [("Contributions", 2), ("Contributions", 4), ("Versements", 2)])
    assert read[("Contributions", 2)] == sources.RowRead(dt.date(2026, 3, 12), "Communication")
    assert read[("Contributions", 4)] == sources.RowRead(None, "Communication")
    assert read[("Versements", 2)] == sources.RowRead(dt.date(2026, 3, 20), "")
