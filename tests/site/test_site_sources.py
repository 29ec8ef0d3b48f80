"""The site reads back the public tables the report builder wrote, as the catalogue declares them."""

from __future__ import annotations

import pandas as pd
import pytest
from site_factories import by_departement, open_data_frame, open_data_row, write_year

from relief_analytics.context.catalogue import TABLES
from relief_analytics.site.sources import (
    SiteSourceError,
    built_year_dirs,
    read_built_year,
    read_public_table,
    restore_text,
)


def records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_a_public_table_reads_back_as_it_was_computed(tmp_path):
    lieux = open_data_frame([open_data_row("L1", "=HYPERLINK(\"http://x\")", site_web=None, annee=None),
                             open_data_row("L2", "L'Atelier", membre=False)])
    departements = by_departement({"26": ("Drôme", 511_553, 11, 7)})
    folder = write_year(tmp_path, 2025, tables={"lieux_open_data": lieux, "lieux_by_departement": departements})
    back = read_built_year(folder)
    assert records(back.table("lieux_open_data")) == records(lieux)
    read = back.table("lieux_by_departement")
    assert read.loc[0, "lieux_per_100k"] == pytest.approx(departements.loc[0, "lieux_per_100k"])
    assert read.loc[0, ["departement_code", "lieux_count"]].tolist() == ["26", 11]


def test_a_ratio_in_percent_reads_back_as_a_ratio(tmp_path):
    frame = pd.DataFrame({"typology": ["Fablab"], "lieux_count": pd.array([3], dtype="Int64"),
                          "lieux_share": [0.25]})
    folder = write_year(tmp_path, 2025, tables={"lieux_by_typology": frame})
    assert read_built_year(folder).table("lieux_by_typology")["lieux_share"].tolist() == [0.25]


def test_a_neutralised_text_is_shown_as_typed():
    assert restore_text("'=1+1") == "=1+1"
    assert restore_text("'-5 €") == "-5 €"
    assert restore_text("'Atelier") == "'Atelier"  # a real leading apostrophe stays


def test_a_missing_column_is_named_in_french(tmp_path):
    path = tmp_path / "lieux_by_typology.csv"
    path.write_text("\ufeffTypologie;Lieux\nFablab;3\n", encoding="utf-8")
    with pytest.raises(SiteSourceError) as caught:
        read_public_table(path, TABLES["lieux_by_typology"])
    assert str(caught.value) == (
        f"Le fichier {path} n'a pas la ou les colonnes Part des lieux (%) (table « Lieux par typologie »). "
        "Reconstruisez les rapports de l'année (« relief rapports --force »), puis relancez « relief site ».")


def test_a_missing_table_says_which_build_to_run(tmp_path):
    folder = write_year(tmp_path, 2024, tables={})
    with pytest.raises(SiteSourceError, match="relief rapports --annee 2024"):
        read_built_year(folder).table("lieux_open_data")


def test_only_finished_builds_are_years(tmp_path):
    write_year(tmp_path, 2025, tables={})
    write_year(tmp_path, 2023, tables={})
    (tmp_path / ".2024.tmp-abc" / "donnees").mkdir(parents=True)
    (tmp_path / "2022").mkdir()  # no manifest: a build that never finished
    (tmp_path / "site").mkdir()
    assert [p.name for p in built_year_dirs(tmp_path)] == ["2023", "2025"]


def test_every_build_writes_the_lieux_tables_the_site_reads():
    """Even a build of the exploration alone (a dataset holding only lieux) feeds the site."""
    from relief_analytics.context.catalogue import documents_of_reports, tables_read_by

    for reports in (["exploration_lieux"], ["qualite_donnees"], None):
        computed = {spec.name for spec in tables_read_by(documents_of_reports(reports))}
        assert {"lieux_open_data", "lieux_by_departement"} <= computed, reports
