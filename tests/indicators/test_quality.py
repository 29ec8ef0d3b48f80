import pandas as pd

from relief_analytics.indicators import quality


def test_summarise_reads_adds_a_total_that_adds_up():
    summary = pd.DataFrame({
        "table": ["lieux", "budget"], "file_name": ["lieux.csv", "budget.csv"],
        "read_count": [10, 4], "accepted_count": [8, 4], "rejected_count": [2, 0],
    })
    out = quality.reads_summary(summary)
    assert list(out["Table"]) == ["Lieux", "Budget", "Total"]
    assert out.iloc[-1][["Lues", "Acceptées", "Rejetées"]].tolist() == [14, 12, 2]


def test_count_missing_values_and_unknown_references():
    lieux = pd.DataFrame({"lieu_id": ["L1", "L2"], "lieu_name": ["A", "B"], "website": [None, "x"]})
    events = pd.DataFrame({"event_id": ["E1", "E2", "E3"], "lieu_id": ["L1", "L9", "L9"]})
    missing = quality.missing_values({"lieux": lieux})
    assert missing.to_dict("records") == [
        {"Table": "Lieux", "Colonne": "site_web", "Manquantes": 1, "Lignes": 2, "missing_share": 0.5}
    ]
    refs = quality.unknown_lieu_references({"lieux": lieux, "evenements": events})
    assert refs.to_dict("records") == [{"Table": "Événements", "Identifiant de lieu inconnu": "L9", "Lignes": 2}]


def test_possible_duplicate_lieux_ignore_case_and_accents():
    lieux = pd.DataFrame({
        "lieu_id": ["L1", "L2", "L3"], "lieu_name": ["Le Café", "le cafe", "Le Café"],
        "commune_name": ["Lyon", "Lyon", "Vienne"], "commune_code": ["69383", "69383", "38544"],
    })
    out = quality.possible_duplicate_lieux(lieux)
    assert list(out["Identifiant"]) == ["L1", "L2"]
