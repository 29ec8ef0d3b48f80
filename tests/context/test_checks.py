"""Year checks of a loaded dataset (shared by ``relief valider`` and the build), on real datasets."""

from __future__ import annotations

import re

from factories import sample_config_text, tiny_dataset

from relief_analytics.context.checks import check_year, rows_of_year


def test_rows_of_year_counts_each_dated_table(tmp_path):
    dataset = tiny_dataset(tmp_path)
    assert rows_of_year(dataset, 2025) == {"adhesions": 3, "evenements": 2, "contributions": 2,
                                           "budget": 2}
    assert rows_of_year(dataset, 2024) == {"adhesions": 1, "evenements": 1, "contributions": 1,
                                           "budget": 0}


def test_a_year_with_data_and_a_rate_has_no_problem(tmp_path):
    assert check_year(tiny_dataset(tmp_path), 2025) == []


def test_a_year_without_data_names_the_years_present(tmp_path):
    problems = check_year(tiny_dataset(tmp_path), 2019)
    assert problems[0] == (
        "Aucune donnée pour 2019 : aucune adhésion, aucun événement, aucune contribution bénévole, "
        "aucune ligne de budget de cette année dans les fichiers. Années présentes dans les données : "
        "2024, 2025. Vérifiez l'année demandée (--annee) ; la première année du réseau est 2021."
    )
    assert problems[1].startswith("Taux horaire du bénévolat manquant pour l'année 2019")


def test_a_missing_hourly_rate_alone_is_said(tmp_path):
    config = re.sub(r"(?m)^2025 = 11\.88\n", "", sample_config_text())
    from factories import write_dataset

    from relief_analytics.load import load_dataset

    dataset = load_dataset(write_dataset(tmp_path, config_text=config))
    assert check_year(dataset, 2025) == [
        "Taux horaire du bénévolat manquant pour l'année 2025 : ajoutez une ligne « 2025 = … » "
        "(en euros par heure) dans la section [taux_horaire_benevolat] du fichier config.toml."
    ]
