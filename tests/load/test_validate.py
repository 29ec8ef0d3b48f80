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
            "fichier": ["evenements.csv"] * 4,
            "ligne": [3, 3, 4, 5],
            "colonne": ["commission", "participants", "debut", "identifiant"],
            "valeur": ["Finances", "-3", "31/02/2024", "E1"],
            "regle": [
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
    assert (issue["ligne"], issue["colonne"], issue["valeur"]) == (3, "compte", "512")
    assert issue["regle"].startswith("format non conforme (compte du plan comptable associatif")
