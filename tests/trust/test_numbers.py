"""Silent wrong numbers are refused, not guessed (issue #15 §3).

Families: a separator that could group thousands (``1.500``); a spreadsheet's error value
(``#REF!``) in any column; a two-digit year outside the configured years (``01/01/69``);
negative amounts, hours and counts. Each refusal is listed with the exact French rule, and
``lues = acceptées + rejetées`` holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from relief_analytics.formatting import format_eur, format_number
from relief_analytics.load import load_table
from relief_analytics.load.coerce import AmbiguousNumber, CellError, parse_decimal, parse_integer

NNBSP = "\u202f"


@pytest.mark.parametrize(("text", "thousands", "decimal", "plain"), [
    ("1.500", "1 500", "1,5", "1500"),
    ("1,500", "1 500", "1,5", "1500"),
    ("12.250", "12 250", "12,25", "12250"),
    ("999,999", "999 999", "999,999", "999999"),
    ("1.000", "1 000", "1", "1000"),
    ("-2,500", "-2 500", "-2,5", "-2500"),
])
def test_a_lone_separator_before_three_digits_is_refused_with_both_readings(text, thousands, decimal, plain):
    with pytest.raises(AmbiguousNumber) as exc:
        parse_decimal(text)
    thousands = thousands.replace(" ", NNBSP)
    assert str(exc.value) == f"{text} peut se lire {thousands} ou {decimal} : écrivez {plain} ou {decimal}"
    with pytest.raises(AmbiguousNumber):
        parse_integer(text)


@pytest.mark.parametrize(("text", "value"), [
    ("1.234,50", 1234.5), ("1 234,50", 1234.5), (f"1{NNBSP}234,50 €", 1234.5), ("1234,5", 1234.5),
    ("5,00", 5.0), ("Gratuit", 0.0), ("1,5", 1.5), ("1.5", 1.5), ("0,500", 0.5), ("1234,567", 1234.567),
    ("1 500", 1500.0), ("1.500,00", 1500.0), ("1,500.00", 1500.0), ("12,5000", 12.5), ("10", 10.0),
])
def test_unambiguous_numbers_keep_working(text, value):
    assert parse_decimal(text) == value


SPACE_RULE = "nombre attendu (ex. 12,50) : un espace ne sépare que des groupes de trois chiffres (ex. 1 234 567,50)"


@pytest.mark.parametrize("text", ["06 12 34 56 78", "+33 6 12 34 56 78", "12 5", "1 23,50", "1 2345"])
def test_spaces_that_do_not_group_thousands_are_refused(text):
    with pytest.raises(CellError) as exc:
        parse_decimal(text)
    assert str(exc.value) == SPACE_RULE


def test_a_phone_typed_as_an_amount_is_refused_and_masked(write_bytes, sample_config):
    result = _adhesions(write_bytes, sample_config, ["A1;14/01/2025;Validé;a@exemple.fr;06 12 34 56 78"])
    assert _issues(result) == [[2, "Montant tarif", "06 •• •• •• 78", SPACE_RULE]]


def test_a_column_bound_leaves_only_the_decimal_reading():
    assert parse_decimal("45.764", upper=90) == 45.764  # a latitude, not 45 764
    assert parse_decimal("1,500", upper=24) == 1.5  # hours of a day
    with pytest.raises(AmbiguousNumber):
        parse_decimal("1.500", upper=100000)  # participants: both readings fit


HEADER = "Référence commande;Date de la commande;Statut de la commande;Email payeur;Montant tarif\n"


def _adhesions(write_bytes, sample_config, rows: list[str]):
    path = write_bytes("adhesions.csv", (HEADER + "".join(r + "\n" for r in rows)).encode())
    return load_table(path, table="adhesions", config=sample_config)


def _issues(result) -> list[list]:
    return result.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist()


def test_an_ambiguous_amount_is_listed_not_read_as_one_euro_fifty(write_bytes, sample_config):
    result = _adhesions(write_bytes, sample_config, [
        "A1;14/01/2025;Validé;a@exemple.fr;1.500",
        "A2;14/01/2025;Validé;b@exemple.fr;1,500 €",
        "A3;14/01/2025;Validé;c@exemple.fr;1.234,50",
        "A4;14/01/2025;Validé;d@exemple.fr;Gratuit",
    ])
    assert _issues(result) == [
        [2, "Montant tarif", "1.500", f"1.500 peut se lire 1{NNBSP}500 ou 1,5 : écrivez 1500 ou 1,5"],
        [3, "Montant tarif", "1,500 €", f"1,500 € peut se lire 1{NNBSP}500 ou 1,5 : écrivez 1500 ou 1,5"],
    ]
    assert result.accepted["amount_eur"].tolist() == [1234.5, 0.0]
    assert (result.read_count, result.accepted_count, result.rejected_count) == (4, 2, 2)


def _xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_xlsx_real_numbers_are_not_ambiguous_but_text_cells_are(tmp_path, sample_config):
    path = tmp_path / "adhesions.xlsx"
    _xlsx(path, [
        ["Référence commande", "Date de la commande", "Statut de la commande", "Email payeur", "Montant tarif"],
        ["A1", dt.datetime(2025, 1, 14), "Validé", "a@exemple.fr", 1.234],
        ["A2", dt.datetime(2025, 1, 14), "Validé", "b@exemple.fr", 1500.0],
        ["A3", dt.datetime(2025, 1, 14), "Validé", "c@exemple.fr", "1.500"],
    ])
    result = load_table(path, table="adhesions", config=sample_config)
    assert _issues(result) == [
        [4, "Montant tarif", "1.500", f"1.500 peut se lire 1{NNBSP}500 ou 1,5 : écrivez 1500 ou 1,5"],
    ]
    assert result.accepted["amount_eur"].tolist() == [1.234, 1500.0]


ERRORS = ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
          "Err:502", "#NOM?", "#VALEUR!", "#N/D", "#NOMBRE!", "#ref!"]


def _error_rule(value: str) -> str:
    return (f"erreur de formule du tableur ({value}) au lieu d'une valeur : "
            "corrigez la formule ou saisissez la valeur dans la cellule")


@pytest.mark.parametrize("error", ERRORS)
def test_a_spreadsheet_error_value_is_refused_in_a_text_column(error, write_bytes, sample_config):
    data = ("identifiant;nom;etat;membre_reseau;site_web\n"
            f"L1;{error};ouvert;oui;\nL2;Le Local;ouvert;non;{error}\nL3;La Fabrique;ouvert;oui;\n")
    result = load_table(write_bytes("lieux.csv", data.encode()), table="lieux", config=sample_config)
    assert _issues(result) == [[2, "nom", error, _error_rule(error)], [3, "site_web", error, _error_rule(error)]]
    assert result.accepted["lieu_id"].tolist() == ["L3"]


def test_a_spreadsheet_error_value_is_refused_in_every_kind_of_column(tmp_path, sample_config):
    """An XLSX as openpyxl reads it: the cached error of a failed formula is the cell's text."""
    path = tmp_path / "lieux.xlsx"
    header = ["identifiant", "nom", "code_postal", "code_insee", "latitude", "longitude", "typologies", "etat",
              "membre_reseau", "annee_ouverture", "date_mise_a_jour"]
    good = ["L1", "La Fabrique", "01000", "01053", 46.2, 5.2, "Tiers-lieu culturel", "ouvert", "oui", 2019,
            dt.datetime(2024, 3, 14)]
    rows = [header, good]
    for column, error in zip(range(2, len(header)), ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!",
                                                      "#NULL!", "#SPILL!", "Err:502"], strict=True):
        row = list(good)
        row[0], row[column] = f"L{column}", error
        rows.append(row)
    _xlsx(path, rows)
    result = load_table(path, table="lieux", config=sample_config)
    assert _issues(result) == [
        [line, header[column], error, _error_rule(error)]
        for line, (column, error) in enumerate(
            zip(range(2, len(header)), ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                                        "#SPILL!", "Err:502"], strict=True), start=3)
    ]
    assert (result.read_count, result.accepted_count, result.rejected_count) == (10, 1, 9)


