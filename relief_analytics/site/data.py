"""What the site's pages show, from a built year's public tables: pure functions, frames in.

Nothing here is computed again from raw data: the lieux come from the year's ``lieux_open_data``
table (placed lieux, public fields only), the counts and series from the tables the reports
show. The one rule of an open lieu is :func:`relief_analytics.indicators.lieux.is_open_at_year_end`,
applied to the published state and opening year: the map's default list is the reports' tile.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from relief_analytics import formatting
from relief_analytics.indicators.labels import ACTIVITY_TILES, FIELDS
from relief_analytics.indicators.lieux import OPEN_STATE, is_open_at_year_end
from relief_analytics.indicators.units import unit_of
from relief_analytics.safety import WEB_URL_PATTERN

#: Key figures of the home page: the reports' tiles, with their labels, but the hours of
#: formation (a figure of the activity report only).
SITE_TILES: tuple[tuple[str, str, str], ...] = tuple(
    tile for tile in ACTIVITY_TILES if tile[1] != "formation_participant_hours")

#: Small charts of the home page: (series table, column, title).
SITE_CHARTS: tuple[tuple[str, str, str], ...] = (
    ("lieux_by_year", "open_lieux_count", "Lieux ouverts en fin d'année"),
    ("membership_by_year", "members_count", "Membres"),
    ("events_by_year", "events_count", "Événements"),
    ("volunteering_by_year", "volunteer_hours", "Heures de bénévolat"),
)

#: State key of the lieux counted as open at the end of the year (the reports' population).
OPEN_KEY = "ouvert"
#: State key of a lieu « ouvert » today whose opening year is after the site's year.
LATER_KEY = "ouverture-ulterieure"

_WEB_URL = re.compile(WEB_URL_PATTERN)


def split_typologies(value: object) -> list[str]:
    """``"A|B"`` → ``["A", "B"]`` (the open data's separator); missing → ``[]``."""
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split("|") if part.strip()]


def state_key(etat: object, *, is_open: bool) -> str:
    """The site's state of a lieu: ``ouvert`` when counted open at year end, else its state.

    >>> state_key("ouvert", is_open=True), state_key("en projet", is_open=False)
    ('ouvert', 'en projet')
    >>> state_key("ouvert", is_open=False)
    'ouverture-ulterieure'
    """
    if is_open:
        return OPEN_KEY
    text = str(etat).strip() if isinstance(etat, str) else ""
    if text == OPEN_STATE:
        return LATER_KEY
    return text or "non renseigné"


def state_label(key: str, *, year: int) -> str:
    """French label of a state key (``ouvert`` → « ouvert fin 2025 »)."""
    if key == OPEN_KEY:
        return f"ouvert fin {year}"
    if key == LATER_KEY:
        return f"ouverture après {year}"
    return key


