"""The vendored partial plotly.js bundle: pinned, licensed, and drawing every trace type we emit."""

from __future__ import annotations

import ast
import hashlib
import json
import re

import plotly.graph_objects as go
import plotly.offline
import pytest
from report_helpers import run_chromium

from relief_analytics.figures import render
from relief_analytics.paths import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_DIR

BUNDLE_DIR = render.PLOTLY_BUNDLE_PATH.parent
BUILD_DIR = PROJECT_DIR / "scripts" / "plotly_bundle"

#: sha256 of relief_analytics/assets/js/plotly/plotly-relief.min.js, as printed by
#: ``scripts/plotly_bundle/build.js`` (also in the folder's README). Rebuild, then update both.
BUNDLE_SHA256 = "27761010a5f74350345d69aaada9230b23a3098240e41dcfac50bdbfd7f954e0"


def test_vendored_bundle_is_the_recorded_build():
    data = render.PLOTLY_BUNDLE_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == BUNDLE_SHA256
    assert BUNDLE_SHA256 in (BUNDLE_DIR / "README.md").read_text(encoding="utf-8")
    assert len(data) < 1_600_000  # the full plotly.min.js is 4.86 MB
    assert data.startswith(b"/** plotly.js v4.1.1 (relief-analytics partial bundle")
    assert b"cdn.plot.ly/plotly" not in data


def test_bundle_is_licensed_and_built_from_pinned_plotly_js_of_the_python_major():
    licence = (BUNDLE_DIR / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Plotly" in licence
    lock = json.loads((BUILD_DIR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/plotly.js"]["version"]
    package = json.loads((BUILD_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["plotly.js"] == pinned  # exact pin, no range
    assert pinned.split(".")[0] == plotly.offline.get_plotlyjs_version().split(".")[0]
    assert f"plotly.js v{pinned} " in render.plotly_bundle_js()[:200]
    entry = (BUILD_DIR / "entry.js").read_text(encoding="utf-8")
    registered = set(re.findall(r"require\('plotly\.js/lib/([a-z]+)'\)", entry))
    assert registered == (set(render.BUNDLED_TRACE_TYPES) - {"scatter"}) | {"core"}
    assert "require('plotly.js/lib/locales/fr')" in entry


def _trace_types_in_source(source: str) -> set[str]:
    """Trace types built by ``go.<Trace>(…)`` calls in Python source; ``px`` calls as ``px.*``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        if isinstance(owner, ast.Name) and owner.id == "go":
            trace_class = getattr(go, node.func.attr, None)
            trace_type = getattr(trace_class, "_path_str", None)
            if trace_type and "." not in trace_type and trace_type not in {"figure", "layout"}:
                found.add(trace_type)
        elif isinstance(owner, ast.Name) and owner.id == "px":
            found.add(f"px.{node.func.attr}")
    return found


def test_every_trace_type_the_project_builds_is_in_the_bundle():
    used: dict[str, set[str]] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for trace_type in _trace_types_in_source(path.read_text(encoding="utf-8")):
            used.setdefault(trace_type, set()).add(str(path.relative_to(PROJECT_DIR)))
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            source = "\n".join(line for line in source.splitlines() if not line.startswith(("%", "!")))
            for trace_type in _trace_types_in_source(source):
                used.setdefault(trace_type, set()).add(str(path.relative_to(PROJECT_DIR)))
    assert {"bar", "scatter", "choropleth", "scattergeo"} <= set(used)  # the scan finds them
    missing = {t: sorted(files) for t, files in used.items() if t not in render.BUNDLED_TRACE_TYPES}
    assert missing == {}, f"trace types missing from the plotly.js bundle: {missing}"


def _figures() -> dict[str, go.Figure]:
    """One real figure of each bundled trace type, made by the project's functions when there is one."""
    import pandas as pd

    from relief_analytics.figures.charts import year_series_chart
    from relief_analytics.figures.maps import map_lieux_by_departement, map_lieux_points
    from relief_analytics.geo.reference import load_reference
    from relief_analytics.geo.resolve import resolve_communes
    from relief_analytics.indicators.distribution import lieux_by_departement

    by_year = pd.DataFrame({"year": [2023, 2024, 2025], "members_count": [40, 52, 61]})
    reference = load_reference("84")
    lieux = resolve_communes(
        pd.DataFrame(
            {
                "lieu_id": ["L1", "L2", "L3"],
                "lieu_name": ["Lieu 1", "Lieu 2", "Lieu 3"],
                "commune_code": ["69383", "38185", "63113"],
                "typologies": ["Coworking", "Fablab", "Coworking|Fablab"],
                "state": ["ouvert"] * 3,
            }
        ),
        reference=reference,
    )
    return {
        "bar": year_series_chart(by_year, column="members_count", year=2025, title="Barres"),
        "scatter": year_series_chart(
            by_year, column="members_count", year=2025, title="Courbe", kind="line"
        ),
        "pie": go.Figure(go.Pie(labels=["Coworking", "Fablab"], values=[3, 2]), layout={"title": "Parts"}),
        "choropleth": map_lieux_by_departement(
            lieux_by_departement(lieux, reference=reference), reference=reference
        ),
        "scattergeo": map_lieux_points(lieux, reference=reference),
    }


@pytest.mark.slow
@pytest.mark.browser
def test_bundle_draws_each_trace_type_offline_and_signals_when_drawn(tmp_path, browser):
    figures = _figures()
    for name, fig in figures.items():
        assert {trace.type for trace in fig.data} <= set(render.BUNDLED_TRACE_TYPES), name
    assert {trace.type for fig in figures.values() for trace in fig.data} == set(
        render.BUNDLED_TRACE_TYPES
    )
    renderer = render.OfflineRenderer()
    body = "".join(
        f'<section id="{name}">{renderer.to_mimebundle(fig.to_dict())["text/html"]}</section>'
        for name, fig in figures.items()
    )
    probe = (
        "<pre id='types'></pre><script>window.addEventListener('load', function () {"
        "document.getElementById('types').textContent = "
        "Object.keys(Plotly.PlotSchema.get().traces).sort().join(',');});</script>"
    )
    page = tmp_path / "bundle.html"
    page.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'>{render.library_html()}</head>"
        f"<body>{body}{probe}</body></html>",
        encoding="utf-8",
    )
    dom = run_chromium(
        browser, "--virtual-time-budget=15000", "--dump-dom", page.as_uri()
    ).stdout
    types = re.search(r"<pre id=\"types\">([^<]*)</pre>", dom).group(1).split(",")
    assert sorted(types) == sorted(render.BUNDLED_TRACE_TYPES)
    assert re.search(r'<html[^>]*data-relief-drawn="1"', dom)
    sections = {name: dom.split(f'<section id="{name}">')[1].split("</section>")[0] for name in figures}
    assert sections["bar"].count('class="point"') == 3  # one bar per year
    assert 'class="js-line"' in sections["scatter"]
    assert sections["pie"].count('class="slice"') == 2
    assert sections["choropleth"].count('class="choroplethlocation"') == 12  # départements
    assert sections["scattergeo"].count('class="point"') == 3  # one point per lieu
    for name in figures:
        assert sections[name].count('class="main-svg"') >= 2, name

