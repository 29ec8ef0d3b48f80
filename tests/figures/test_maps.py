"""Maps that speak without hovering: names, size legend, page width, dense places, honest rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relief_analytics.figures import maps
from relief_analytics.figures.theme import for_slides
from relief_analytics.geo.reference import GeoReference, load_reference
from relief_analytics.geo.resolve import resolve_communes
from relief_analytics.indicators.distribution import (
    events_by_commune,
    lieux_by_departement,
    lieux_by_epci,
)

AURA = {"Ain", "Allier", "Ardèche", "Cantal", "Drôme", "Isère", "Loire", "Haute-Loire",
        "Puy-de-Dôme", "Rhône", "Savoie", "Haute-Savoie"}


@pytest.fixture(scope="module")
def reference() -> GeoReference:
    return load_reference("84")


@pytest.fixture(scope="module")
def lieux(reference) -> pd.DataFrame:
    # 12 lieux in Lyon 3e without coordinates (one point), 3 in Grenoble, 1 in Aurillac
    codes = ["69383"] * 12 + ["38185"] * 3 + ["15014"]
    frame = pd.DataFrame({
        "lieu_id": [f"L{i}" for i in range(len(codes))],
        "lieu_name": [f"Lieu {i}" for i in range(len(codes))],
        "commune_code": codes,
        "typologies": ["Bureaux partagés / Coworking", "Tiers-lieu culturel"] * 8,
        "state": ["ouvert"] * len(codes),
    })
    return resolve_communes(frame, reference=reference)


def names_on_map(fig) -> set[str]:
    return {name for trace in fig.data if trace.type == "scattergeo" and trace.mode == "text"
            for name in trace.text}


def every_map(reference, lieux):
    events = events_by_commune(
        resolve_communes(pd.DataFrame({"commune_name": ["Lyon", "Grenoble"],
                                       "participants_count": [10, 5]}), reference=reference),
        reference=reference)
    by_dep = lieux_by_departement(lieux, reference=reference)
    by_epci = lieux_by_epci(lieux, reference=reference)
    return {
        "départements": maps.map_lieux_by_departement(by_dep, reference=reference),
        "taux départements": maps.map_lieux_by_departement(by_dep, reference=reference,
                                                           value="lieux_per_100k"),
        "EPCI": maps.map_lieux_by_epci(by_epci, reference=reference, value="lieux_per_100k"),
        "points": maps.map_lieux_points(lieux, reference=reference),
        "événements": maps.map_event_places(events, reference=reference),
    }


def test_every_map_names_the_12_departements(reference, lieux):
    for name, fig in every_map(reference, lieux).items():
        assert names_on_map(fig) == AURA, name


def test_bubble_map_has_a_size_legend_drawn_at_the_bubbles_size(reference):
    events = events_by_commune(resolve_communes(pd.DataFrame({
        "commune_name": ["Lyon"] * 12 + ["Grenoble"] * 2, "participants_count": [5] * 14}),
        reference=reference), reference=reference)
    fig = maps.map_event_places(events, reference=reference)
    legend = [a.text for a in fig.layout.annotations if a.name == "legende-tailles"]
    assert legend == ["<b>Événements</b>", "10", "2", "1"]
    bubbles = next(t for t in fig.data if getattr(t, "mode", None) == "markers")
    circles = [s for s in fig.layout.shapes if s.type == "circle"]
    # the « 10 » circle has the diameter plotly gives a bubble of 10 (area mode)
    diameter = 2 * np.sqrt(10 / 2 / bubbles.marker.sizeref)
    assert circles[0].x1 - circles[0].x0 == pytest.approx(diameter)


def test_point_map_uses_the_page_width_and_spreads_dense_places(reference, lieux):
    fig = maps.map_lieux_points(lieux, reference=reference)
    assert list(fig.layout.geo.domain.x) == [0, 1]
    assert fig.layout.legend.orientation == "h"  # legend below, not squeezing the map
    # height follows the region's shape: the map fills the width with no blank bands
    west, south, east, north = maps._view_bounds(reference)
    map_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert map_height / (fig.layout.width - 20) == pytest.approx(
        maps._mercator_ratio((west, south, east, north)), rel=0.02)
    points = pd.concat([pd.DataFrame({"lon": t.lon, "lat": t.lat}) for t in fig.data
                        if t.type == "scattergeo" and t.mode == "markers"])
    assert len(points) == 16
    # the 12 lieux of Lyon 3e no longer share one point: ≥ 0.9 marker apart on the map
    scale = np.cos(np.radians(45.75))
    xy = np.c_[points["lon"] * scale, points["lat"]]
    gaps = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(gaps, np.inf)
    pixel_deg = (east - west) * scale / (fig.layout.width - 20)
    assert gaps.min() / pixel_deg >= 0.9 * 10
    assert any("écartés en spirale" in a.text for a in fig.layout.annotations)


def test_rates_of_areas_with_few_lieux_are_greyed_and_explained(reference, lieux):
    fig = maps.map_lieux_by_epci(lieux_by_epci(lieux, reference=reference),
                                 reference=reference, value="lieux_per_100k")
    coloured, greyed = fig.data[0], fig.data[1]
    # only the Métropole de Lyon has ≥ 3 lieux; Grenoble-Alpes Métropole has 3 too
    assert sorted(coloured.locations) == ["200040715", "200046977"]
    assert len(greyed.locations) == len(reference.epci) - 2
    assert greyed.showscale is False and "Trop peu de lieux" in greyed.hovertemplate
    assert any(a.text.startswith("En gris : moins de 3 lieux") for a in fig.layout.annotations)


def test_count_colour_bars_have_integer_ticks(reference, lieux):
    fig = maps.map_lieux_by_departement(lieux_by_departement(lieux, reference=reference),
                                        reference=reference)
    bar = fig.data[0].colorbar
    assert bar.tickformat == ",d" and bar.tick0 == 0 and bar.dtick >= 1
    assert float(bar.dtick).is_integer()


def test_zoom_to_frames_the_filtered_departements(reference, lieux):
    by_dep = lieux_by_departement(lieux, reference=reference)
    fig = maps.map_lieux_by_departement(by_dep, reference=reference, zoom_to=["38"])
    isere = reference.departements.set_index("departement_code").loc["38"].geometry.bounds
    lon_range, lat_range = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon_range[0] < isere[0] < isere[2] < lon_range[1]
    assert lat_range[0] < isere[1] < isere[3] < lat_range[1]
    assert lon_range[1] - lon_range[0] < 2.0  # Isère, not the whole region (~5 degrees)
    assert names_on_map(fig) == {"Isère"}
    with pytest.raises(ValueError, match="départements inconnus \\['99'\\]"):
        maps.map_lieux_by_departement(by_dep, reference=reference, zoom_to=["99"])


def test_maps_on_slides_write_names_at_24px(reference, lieux):
    fig = for_slides(maps.map_lieux_by_departement(
        lieux_by_departement(lieux, reference=reference), reference=reference))
    labels = next(t for t in fig.data if getattr(t, "mode", None) == "text")
    assert labels.textfont.size == 24
    assert {a.font.size for a in fig.layout.annotations} == {24}


def test_names_on_the_darkest_shades_are_white():
    import pandas as pd

    from relief_analytics.figures.maps import map_lieux_by_departement
    from relief_analytics.geo.reference import load_reference

    reference = load_reference("84")
    counts = reference.departements[["departement_code", "departement_name", "population"]].copy()
    counts["lieux_count"] = [30 if code == "15" else 1 for code in counts["departement_code"]]
    counts["lieux_per_100k"] = counts["lieux_count"] * 100_000 / counts["population"]
    fig = map_lieux_by_departement(pd.DataFrame(counts), reference=reference, value="lieux_count")
    labels = next(trace for trace in fig.data if trace.type == "scattergeo" and trace.mode == "text")
    colours = dict(zip(labels.text, labels.textfont.color, strict=True))
    assert colours["Cantal"] == "#ffffff"  # 30 lieux: the darkest shade
    assert colours["Isère"] == "#333333"


def outside_traces(fig):
    return [trace for trace in fig.data if trace.name == maps.OUTSIDE_LABEL]


@pytest.mark.parametrize("value", ["lieux_count", "lieux_per_100k"])
def test_departements_filtered_out_are_grey_hors_selection_never_zero(reference, lieux, value):
    counts = lieux_by_departement(lieux, reference=reference)
    chosen = counts[counts["departement_code"].isin(["38", "15"])]  # Cantal has 1 lieu, Isère 3
    fig = maps.map_lieux_by_departement(chosen, reference=reference, value=value,
                                        zoom_to=["38", "15"])
    (outside,) = outside_traces(fig)
    assert sorted(outside.locations) == sorted(set(counts["departement_code"]) - {"38", "15"})
    assert outside.showlegend is True and fig.layout.legend.orientation == "h"  # legend below
    assert set(outside.colorscale[0]) == {0, maps.OUTSIDE_COLOUR}
    assert "Hors sélection" in outside.hovertemplate
    assert {row[0] for row in outside.customdata} == set(
        reference.departements.set_index("departement_code").drop(["38", "15"])["departement_name"])
    coloured = [code for trace in fig.data if trace.type == "choropleth"
                and trace.name != maps.OUTSIDE_LABEL for code in trace.locations]
    assert sorted(coloured) == ["15", "38"]  # only the selection is coloured (or greyed as too few)
    assert all(trace.showlegend is False for trace in fig.data if trace.name != maps.OUTSIDE_LABEL)


def test_a_region_map_has_no_hors_selection(reference, lieux):
    fig = maps.map_lieux_by_departement(lieux_by_departement(lieux, reference=reference),
                                        reference=reference)
    assert outside_traces(fig) == [] and fig.layout.legend.orientation == "v"


def test_epci_filtered_out_are_hors_selection_and_the_rate_note_says_which_grey(reference, lieux):
    counts = lieux_by_epci(lieux, reference=reference)
    chosen = counts[counts["departement_code"] == "38"]
    fig = maps.map_lieux_by_epci(chosen, reference=reference, value="lieux_per_100k",
                                 zoom_to=["38"])
    (outside,) = outside_traces(fig)
    assert set(outside.locations) == set(counts["epci_code"]) - set(chosen["epci_code"])
    assert any(a.text.startswith("En gris moyen : moins de 3 lieux") for a in fig.layout.annotations)


def test_points_map_greys_the_departements_outside_the_selection(reference, lieux):
    isere = lieux[lieux["commune_code"] == "38185"]
    fig = maps.map_lieux_points(isere, reference=reference, zoom_to=["38"],
                                selected_departements=["38"])
    (outside,) = outside_traces(fig)
    assert "38" not in set(outside.locations) and len(outside.locations) == 11
    assert fig.data[0].colorscale[0][1] == "white"  # the selection itself stays white
    plain = maps.map_lieux_points(isere, reference=reference)
    assert outside_traces(plain) == []