def site_lieux(open_data: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """The lieux of the map: the year's open-data table plus ``is_open`` and ``state_key``.

    Grain: one row per placed lieu of the region (same rows as ``open_data``), sorted by name.
    ``is_open`` is the reports' rule (:func:`is_open_at_year_end`) on ``etat`` and
    ``annee_ouverture``.
    """
    frame = open_data.copy()
    rule_input = pd.DataFrame({"state": frame["etat"], "opening_year": frame["annee_ouverture"]})
    frame["is_open"] = is_open_at_year_end(rule_input, year=year).to_numpy()
    frame["state_key"] = [state_key(e, is_open=o) for e, o in zip(frame["etat"], frame["is_open"], strict=True)]
    order = frame["nom"].fillna("").map(formatting_sort_key)
    return frame.assign(_order=order).sort_values(["_order", "id"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def formatting_sort_key(text: str) -> str:
    """Sort key of a French name: case and accents ignored (« École » sorts with « ecole »)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def public_website(value: object) -> str | None:
    """The website when it is a web address (``http(s)://host…``), else None (never a link)."""
    if isinstance(value, str) and _WEB_URL.match(value.strip()):
        return value.strip()
    return None


def lieu_records(lieux: pd.DataFrame) -> list[dict]:
    """The map's lieux as JSON-ready records (public fields only, short keys).

    Grain: one record per row of :func:`site_lieux`. Keys: ``id``, ``nom``, ``commune``,
    ``insee``, ``dep``, ``lat``, ``lon``, ``typologies`` (list), ``statut``, ``annee``,
    ``etat`` (state key), ``membre`` (bool), ``site`` (a web address or null).
    """
    records = []
    for row in lieux.itertuples(index=False):
        records.append({
            "id": row.id,
            "nom": row.nom,
            "commune": row.commune,
            "insee": row.code_insee,
            "dep": row.code_departement,
            "lat": None if pd.isna(row.latitude) else round(float(row.latitude), 5),
            "lon": None if pd.isna(row.longitude) else round(float(row.longitude), 5),
            "typologies": split_typologies(row.typologie),
            "statut": row.statut_juridique,
            "annee": None if pd.isna(row.annee_ouverture) else int(row.annee_ouverture),
            "etat": row.state_key,
            "membre": bool(row.membre_reseau) if not pd.isna(row.membre_reseau) else False,
            "site": public_website(row.site_web),
        })
    return records


@dataclass(frozen=True)
class KeyFigure:
    """One tile: label, value and change since N-1, as printed."""

    label: str
    value: str
    change: str
    previous_year: int


def _series_value(series: pd.DataFrame, column: str, year: int):
    rows = series[series["year"].astype("int64") == year]
    if rows.empty or column not in rows.columns:
        return None
    value = rows.iloc[0][column]
    return None if pd.isna(value) else value


def key_figures(series: Mapping[str, pd.DataFrame], *, year: int,
                tiles: Sequence[tuple[str, str, str]] = SITE_TILES) -> list[KeyFigure]:
    """The home page's tiles: each figure of ``year`` and its change since ``year - 1``.

    The value is formatted as on the reports' tiles (``format_value(…, compact=True)``), the
    change as in their comparison tables (:func:`~relief_analytics.formatting.format_change`);
    « — » when N-1 is not in the series. A series the build did not write gives no tile.
    """
    figures = []
    for table, column, label in tiles:
        frame = series.get(table)
        if frame is None:
            continue
        value = _series_value(frame, column, year)
        previous = _series_value(frame, column, year - 1)
        unit = unit_of(column)
        change = formatting.MISSING if value is None or previous is None else \
            formatting.format_change(float(value) - float(previous), unit)
        figures.append(KeyFigure(label=label, value=formatting.format_value(value, unit, compact=True),
                                 change=change, previous_year=year - 1))
    return figures


@dataclass(frozen=True)
class Chart:
    """A small bar chart of a series: title, unit and (year, value) points."""

    title: str
    unit: str
    points: tuple[tuple[int, float], ...]


def series_charts(series: Mapping[str, pd.DataFrame], *,
                  charts: Sequence[tuple[str, str, str]] = SITE_CHARTS) -> list[Chart]:
    """The home page's small charts: one per series column, first year to N (missing years left out)."""
    out = []
    for table, column, title in charts:
        frame = series.get(table)
        if frame is None or column not in frame.columns:
            continue
        points = tuple((int(y), float(v)) for y, v in zip(frame["year"], frame[column], strict=True)
                       if not pd.isna(v))
        if points:
            out.append(Chart(title=title, unit=unit_of(column), points=points))
    return out


def label_of(column: str) -> str:
    """The French header of an indicator column (the one field list)."""
    field = FIELDS.get(column)
    return field.label if field is not None else column


@dataclass(frozen=True)
class DepartementSummary:
    """What a département's page shows."""

    code: str
    name: str
    population: int | None
    lieux_count: int
    lieux_per_100k: float | None
    member_lieux_count: int
    previous_lieux_count: int | None
    typologies: tuple[tuple[str, int], ...]
    epci_without_lieu: tuple[str, ...]
    epci_count: int
    lieux: pd.DataFrame


def departement_summaries(
    by_departement: pd.DataFrame,
    lieux: pd.DataFrame,
    *,
    epci: pd.DataFrame,
    communes: pd.DataFrame,
    previous_by_departement: pd.DataFrame | None = None,
    typologies: Sequence[str] = (),
) -> list[DepartementSummary]:
    """One summary per département of the reports' ``lieux_by_departement`` table, in its order.

    Counts, population and density are the reports' (the table of the year); the typologies, the
    EPCI with no lieu and the list come from the open lieux of :func:`site_lieux` in the
    département (a lieu counts in each of its typologies). ``previous_by_departement`` is the same
    table of N-1 when that year was built (else the change is unknown).

    Parameters
    ----------
    epci : DataFrame
        The reference EPCI: ``epci_code``, ``epci_name``, ``departement_code``.
    communes : DataFrame
        The reference communes: ``commune_code``, ``epci_code``.
    """
    open_lieux = lieux[lieux["is_open"]]
    epci_of_commune = dict(zip(communes["commune_code"], communes["epci_code"], strict=True))
    with_lieu = {epci_of_commune.get(code) for code in open_lieux["code_insee"]}
    previous = {}
    if previous_by_departement is not None:
        previous = dict(zip(previous_by_departement["departement_code"],
                            previous_by_departement["lieux_count"], strict=True))
    order = {name: i for i, name in enumerate(typologies)}
    out = []
    for row in by_departement.itertuples(index=False):
        mine = open_lieux[open_lieux["code_departement"] == row.departement_code]
        counts: dict[str, int] = {}
        for value in mine["typologie"]:
            for typology in split_typologies(value):
                counts[typology] = counts.get(typology, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
        own_epci = epci[epci["departement_code"] == row.departement_code]
        empty = sorted((name for code, name in zip(own_epci["epci_code"], own_epci["epci_name"], strict=True)
                        if code not in with_lieu), key=formatting_sort_key)
        before = previous.get(row.departement_code)
        out.append(DepartementSummary(
            code=row.departement_code, name=row.departement_name,
            population=None if pd.isna(row.population) else int(row.population),
            lieux_count=int(row.lieux_count),
            lieux_per_100k=None if pd.isna(row.lieux_per_100k) else float(row.lieux_per_100k),
            member_lieux_count=int(row.member_lieux_count),
            previous_lieux_count=None if before is None or pd.isna(before) else int(before),
            typologies=tuple(ranked), epci_without_lieu=tuple(empty), epci_count=len(own_epci),
            lieux=mine.reset_index(drop=True)))
    return out
