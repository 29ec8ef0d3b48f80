"""``relief site``: the folder is written whole, under the reports' locks, and only when needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from site_factories import (
    by_departement,
    membership_series,
    open_data_frame,
    open_data_row,
    write_dataset,
    write_year,
)

from relief_analytics.cli import main
from relief_analytics.report.folders import OutputFolderError
from relief_analytics.site.build import build_site
from relief_analytics.site.sources import SiteSourceError

HOSTILE_NAME = '<img src=x onerror="alert(1)"> & <script>alert("x")</script>'


def tables(open_count: int, *, hostile: bool = False) -> dict:
    rows = [open_data_row(f"L{i}", f"Lieu {i}") for i in range(1, open_count + 1)]
    rows.append(open_data_row("P1", "Projet", etat="en projet", annee=None))
    if hostile:
        rows.append(open_data_row("H1", HOSTILE_NAME, site_web="javascript:alert(1)"))
    return {
        "lieux_open_data": open_data_frame(rows),
        "lieux_by_departement": by_departement({"26": ("Drôme", 500_000, open_count + hostile, 1)}),
        "membership_by_year": membership_series({2024: (290, 12027.5), 2025: (350, 12208.0)}),
    }


@pytest.fixture
def reports(tmp_path):
    reports_dir = tmp_path / "reports"
    write_year(reports_dir, 2024, tables=tables(2))
    write_year(reports_dir, 2025, tables=tables(3, hostile=True))
    return reports_dir


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "donnees")


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def quiet(*_):
    return None


def test_the_site_has_every_page_and_the_figures_of_the_latest_year(reports, dataset):
    result = build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    site = reports / "site"
    assert result.years == [2024, 2025] and result.year == 2025
    for page in ("index.html", "carte.html", "departements/index.html", "departements/26.html",
                 "donnees.html", "rapports.html", "mentions.html", "data/lieux.js", "data/contours.js",
                 "data/communes.js", "static/leaflet/leaflet.js", "static/leaflet/LICENSE",
                 "donnees/lieux.csv", "donnees/schema.json", "donnees/lieux.geojson", "donnees/LISEZMOI.md"):
        assert (site / page).is_file(), page
    home = soup(site / "index.html")
    tiles = {t.select_one(".libelle").get_text(): (t.select_one(".valeur").get_text(),
                                                   t.select_one(".evolution").get_text())
             for t in home.select(".chiffre-cle")}
    assert tiles == {"membres": ("350", "+60 par rapport à 2024"),
                     "d'adhésions à prix libre": ("12\u202f208\u00a0€", "+180,50\u00a0€ par rapport à 2024")}
    drome = soup(site / "departements" / "26.html")
    facts = {r.th.get_text(): r.td.get_text() for r in drome.select("table")[0].select("tbody tr")}
    assert facts["Lieux ouverts"] == "4"
    assert facts["Évolution du nombre de lieux depuis 2024"] == "+2"
    lieux = json.loads((site / "data" / "lieux.js").read_text(encoding="utf-8")
                       .removeprefix("window.RELIEF_LIEUX = ").removesuffix(";\n"))
    assert sorted(lieu["id"] for lieu in lieux["lieux"] if lieu["etat"] == "ouvert") == ["H1", "L1", "L2", "L3"]


def test_the_reports_page_lists_public_documents_only(reports, dataset, tmp_path):
    build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    site = reports / "site"
    links = [a["href"] for a in soup(site / "rapports.html").select("main a")]
    assert links == ["rapports/2025/rapport_activite_2025.html", "rapports/2025/rapport_activite_2025.pdf",
                     "rapports/2025/presentation_ag_2025.html", "rapports/2025/presentation_ag_2025.pdf",
                     "rapports/2024/rapport_activite_2024.pdf", "rapports/2024/presentation_ag_2024.pdf"]
    assert not list(site.rglob("qualite*")) and not list(site.rglob("compte_rendu*"))
    public = write_dataset(tmp_path / "public", cerfa_public=True)
    build_site(dataset_dir=public, reports_dir=reports, progress=quiet)
    links = [a["href"] for a in soup(site / "rapports.html").select("main a")]
    assert "rapports/2025/compte_rendu_financier_2025.pdf" in links
    assert "rapports/2024/compte_rendu_financier_2024.pdf" in links
    assert not list(site.rglob("qualite*"))


def test_a_hostile_name_and_website_stay_inert(reports, dataset):
    build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    site = reports / "site"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".js") and path.parent.name != "leaflet" and "rapports" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "<img src=x" not in text and '<script>alert' not in text, path
            assert "javascript:alert" not in text, path
    page = soup(site / "departements" / "26.html")
    assert HOSTILE_NAME in [cell.get_text() for cell in page.select("tbody th")]  # shown as text
    assert not page.select("img") and len(page.select("script")) == 0
    assert [a["href"] for a in page.select("td a")] == ["https://exemple.org"] * 3


def test_a_second_build_with_nothing_changed_is_up_to_date_and_force_rebuilds(reports, dataset):
    build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    index = reports / "site" / "index.html"
    before = index.stat().st_mtime_ns
    said = []
    result = build_site(dataset_dir=dataset, reports_dir=reports, progress=said.append)
    assert result.up_to_date and index.stat().st_mtime_ns == before
    assert said == [f"Site public à jour dans {reports / 'site'} : rapports et paramètres inchangés depuis "
                    "sa dernière construction (--force pour tout refaire)."]
    assert not build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet, force=True).up_to_date
    write_year(reports, 2025, tables=tables(1), built_at="2026-02-01T09:00:00+00:00")  # a new build of 2025
    again = build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    assert not again.up_to_date
    assert soup(index).select_one(".chiffre-cle .valeur").get_text() == "350"
    assert [p.name for p in (reports / ".").iterdir() if p.name.startswith(".")] == []  # no work folder left


def test_an_earlier_year_leaves_later_years_out(reports, dataset):
    result = build_site(dataset_dir=dataset, reports_dir=reports, year=2024, progress=quiet)
    assert result.years == [2024]
    assert not (reports / "site" / "rapports" / "2025").exists()


def test_no_built_year_is_said_in_french(tmp_path, dataset, capsys):
    assert main(["site", "--donnees", str(dataset), "--rapports", str(tmp_path / "vide")]) == 2
    err = capsys.readouterr().err
    assert err == (f"Site public non construit : Aucun rapport construit dans {tmp_path / 'vide'}. Lancez "
                   f"d'abord « relief rapports », puis « relief site --donnees {dataset} ».\nLe site précédent n'a pas été modifié.\n")
    with pytest.raises(SiteSourceError, match=r"Les rapports 2023 ne sont pas construits"):
        write_year(tmp_path / "r", 2025, tables=tables(1))
        build_site(dataset_dir=dataset, reports_dir=tmp_path / "r", year=2023, progress=quiet)


def test_a_year_being_rebuilt_is_not_read(reports, dataset):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from relief_analytics.report.folders import acquire_lock; "
         f"acquire_lock(Path({str(reports / '2025')!r})); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputFolderError, match="Une autre production des rapports 2025 est déjà en cours"):
            build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
        assert not (reports / "site").exists()
        assert not (reports / ".site.lock").exists()
    finally:
        holder.kill()
        holder.wait()
    build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
    assert (reports / "site" / "index.html").is_file()


def test_a_year_without_series_has_no_empty_sections(tmp_path, dataset):
    only_lieux = {k: v for k, v in tables(2).items() if k != "membership_by_year"}
    write_year(tmp_path / "r", 2025, tables=only_lieux)
    build_site(dataset_dir=dataset, reports_dir=tmp_path / "r", progress=quiet)
    home = soup(tmp_path / "r" / "site" / "index.html")
    assert [h.get_text() for h in home.select("h2")] == ["Explorer"]


def test_a_second_site_build_at_the_same_time_is_refused_in_french(reports, dataset):
    site = reports / "site"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from pathlib import Path; "
         "from relief_analytics.report.folders import acquire_lock; "
         f"acquire_lock(Path({str(site)!r})); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputFolderError) as caught:
            build_site(dataset_dir=dataset, reports_dir=reports, progress=quiet)
        assert str(caught.value) == (f"Une autre construction du site public est déjà en cours dans {site}. "
                                     "Attendez qu'elle se termine, puis relancez « relief site ».")
    finally:
        holder.kill()
        holder.wait()