def test_a_spreadsheet_error_in_a_table_about_people_is_shown_as_is(write_bytes, sample_config):
    result = _adhesions(write_bytes, sample_config, ["A1;14/01/2025;#N/A;a@exemple.fr;#DIV/0!"])
    assert _issues(result) == [
        [2, "Statut de la commande", "#N/A", _error_rule("#N/A")],
        [2, "Montant tarif", "#DIV/0!", _error_rule("#DIV/0!")],
    ]


def test_a_spreadsheet_error_in_an_identity_column_is_not_a_member(write_bytes, sample_config):
    result = _adhesions(write_bytes, sample_config, [
        "A1;14/01/2025;Validé;#REF!;10", "A2;14/01/2025;Validé;b@exemple.fr;10"])
    assert _issues(result) == [[2, "Email payeur", "#REF!", _error_rule("#REF!")]]
    assert result.accepted["membership_id"].tolist() == ["A2"]


def _two_digit(year: int, first: int, last: int, typed: str, day_month: str) -> str:
    yy = typed[-2:]
    return (f"année écrite sur deux chiffres, lue {year}, hors des années {first} à {last} de config.toml : "
            f"écrivez-la sur quatre chiffres (ex. {day_month}19{yy} ou {day_month}20{yy})")


def test_a_two_digit_year_outside_the_configured_years_is_listed(write_bytes, sample_config):
    # sample: premiere_annee = 2021, annee_par_defaut = 2025 → 2021 à 2026
    result = _adhesions(write_bytes, sample_config, [
        "A1;01/01/69;Validé;a@exemple.fr;10",
        "A2;01/01/68 10:30;Validé;b@exemple.fr;10",
        "A3;14/03/25;Validé;c@exemple.fr;10",
        "A4;14/03/2069;Validé;d@exemple.fr;10",
        "A5;31/12/20;Validé;e@exemple.fr;10",
    ])
    assert _issues(result) == [
        [2, "Date de la commande", "01/01/69", _two_digit(1969, 2021, 2026, "01/01/69", "01/01/")],
        [3, "Date de la commande", "01/01/68 10:30", _two_digit(2068, 2021, 2026, "01/01/68", "01/01/")],
        [6, "Date de la commande", "31/12/20", _two_digit(2020, 2021, 2026, "31/12/20", "31/12/")],
    ]
    # four digits are what the user wrote: kept as typed (the year checks say what is out of range)
    assert result.accepted["order_date"].dt.year.tolist() == [2025, 2069]


