"""The year context: one dataset, one year, one geographic reference — every figure computed once.

:func:`build_year_context` is the only place where the year's populations are defined and where
the indicator tables that the reports show are computed. Notebooks, the XLSX workbook, the slides
and the quality report read from the :class:`YearContext`; none of them loads raw files or
recomputes a chain. ``docs/architecture.md`` maps each figure of each report to its table here.

Populations (each defined once, by a function of :mod:`relief_analytics.context.populations`):

- **lieux placés** — lieux resolved to a commune of the configured region; the others (ambiguous,
  unresolved, out of the region, in conflict) are *set aside* and listed, never counted;
- **lieux ouverts en fin d'année** — lieux placés whose state is « ouvert » and whose opening year
  is the year or before (or unknown);
- **membres de l'année** — members (pseudonyms) with a validated adhésion of the year;
- **événements de l'année** — events starting in the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from relief_analytics.context import populations
from relief_analytics.export.opendata import open_data_lieux, place_lieux
from relief_analytics.geo.reference import GeoReference, load_reference
from relief_analytics.indicators import (
    budget,
    context,
    distribution,
    events,
    governance,
    lieux,
    membership,
    quality,
    series,
    volunteering,
)

#: Series shown with a "N vs N-1" comparison, in report order.
SERIES = ("adhesions", "evenements", "lieux", "benevolat", "gouvernance")


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
        :func:`~relief_analytics.geo.resolve.resolve_communes` and ``is_placed``.
    evenements : DataFrame
        Every accepted event; on-site ones carry the resolution columns.
    open_lieux, members, year_events : DataFrame
        The year's populations (see :mod:`relief_analytics.context.populations`).
    lieux_set_aside : DataFrame
        Lieux not placed in the region, with the reason (listed in the quality report).
    tables : dict of str to DataFrame
        Every indicator table, by name (English columns with their unit suffix).
    comparisons : dict of str to DataFrame
        N vs N-1 of each series of :data:`SERIES`.
    facts : YearFacts
        Scalars quoted by several documents.
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

    @property
    def config(self):
        """The dataset's configuration (``DatasetConfig``)."""
        return self.dataset.config

    def table(self, name: str) -> pd.DataFrame:
        """Return the indicator table ``name`` (a ``KeyError`` lists the known names)."""
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"unknown table {name!r}; known: {sorted(self.tables)}") from None

    def qualitative_review(self) -> str:
        """Text of the year's bilan qualitatif (empty when absent)."""
        return self.dataset.qualitative_review(self.year)


