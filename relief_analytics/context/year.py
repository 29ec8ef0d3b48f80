"""The year context: one dataset, one year, one geographic reference — every figure computed once.

:func:`build_year_context` defines the year's populations, then loops over the catalogue of the
year's tables (:data:`relief_analytics.context.catalogue.CATALOGUE`) and computes the tables that
the requested documents read. Notebooks, the XLSX workbook, the slides and the quality report
read from the :class:`YearContext` (``ctx.table(name)``, checked against the catalogue); none of
them loads raw files or recomputes a chain. ``docs/architecture.md`` maps each figure of each
report to its table (generated from the catalogue).

Populations (each defined once, by a function of :mod:`relief_analytics.context.populations`):

- **lieux placés** — lieux resolved to a commune of the configured region; the others (ambiguous,
  unresolved, out of the region, in conflict) are *set aside* and listed, never counted;
- **lieux ouverts en fin d'année** — lieux placés whose state is « ouvert » and whose opening year
  is the year or before (or unknown);
- **membres de l'année** — members (pseudonyms) with a validated adhésion of the year;
- **événements de l'année** — events starting in the year.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from relief_analytics.context import populations
from relief_analytics.context.catalogue import (
    SERIES,
    TABLES,
    documents_of_reports,
    tables_read_by,
)
from relief_analytics.geo.reference import GeoReference, load_reference
from relief_analytics.indicators import budget, series, volunteering
from relief_analytics.indicators.distribution import locate_lieux
from relief_analytics.indicators.public_lieux import lieux_open_data, place_lieux

__all__ = ["SERIES", "YearContext", "YearFacts", "YearInputs", "build_year_context",
           "open_year_context"]


@dataclass(frozen=True)
class YearFacts:
    """Scalar facts of the year that several documents quote."""

    year: int
    hourly_rate_eur: float
    volunteer_hours: float
    valuation_eur: float
    gap_pct_threshold: float | None
    gap_eur_threshold: float | None
    funder: str
    open_lieux_count: int
    members_count: int
    events_count: int
    lieux_set_aside_count: int


@dataclass
class YearContext:
    """Everything the year's reports show, computed once (see the module docstring).

    Attributes
    ----------
    year : int
        The year of the reports.
    dataset : relief_analytics.load.Dataset
        The validated tables, issues and read summary.
    reference : GeoReference
        The region's geographic reference.
    lieux : DataFrame
        Every accepted lieu, with the resolution columns of
        :func:`~relief_analytics.geo.resolve.resolve_communes`, ``is_placed`` and the point it
        is drawn at (:func:`~relief_analytics.indicators.distribution.locate_lieux`; so are
        ``open_lieux``).
    evenements : DataFrame
        Every accepted event; on-site ones carry the resolution columns.
    open_lieux, members, year_events : DataFrame
        The year's populations (see :mod:`relief_analytics.context.populations`).
    lieux_set_aside : DataFrame
        Lieux not placed in the region, with the reason (listed in the quality report).
    tables : dict of str to DataFrame
        The catalogue tables that the context's documents read, by name (English columns with
        their unit suffix). Read them through :meth:`table`.
    comparisons : dict of str to DataFrame
        N vs N-1 of each computed series of :data:`SERIES`, under the series' name.
    facts : YearFacts
        Scalars quoted by several documents.
    documents : tuple of str
        The documents the context was computed for (:data:`~.catalogue.DOCUMENTS`).
    """

    year: int
    dataset: Any
    reference: GeoReference
    lieux: pd.DataFrame
    evenements: pd.DataFrame
    open_lieux: pd.DataFrame
    members: pd.DataFrame
    year_events: pd.DataFrame
    lieux_set_aside: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    comparisons: dict[str, pd.DataFrame] = field(default_factory=dict)
    facts: YearFacts | None = None
    documents: tuple[str, ...] = ()

    @property
    def config(self):
        """The dataset's configuration (``DatasetConfig``)."""
        return self.dataset.config

    def table(self, name: str) -> pd.DataFrame:
        """Return the catalogue table ``name``.

        Raises
        ------
        KeyError
            With a French message: the name is not in the catalogue, or the table was not
            computed because none of the context's documents reads it.
        """
        if name not in TABLES:
            raise KeyError(
                f"Table « {name} » inconnue du catalogue des tables de l'année "
                f"(relief_analytics/context/catalogue.py). Tables déclarées : {', '.join(TABLES)}."
            )
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(
                f"Table « {name} » non calculée : aucun des documents de ce contexte "
                f"({', '.join(self.documents)}) ne la lit. Ajoutez le document à ses lecteurs "
                "dans relief_analytics/context/catalogue.py."
            ) from None

    def comparison(self, name: str) -> pd.DataFrame:
        """Return the N vs N-1 comparison of the series ``name`` (e.g. ``volunteering_by_year``).

        Raises
        ------
        KeyError
            With a French message when ``name`` is not a series of the catalogue, or when it was
            not computed for the context's documents.
        """
        if name not in SERIES:
            raise KeyError(
                f"Série « {name} » inconnue du catalogue des tables de l'année. Séries déclarées : "
                f"{', '.join(SERIES)}."
            )
        self.table(name)
        return self.comparisons[name]

    def qualitative_review(self) -> str:
        """Text of the year's bilan qualitatif (empty when absent)."""
        return self.dataset.qualitative_review(self.year)


