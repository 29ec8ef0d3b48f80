"""Maps and tables that don't mislead (issue #17 §6), read from the rendered HTML as a reader sees it.

- a table and its chart list their rows in the same order (typologies; statuses largest first);
- the event map says what it counts (« sur place et mixtes ») and counts exactly that;
- the adhesion amounts by member kind add up to the year's tiles;
- an exploration filtered on départements lists only them and draws the others « Hors sélection ».
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from e2e_helpers import SAMPLE, YEAR, fr_number, html_table, plotly_figures, tiles

pytestmark = pytest.mark.slow


def title_of(figure: dict) -> str:
    return str(figure["layout"].get("title", {}).get("text", ""))


@pytest.fixture(scope="module")
def activity(built):
    html = (built / f"rapport_activite_{YEAR}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), plotly_figures(html)


def test_the_typology_table_reads_in_the_order_of_its_chart(activity):
    page, figures = activity
    rows = html_table(page, "Lieux par typologie")
    chart = next(f for f in figures if title_of(f).startswith(f"Lieux ouverts fin {YEAR} par typologie"))
    assert [r["Typologie"] for r in rows] == list(chart["data"][0]["y"])
    assert [fr_number(r["Lieux"]) for r in rows] == list(chart["data"][0]["x"])
    counts = [fr_number(r["Lieux"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and len(rows) == 8


def test_the_legal_status_table_reads_largest_first(activity):
    page, _ = activity
    counts = [fr_number(r["Lieux"]) for r in html_table(page, "Lieux par statut juridique")]
    assert counts == sorted(counts, reverse=True) and len(counts) == 7


def test_the_event_map_says_sur_place_et_mixtes_and_counts_exactly_those(activity):
    page, figures = activity
    (events_map,) = [f for f in figures if "Communes où se sont tenus les événements" in title_of(f)]
    assert title_of(events_map) == (
        f"Communes où se sont tenus les événements sur place et mixtes en {YEAR}")
    bubbles = next(t for t in events_map["data"] if t.get("type") == "scattergeo" and "customdata" in t)
    modes = {r["Mode de participation"]: fr_number(r["Événements"])
             for r in html_table(page, f"Événements {YEAR}")}
    assert modes["mixte"] > 0  # the sample has mixed events: the title has something to say
    assert sum(int(row[1]) for row in bubbles["customdata"]) == modes["sur place"] + modes["mixte"]


def test_adhesion_amounts_by_member_kind_add_up_to_the_year(activity):
    page, _ = activity
    rows = {r["Type de membre"]: r for r in html_table(page, f"Adhésions {YEAR} par type de membre")}
    assert list(rows) == ["Personnes physiques", "Personnes morales", "Ensemble"]
    total = fr_number(rows["Ensemble"]["Total des adhésions (€)"])
    shown = tiles(page)
    assert total == fr_number(shown["d'adhésions à prix libre"])
    assert fr_number(rows["Ensemble"]["Membres"]) == fr_number(shown["membres"])
    kinds = [rows[k] for k in ("Personnes physiques", "Personnes morales")]
    assert sum(fr_number(r["Total des adhésions (€)"]) for r in kinds) == pytest.approx(total)
    assert sum(fr_number(r["Part du montant total (%)"]) for r in kinds) == pytest.approx(100, abs=0.2)
    assert rows["Personnes morales"]["Adhésion médiane par membre (€)"].endswith("€")


@pytest.fixture(scope="module")
def filtered_exploration(tmp_path_factory) -> str:
    """The exploration notebook run as a volunteer would, filtered on Isère and Savoie."""
    from relief_analytics import paths
    from relief_analytics.report.execute import ensure_kernel_name, kernel_environment, run_notebook
    from relief_analytics.report.export import export_html

    out = tmp_path_factory.mktemp("exploration")
    with kernel_environment():
        executed = run_notebook(
            paths.NOTEBOOKS_DIR / "exploration_lieux.ipynb", out / "exploration.ipynb",
            parameters={"annee": YEAR, "dossier_donnees": str(SAMPLE), "contexte": "",
                        "filtre_departements": "isère, 73"},
            kernel_name=ensure_kernel_name())
    html = export_html(executed, title=f"Exploration des lieux {YEAR}")
    (out / "exploration.html").write_text(html, encoding="utf-8")
    return html


def test_a_filtered_exploration_lists_only_its_departements_and_greys_the_others(filtered_exploration):
    page = BeautifulSoup(filtered_exploration, "html.parser")
    rows = html_table(page, "Lieux par département")
    assert [r["Nom du département"] for r in rows] == ["Isère", "Savoie"]  # not 12 rows with zeros
    distances = html_table(page, "Distance au lieu le plus proche")
    assert [r["Nom du département"] for r in distances] == ["Isère", "Savoie"]
    chosen = sum(fr_number(r["Lieux"]) for r in rows)
    assert f"{int(chosen)} lieux retenus" in page.get_text()
    figures = plotly_figures(filtered_exploration)
    maps_ = [f for f in figures if f["layout"].get("geo")]
    assert len(maps_) == 4  # two département maps, the points, the EPCI
    for figure in maps_:
        (outside,) = [t for t in figure["data"] if t.get("name") == "Hors sélection"]
        assert outside["showlegend"] is True and "Hors sélection" in outside["hovertemplate"], title_of(figure)
        if title_of(figure).startswith("Lieux par département") or "par typologie" in title_of(figure):
            assert sorted(outside["locations"]) == ["01", "03", "07", "15", "26", "42", "43", "63",
                                                    "69", "74"]
    counts_map = next(f for f in maps_ if title_of(f) == "Lieux par département")
    coloured = next(t for t in counts_map["data"] if t.get("type") == "choropleth" and t.get("colorbar"))
    assert sorted(coloured["locations"]) == ["38", "73"]