def test_the_configured_years_come_from_the_configuration_not_the_clock(write_bytes, sample_config):
    config = dataclasses.replace(sample_config, first_year=2065, default_year=2070)
    result = _adhesions(write_bytes, config, ["A1;01/01/68;Validé;a@exemple.fr;10"])
    assert result.issues.empty
    assert result.accepted["order_date"].tolist()[0].year == 2068


@pytest.mark.parametrize(("table", "data", "column", "value", "rule"), [
    ("adhesions", HEADER + "A1;14/01/2025;Validé;a@exemple.fr;-10,00\n", "Montant tarif", "-10,00",
     "la valeur doit être supérieure ou égale à 0"),
    ("contributions", "identifiant;email;date;commission;heures\nC1;a@exemple.fr;02/01/2025;Formation;-3\n",
     "heures", "-3", "la valeur doit être strictement supérieure à 0"),
    ("contributions", "identifiant;email;date;commission;heures;retribution_eur\n"
     "C1;a@exemple.fr;02/01/2025;Formation;3;-50\n", "retribution_eur", "-50",
     "la valeur doit être supérieure ou égale à 0"),
    ("evenements", "identifiant;titre;debut;type;commission;mode;participants;duree_heures\n"
     "E1;Rencontre;14/03/2025;Rencontre;Formation;sur place;-12;2\n", "participants", "-12",
     "la valeur doit être supérieure ou égale à 0"),
    ("evenements", "identifiant;titre;debut;type;commission;mode;participants;duree_heures\n"
     "E1;Rencontre;14/03/2025;Rencontre;Formation;sur place;12;-2\n", "duree_heures", "-2",
     "la valeur doit être supérieure ou égale à 0"),
    ("budget", "annee;compte;intitule;prevu_eur;realise_eur\n2025;606;Achats;-100;90\n", "prevu_eur", "-100",
     "la valeur doit être supérieure ou égale à 0"),
    ("budget", "annee;compte;intitule;prevu_eur;realise_eur\n2025;606;Achats;100;-90\n", "realise_eur", "-90",
     "la valeur doit être supérieure ou égale à 0"),
])
def test_amounts_hours_and_counts_that_cannot_be_negative_are_refused(
    table, data, column, value, rule, write_bytes, sample_config
):
    result = load_table(write_bytes(f"{table}.csv", data.encode()), table=table, config=sample_config)
    assert _issues(result) == [[2, column, value, rule]]
    assert result.accepted.empty


def test_cell_error_is_the_base_of_the_ambiguity():
    assert issubclass(AmbiguousNumber, CellError)



@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=0, max_value=10**10), euro=st.booleans())
def test_the_tools_own_french_format_is_never_ambiguous(cents, euro):
    value = cents / 100
    text = format_eur(value) if euro else format_number(value, decimals=2)
    assert parse_decimal(text) == pytest.approx(value)


@settings(max_examples=300, deadline=None)
@given(whole=st.integers(min_value=1, max_value=999), part=st.integers(min_value=0, max_value=999),
       sep=st.sampled_from([".", ","]))
def test_every_lone_separator_before_three_digits_is_refused(whole, part, sep):
    with pytest.raises(AmbiguousNumber):
        parse_decimal(f"{whole}{sep}{part:03d}")


def test_the_helloasso_import_lists_a_two_digit_year_and_an_ambiguous_amount(tmp_path):
    from sample_copy import sample_config_text

    from relief_analytics.importers.base import read_import_settings
    from relief_analytics.importers.helloasso import read_helloasso

    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "config.toml").write_text(sample_config_text(), encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "Référence commande;Date de la commande;Statut de la commande;Email payeur;Montant tarif\n"
        "1;01/01/69 10:00;Validé;a@exemple.fr;10,00\n"
        "2;14/01/2025 10:00;Validé;b@exemple.fr;1.500\n"
        "3;14/01/2025 10:00;Validé;c@exemple.fr;12,50\n", encoding="utf-8")
    rows, report, _ = read_helloasso(export, settings=read_import_settings(folder))
    shown = report.issues[["line_number", "column_name", "cell_value", "rule"]].values.tolist()
    assert [row[:3] for row in shown] == [[2, "Date de la commande", "01/01/69 10:00"],
                                          [3, "Montant tarif", "1.500"]]
    assert [row[3] for row in shown] == [
        _two_digit(1969, 2021, 2026, "01/01/69", "01/01/") + " : ligne non importée",
        f"1.500 peut se lire 1{NNBSP}500 ou 1,5 : écrivez 1500 ou 1,5 : ligne non importée",
    ]
    # no card column: the key is the order reference and the adherent
    assert [(key.split("-")[0], amount) for key, amount in rows[["membership_id", "amount_eur"]].values] == [
        ("3", "12,50")]
