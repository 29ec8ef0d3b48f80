"""« Ce qui a changé »: the comparison of year N with N-1 and with the last AG, for the reader.

Reads the tables of :mod:`relief_analytics.indicators.changes` (``change_baselines``,
``lieux_changes``, ``lieux_changes_summary``, ``activity_changes``) and says in French what each
comparison is made with (« comparé à l'instantané du 14 juin 2025 »), or that there is no snapshot
— never inventing the changes only a snapshot shows. Lieux are named (they are public); members
are only counted.
"""

from __future__ import annotations

import html

import pandas as pd

from relief_analytics import formatting
from relief_analytics.display.blocks import Html
from relief_analytics.indicators.changes import CHANGE_KINDS, LAST_AG, PREVIOUS_YEAR

#: Heading of each baseline.
_HEADINGS = {PREVIOUS_YEAR: "Depuis l'année précédente", LAST_AG: "Depuis la dernière AG"}
#: What « none » reads for each kind (feminine plural nouns, masculine plural adjectives).
_NONE = {"Ouvertures": "aucune", "Fermetures": "aucune"}
#: How the talking points count each kind: (one, several).
_NOUNS = {
    "Ouvertures": ("ouverture", "ouvertures"),
    "Fermetures": ("fermeture", "fermetures"),
    "Nouvellement recensés": ("lieu nouvellement recensé", "lieux nouvellement recensés"),
    "Plus recensés": ("lieu plus recensé", "lieux plus recensés"),
    "Typologie modifiée": ("typologie modifiée", "typologies modifiées"),
    "État modifié": ("changement d’état", "changements d’état"),
}


def _baseline_row(baselines: pd.DataFrame, baseline: str):
    rows = baselines[baselines["baseline"] == baseline]
    return None if rows.empty else rows.iloc[0]


def baseline_sentence(baselines: pd.DataFrame, baseline: str, *, year: int,
                      short: bool = False) -> str:
    """What the comparison ``baseline`` is made with, in one French sentence.

    >>> frame = pd.DataFrame({"baseline": ["année précédente"], "has_snapshot": [True],
    ...     "snapshot_date": [pd.Timestamp("2025-06-14")], "snapshot_year": [2024],
    ...     "since_date": [pd.Timestamp("2025-01-01")]})
    >>> baseline_sentence(frame, "année précédente", year=2025)
    'Comparé à l’instantané du 14 juin 2025 de la liste des lieux (rapports 2024).'
    """
    row = _baseline_row(baselines, baseline)
    if row is None:
        return ("Date de la dernière AG non renseignée ([reseau] date_derniere_ag dans config.toml) : "
                "pas de comparaison avec la dernière AG.")
    if bool(row["has_snapshot"]):
        return (f"Comparé à l’instantané du {formatting.format_date(row['snapshot_date'])} de la "
                f"liste des lieux (rapports {int(row['snapshot_year'])}).")
    if short:
        when = (f"pour les rapports {year - 1}" if baseline == PREVIOUS_YEAR else
                f"le {formatting.format_date(row['since_date'])} ou avant")
        return (f"Aucun instantané de la liste des lieux gardé {when} : ouvertures et fermetures "
                "d’après les dates de la table des lieux, le reste demande un instantané.")
    if baseline == PREVIOUS_YEAR:
        what = f"pour les rapports {year - 1}"
        dates = f"année d’ouverture {year}"
    else:
        what = f"le {formatting.format_date(row['since_date'])} ou avant"
        dates = f"année d’ouverture postérieure à {pd.Timestamp(row['since_date']).year}"
    return (f"Aucun instantané de la liste des lieux n’a été gardé {what} : c’est la première "
            f"comparaison que l’outil peut faire. Ouvertures et fermetures viennent des dates de la "
            f"table des lieux ({dates} ; fiche « fermé » mise à jour depuis) ; les lieux nouvellement "
            f"recensés ou plus recensés et les changements de typologie ou d’état ne peuvent pas "
            f"être établis sans instantané.")


def _lieu_text(row, *, details: bool = True) -> str:
    commune = f" ({row['commune_name']})" if isinstance(row["commune_name"], str) and row["commune_name"] else ""
    detail = f" : {row['detail']}" if details and row["change_kind"] in (
        "Typologie modifiée", "État modifié") and row["detail"] else ""
    return html.escape(f"{row['lieu_name']}{commune}{detail}")


