"""Validation gathers every problem, in French, with the spreadsheet line; nothing is dropped silently."""

from __future__ import annotations

import pandas as pd

from relief_analytics.load import load_table
from relief_analytics.load.validate import format_issue

EVENTS = (
    "identifiant,titre,debut,fin,type,commission,mode,identifiant_lieu,commune,code_insee,participants,duree_heures\n"
    "E1,Copil de mars,14/03/2024 18:30,14/03/2024 20:30,Copil,\"Coordination, Gouvernance & Budget\",en ligne,,,,12,2\n"
    "E2,Rencontre,15/03/2024,,Rencontre,Finances,sur place,L1,Lyon,69383,-3,\"3,5\"\n"
    "E3,Visite,31/02/2024,,Visite,Formation,sur place,,,,10,2\n"
    "E1,Doublon,16/03/2024,,Visite,Formation,sur place,,,,10,2\n"
    "E5,Formation,17/03/2024,,formation,formation,SUR PLACE,,,,8,\"7,0\"\n"
)


def test_every_problem_reported_with_line_column_value_rule(write_bytes, sample_config):
    path = write_bytes("evenements.csv", EVENTS.encode())
    result = load_table(path, table="evenements", config=sample_config)
    expected = pd.DataFrame(
        {
            "table": ["evenements"] * 4,
            "file_name": ["evenements.csv"] * 4,
            "line_number": [3, 3, 4, 5],
            "column_name": ["commission", "participants", "debut", "identifiant"],
            "cell_value": ["Finances", "-3", "31/02/2024", "E1"],
            "rule": [
                "valeur hors de la liste [listes].commissions de config.toml (« Finances » inconnu)",
                "la valeur doit être supérieure ou égale à 0",
                "date attendue au format jj/mm/aaaa (ex. 14/03/2024), éventuellement suivie de HH:MM",
                "valeur en double (déjà présente ligne 2)",
            ],
        }
    )
    pd.testing.assert_frame_equal(result.issues, expected)
    assert format_issue(result.issues.iloc[1]) == (
        "evenements.csv, ligne 3, colonne « participants » : valeur « -3 » refusée "
        "(la valeur doit être supérieure ou égale à 0)."
    )
    # lues = acceptées + rejetées, and the summary line says so in French
    assert (result.read_count, result.accepted_count, result.rejected_count) == (5, 2, 3)
    assert result.summary_fr() == "evenements.csv : 5 lignes lues, 2 acceptées, 3 rejetées"
    assert list(result.accepted["event_id"]) == ["E1", "E5"]


def test_code_lists_match_ignoring_case_and_return_canonical_value(write_bytes, sample_config):
    path = write_bytes("evenements.csv", EVENTS.encode())
    accepted = load_table(path, table="evenements", config=sample_config).accepted
    e5 = accepted.set_index("event_id").loc["E5"]
    assert (e5["event_kind"], e5["commission"], e5["attendance_mode"]) == ("Formation", "Formation", "sur place")
    assert e5["duration_hours"] == 7.0
    e1 = accepted.set_index("event_id").loc["E1"]
    assert e1["start_date"] == pd.Timestamp(2024, 3, 14, 18, 30)


def test_budget_account_code_rule(write_bytes, sample_config):
    data = "annee;compte;intitule;prevu_eur;realise_eur\n2024;606;Achats;1 000,00;950,5\n2024;512;Banque;10;10\n"
    result = load_table(write_bytes("budget.csv", data.encode()), table="budget", config=sample_config)
    assert result.accepted.iloc[0]["planned_eur"] == 1000.0
    assert result.accepted.iloc[0]["realised_eur"] == 950.5
    issue = result.issues.iloc[0]
    assert (issue["line_number"], issue["column_name"], issue["cell_value"]) == (3, "compte", "512")
    assert issue["rule"].startswith("format non conforme (compte du plan comptable associatif")


def test_declared_particulars_kind_normalised_year_filled_identity_required(write_bytes, sample_config):
    data = (
        "Référence commande;Date de la commande;Statut de la commande;Email payeur;Raison sociale;"
        "Montant tarif;Type d'adhérent;Année d'adhésion\n"
        "1;14/01/2024 10:05;Validé;a@exemple.fr;;5,00;Individuel;\n"
        "2;15/01/2024;Validé;;Le Quai;Gratuit;Personne morale;2025\n"
        "3;16/01/2024;Validé;c@exemple.fr;;10;Organisation;\n"
        "4;17/01/2024;Validé;;;10;Personne physique;\n"
        "5;18/01/2024;Validé;e@exemple.fr;;10;Collectif;\n"
    )
    result = load_table(write_bytes("adhesions.csv", data.encode()), table="adhesions", config=sample_config)
    accepted = result.accepted
    assert accepted["membership_id"].tolist() == ["1", "2", "3"]
    assert accepted["member_kind"].tolist() == ["physique", "morale", "morale"]
    assert accepted["membership_year"].tolist() == [2024, 2025, 2024]  # filled from the order date
    assert str(accepted["membership_year"].dtype) == "Int64"
    # only a kind that says « morale » keys on the organisation name (as before the rewrite)
    assert accepted["member_id"].str[:2].tolist() == ["P-", "O-", "P-"]
    expected = pd.DataFrame({
        "table": ["adhesions"] * 2, "file_name": ["adhesions.csv"] * 2, "line_number": [5, 6],
        "column_name": ["identité (e-mail, ou nom et prénom)", "Type d'adhérent"], "cell_value": ["", "C••••••••"],
        "rule": [
            "identité du membre manquante : renseignez l'e-mail, ou le nom et le prénom",
            "valeur hors de la liste autorisée ('physique', 'morale')",
        ],
    })
    pd.testing.assert_frame_equal(result.issues, expected)


def test_duplicate_of_a_multi_column_key_points_to_the_first_line(write_bytes, sample_config):
    data = (
        "annee;compte;intitule;prevu_eur;realise_eur;financeur\n"
        "2024;741;Subvention;100;100;Région\n"
        "2024;741;Subvention;50;50;\n"
        "2024;741;Subvention bis;100;100;Région\n"
        "2024;741;Subvention ter;20;20;\n"
        "2024;606;Achats;10;10;\n"
    )
    result = load_table(write_bytes("budget.csv", data.encode()), table="budget", config=sample_config)
    assert list(zip(result.issues["line_number"], result.issues["column_name"], result.issues["cell_value"], result.issues["rule"],
                    strict=True)) == [
        (4, "annee", "2024 / 741 / Région", "valeur en double (déjà présente ligne 2)"),
        (5, "annee", "2024 / 741 / ", "valeur en double (déjà présente ligne 3)"),
    ]
    assert result.accepted["account_code"].tolist() == ["741", "741", "606"]


def test_personal_tables_are_those_declaring_a_pseudonym():
    from relief_analytics.schemas import PERSONAL_TABLES

    assert PERSONAL_TABLES == {"adhesions", "contributions", "gouvernance"}
