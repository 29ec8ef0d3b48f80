"""The bench's page weights: a page counts with the local scripts and styles it loads."""

from __future__ import annotations

import sys

from site_factories import by_departement, open_data_frame, open_data_row, write_dataset, write_year

from relief_analytics.paths import PROJECT_DIR
from relief_analytics.site.build import build_site

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from bench_site import page_weights  # noqa: E402


def test_the_map_page_weighs_its_html_its_scripts_its_styles_and_the_communes(tmp_path):
    write_year(tmp_path / "r", 2025, tables={"lieux_open_data": open_data_frame([open_data_row("L1", "Atelier")]),
                                            "lieux_by_departement": by_departement({"26": ("Drôme", 500_000, 1, 1)})})
    build_site(dataset_dir=write_dataset(tmp_path / "d"), reports_dir=tmp_path / "r", progress=lambda *_: None)
    site = tmp_path / "r" / "site"
    loaded = ["carte.html", "static/site.css", "static/leaflet/leaflet.css", "static/leaflet/leaflet.js",
              "data/lieux.js", "data/contours.js", "static/carte.js", "data/communes.js"]
    weights = page_weights(site)
    assert weights["carte.html"] == sum((site / name).stat().st_size for name in loaded)
    assert weights["mentions.html"] == sum((site / n).stat().st_size for n in ("mentions.html", "static/site.css"))
    report = "rapports/2025/rapport_activite_2025.html"  # a published report is a page too
    assert weights[report] == (site / report).stat().st_size
