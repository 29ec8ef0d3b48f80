"""The compte rendu financier de subvention (CERFA n°15059): prévision vs réalisation.

The table follows the associations' chart of accounts: charges (classes 60–68), produits
(70–78, with 756 Cotisations and 758 Dons shown as lines of 75, and 74 Subventions split by
funder), then the contributions volontaires en nature, below the result and balanced:
86 Emplois (860, 861, 862, **864 Personnel bénévole**) = 87 Contributions (**870 Bénévolat**,
871, 875).

Volunteer time always goes to the pair 864 (emploi) / 870 (contribution); both are *computed*
from the hours given and the hourly rate of the year. Their planned amounts come from the
budget file (lines 864… / 870…); when the file plans only one of the two, the other mirrors it
(they are equal by definition); when it plans neither, both are missing. Any realised amount
the file holds on 864/870 is replaced by the computed one.

The grid is the form's: every class 60–68 (charges) and 70–78 (produits) is shown, a class with
no line as one row at 0 € (:data:`GRID_CLASSES`), and the contributions volontaires list every
standard account of 86 and 87 (:data:`IN_KIND_ACCOUNTS`), then sit under the result.

Totals: a subtotal's réalisé is the sum of the known réalisés of its lines, and its prévu the sum
of the known prévus (a line without prévision adds nothing); a total is missing only when none
of its lines has an amount.

Gaps, one rule for every row: ``gap_eur`` = réalisé − prévu, a missing amount counting as 0 €
(:func:`gap_of`), so that a line with no prévision (« — », e.g. 864/870 when the file plans no
volunteer time) has its whole réalisation as gap, and every total's gap is exactly the sum of its
lines' gaps. ``gap_ratio`` = ``gap_eur`` / prévu (a ratio: 0.15 is 15 %), missing when prévu is
0 or missing. Such a line is significant as soon as its gap exceeds the euro threshold
(:func:`significant_gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from relief_analytics.errors import DataError
from relief_analytics.formatting import format_eur
from relief_analytics.indicators._frames import finalise

CHARGES = "Charges"
PRODUITS = "Produits"
CONTRIBUTIONS = "Contributions volontaires"
RESULT = "Résultat"

VOLUNTEER_EMPLOI_CODE = "864"
VOLUNTEER_CONTRIBUTION_CODE = "870"

#: Labels of the chart of accounts (classes and the sub-accounts shown on their own).
ACCOUNT_LABELS_FR = {
    "60": "Achats",
    "61": "Services extérieurs",
    "62": "Autres services extérieurs",
    "63": "Impôts et taxes",
    "64": "Charges de personnel",
    "65": "Autres charges de gestion courante",
    "66": "Charges financières",
    "67": "Charges exceptionnelles",
    "68": "Dotations aux amortissements et provisions",
    "70": "Ventes, prestations",
    "71": "Production stockée",
    "72": "Production immobilisée",
    "73": "Dotations et produits de tarification",
    "74": "Subventions d'exploitation",
    "75": "Autres produits de gestion courante",
    "756": "Cotisations",
    "758": "Dons",
    "76": "Produits financiers",
    "77": "Produits exceptionnels",
    "78": "Reprises",
    "86": "Emplois des contributions volontaires en nature",
    "860": "Secours en nature",
    "861": "Mise à disposition gratuite de biens et services",
    "862": "Prestations",
    "864": "Personnel bénévole",
    "87": "Contributions volontaires en nature",
    "870": "Bénévolat",
    "871": "Prestations en nature",
    "875": "Dons en nature",
}

#: Row kinds of :func:`cerfa_table` (English codes; see ``ROW_KIND_LABELS_FR`` for display).
ROW_KINDS = ("line", "class_total", "section_total", "result")
ROW_KIND_LABELS_FR = {
    "line": "ligne",
    "class_total": "sous-total",
    "section_total": "total",
    "result": "résultat",
}

UNKNOWN_FUNDER = "Financeur non précisé"

#: The classes of the form's grid, each shown even without a line (a row at 0 €).
GRID_CLASSES = {
    CHARGES: ("60", "61", "62", "63", "64", "65", "66", "67", "68"),
    PRODUITS: ("70", "71", "72", "73", "74", "75", "76", "77", "78"),
}
#: The standard accounts of the contributions volontaires en nature, each shown even at 0 €.
IN_KIND_ACCOUNTS = {
    "86": ("860", "861", "862", VOLUNTEER_EMPLOI_CODE),
    "87": (VOLUNTEER_CONTRIBUTION_CODE, "871", "875"),
}

CERFA_COLUMNS = [
    "year", "section", "class_code", "class_label", "account_code", "account_label", "funder",
    "row_kind", "planned_eur", "realised_eur", "gap_eur", "gap_ratio",
]


class BudgetError(DataError, ValueError):
    """The budget file cannot give a consistent compte rendu financier (French message)."""


def class_label(class_code: str) -> str:
    """Return ``"60 Achats"`` for ``"60"`` (``"Comptes 73"`` for a class without a label)."""
    label = ACCOUNT_LABELS_FR.get(class_code)
    return f"{class_code} {label}" if label else f"Comptes {class_code}"


def standard_account_label(account_code: str) -> str:
    """Chart-of-accounts label of the most specific known prefix of ``account_code``."""
    for length in range(len(account_code), 1, -1):
        label = ACCOUNT_LABELS_FR.get(account_code[:length])
        if label:
            return label
    return f"Compte {account_code}"


def _section(account_code: str) -> str:
    return {"6": CHARGES, "7": PRODUITS, "8": CONTRIBUTIONS}[account_code[0]]


def _sum(values: pd.Series) -> float:
    """Sum ignoring missing values; missing when every value is missing."""
    return float(values.sum(min_count=1)) if len(values) else np.nan


def _total_row(lines: pd.DataFrame, **fields) -> dict:
    """Subtotal of ``lines``: the sum of the amounts shown, a missing one counting as nothing.

    A line without prévision (e.g. 864/870 when the budget planned no volunteer time) adds
    nothing to the total prévision, so that « Total 86 » still reads the sum of the 86 lines
    that were planned (861 …) instead of « — »; the total is missing only when no line has
    an amount.
    """
    return {
        **fields,
        "planned_eur": _sum(lines["planned_eur"]),
        "realised_eur": _sum(lines["realised_eur"]),
    }


def _lines_of_year(budget: pd.DataFrame, year: int) -> pd.DataFrame:
    lines = budget[budget["year"] == year].copy()
    if lines.empty:
        raise BudgetError(
            f"Aucune ligne budgétaire pour l'exercice {year} dans le fichier budget : ajoutez les "
            f"lignes de {year} (colonne « annee ») pour produire le compte rendu financier."
        )
    lines["account_code"] = lines["account_code"].astype("str").str.strip()
    label = lines["account_label"].astype("str").str.strip() if "account_label" in lines else None
    standard = lines["account_code"].map(standard_account_label)
    lines["account_label"] = standard if label is None else label.where(
        label.notna() & (label != ""), standard)
    lines["funder"] = lines["funder"] if "funder" in lines else pd.NA
    lines["planned_eur"] = lines["planned_eur"].astype("float64")
    lines["realised_eur"] = lines["realised_eur"].astype("float64")
    return lines


def _volunteer_lines(lines: pd.DataFrame, realised: float) -> list[dict]:
    """Lines 864 and 870: realised computed; planned from the file, one mirroring the other."""
    planned = {
        code: _sum(lines.loc[lines["account_code"].str.startswith(code), "planned_eur"])
        for code in (VOLUNTEER_EMPLOI_CODE, VOLUNTEER_CONTRIBUTION_CODE)
    }
    emploi, contribution = planned.values()
    if pd.isna(emploi):
        emploi = contribution
    if pd.isna(contribution):
        contribution = emploi
    return [
        {"account_code": code, "account_label": ACCOUNT_LABELS_FR[code], "funder": pd.NA,
         "planned_eur": amount, "realised_eur": realised}
        for code, amount in ((VOLUNTEER_EMPLOI_CODE, emploi),
                             (VOLUNTEER_CONTRIBUTION_CODE, contribution))
    ]


def _missing_in_kind_lines(records: list[dict]) -> list[dict]:
    """Rows at 0 € for the standard 86/87 accounts that no line of the file starts with."""
    codes = [str(record["account_code"]) for record in records]
    return [
        {"account_code": code, "account_label": ACCOUNT_LABELS_FR[code], "funder": pd.NA,
         "planned_eur": 0.0, "realised_eur": 0.0}
        for accounts in IN_KIND_ACCOUNTS.values() for code in accounts
        if not any(known.startswith(code) for known in codes)
    ]


def _check_balance(emplois_lines: pd.DataFrame, contribution_lines: pd.DataFrame,
                   year: int) -> None:
    """Raise when the 86 lines and the 87 lines do not add up to the same amount.

    Missing amounts count as 0 on both sides (864 and 870 are missing or known together).
    """
    for column, what in (("planned_eur", "en prévision"), ("realised_eur", "en réalisation")):
        emplois = round(float(emplois_lines[column].sum()), 2)
        contributions = round(float(contribution_lines[column].sum()), 2)
        if abs(emplois - contributions) > 0.005:
            raise BudgetError(
                f"Les contributions volontaires en nature de {year} ne sont pas équilibrées "
                f"{what} : les emplois (comptes 86) totalisent {format_eur(emplois)} et les "
                f"contributions (comptes 87) {format_eur(contributions)}. Dans le fichier budget, "
                f"le total des lignes 86x doit être égal à celui des lignes 87x (les montants "
                f"réalisés de 864 et 870 sont calculés à partir des heures de bénévolat)."
            )


def cerfa_table(
    budget: pd.DataFrame, *, year: int, volunteer_hours: float, hourly_rate: float
) -> pd.DataFrame:
    """Build the figures table of the compte rendu financier (CERFA n°15059) for ``year``.

    Grain: one row per budget line of the year (per funder for 74 lines), each class followed by
    its subtotal (``row_kind="class_total"``; a class of :data:`GRID_CLASSES` with no line is
    that one row, at 0 €, labelled « 63 Impôts et taxes »), each section by its total
    (``"section_total"``: "Total des charges", "Total des produits"), then the result
    (``"result"``: produits − charges), then the contributions volontaires: 86 lines and
    their total, 87 lines and their total (every account of :data:`IN_KIND_ACCOUNTS`, at 0 €
    when the file has none). Lines 864 and 870 are always present and equal to
    ``round(volunteer_hours × hourly_rate, 2)``. Gaps follow :func:`gap_of` on every row.

    Columns: ``year``, ``section``, ``class_code``, ``class_label`` ("60 Achats"),
    ``account_code``, ``account_label``, ``funder``, ``row_kind``, ``planned_eur``,
    ``realised_eur``, ``gap_eur`` (réalisé − prévu), ``gap_ratio`` (of prévu).

    Raises
    ------
    BudgetError
        No line for ``year``, or the 86 and 87 totals differ (French message).

    Examples
    --------
    >>> budget = pd.DataFrame({"year": [2024, 2024], "account_code": ["606", "742"],
    ...     "account_label": ["Fournitures", "Subvention Région"], "planned_eur": [100.0, 100.0],
    ...     "realised_eur": [120.0, 100.0], "funder": [None, "Région"]})
    >>> table = cerfa_table(budget, year=2024, volunteer_hours=10, hourly_rate=11.65)
    >>> table.loc[table["account_code"] == "870", "realised_eur"].tolist()
    [116.5]
    """
    lines = _lines_of_year(budget, year)
    valuation = round(float(volunteer_hours) * float(hourly_rate), 2)
    is_volunteer = lines["account_code"].str.startswith(
        (VOLUNTEER_EMPLOI_CODE, VOLUNTEER_CONTRIBUTION_CODE))
    records = lines.loc[~is_volunteer, ["account_code", "account_label", "funder",
                                        "planned_eur", "realised_eur"]].to_dict("records")
    records += _volunteer_lines(lines, valuation)
    records += _missing_in_kind_lines(records)
    detail = pd.DataFrame(records)
    detail["class_code"] = detail["account_code"].str[:2]
    detail["section"] = detail["account_code"].map(_section)
    detail["funder_sort"] = detail["funder"].fillna("").astype("str")
    detail = detail.sort_values(["class_code", "account_code", "funder_sort"], kind="stable")

    rows: list[dict] = []
    section_totals: dict[str, dict] = {}
    for section, title in ((CHARGES, "Total des charges"), (PRODUITS, "Total des produits"),
                           (CONTRIBUTIONS, None)):
        in_section = detail[detail["section"] == section]
        present = set(in_section["class_code"])
        for class_code in sorted(present | set(GRID_CLASSES.get(section, ()))):
            in_class = in_section[in_section["class_code"] == class_code]
            common = {"section": section, "class_code": class_code,
                      "class_label": class_label(class_code)}
            if in_class.empty:  # a class of the grid with no line: one row at 0 €
                rows.append({**common, "row_kind": "class_total",
                             "account_label": class_label(class_code),
                             "planned_eur": 0.0, "realised_eur": 0.0})
                continue
            for record in in_class.to_dict("records"):
                rows.append({**record, **common, "row_kind": "line"})
            rows.append(_total_row(
                in_class, **common, row_kind="class_total",
                account_label=f"Total {class_label(class_code)}"))
        if title:
            # a section without any line still has its grid's classes, each at 0 €
            section_totals[section] = _total_row(
                in_section, section=section, row_kind="section_total", account_label=title
            ) if len(in_section) else {"section": section, "row_kind": "section_total",
                                       "account_label": title, "planned_eur": 0.0,
                                       "realised_eur": 0.0}
            rows.append(section_totals[section])
        if section == PRODUITS:
            rows.append(_result_row(section_totals))
    _check_balance(detail[detail["class_code"] == "86"], detail[detail["class_code"] == "87"], year)

    table = pd.DataFrame(rows).reindex(columns=CERFA_COLUMNS)
    table["year"] = year
    table = _add_gaps(table)
    return finalise(table)


def _result_row(section_totals: dict[str, dict]) -> dict:
    charges = section_totals.get(CHARGES, {"planned_eur": np.nan, "realised_eur": np.nan})
    produits = section_totals.get(PRODUITS, {"planned_eur": np.nan, "realised_eur": np.nan})

    def diff(column: str) -> float:
        return np.nansum([produits[column], -charges[column]]) if not (
            pd.isna(produits[column]) and pd.isna(charges[column])) else np.nan

    return {"section": RESULT, "row_kind": "result",
            "account_label": "Résultat (produits − charges)",
            "planned_eur": diff("planned_eur"), "realised_eur": diff("realised_eur")}


def gap_of(planned: pd.Series, realised: pd.Series) -> pd.Series:
    """The one gap rule: réalisé − prévu, a missing amount counting as 0 €; missing when both are.

    Applied to every row (lines, subtotals, totals, result), so that a total's gap is the sum of
    its lines' gaps.

    Examples
    --------
    >>> gap_of(pd.Series([100.0, np.nan, np.nan]), pd.Series([120.0, 50.0, np.nan])).tolist()
    [20.0, 50.0, nan]
    """
    gap = realised.fillna(0.0) - planned.fillna(0.0)
    return gap.where(planned.notna() | realised.notna()).round(2)


def _add_gaps(table: pd.DataFrame) -> pd.DataFrame:
    table["planned_eur"] = table["planned_eur"].astype("float64").round(2)
    table["realised_eur"] = table["realised_eur"].astype("float64").round(2)
    table["gap_eur"] = gap_of(table["planned_eur"], table["realised_eur"])
    planned = table["planned_eur"].where(table["planned_eur"] != 0)
    table["gap_ratio"] = table["gap_eur"] / planned
    return table


def significant_gaps(
    table: pd.DataFrame, *, pct_threshold: float, eur_threshold: float
) -> pd.DataFrame:
    """Budget lines whose gap exceeds *both* thresholds (config ``[subvention]``).

    A line is significant when ``|gap_eur| > eur_threshold`` **and**
    ``|gap_ratio| × 100 > pct_threshold`` (``pct_threshold`` is in percent, as
    ``seuil_ecart_pct = 15`` in config.toml). Both comparisons are strict: a gap exactly at a
    threshold is not significant. A line with nothing planned (prévu = 0, or no prévision at all,
    « — », e.g. 864/870 when the file plans no volunteer time) and a gap above ``eur_threshold``
    is significant (its relative gap is infinite): the gap rule is :func:`gap_of`'s.

    Grain: one row per line of :func:`cerfa_table` (``row_kind == "line"``), same columns,
    in the table's order.

    Examples
    --------
    >>> t = pd.DataFrame({"row_kind": ["line", "line"], "planned_eur": [1000.0, 1000.0],
    ...     "realised_eur": [1600.0, 1100.0], "gap_eur": [600.0, 100.0], "gap_ratio": [0.6, 0.1]})
    >>> significant_gaps(t, pct_threshold=15, eur_threshold=500)["gap_eur"].tolist()
    [600.0]
    """
    if pct_threshold < 0 or eur_threshold < 0:
        raise ValueError(
            f"Les seuils d'écart significatif doivent être positifs (reçu : {pct_threshold} % "
            f"et {eur_threshold} €) ; voir la section [subvention] de config.toml."
        )
    lines = table[table["row_kind"] == "line"]
    gap = lines["gap_eur"].abs()
    planned = lines["planned_eur"].fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = (gap / planned.abs() * 100).round(6)
    pct = pct.where(planned != 0, np.inf)
    significant = (gap > eur_threshold) & (pct > pct_threshold) & gap.notna()
    return lines[significant.fillna(False)].reset_index(drop=True)


def attach_explanations(gaps: pd.DataFrame, explanations: pd.DataFrame) -> pd.DataFrame:
    """Add the users' explanation of each significant gap.

    ``explanations`` is the ``explications_ecarts`` table (``year``, ``account_code``,
    ``explanation``); it is matched on ``account_code``, and on ``year`` when both frames have
    it. Adds ``explanation`` (missing when none or blank) and ``is_explanation_missing``.

    Grain: the grain of ``gaps`` (one row per significant line), order kept.

    Examples
    --------
    >>> gaps = pd.DataFrame({"year": [2024, 2024], "account_code": ["606", "742"]})
    >>> expl = pd.DataFrame({"year": [2024], "account_code": ["606"], "explanation": ["Achat imprévu"]})
    >>> attach_explanations(gaps, expl)["is_explanation_missing"].tolist()
    [False, True]
    """
    keys = ["year", "account_code"] if "year" in gaps and "year" in explanations else ["account_code"]
    notes = explanations[keys + ["explanation"]].copy()
    notes["account_code"] = notes["account_code"].astype("str").str.strip()
    if "year" in keys:
        notes["year"] = notes["year"].astype("Int64")
    notes["explanation"] = notes["explanation"].astype("str").str.strip()
    notes = notes[notes["explanation"].notna() & (notes["explanation"] != "")]
    notes = _shared_volunteer_explanation(notes.drop_duplicates(keys, keep="last"), keys)
    left = gaps.drop(columns=["explanation", "is_explanation_missing"], errors="ignore").copy()
    left["account_code"] = left["account_code"].astype("str")
    if "year" in keys:
        left["year"] = left["year"].astype("Int64")
    out = left.merge(notes, on=keys, how="left", validate="many_to_one")
    out["explanation"] = out["explanation"].astype("str")
    out["is_explanation_missing"] = out["explanation"].isna().astype("boolean")
    return out


def _shared_volunteer_explanation(notes: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """An explanation of 864 also explains 870 and the other way round (equal by definition)."""
    pair = {VOLUNTEER_EMPLOI_CODE: VOLUNTEER_CONTRIBUTION_CODE,
            VOLUNTEER_CONTRIBUTION_CODE: VOLUNTEER_EMPLOI_CODE}
    mirrored = notes[notes["account_code"].isin(list(pair))].copy()
    mirrored["account_code"] = mirrored["account_code"].map(pair)
    return pd.concat([notes, mirrored], ignore_index=True).drop_duplicates(keys, keep="first")


@dataclass(frozen=True)
class CerfaChain:
    """The compte rendu financier of a year: its figures table and its significant gaps."""

    table: pd.DataFrame
    gaps: pd.DataFrame


def cerfa_chain(
    budget: pd.DataFrame,
    explanations: pd.DataFrame,
    *,
    year: int,
    volunteer_hours: float,
    hourly_rate: float,
    pct_threshold: float | None,
    eur_threshold: float | None,
) -> CerfaChain:
    """The one computation of the CERFA chain: hours × rate → 864/870, table, significant gaps.

    Grain: ``table`` as :func:`cerfa_table`; ``gaps`` one row per significant line of the
    year, with the users' explanation (:func:`significant_gaps`, :func:`attach_explanations`).

    Raises
    ------
    DataError
        A threshold of ``[subvention]`` is missing (French message naming it), or the
        budget is unusable (see :func:`cerfa_table`).
    """
    for key, value in (("seuil_ecart_pct", pct_threshold), ("seuil_ecart_eur", eur_threshold)):
        if value is None:
            raise DataError(
                f"Seuil d'écart significatif manquant : renseignez « {key} » (un nombre) dans "
                "la section [subvention] du fichier config.toml."
            )
    table = cerfa_table(budget, year=year, volunteer_hours=volunteer_hours, hourly_rate=hourly_rate)
    gaps = significant_gaps(table, pct_threshold=pct_threshold, eur_threshold=eur_threshold)
    return CerfaChain(table=table, gaps=attach_explanations(gaps, explanations))


def subsidies_by_funder(budget: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Subsidies (account 74…) of ``year`` per funder: prévu, réalisé, gap and share.

    Grain: one row per funder (``Financeur non précisé`` when the line has none), by
    decreasing realised amount. ``realised_share`` is the funder's share of the realised 74
    total (ratio).

    Examples
    --------
    >>> budget = pd.DataFrame({"year": [2024, 2024], "account_code": ["742", "744"],
    ...     "planned_eur": [800.0, 200.0], "realised_eur": [750.0, 250.0],
    ...     "funder": ["Région", "Commune"]})
    >>> subsidies_by_funder(budget, year=2024)["realised_share"].tolist()
    [0.75, 0.25]
    """
    lines = budget[(budget["year"] == year)
                   & budget["account_code"].astype("str").str.startswith("74")].copy()
    lines["funder"] = lines["funder"].fillna(UNKNOWN_FUNDER).astype("str")
    grouped = lines.groupby("funder")
    table = pd.DataFrame({
        "planned_eur": grouped["planned_eur"].sum(min_count=1),
        "realised_eur": grouped["realised_eur"].sum(min_count=1),
    }).rename_axis("funder").reset_index()
    table = _add_gaps(table)
    total = table["realised_eur"].sum()
    table["realised_share"] = table["realised_eur"] / total if total else np.nan
    table = table.sort_values(["realised_eur", "funder"], ascending=[False, True], kind="stable")
    return finalise(table)



