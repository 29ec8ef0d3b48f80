"""XLSX templates: what the volunteer sees, and a filled template loads with no manual change."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sample_copy import TEST_SALT, sample_config_text

from relief_analytics.export.templates import (
    DATA_SHEET,
    EXAMPLES_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    TEMPLATE_FILE_NAMES,
    build_template,
    example_rows,
    write_templates,
)
from relief_analytics.load import load_dataset, load_table
from relief_analytics.load.headers import map_headers
from relief_analytics.load.pseudonymise import personal_headers, pseudonym
from relief_analytics.schemas import PERSONAL_TABLES, TABLES

TEMPLATE_FILES = {
    "lieux": "lieux.xlsx",
    "adhesions": "adhesions.xlsx",
    "evenements": "evenements.xlsx",
    "contributions": "contributions.xlsx",
    "budget": "budget.xlsx",
    "gouvernance": "gouvernance.xlsx",
    "explications_ecarts": "explications_ecarts.xlsx",
}

LIEUX_HEADERS = [
    "identifiant", "nom", "adresse", "code_postal", "commune", "code_insee", "latitude", "longitude",
    "typologies", "statut_juridique", "annee_ouverture", "etat", "membre_reseau", "site_web",
    "date_mise_a_jour",
]
ADHESIONS_HEADERS = [
    "reference commande", "date de la commande", "annee d'adhesion", "statut de la commande",
    "Email adhérent", "Nom adhérent", "Prénom adhérent", "type d'adherent", "raison sociale",
    "identifiant du lieu", "code postal", "ville", "montant tarif", "moyen de paiement",
]


def _headers(sheet) -> list[str]:
    return [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]


def _dataset_config_text(file_names: dict[str, str]) -> str:
    """The sample config.toml with its [fichiers] section pointing at ``file_names``."""
    text = sample_config_text()
    section = "[fichiers]\n" + "".join(f'{table} = "{name}"\n' for table, name in file_names.items())
    return re.sub(r"\[fichiers\]\n(?:[^\[\n][^\n]*\n|\n)*", section + "\n", text, count=1)


def test_one_template_per_table_with_its_sheets(tmp_path, sample_config):
    written = write_templates(tmp_path, lists=sample_config.lists)
    assert [p.name for p in written] == list(TEMPLATE_FILES.values())
    assert TEMPLATE_FILE_NAMES == TEMPLATE_FILES
    for path in written:
        workbook = load_workbook(path)
        assert workbook.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET, EXAMPLES_SHEET, LISTS_SHEET]
        assert workbook.active.title == INSTRUCTIONS_SHEET
        assert workbook[LISTS_SHEET].sheet_state == "hidden"
        data = workbook[DATA_SHEET]
        assert data.max_row == 1  # header only: no example row where the loader reads
        assert data.freeze_panes == "A2"


def test_headers_are_exactly_what_the_loaders_accept(sample_config):
    lieux = build_template("lieux", lists=sample_config.lists)[DATA_SHEET]
    assert _headers(lieux) == LIEUX_HEADERS
    adhesions = build_template("adhesions", lists=sample_config.lists)[DATA_SHEET]
    assert _headers(adhesions) == ADHESIONS_HEADERS
    for table, model in TABLES.items():
        headers = _headers(build_template(table, lists=sample_config.lists)[DATA_SHEET])
        identity = personal_headers(headers) if table in PERSONAL_TABLES else []
        mapping = map_headers(
            [h for h in headers if h not in identity], model, file_name="x.xlsx", table=table,
            computed=frozenset({"member_id"}),
        )
        # every non-identity header feeds one column, and every column but member_id has a header
        assert sorted(mapping.values()) == sorted(n for n in model.to_schema().columns if n != "member_id")
        assert len(mapping) == len(headers) - len(identity)


def test_identity_columns_only_in_personal_tables(sample_config):
    identity = {
        table: personal_headers(_headers(build_template(table, lists=sample_config.lists)[DATA_SHEET]))
        for table in PERSONAL_TABLES
    }
    assert identity == {
        "adhesions": ["Email adhérent", "Nom adhérent", "Prénom adhérent"],
        "contributions": ["email", "nom", "prenom"], "gouvernance": ["email", "nom", "prenom"],
    }
    for table in set(TABLES) - PERSONAL_TABLES:
        headers = _headers(build_template(table, lists=sample_config.lists)[DATA_SHEET])
        assert not {"email", "prenom", "Email adhérent"} & set(headers)


def _validations(sheet) -> dict[str, object]:
    """Header → data validation covering that column."""
    headers = _headers(sheet)
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[headers[cell_range.min_col - 1]] = (validation, str(cell_range))
    return found


def _list_values(workbook, formula: str) -> list[str]:
    match = re.fullmatch(r"'?Listes'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    column, first, _, last = match.groups()
    return [workbook[LISTS_SHEET][f"{column}{row}"].value for row in range(int(first), int(last) + 1)]


def test_drop_down_lists_come_from_the_dataset_lists(sample_config):
    lists = sample_config.lists
    workbook = build_template("lieux", lists=lists)
    validations = _validations(workbook[DATA_SHEET])
    assert sorted(validations) == ["etat", "membre_reseau", "statut_juridique", "typologies"]
    typologies, where = validations["typologies"]
    assert where == "I2:I5000"
    assert _list_values(workbook, typologies.formula1) == lists["typologies"]
    assert typologies.errorStyle == "warning"  # several values separated by « | » stay possible
    state, _ = validations["etat"]
    assert _list_values(workbook, state.formula1) == ["en projet", "ouvert", "fermé"]
    assert state.errorStyle == "stop"
    member, _ = validations["membre_reseau"]
    assert member.formula1 == '"oui,non"'

    workbook = build_template("evenements", lists=lists)
    validations = _validations(workbook[DATA_SHEET])
    assert sorted(validations) == ["activite_permanente", "commission", "mode", "type"]
    commission, _ = validations["commission"]
    # a comma inside « Coordination, Gouvernance & Budget » survives: the list is a range
    assert _list_values(workbook, commission.formula1) == lists["commissions"]
    assert _list_values(workbook, validations["type"][0].formula1) == lists["types_evenements"]

    validations = _validations(build_template("adhesions", lists=lists)[DATA_SHEET])
    assert validations["type d'adherent"][0].formula1 == '"physique,morale"'
    assert validations["statut de la commande"][0].errorStyle == "warning"


def test_a_new_list_value_in_config_reaches_the_drop_down(sample_config):
    lists = {**sample_config.lists, "commissions": [*sample_config.lists["commissions"], "Recherche"]}
    workbook = build_template("contributions", lists=lists)
    validation, _ = _validations(workbook[DATA_SHEET])["commission"]
    assert _list_values(workbook, validation.formula1)[-1] == "Recherche"


def test_instructions_describe_each_column(sample_config):
    sheet = build_template("lieux", lists=sample_config.lists)[INSTRUCTIONS_SHEET]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Modèle de saisie « Lieux » — RELIEF"
    texts = [row[0] for row in rows if row[0]]
    assert "Une ligne par lieu connu du réseau, adhérent ou non." in texts
    assert (
        'Enregistrez ce classeur au format .xlsx dans le dossier de données et déclarez-le dans '
        'config.toml, section [fichiers] : lieux = "lieux.xlsx". Lancez ensuite « relief valider ».'
    ) in texts
    table_start = next(i for i, row in enumerate(rows) if row[0] == "Colonne")
    assert list(rows[table_start]) == [
        "Colonne", "Obligatoire", "Format", "Valeurs autorisées", "Description", "Exemple",
    ]
    by_header = {row[0]: list(row) for row in rows[table_start + 1:]}
    assert list(by_header) == LIEUX_HEADERS
    assert by_header["etat"] == [
        "etat", "obligatoire", "texte", "en projet\nouvert\nfermé\n(liste [listes].etats_lieu de config.toml)",
        "État du lieu : en projet, ouvert ou fermé (liste [listes].etats_lieu).", "ouvert",
    ]
    assert by_header["code_postal"][:3] == [
        "code_postal", "facultative",
        "code postal (5 chiffres) ; la colonne est au format texte pour garder le zéro initial",
    ]
    assert by_header["date_mise_a_jour"][5] == "14/03/2025"
    assert by_header["latitude"][5] == "45,7597"

    sheet = build_template("contributions", lists=sample_config.lists)[INSTRUCTIONS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    email = next(row for row in rows if row[0] == "email")
    assert email[1] == "e-mail, ou nom et prénom"
    assert "jamais conservée" in email[4]


def _fill(path: Path, rows: list[dict[str, object]]) -> None:
    """Fill the data sheet of a template as a volunteer would, keyed by header."""
    workbook = load_workbook(path)
    sheet = workbook[DATA_SHEET]
    headers = _headers(sheet)
    for row in rows:
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        sheet.append([row.get(header) for header in headers])
    workbook.save(path)


FILLED = {
    "lieux": [
        {"identifiant": "L0100", "nom": "La Fabrique", "adresse": "3 rue Neuve", "code_postal": "01000",
         "commune": "Bourg-en-Bresse", "code_insee": "01053", "latitude": 46.2052, "longitude": 5.2255,
         "typologies": "Fablab / Makerspace / Hackerspace|Tiers-lieu culturel",
         "statut_juridique": "Association", "annee_ouverture": 2018, "etat": "ouvert",
         "membre_reseau": "oui", "site_web": "https://fabrique.example.org",
         "date_mise_a_jour": dt.datetime(2025, 3, 14)},
        # codes typed as numbers, as a spreadsheet does when the text format is lost
        {"identifiant": "L0101", "nom": "Le Potager", "code_postal": 1090, "commune": "Crest",
         "code_insee": 1053, "typologies": "Tiers-lieu nourricier",
         "etat": "en projet", "membre_reseau": "non"},
    ],
    "adhesions": [
        {"reference commande": "R1", "date de la commande": dt.datetime(2025, 1, 15, 18, 30),
         "statut de la commande": "Validé", "Email adhérent": "Alex.Dupont@example.org",
         "Nom adhérent": "Dupont", "Prénom adhérent": "Alex", "type d'adherent": "physique",
         "code postal": "38000", "ville": "Grenoble", "montant tarif": 12.5, "moyen de paiement": "Carte bancaire"},
        {"reference commande": "R2", "date de la commande": dt.datetime(2025, 2, 1, 9, 0),
         "annee d'adhesion": 2024, "statut de la commande": "En attente", "type d'adherent": "morale",
         "raison sociale": "La Fabrique", "identifiant du lieu": "L0100", "montant tarif": 0},
    ],
    "evenements": [
        {"identifiant": "E1", "titre": "Rencontre de l'Ain", "debut": dt.datetime(2025, 4, 10, 14, 0),
         "fin": dt.datetime(2025, 4, 10, 17, 30), "type": "Rencontre", "commission": "Coordination, Gouvernance & Budget",
         "mode": "sur place", "identifiant_lieu": "L0100", "commune": "Bourg-en-Bresse", "code_insee": "01053",
         "participants": 24, "duree_heures": 3.5},
        {"identifiant": "E2", "titre": "Webinaire", "debut": dt.datetime(2025, 5, 6), "type": "Webinaire",
         "commission": "Formation", "mode": "en ligne", "participants": 31, "duree_heures": 1},
    ],
    "contributions": [
        {"identifiant": "C1", "email": "alex.dupont@example.org", "date": dt.datetime(2025, 4, 10),
         "commission": "Formation", "activite": "Préparation", "heures": 2.5, "retribution_eur": 40},
        {"identifiant": "C2", "nom": "Martin", "prenom": "Lou", "date": dt.datetime(2025, 4, 11),
         "commission": "Communication", "heures": 1},
    ],
    "budget": [
        {"annee": 2025, "compte": "606", "intitule": "Achats", "prevu_eur": 800, "realise_eur": 745.5},
        {"annee": 2025, "compte": "741", "intitule": "Subvention Région", "prevu_eur": 15000,
         "realise_eur": 15000, "financeur": "Région", "action": "Animation"},
    ],
    "gouvernance": [
        {"annee": 2025, "email": "alex.dupont@example.org", "role": "copilote", "commission": "Formation"},
        {"annee": 2025, "nom": "Martin", "prenom": "Lou", "role": "CA"},
    ],
    "explications_ecarts": [
        {"annee": 2025, "compte": "606", "explication": "Matériel prêté par des lieux membres."},
    ],
}


def test_filled_templates_load_with_no_issue_and_exact_values(tmp_path, sample_config):
    write_templates(tmp_path, lists=sample_config.lists)
    (tmp_path / "config.toml").write_text(_dataset_config_text(TEMPLATE_FILES), encoding="utf-8")
    for table, rows in FILLED.items():
        _fill(tmp_path / TEMPLATE_FILES[table], rows)

    dataset = load_dataset(tmp_path)

    assert dataset.issues.empty, dataset.issues.to_dict("records")
    assert dataset.summary[["table", "read_count", "accepted_count", "rejected_count"]].to_dict("records") == [
        {"table": table, "read_count": len(rows), "accepted_count": len(rows), "rejected_count": 0}
        for table, rows in FILLED.items()
    ]
    salt = TEST_SALT  # the dataset copy's salt (tests/sample_copy.py)
    alex = pseudonym("email:alex.dupont@example.org", salt=salt)
    lou = pseudonym("nom:martin|lou", salt=salt)
    fabrique = pseudonym("org:la fabrique", salt=salt, prefix="O")

    lieux = dataset.lieux
    assert lieux.to_dict("records")[0] == {
        "lieu_id": "L0100", "lieu_name": "La Fabrique", "street_address": "3 rue Neuve",
        "postal_code": "01000", "commune_name": "Bourg-en-Bresse", "commune_code": "01053",
        "latitude": 46.2052, "longitude": 5.2255,
        "typologies": "Fablab / Makerspace / Hackerspace|Tiers-lieu culturel",
        "legal_status": "Association", "opening_year": 2018, "state": "ouvert", "is_member": True,
        "website": "https://fabrique.example.org", "updated_date": pd.Timestamp("2025-03-14"),
    }
    assert lieux.loc[1, ["lieu_id", "postal_code", "commune_name", "commune_code", "state", "is_member"]].tolist() == [
        "L0101", "01090", "Crest", "01053", "en projet", False,
    ]
    assert lieux.loc[1, ["street_address", "opening_year", "updated_date"]].isna().all()

    adhesions = dataset.adhesions
    assert adhesions[["membership_id", "order_date", "membership_year", "order_status", "member_id",
                      "member_kind", "organisation_name", "lieu_id", "amount_eur"]].to_dict("records") == [
        {"membership_id": "R1", "order_date": pd.Timestamp("2025-01-15 18:30"), "membership_year": 2025,
         "order_status": "Validé", "member_id": alex, "member_kind": "physique",
         "organisation_name": None, "lieu_id": None, "amount_eur": 12.5},
        {"membership_id": "R2", "order_date": pd.Timestamp("2025-02-01 09:00"), "membership_year": 2024,
         "order_status": "En attente", "member_id": fabrique, "member_kind": "morale",
         "organisation_name": "La Fabrique", "lieu_id": "L0100", "amount_eur": 0.0},
    ]
    # the identity never travels past the loader
    assert not {"Email adhérent", "Nom adhérent", "Prénom adhérent"} & set(adhesions.columns)
    assert "Dupont" not in adhesions.to_string()

    evenements = dataset.evenements
    assert evenements.loc[0, ["event_id", "start_date", "end_date", "commission", "commune_code",
                              "participants_count", "duration_hours"]].tolist() == [
        "E1", pd.Timestamp("2025-04-10 14:00"), pd.Timestamp("2025-04-10 17:30"),
        "Coordination, Gouvernance & Budget", "01053", 24, 3.5,
    ]
    assert evenements.loc[1, ["event_id", "start_date", "attendance_mode", "duration_hours"]].tolist() == [
        "E2", pd.Timestamp("2025-05-06"), "en ligne", 1.0,
    ]

    contributions = dataset.contributions
    assert contributions[["contribution_id", "member_id", "contribution_date", "commission", "activity",
                          "hours"]].to_dict("records") == [
        {"contribution_id": "C1", "member_id": alex, "contribution_date": pd.Timestamp("2025-04-10"),
         "commission": "Formation", "activity": "Préparation", "hours": 2.5},
        {"contribution_id": "C2", "member_id": lou, "contribution_date": pd.Timestamp("2025-04-11"),
         "commission": "Communication", "activity": None, "hours": 1.0},
    ]
    assert contributions["retribution_eur"].tolist()[0] == 40.0
    assert pd.isna(contributions["retribution_eur"].tolist()[1])

    assert dataset.budget.to_dict("records") == [
        {"year": 2025, "account_code": "606", "account_label": "Achats", "planned_eur": 800.0,
         "realised_eur": 745.5, "funder": None, "action": None},
        {"year": 2025, "account_code": "741", "account_label": "Subvention Région", "planned_eur": 15000.0,
         "realised_eur": 15000.0, "funder": "Région", "action": "Animation"},
    ]
    assert dataset.gouvernance.to_dict("records") == [
        {"year": 2025, "member_id": alex, "role": "copilote", "commission": "Formation"},
        {"year": 2025, "member_id": lou, "role": "CA", "commission": None},
    ]
    assert dataset.explications_ecarts.to_dict("records") == [
        {"year": 2025, "account_code": "606", "explanation": "Matériel prêté par des lieux membres."},
    ]


@pytest.mark.parametrize("table", list(TABLES))
def test_example_rows_are_valid_data(tmp_path, sample_config, table):
    """Copied from « Exemples » to « Données », the examples load with no issue."""
    path = write_templates(tmp_path, lists=sample_config.lists, tables=[table])[0]
    workbook = load_workbook(path)
    examples = list(workbook[EXAMPLES_SHEET].iter_rows(min_row=2, values_only=True))
    assert 2 <= len(examples) <= 3
    assert len(examples) == len(example_rows(table, lists=sample_config.lists))
    for row in examples:
        workbook[DATA_SHEET].append(row)
    workbook.save(path)

    result = load_table(path, table=table, config=sample_config)

    assert result.issues.empty, result.issues.to_dict("records")
    assert result.accepted_count == len(examples)


def test_an_empty_template_loads_as_an_empty_table(tmp_path, sample_config):
    path = write_templates(tmp_path, lists=sample_config.lists, tables=["lieux"])[0]
    result = load_table(path, table="lieux", config=sample_config)
    assert (result.read_count, result.accepted_count, result.issues.empty) == (0, 0, True)


def test_existing_files_are_never_replaced_without_asking(tmp_path, sample_config):
    kept = tmp_path / "budget.xlsx"
    kept.write_bytes(b"filled by a volunteer")
    with pytest.raises(FileExistsError, match="budget.xlsx"):
        write_templates(tmp_path, lists=sample_config.lists)
    assert kept.read_bytes() == b"filled by a volunteer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.xlsx"]
    write_templates(tmp_path, lists=sample_config.lists, overwrite=True)
    assert load_workbook(kept).sheetnames[0] == DATA_SHEET