def build_year_context(
    dataset, *, year: int, reference: GeoReference | None = None
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

    Raises
    ------
    DataError
        Missing hourly rate of the year, invalid thresholds, unusable budget (French messages).
    """
    config = dataset.config
    lists = config.lists
    reference = reference or load_reference(config.region_code)
    first_year = min(config.first_year, year)

    placed_lieux, resolved_events = populations.resolve_dataset(dataset, reference=reference)
    open_lieux = populations.open_lieux_at_year_end(placed_lieux, year=year)
    members = populations.members_of_year(
        dataset.adhesions, year=year, valid_statuses=lists["statuts_commande_valides"])
    year_events = populations.events_of_year(resolved_events, year=year)
    set_aside = populations.lieux_set_aside(placed_lieux)

    by_year = {
        "adhesions": membership.membership_by_year(
            dataset.adhesions, valid_statuses=lists["statuts_commande_valides"],
            first_year=first_year, last_year=year),
        "evenements": events.events_by_year(
            dataset.evenements, first_year=first_year, last_year=year),
        "lieux": lieux.lieux_by_year(
            placed_lieux[placed_lieux["is_placed"]], first_year=first_year, last_year=year),
        "benevolat": volunteering.volunteering_by_year(
            dataset.contributions, hourly_rates=config.hourly_rates,
            first_year=first_year, last_year=year),
        "gouvernance": governance.governance_by_year(
            dataset.gouvernance, evenements=dataset.evenements,
            first_year=first_year, last_year=year),
    }
    hourly_rate = volunteering.hourly_rate_for_year(config.hourly_rates, year)
    volunteer_hours = float(
        by_year["benevolat"].loc[by_year["benevolat"]["year"] == year, "volunteer_hours"].iloc[0])
    pct_threshold, eur_threshold = config.subsidy.gap_thresholds()
    cerfa = budget.cerfa_chain(
        dataset.budget, dataset.explications_ecarts, year=year, volunteer_hours=volunteer_hours,
        hourly_rate=hourly_rate, pct_threshold=pct_threshold, eur_threshold=eur_threshold)

    tables: dict[str, pd.DataFrame] = {f"{name}_by_year": frame for name, frame in by_year.items()}
    tables.update(distribution.lieux_distribution_tables(
        open_lieux, reference=reference, typologies=lists.get("typologies"),
        statuses=lists.get("statuts_juridiques")))
    tables.update({
        "lieux_by_state": lieux.lieux_by_state(
            placed_lieux[placed_lieux["is_placed"]], states=lists.get("etats_lieu")),
        "amount_distribution": membership.amount_distribution(
            dataset.adhesions, valid_statuses=lists["statuts_commande_valides"], year=year),
        "members_by_departement": membership.members_by_departement(
            dataset.adhesions, valid_statuses=lists["statuts_commande_valides"], year=year),
        "events_by_month": events.events_by_month(
            dataset.evenements, year=year, kinds=lists.get("types_evenements")),
        "events_by_kind": events.events_by_kind(
            dataset.evenements, kinds=lists.get("types_evenements")),
        "events_by_commission": events.events_by_commission(
            dataset.evenements, commissions=lists.get("commissions")),
        "events_by_attendance_mode": _rows_of_year(events.events_by_attendance_mode(
            dataset.evenements, modes=lists.get("modes_participation")), year),
        "events_by_commune": distribution.count_events_by_commune(
            year_events, reference=reference),
        "volunteering_by_commission": volunteering.volunteering_by_commission(
            dataset.contributions, hourly_rates=config.hourly_rates, year=year,
            commissions=lists.get("commissions")),
        "copilotes_by_commission": governance.copilotes_by_commission(
            dataset.gouvernance, year=year, commissions=lists.get("commissions")),
        "cerfa": cerfa.table,
        "cerfa_gaps": cerfa.gaps,
        "subsidies_by_funder": budget.subsidies_by_funder(dataset.budget, year=year),
        "lieux_open_data": open_data_lieux(place_lieux(placed_lieux, reference=reference)),
        "national_comparison": context.compare_with_national(
            open_lieux_count=len(open_lieux), context=config.context.as_mapping(),
            region_name=config.network_name),
    })
    tables.update(_quality_tables(dataset, placed_lieux, resolved_events, set_aside))

    comparisons = {name: series.compare_years(frame, year=year) for name, frame in by_year.items()}
    facts = YearFacts(
        year=year,
        hourly_rate_eur=hourly_rate,
        volunteer_hours=volunteer_hours,
        valuation_eur=round(volunteer_hours * hourly_rate, 2),
        gap_pct_threshold=pct_threshold,
        gap_eur_threshold=eur_threshold,
        funder=config.subsidy.funder or "",
        open_lieux_count=len(open_lieux),
        members_count=len(members),
        events_count=len(year_events),
        lieux_set_aside_count=len(set_aside),
    )
    return YearContext(
        year=year, dataset=dataset, reference=reference, lieux=placed_lieux,
        evenements=resolved_events, open_lieux=open_lieux, members=members,
        year_events=year_events, lieux_set_aside=set_aside, tables=tables,
        comparisons=comparisons, facts=facts,
    )


def _rows_of_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] == year].reset_index(drop=True)


def _quality_tables(dataset, placed_lieux, resolved_events, set_aside) -> dict[str, pd.DataFrame]:
    on_site = resolved_events[resolved_events["resolution_status"].notna()]
    return {
        "reads_summary": quality.summarise_reads(dataset.summary),
        "issues": quality.list_issues(dataset.issues),
        "issues_by_rule": quality.count_issues_by_rule(dataset.issues),
        "resolution_statuses": quality.count_resolution_statuses(
            {"lieux": placed_lieux, "evenements": on_site}),
        "unplaced_lieux": quality.list_unplaced(
            placed_lieux, id_col="lieu_id", name_col="lieu_name"),
        "unplaced_events": quality.list_unplaced(on_site, id_col="event_id", name_col="title"),
        "possible_duplicate_lieux": quality.find_possible_duplicate_lieux(dataset.lieux),
        "unknown_lieu_references": quality.find_unknown_lieu_references(dataset.tables),
        "missing_values": quality.count_missing_values(dataset.tables),
        "ignored_columns": quality.list_ignored_columns(dataset.results),
        "lieux_set_aside": set_aside,
        "geographic_problems": populations.geographic_problems(placed_lieux, resolved_events),
        "unvalidated_orders": membership.unvalidated_orders(
            dataset.adhesions, valid_statuses=dataset.config.lists["statuts_commande_valides"]),
    }


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
