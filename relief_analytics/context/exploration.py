"""Exploration of the lieux of the year context: filters typed by a volunteer, same tables.

The filtered selection goes through the same distribution function as the reports
(:func:`~relief_analytics.indicators.distribution.lieux_distribution_tables`), and the state
« ouvert » means *open at the end of the year* as everywhere else, so with the default filters
the exploration shows exactly the reports' figures.

A département filter also narrows the *area*: the tables list only the selected départements,
the EPCI with a commune in them and their communes (an area filtered out is not a « 0 lieux »
area), and the maps draw the other areas grey, « hors sélection »
(:mod:`relief_analytics.figures.maps`). Filters on typology, state or membership narrow the
lieux, not the area: there a zero is a true zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from relief_analytics.geo.reference import GeoReference
from relief_analytics.indicators.distribution import epci_without_lieu, lieux_distribution_tables
from relief_analytics.indicators.lieux import OPEN_STATE, is_open_at_year_end
from relief_analytics.indicators.selection import (
    MEMBERSHIP_CHOICES,
    choice_keys,
    filter_lieux,
    match_choices,
    parse_choice_list,
)


@dataclass
class LieuxExploration:
    """A selection of placed lieux, its filters in canonical form, and its tables."""

    selection: pd.DataFrame
    departements: list[str]
    typologies: list[str]
    states: list[str]
    membership: str
    tables: dict[str, pd.DataFrame]

    def describe(self, departement_names: dict[str, str]) -> str:
        """French sentence listing the filters (codes shown with their names)."""
        deps = ", ".join(f"{c} {departement_names.get(c, '')}".strip() for c in self.departements)
        return (
            f"Filtres : départements = {deps or 'tous'} ; typologies = "
            f"{', '.join(self.typologies) or 'toutes'} ; états = {', '.join(self.states) or 'tous'}"
            f" ; adhésion au réseau = {self.membership}."
        )


def explore_lieux(
    context, *, departements: str = "", typologies: str = "", states: str = "ouvert",
    membership: str = "tous",
) -> LieuxExploration:
    """Filter the placed lieux of ``context`` as typed in the notebook's parameters.

    Raises
    ------
    DataError
        An unknown département, typology, state or membership value (French message listing
        the valid ones).
    """
    lists = context.config.lists
    deps = context.reference.departements
    dep_codes = deps["departement_code"].astype(str).tolist()
    dep_keys = choice_keys(dep_codes, aliases={
        **dict(zip(deps["departement_name"], dep_codes, strict=True)),
        **{code.lstrip("0"): code for code in dep_codes},
    })
    shown_deps = [f"{c} {n}" for c, n in zip(dep_codes, deps["departement_name"], strict=True)]
    chosen_deps = match_choices(parse_choice_list(departements), keys=dep_keys,
                                what="de département", shown=shown_deps)
    chosen_types = match_choices(parse_choice_list(typologies), keys=choice_keys(lists["typologies"]),
                                 what="de typologie", shown=lists["typologies"])
    chosen_states = match_choices(parse_choice_list(states), keys=choice_keys(lists["etats_lieu"]),
                                  what="d'état", shown=lists["etats_lieu"])
    chosen_membership = match_choices([membership or "tous"], keys=choice_keys(MEMBERSHIP_CHOICES),
                                      what="d'adhésion", shown=MEMBERSHIP_CHOICES)[0]

    placed = context.lieux[context.lieux["is_placed"]]
    selection = filter_lieux(placed, departements=chosen_deps, typologies=chosen_types,
                             states=chosen_states, membership=chosen_membership)
    if OPEN_STATE in chosen_states:  # « ouvert » = open at the end of the year, as in the reports
        still = (selection["state"] != OPEN_STATE) | is_open_at_year_end(selection, year=context.year)
        selection = selection[still]
    area = select_area(context.reference, chosen_deps)
    tables = lieux_distribution_tables(
        selection, reference=area, typologies=lists.get("typologies"),
        statuses=lists.get("statuts_juridiques"))
    # the share of the population stays a share of the region's, as its header says
    without = epci_without_lieu(selection, reference=context.reference)
    tables["epci_without_lieu"] = without[without["epci_code"].isin(area.epci["epci_code"])
                                          ].reset_index(drop=True)
    return LieuxExploration(selection=selection.reset_index(drop=True), departements=chosen_deps,
                            typologies=chosen_types, states=chosen_states,
                            membership=chosen_membership, tables=tables)


def select_area(reference: GeoReference, departements: list[str]) -> GeoReference:
    """The part of ``reference`` that a département filter selects (all of it without filter).

    Kept: the départements listed, their communes, and every EPCI with at least one commune in
    them (an EPCI straddling a border stays whole: its population is its regional part).

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> area = select_area(load_reference("84"), ["38"])
    >>> area.departements["departement_name"].tolist(), set(area.communes["departement_code"])
    (['Isère'], {'38'})
    """
    if not departements:
        return reference
    communes = reference.communes[reference.communes["departement_code"].isin(departements)]
    departement_rows = reference.departements["departement_code"].isin(departements)
    epci_rows = reference.epci["epci_code"].isin(communes["epci_code"].dropna().unique())
    return replace(reference, communes=communes.reset_index(drop=True),
                   departements=reference.departements[departement_rows].reset_index(drop=True),
                   epci=reference.epci[epci_rows].reset_index(drop=True))
