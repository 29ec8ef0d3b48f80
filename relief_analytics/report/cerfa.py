"""Display of the compte rendu financier (CERFA n° 15059): figures table, gaps, volunteer time.

Pure functions: indicator frames from :mod:`relief_analytics.indicators.budget` in, HTML out.
"""

from __future__ import annotations

import html

import pandas as pd

from relief_analytics import formatting
from relief_analytics.report.display import Html, french_table, warning

_ROW_CLASSES = {"line": "", "class_total": "sous-total", "section_total": "total", "result": "resultat"}


def _eur(value: float) -> str:
    return formatting.format_eur(value) if pd.notna(value) else "—"


def _pct(value: float) -> str:
    return formatting.format_delta(value, unit="percent", decimals=1) if pd.notna(value) else "—"


def cerfa_figures_table(table: pd.DataFrame, *, sections: tuple[str, ...] | None = None) -> Html:
    """The CERFA figures table: one row per account, subtotals per class, totals, result.

    Columns shown: compte, intitulé (with the funder for subsidies), prévision, réalisation,
    écart en € and en %.
    """
    shown = table if sections is None else table[table["section"].isin(sections)]
    head = ("<tr><th>Compte</th><th>Intitulé</th><th>Prévision</th><th>Réalisation</th>"
            "<th>Écart (€)</th><th>Écart (%)</th></tr>")
    rows, current = [], None
    for rec in shown.itertuples(index=False):
        if rec.section != current:
            current = rec.section
            rows.append(f"<tr class='section'><th colspan='6'>{html.escape(str(rec.section))}</th></tr>")
        label = rec.account_label if pd.notna(rec.account_label) else ""
        if pd.notna(rec.funder) and rec.row_kind == "line":
            label = f"{label} — {rec.funder}"
        code = rec.account_code if pd.notna(rec.account_code) and rec.row_kind == "line" else ""
        klass = _ROW_CLASSES.get(rec.row_kind, "")
        rows.append(
            f"<tr class='{klass}'><td class='texte'>{html.escape(str(code))}</td>"
            f"<td class='texte'>{html.escape(str(label))}</td>"
            f"<td class='nombre'>{_eur(rec.planned_eur)}</td><td class='nombre'>{_eur(rec.realised_eur)}</td>"
            f"<td class='nombre'>{_eur(rec.gap_eur)}</td><td class='nombre'>{_pct(rec.gap_ratio)}</td></tr>"
        )
    return Html(f"<table class='tableau-fr cerfa'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


def gaps_with_explanations(gaps: pd.DataFrame, *, pct_threshold: float, eur_threshold: float) -> Html:
    """Significant gaps, each with the users' explanation, and a visible warning for each missing one."""
    intro = (
        f"<p>Un écart est jugé significatif lorsqu'il dépasse à la fois {formatting.format_number(pct_threshold)} % "
        f"de la prévision et {formatting.format_eur(eur_threshold, decimals=0)} (seuils de la section "
        f"<code>[subvention]</code> de la configuration).</p>"
    )
    if gaps.empty:
        return Html(intro + "<p>Aucun écart significatif cette année.</p>")
    parts = [intro]
    for rec in gaps.itertuples(index=False):
        label = f"{rec.account_code} {rec.account_label}"
        figures = (
            f"prévu {_eur(rec.planned_eur)}, réalisé {_eur(rec.realised_eur)}, "
            f"écart {formatting.format_delta(rec.gap_eur, unit='eur')} ({_pct(rec.gap_ratio)})"
        )
        parts.append(f"<h4>{html.escape(label)}</h4><p class='chiffres-ecart'>{figures}</p>")
        if rec.is_explanation_missing:
            parts.append(warning(
                f"aucune explication pour l'écart du compte {rec.account_code} ({rec.account_label}). "
                f"Ajoutez une ligne « {int(rec.year)};{rec.account_code};… » au fichier des explications des écarts."
            ).body)
        else:
            parts.append(f"<blockquote>{html.escape(str(rec.explanation))}</blockquote>")
    return Html("".join(parts))


def volunteer_valuation_text(*, hours: float, hourly_rate: float, year: int) -> Html:
    """One sentence stating how 864/870 were computed: hours × rate = amount."""
    amount = round(hours * hourly_rate, 2)
    return Html(
        f"<p>Le bénévolat de {year} est valorisé à <strong>{formatting.format_hours(hours, decimals=1)}</strong> "
        f"× <strong>{formatting.format_eur(hourly_rate)}</strong> de l'heure = "
        f"<strong>{formatting.format_eur(amount)}</strong>, inscrits en emploi au compte 864 « Personnel bénévole » "
        f"et en ressource au compte 870 « Bénévolat ». Le taux horaire est celui approuvé pour l'année "
        f"(section <code>[taux_horaire_benevolat]</code> de la configuration) ; les heures rétribuées, déjà "
        f"comptées en charges, ne sont pas valorisées.</p>"
    )


def subsidies_table(subsidies: pd.DataFrame) -> Html:
    """Subsidy lines (74) by funder."""
    return french_table(subsidies, caption="Subventions d'exploitation (comptes 74) par financeur")
