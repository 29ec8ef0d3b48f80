"""Membership (adhésions) indicators: members, renewals, prix-libre amounts, départements.

Definitions used throughout (the subsidy report quotes them):

- only payments whose ``order_status`` is in ``valid_statuses`` (config
  ``[listes].statuts_commande_valides``) count;
- a *member of year N* is a distinct ``member_id`` with at least one valid payment for
  ``membership_year`` N;
- *renewed*: member of N-1 and of N; *new*: member of N never seen in an earlier year;
  *returning*: member of N, not of N-1 but of an earlier year (so members = new + returning +
  renewed); *lapsed*: member of N-1 who is not a member of N;
- *retention rate* of N = renewed / members of N-1 (missing when N-1 had no member);
- amounts are prix libre: a member may pay more than once a year, so median, mean and bins are
  computed on the *total paid by each member in the year*; the total is the sum of all payments.

Only counts and amounts leave this module, never ``member_id`` values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from relief_analytics.indicators._frames import NOT_PROVIDED, finalise, year_range
from relief_analytics.indicators.departements import departement_from_postal_code
from relief_analytics.schemas.derived import UNVALIDATED_COLUMNS

#: Prix-libre bins: (label, lower bound excluded, upper bound included). ``0 €`` is exactly zero.
AMOUNT_BINS: tuple[tuple[str, float, float], ...] = (
    ("0 €", -np.inf, 0.0),
    ("1 à 10 €", 0.0, 10.0),
    ("11 à 20 €", 10.0, 20.0),
    ("21 à 50 €", 20.0, 50.0),
    ("51 à 100 €", 50.0, 100.0),
    ("Plus de 100 €", 100.0, np.inf),
)

MEMBER_KINDS = ("physique", "morale")


def filter_valid_adhesions(adhesions: pd.DataFrame, *, valid_statuses: Sequence[str]) -> pd.DataFrame:
    """Keep validated payments only, with ``membership_year`` filled from ``order_date`` if missing.

    Grain: one row per validated membership payment.

    Examples
    --------
    >>> df = pd.DataFrame({"order_status": ["Validé", "En attente"], "membership_year": [2024, 2024],
    ...                    "order_date": pd.to_datetime(["2024-01-05", "2024-01-06"])})
    >>> len(filter_valid_adhesions(df, valid_statuses=["Validé"]))
    1
    """
    if not valid_statuses:
        raise ValueError(
            "Aucun statut de commande valide : renseignez [listes].statuts_commande_valides "
            "dans config.toml (par exemple [\"Validé\"])."
        )
    kept = adhesions["order_status"].isin(list(valid_statuses))
    # copy-on-write: the column set below never reaches ``adhesions``, so no deep copy is needed
    valid = adhesions.copy(deep=False) if kept.all() else adhesions[kept]
    year = pd.array(valid["membership_year"], dtype="Int64")
    fallback = pd.array(valid["order_date"].dt.year, dtype="Int64")
    valid["membership_year"] = pd.Series(year, index=valid.index).fillna(
        pd.Series(fallback, index=valid.index)
    )
    return valid.reset_index(drop=True)


def unvalidated_orders(adhesions: pd.DataFrame, *, valid_statuses: Sequence[str]) -> pd.DataFrame:
    """Orders not counted because their status is not validated (« En attente », « Remboursé »…).

    The exact complement of :func:`filter_valid_adhesions`, listed by ``relief valider`` and the
    quality report. Grain: one row per order not validated, in table order.

    Examples
    --------
    >>> df = pd.DataFrame({"membership_id": ["A", "B"], "order_status": ["Validé", "Remboursé"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-01-06"]), "amount_eur": [5.0, 10.0]})
    >>> unvalidated_orders(df, valid_statuses=["Validé"])["order_status"].tolist()
    ['Remboursé']
    """
    kept = ~adhesions["order_status"].isin(list(valid_statuses))
    columns = [c for c in UNVALIDATED_COLUMNS if c in adhesions.columns]
    return adhesions.loc[kept, columns].reset_index(drop=True)


def _member_years(valid: pd.DataFrame) -> pd.DataFrame:
    """One row per member and year: total paid in the year."""
    return (
        valid.groupby(["membership_year", "member_id"], as_index=False)["amount_eur"].sum()
        .rename(columns={"membership_year": "year"})
    )


def membership_by_year(
    adhesions: pd.DataFrame,
    *,
    valid_statuses: Sequence[str],
    first_year: int | None = None,
    last_year: int | None = None,
) -> pd.DataFrame:
    """Members, renewals and prix-libre amounts per membership year.

    Grain: one row per year, from ``first_year`` (default: the first year in the data) to
    ``last_year`` (default: the last one); years without payment have zero counts.

    Columns: ``year``, ``members_count``, ``physique_members_count``, ``morale_members_count``
    (a pseudonym paying under both kinds counts once in each kind, once in the total),
    ``payments_count``, ``new_members_count``, ``returning_members_count``,
    ``renewed_members_count``, ``lapsed_members_count``, ``retention_rate`` (ratio),
    ``amount_total_eur``, ``amount_median_eur`` and ``amount_mean_eur`` (per member-year).

    Examples
    --------
    >>> df = pd.DataFrame({"order_status": ["Validé"] * 3, "membership_year": [2023, 2024, 2024],
    ...     "order_date": pd.to_datetime(["2023-01-01", "2024-01-01", "2024-02-01"]),
    ...     "member_id": ["a", "a", "b"], "member_kind": ["physique"] * 3,
    ...     "amount_eur": [10.0, 20.0, 0.0]})
    >>> membership_by_year(df, valid_statuses=["Validé"])[["year", "renewed_members_count"]].values.tolist()
    [[2023, 0], [2024, 1]]
    """
    valid = filter_valid_adhesions(adhesions, valid_statuses=valid_statuses)
    per_member = _member_years(valid)
    members_by_year = {int(y): set(g["member_id"]) for y, g in per_member.groupby("year")}
    years = year_range(members_by_year, first_year=first_year, last_year=last_year)

    rows = []
    for year in years:
        current = members_by_year.get(year, set())
        previous = members_by_year.get(year - 1, set())
        earlier = set().union(*(m for y, m in members_by_year.items() if y < year - 1))
        paid = per_member.loc[per_member["year"] == year, "amount_eur"]
        payments = valid[valid["membership_year"] == year]
        renewed = len(current & previous)
        row = {
            "year": year,
            "members_count": len(current),
            "physique_members_count": payments.loc[
                payments["member_kind"] == "physique", "member_id"].nunique(),
            "morale_members_count": payments.loc[
                payments["member_kind"] == "morale", "member_id"].nunique(),
            "payments_count": len(payments),
            "new_members_count": len(current - previous - earlier),
            "returning_members_count": len((current - previous) & earlier),
            "renewed_members_count": renewed,
            "lapsed_members_count": len(previous - current),
            "retention_rate": renewed / len(previous) if previous else np.nan,
            "amount_total_eur": round(float(payments["amount_eur"].sum()), 2),
            "amount_median_eur": float(paid.median()) if len(paid) else np.nan,
            "amount_mean_eur": round(float(paid.mean()), 2) if len(paid) else np.nan,
        }
        rows.append(row)
    columns = [
        "year", "members_count", "physique_members_count", "morale_members_count",
        "payments_count", "new_members_count", "returning_members_count",
        "renewed_members_count", "lapsed_members_count", "retention_rate", "amount_total_eur",
        "amount_median_eur", "amount_mean_eur",
    ]
    return finalise(pd.DataFrame(rows, columns=columns))


def amount_bin_labels() -> list[str]:
    """French labels of the prix-libre bins, in order (``0 €`` … ``Plus de 100 €``)."""
    return [label for label, _, _ in AMOUNT_BINS]


def amount_distribution(
    adhesions: pd.DataFrame, *, valid_statuses: Sequence[str], year: int
) -> pd.DataFrame:
    """Distribution of the amount paid per member in ``year``, by prix-libre bin.

    Grain: one row per bin (always the six bins, in order). Bins are closed on the right:
    ``1 à 10 €`` holds amounts in ]0 ; 10], ``11 à 20 €`` in ]10 ; 20], and so on.
    ``members_share`` is the share of the year's members (ratio; missing if no member).

    Examples
    --------
    >>> df = pd.DataFrame({"order_status": ["Validé"] * 2, "membership_year": [2024, 2024],
    ...     "order_date": pd.to_datetime(["2024-01-01"] * 2), "member_id": ["a", "b"],
    ...     "amount_eur": [0.0, 15.0]})
    >>> amount_distribution(df, valid_statuses=["Validé"], year=2024)["members_count"].tolist()
    [1, 0, 1, 0, 0, 0]
    """
    valid = filter_valid_adhesions(adhesions, valid_statuses=valid_statuses)
    paid = _member_years(valid)
    amounts = paid.loc[paid["year"] == year, "amount_eur"].round(2)
    counts = [int(((amounts > low) & (amounts <= high)).sum()) for _, low, high in AMOUNT_BINS]
    total = sum(counts)
    return finalise(pd.DataFrame({
        "amount_bin": amount_bin_labels(),
        "members_count": counts,
        "members_share": [c / total if total else np.nan for c in counts],
    }))


#: How :func:`amounts_by_member_kind` names each kind, and its row for all members.
MEMBER_KIND_LABELS = {"physique": "Personnes physiques", "morale": "Personnes morales"}
ALL_MEMBERS_LABEL = "Ensemble"


def amounts_by_member_kind(
    adhesions: pd.DataFrame, *, valid_statuses: Sequence[str], year: int,
    kinds: Sequence[str] = MEMBER_KINDS,
) -> pd.DataFrame:
    """Prix-libre amounts of ``year`` by member kind (personnes physiques, personnes morales).

    Grain: one row per member kind (``kinds`` always, in that order, even when zero, then any
    other kind found), then one row « Ensemble » for all the year's members. Only aggregates
    leave: counts, the total paid, and the mean and median of the *total paid by each member
    in the year* (as in :func:`membership_by_year`). A pseudonym that paid under both kinds
    counts once in each kind and once in « Ensemble », which therefore equals the year's row of
    :func:`membership_by_year`. ``amount_share`` is the kind's part of the year's total (ratio).

    Examples
    --------
    >>> df = pd.DataFrame({"order_status": ["Validé"] * 3, "membership_year": [2024] * 3,
    ...     "order_date": pd.to_datetime(["2024-01-01"] * 3), "member_id": ["a", "a", "b"],
    ...     "member_kind": ["physique", "physique", "morale"], "amount_eur": [5.0, 10.0, 60.0]})
    >>> amounts_by_member_kind(df, valid_statuses=["Validé"], year=2024)[
    ...     ["member_kind", "members_count", "amount_total_eur", "amount_median_eur"]].values.tolist()
    [['Personnes physiques', 1, 15.0, 15.0], ['Personnes morales', 1, 60.0, 60.0], ['Ensemble', 2, 75.0, 37.5]]
    """
    valid = filter_valid_adhesions(adhesions, valid_statuses=valid_statuses)
    payments = valid[valid["membership_year"] == year]
    total = float(payments["amount_eur"].sum())
    found = [k for k in sorted(payments["member_kind"].dropna().astype(str).unique()) if k not in kinds]

    def row(label: str, rows: pd.DataFrame) -> dict:
        paid = rows.groupby("member_id")["amount_eur"].sum()
        amount = float(rows["amount_eur"].sum())
        return {
            "member_kind": label,
            "members_count": len(paid),
            "payments_count": len(rows),
            "amount_total_eur": round(amount, 2),
            "amount_mean_eur": round(float(paid.mean()), 2) if len(paid) else np.nan,
            "amount_median_eur": float(paid.median()) if len(paid) else np.nan,
            "amount_share": amount / total if total else np.nan,
        }

    rows = [row(MEMBER_KIND_LABELS.get(kind, kind), payments[payments["member_kind"] == kind])
            for kind in [*kinds, *found]]
    rows.append(row(ALL_MEMBERS_LABEL, payments))
    return finalise(pd.DataFrame(rows))


#: Row of :func:`members_by_departement` for the members living outside the region.
OUTSIDE_REGION = "Hors région"


def members_by_departement(
    adhesions: pd.DataFrame, *, valid_statuses: Sequence[str], year: int,
    region_departements: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Members of ``year`` by département (first digits of their postal code).

    Grain: one row per département with at least one member, codes in ascending order,
    ``Non renseigné`` (no or malformed postal code) last. A member who paid several times is
    placed by the postal code of their latest payment of the year. With
    ``region_departements``, the rule of what is counted applies (``docs/geographie.md``):
    members of a département outside the region are not counted in any département but shown
    apart on one row :data:`OUTSIDE_REGION` (« Hors région »), before ``Non renseigné``; every
    member is on exactly one row.

    Examples
    --------
    >>> df = pd.DataFrame({"order_status": ["Validé"] * 2, "membership_year": [2024, 2024],
    ...     "order_date": pd.to_datetime(["2024-01-01"] * 2), "member_id": ["a", "b"],
    ...     "postal_code": ["69003", None]})
    >>> members_by_departement(df, valid_statuses=["Validé"], year=2024).values.tolist()
    [['69', 1], ['Non renseigné', 1]]
    """
    valid = filter_valid_adhesions(adhesions, valid_statuses=valid_statuses)
    latest = (
        valid[valid["membership_year"] == year]
        .sort_values(["member_id", "order_date"], kind="stable")
        .drop_duplicates("member_id", keep="last")
    )
    departements = departement_from_postal_code(latest["postal_code"])
    if region_departements is not None:
        outside = (departements != NOT_PROVIDED) & ~departements.isin(list(region_departements))
        departements = departements.where(~outside, OUTSIDE_REGION)
    counts = departements.value_counts()
    tail = (OUTSIDE_REGION, NOT_PROVIDED)
    order = sorted(c for c in counts.index if c not in tail)
    order += [c for c in tail if c in counts.index]
    return finalise(pd.DataFrame({
        "departement_code": order,
        "members_count": [int(counts[c]) for c in order],
    }))
