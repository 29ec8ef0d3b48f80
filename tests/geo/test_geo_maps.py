"""Map figures: what the reader sees (labels, values, sizes) and that they only need vendored assets."""

from __future__ import annotations

import pandas as pd
import pytest

from relief_analytics.figures.geo_assets import geo_assets_script, vendored_topojson_names
from relief_analytics.figures.maps import (
    map_event_places,
    map_lieux_by_departement,
    map_lieux_by_epci,
    map_lieux_points,
)
from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.indicators.distribution import (
    events_by_commune,
    lieux_by_departement,
    lieux_by_epci,
)


@pytest.fixture(scope="module")
def lieux(reference) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "lieu_id": ["L1", "L2", "L3", "L4"],
            "lieu_name": ["La Cordée", "Le Fablab", "La Ferme", "Hors région"],
            "commune_code": ["69383", "38185", "15141", "75056"],
            "typologies": [
                "Bureaux partagés / Coworking|Fablab",
                "Fablab / Makerspace",
                "Tiers-lieu nourricier",
                "Fablab",
            ],
            "state": ["ouvert"] * 4,
        }
    )
    return resolve_communes(frame, reference=reference)


def _topojson_name(fig) -> str:
    return f"{fig.layout.geo.scope}_{fig.layout.geo.resolution}m"


def _check_common(fig, title_part):
    assert fig.layout.separators == ",\u202f"  # decimal comma, narrow no-break space for thousands
    assert 640 <= fig.layout.width <= 900 and fig.layout.height <= 900
    assert fig.layout.geo.visible is False
    assert fig.layout.geo.projection.type == "mercator"
    assert _topojson_name(fig) in vendored_topojson_names()
    assert title_part in fig.layout.title.text
    assert "Licence Ouverte" in " ".join(a.text for a in fig.layout.annotations)
    for trace in fig.data:
        assert trace.type in {"choropleth", "scattergeo"}  # never tile/MapLibre maps


def test_departement_choropleth(reference, lieux):
    counts = lieux_by_departement(lieux, reference=reference)
    fig = map_lieux_by_departement(counts, reference=reference)
    _check_common(fig, "Lieux par département")
    trace = fig.data[0]
    assert len(trace.geojson["features"]) == 12
    values = dict(zip(trace.locations, trace.z, strict=True))
    assert values["69"] == 1 and values["38"] == 1 and values["15"] == 1 and values["01"] == 0
    assert "Lieux : %{customdata[1]:,.0f}" in trace.hovertemplate
    assert trace.colorbar.title.text == "Lieux"

    per_100k = map_lieux_by_departement(counts, reference=reference, value="lieux_per_100k")
    assert per_100k.data[0].colorbar.tickformat == ",.1f"
    with pytest.raises(ValueError, match="lieux_per_100k"):
        map_lieux_by_departement(counts, reference=reference, value="nombre")


def test_epci_choropleth_with_outlines(reference, lieux):
    fig = map_lieux_by_epci(lieux_by_epci(lieux, reference=reference), reference=reference)
    _check_common(fig, "EPCI")
    epci, outlines, _labels = fig.data
    assert len(epci.locations) == len(reference.epci)
    assert dict(zip(epci.locations, epci.z, strict=True))["200046977"] == 1  # Métropole de Lyon
    assert outlines.hoverinfo == "skip" and len(outlines.locations) == 12


def test_points_coloured_by_main_typology(reference, lieux):
    fig = map_lieux_points(lieux, reference=reference)
    _check_common(fig, "typologie principale")
    points = [trace for trace in fig.data if trace.type == "scattergeo" and trace.mode == "markers"]
    assert [trace.name for trace in points] == [
        "Bureaux partagés / Coworking",
        "Fablab / Makerspace",
        "Tiers-lieu nourricier",
    ]
    assert sum(len(trace.lon) for trace in points) == 3  # the lieu outside the region is not drawn
    assert fig.layout.legend.title.text == "Typologie principale"
    assert points[0].customdata[0][0] == "La Cordée" and points[0].customdata[0][1] == "Lyon"
    assert len({trace.marker.color for trace in points}) == 3


def test_event_places(reference):
    events = resolve_communes(
        pd.DataFrame(
            {"commune_name": ["Lyon 7e", "Lyon", "Grenoble"], "participants_count": [10, 20, 5]}
        ),
        reference=reference,
    )
    by_commune = events_by_commune(events, reference=reference)
    fig = map_event_places(by_commune, reference=reference, size="participants_count")
    _check_common(fig, "participants")
    bubbles = next(trace for trace in fig.data if getattr(trace, "mode", None) == "markers")
    assert list(bubbles.marker.size) == [30.0, 5.0]
    assert bubbles.marker.sizemode == "area"


def test_assets_script():
    script = geo_assets_script()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert "window.PlotlyGeoAssets" in script and '"europe_110m"' in script
    assert "</script>" not in script[len("<script>") : -len("</script>")]