def lieux_changes_block(changes: pd.DataFrame, summary: pd.DataFrame, baselines: pd.DataFrame, *,
                        year: int, baseline: str = PREVIOUS_YEAR, heading: bool = True,
                        max_names: int | None = None, short: bool = False,
                        counts_only: bool = False, details: bool = True) -> Html:
    """The lieux that changed since ``baseline``: the sentence saying what the comparison is
    made with, then one line per change kind with its count and the lieux named. The kinds
    that only a snapshot establishes share one line when there is none.

    ``max_names`` cuts a long list (« … et 12 autres »), ``short`` shortens the sentence,
    ``counts_only`` gives the counts in one line and ``details=False`` leaves out the old and new
    typology or state (a one-page digest, a slide).
    """
    parts = [f"<h3>{html.escape(_HEADINGS.get(baseline, baseline))}</h3>"] if heading else []
    sentence = baseline_sentence(baselines, baseline, year=year, short=short)
    parts.append(f"<p class='note'>{html.escape(sentence)}</p>")
    if _baseline_row(baselines, baseline) is None:
        return Html(f"<div class='changements'>{''.join(parts)}</div>")
    counts = summary[summary["baseline"] == baseline].set_index("change_kind")["lieux_count"]
    mine = changes[changes["baseline"] == baseline]
    unknown = [kind for kind in CHANGE_KINDS if pd.isna(counts.get(kind, pd.NA))]
    known = [kind for kind in CHANGE_KINDS if kind not in unknown]
    if counts_only:
        said = ", ".join(f"{html.escape(kind.lower())} : {formatting.format_value(int(counts[kind]), 'count')}"
                         for kind in known)
        said = said[:1].upper() + said[1:]
        parts.append(f"<p class='changements-comptes'>{said}.</p>")
        return Html(f"<div class='changements'>{''.join(parts)}</div>")
    items = []
    for kind in known:
        count = counts[kind]
        if count == 0:
            items.append(f"<li><strong>{html.escape(kind)}</strong> : {_NONE.get(kind, 'aucun')}</li>")
            continue
        rows = mine[mine["change_kind"] == kind]
        names = [_lieu_text(r, details=details) for _, r in rows.iterrows()]
        if max_names is not None and len(names) > max_names:
            rest = len(names) - max_names
            names = [*names[:max_names], f"et {formatting.format_value(rest, 'count')} "
                     f"autre{'s' if rest > 1 else ''}"]
        items.append(f"<li><strong>{html.escape(kind)} ({formatting.format_value(int(count), 'count')})"
                     f"</strong> : {', '.join(names)}</li>")
    if unknown:
        names = ", ".join(kind.lower() for kind in unknown)
        items.append(f"<li>{html.escape(names[0].upper() + names[1:])} : non établis sans "
                     "instantané</li>")
    parts.append(f"<ul class='changements-lieux'>{''.join(items)}</ul>")
    return Html(f"<div class='changements'>{''.join(parts)}</div>")


def _change_phrase(row) -> str:
    label = row["indicator_label"]
    for suffix in (" (€)", " (%)", " (h)"):
        label = label.replace(suffix, "")
    return (f"{label.lower()} : {formatting.format_change(row['change'], row['unit'])} "
            f"({formatting.format_value(row['previous_value'], row['unit'])} → "
            f"{formatting.format_value(row['value'], row['unit'])})")


def talking_points(activity: pd.DataFrame, summary: pd.DataFrame, baselines: pd.DataFrame, *,
                   year: int) -> Html:
    """Speaker notes of the AG slide: what rose, what fell, and why, from the changes.

    >>> activity = pd.DataFrame({"indicator": ["members_count", "new_members_count", "lapsed_members_count"],
    ...     "indicator_label": ["Membres", "Nouveaux membres", "Membres non renouvelés"],
    ...     "unit": ["count"] * 3, "previous_value": [10.0, 2.0, 1.0], "value": [12.0, 5.0, 3.0],
    ...     "change": [2.0, 3.0, 2.0], "change_ratio": [0.2, 1.5, 2.0]})
    >>> summary = pd.DataFrame({"baseline": ["année précédente"] * 2,
    ...     "change_kind": ["Ouvertures", "Fermetures"], "lieux_count": [2, 1]})
    >>> import re
    >>> print(re.sub("<[^>]+>", "|", talking_points(activity, summary, summary.iloc[:0], year=2025).body))
    |||En hausse| : membres : +2 (10 → 12) ; nouveaux membres : +3 (2 → 5) ; membres non renouvelés : +2 (1 → 3).|||En baisse| : rien.|||Pourquoi| : membres +2 : 5 nouveaux, 3 non renouvelés ; lieux : 2 ouvertures, 1 fermeture.||
    """
    shown = activity[activity["change"].notna()]
    rose = [_change_phrase(r) for _, r in shown[shown["change"] > 0].iterrows()]
    fell = [_change_phrase(r) for _, r in shown[shown["change"] < 0].iterrows()]
    indexed = activity.set_index("indicator")

    def count(name: str, one: str, several: str) -> str:
        value = indexed["value"].get(name, pd.NA)
        noun = several if not pd.isna(value) and value > 1 else one
        return f"{formatting.format_value(value, 'count')} {noun}"

    lieux = summary[summary["baseline"] == PREVIOUS_YEAR].set_index("change_kind")["lieux_count"]
    members = ", ".join(count(name, one, several) for name, one, several in (
        ("new_members_count", "nouveau", "nouveaux"),
        ("returning_members_count", "de retour", "de retour"),
        ("renewed_members_count", "renouvelé", "renouvelés"),
        ("lapsed_members_count", "non renouvelé", "non renouvelés"))
        if name in indexed.index)
    change = indexed["change"].get("members_count", pd.NA)
    why = [f"membres {formatting.format_change(change, 'count')} : {members}"
           if not pd.isna(change) else f"membres : {members}"]
    lieux_parts = [f"{formatting.format_value(int(lieux[k]), 'count')} {_NOUNS[k][int(lieux[k]) > 1]}"
                   for k in CHANGE_KINDS if k in lieux.index and not pd.isna(lieux[k]) and lieux[k]]
    if lieux_parts:
        why.append("lieux : " + ", ".join(lieux_parts))
    lines = [f"<li><strong>En hausse</strong> : {html.escape(' ; '.join(rose) or 'rien')}.</li>",
             f"<li><strong>En baisse</strong> : {html.escape(' ; '.join(fell) or 'rien')}.</li>",
             f"<li><strong>Pourquoi</strong> : {html.escape(' ; '.join(why))}.</li>"]
    if not baselines.empty:
        lines.append(f"<li>{html.escape(baseline_sentence(baselines, PREVIOUS_YEAR, year=year))}</li>")
    return Html(f"<ul class='notes-changements'>{''.join(lines)}</ul>")