def next_year_budget(budget: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """The budget prévisionnel of ``year + 1`` (voted at the AG of ``year``): planned totals.

    Grain: one row per section — « Charges », « Produits », « Résultat » (produits − charges) —
    of the planned lines of ``year + 1``; empty when the budget file has no line for that year.
    The contributions volontaires (86/87) are left out: they balance by definition.

    Examples
    --------
    >>> budget = pd.DataFrame({"year": [2026, 2026, 2025], "account_code": ["606", "742", "606"],
    ...     "planned_eur": [900.0, 1000.0, 5.0], "realised_eur": [np.nan, np.nan, 5.0]})
    >>> next_year_budget(budget, year=2025)[["section", "planned_eur"]].values.tolist()
    [['Charges', 900.0], ['Produits', 1000.0], ['Résultat', 100.0]]
    """
    columns = ["year", "section", "planned_eur"]
    lines = budget[budget["year"] == int(year) + 1]
    codes = lines["account_code"].astype("str").str.strip()
    if lines.empty:
        return finalise(pd.DataFrame(columns=columns))
    planned = lines["planned_eur"].astype("float64")
    charges = round(float(planned[codes.str.startswith("6")].sum()), 2)
    produits = round(float(planned[codes.str.startswith("7")].sum()), 2)
    table = pd.DataFrame(
        [(int(year) + 1, CHARGES, charges), (int(year) + 1, PRODUITS, produits),
         (int(year) + 1, RESULT, round(produits - charges, 2))], columns=columns)
    return finalise(table)