class YearInputs:
    """What the catalogue's compute functions receive: the dataset, the year and its populations.

    Populations are computed once, on creation; shared intermediate results (the CERFA chain,
    the resolved open-data lieux, any table another one needs) are computed on first use.
    """

    def __init__(self, dataset, *, year: int, reference: GeoReference, snapshots=()) -> None:
        self.dataset = dataset
        self.snapshots = tuple(snapshots)  # kept lieux snapshots (indicators.changes.SnapshotRef)
        self.year = year
        self.reference = reference
        self.config = dataset.config
        self.lists = self.config.lists
        self.first_year = min(self.config.first_year, year)
        self.valid_statuses = self.lists["statuts_commande_valides"]
        self.placed_lieux, self.resolved_events = populations.resolve_dataset(
            dataset, reference=reference)
        self.placed_only = self.placed_lieux[self.placed_lieux["is_placed"]]
        self.open_lieux = populations.open_lieux_at_year_end(self.placed_lieux, year=year)
        self.members = populations.members_of_year(
            dataset.adhesions, year=year, valid_statuses=self.valid_statuses)
        # the one rule of what is counted (populations.is_counted): on-site and mixed events
        # placed outside the region, or not placed, are listed and never counted
        self.counted_events = populations.counted(self.resolved_events)
        self.year_events = populations.events_of_year(self.counted_events, year=year)
        self.set_aside = populations.lieux_set_aside(self.placed_lieux)
        self.on_site_events = self.resolved_events[self.resolved_events["resolution_status"].notna()]
        self._tables: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """The catalogue table ``name``, computed on first use."""
        if name not in self._tables:
            self._tables[name] = TABLES[name].compute(self)
        return self._tables[name]

    def rows_of_year(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` whose ``year`` is the context's year."""
        return frame[frame["year"] == self.year].reset_index(drop=True)

    @functools.cached_property
    def thresholds(self) -> tuple[float | None, float | None]:
        """``(seuil_ecart_pct, seuil_ecart_eur)`` of ``[subvention]``."""
        return self.config.subsidy.gap_thresholds()

    @functools.cached_property
    def hourly_rate(self) -> float:
        """The volunteer hourly rate of the year (``config.toml``)."""
        return volunteering.hourly_rate_for_year(self.config.hourly_rates, self.year)

    @functools.cached_property
    def volunteer_hours(self) -> float:
        """Volunteer hours of the year, from the volunteering series."""
        by_year = self.table("volunteering_by_year")
        return float(by_year.loc[by_year["year"] == self.year, "volunteer_hours"].iloc[0])

    def cerfa(self):
        """The CERFA chain of the year (hours × rate → 864/870, table, significant gaps)."""
        if "_cerfa" not in self.__dict__ and "budget" in self.dataset.missing_tables:
            # no budget file (a lieux-only folder): no CERFA, the build says which report is skipped
            self.__dict__["_cerfa"] = budget.CerfaChain(pd.DataFrame(), pd.DataFrame())
        if "_cerfa" not in self.__dict__:
            pct, eur = self.thresholds
            self.__dict__["_cerfa"] = budget.cerfa_chain(
                self.dataset.budget, self.dataset.explications_ecarts, year=self.year,
                volunteer_hours=self.volunteer_hours, hourly_rate=self.hourly_rate,
                pct_threshold=pct, eur_threshold=eur)
        return self.__dict__["_cerfa"]

    def lieux_open_data(self) -> pd.DataFrame:
        """The public table of the region's lieux (same rule as the open-data export)."""
        return lieux_open_data(place_lieux(self.placed_lieux, reference=self.reference))

    def geographic_problems(self) -> pd.DataFrame:
        """Every geographic problem of the lieux and on-site events."""
        return populations.geographic_problems(self.placed_lieux, self.resolved_events)

    def facts(self) -> YearFacts:
        """The scalar facts of the year."""
        pct, eur = self.thresholds
        return YearFacts(
            year=self.year,
            hourly_rate_eur=self.hourly_rate,
            volunteer_hours=self.volunteer_hours,
            valuation_eur=round(self.volunteer_hours * self.hourly_rate, 2),
            gap_pct_threshold=pct,
            gap_eur_threshold=eur,
            funder=self.config.subsidy.funder or "",
            open_lieux_count=len(self.open_lieux),
            members_count=len(self.members),
            events_count=len(self.year_events),
            lieux_set_aside_count=len(self.set_aside),
        )


def build_year_context(
    dataset, *, year: int, reference: GeoReference | None = None,
    reports: Iterable[str] | None = None, snapshots: Iterable = (),
) -> YearContext:
    """Build the :class:`YearContext` of ``year`` from a loaded dataset.

    Parameters
    ----------
    dataset : relief_analytics.load.Dataset
        What :func:`relief_analytics.load.load_dataset` returns.
    year : int
        The year of the reports.
    reference : GeoReference, optional
        Defaults to the reference of the dataset's ``code_region``.
    reports : iterable of str, optional
        Names of the reports to build (``relief rapports --seulement``): only the catalogue
        tables that their documents read are computed. Default: every report.
    snapshots : iterable of SnapshotRef, optional
        The kept snapshots of the public lieux table (:mod:`relief_analytics.report.snapshots`),
        read in the ``relief`` process: « Ce qui a changé » compares with them.

    Raises
    ------
    DataError
        Missing hourly rate of the year, invalid thresholds, unusable budget (French messages).
    """
    reference = reference or load_reference(dataset.config.region_code)
    inputs = YearInputs(dataset, year=year, reference=reference, snapshots=snapshots)
    documents = documents_of_reports(reports)
    tables = {spec.name: inputs.table(spec.name) for spec in tables_read_by(documents)}
    comparisons = {name: series.compare_years(tables[name], year=year)
                   for name in SERIES if name in tables}
    # located once here, not in each kernel that draws them (maps, distances)
    located = functools.partial(locate_lieux, reference=reference)
    return YearContext(
        year=year, dataset=dataset, reference=reference, lieux=located(inputs.placed_lieux),
        evenements=inputs.resolved_events, open_lieux=located(inputs.open_lieux),
        members=inputs.members,
        year_events=inputs.year_events, lieux_set_aside=inputs.set_aside, tables=tables,
        comparisons=comparisons, facts=inputs.facts(), documents=documents,
    )


def open_year_context(dataset_dir: str | Path, year: int, *, context_path: str | Path = ""):
    """Return the year context: read from ``context_path`` when given, else built now.

    This is the one call of a report notebook: under ``relief rapports`` the build has already
    written the context (``context_path``); opened alone in JupyterLab, the notebook builds it.
    """
    from relief_analytics.context.store import read_context

    if context_path:
        return read_context(Path(context_path), year=year)
    from relief_analytics.load import load_dataset

    return build_year_context(load_dataset(dataset_dir), year=year)
