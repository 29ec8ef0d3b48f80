"""Display of the compte rendu financier (CERFA n° 15059): identification, figures table, gaps,
volunteer time, attestation, and the draft / final modes.

Pure functions: indicator frames from :mod:`relief_analytics.indicators.budget` and the
``[subvention]`` section of ``config.toml`` (a typed
:class:`~relief_analytics.load.config_model.SubsidySettings`, where its keys and rules are
declared) in, HTML out.

Two modes. The **final** document (sent to the funder) has no internal to-do and no configuration
name: the build refuses to produce it while
:func:`~relief_analytics.indicators.readiness.missing_items` lists anything. The **draft**
(``relief rapports --brouillon``) carries a « BROUILLON » watermark on every page and lists what
is missing, pointing to the configuration.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from relief_analytics import formatting
from relief_analytics.display.blocks import Html, french_table, warning
from relief_analytics.display.tiles import KeyFigure, KeyFigures, key_figures
from relief_analytics.indicators.readiness import deadline_warning
from relief_analytics.load.config_model import IdentitySettings, SubsidySettings

_ROW_CLASSES = {"line": "", "class_total": "sous-total", "section_total": "total", "result": "resultat"}


def _eur(value: float) -> str:
    return formatting.format_eur(value) if pd.notna(value) else "—"


def _pct(value: float) -> str:
    return formatting.format_delta(value, unit="percent", decimals=1) if pd.notna(value) else "—"


#: The gap rule, as the note above the table states it (:func:`~relief_analytics.indicators.budget.gap_of`).
GAP_RULE_FR = (
    "L'écart est la réalisation moins la prévision, sur chaque ligne comme sur chaque total : "
    "l'écart d'un total est la somme des écarts de ses lignes. Une ligne sans prévision (« — ») "
    "compte pour 0 € de prévision : son écart est toute sa réalisation, sans pourcentage. "
    "L'écart en % est rapporté à la prévision."
)


def cerfa_figures_table(table: pd.DataFrame, *, sections: tuple[str, ...] | None = None) -> Html:
    """The CERFA tableau de synthèse: every class of the grid, subtotals, totals, result, and the
    contributions volontaires en nature (86/87) at the foot of the same table.

    Columns shown: compte, intitulé (with the funder for subsidies), prévision, réalisation,
    écart en € and en %. A class with no line reads as one row at 0 € with its code; a note above
    the table states the gap rule (:data:`GAP_RULE_FR`).
    """
    shown = table if sections is None else table[table["section"].isin(sections)]
    head = ("<tr><th>Compte</th><th>Intitulé</th><th>Prévision</th><th>Réalisation</th>"
            "<th>Écart (€)</th><th>Écart (%)</th></tr>")
    rows, current = [], None
    for rec in shown.itertuples(index=False):
        if rec.section != current:
            current = rec.section
            title = _SECTION_TITLES.get(str(rec.section), str(rec.section))
            rows.append(f"<tr class='section'><th colspan='6'>{html.escape(title)}</th></tr>")
        label = rec.account_label if pd.notna(rec.account_label) else ""
        if pd.notna(rec.funder) and rec.row_kind == "line":
            label = f"{label} — {rec.funder}"
        empty_class = rec.row_kind == "class_total" and label == rec.class_label
        code = ""
        if pd.notna(rec.account_code) and rec.row_kind == "line":
            code = rec.account_code
        elif empty_class:  # a class of the grid without any line: « 63 | Impôts et taxes | 0 »
            code, label = rec.class_code, str(label).removeprefix(f"{rec.class_code} ")
        klass = "classe-vide" if empty_class else _ROW_CLASSES.get(rec.row_kind, "")
        rows.append(
            f"<tr class='{klass}'><td class='texte'>{html.escape(str(code))}</td>"
            f"<td class='texte'>{html.escape(str(label))}</td>"
            f"<td class='nombre'>{_eur(rec.planned_eur)}</td><td class='nombre'>{_eur(rec.realised_eur)}</td>"
            f"<td class='nombre'>{_gap(rec.gap_eur)}</td><td class='nombre'>{_pct(rec.gap_ratio)}</td></tr>"
        )
    return Html(f"<p class='note regle-ecart'>{html.escape(GAP_RULE_FR)}</p>"
                "<table class='tableau-fr cerfa'><caption>Tableau de synthèse : prévision, "
                f"réalisation et écarts</caption><thead>{head}</thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")


_SECTION_TITLES = {"Contributions volontaires": "Contributions volontaires en nature "
                                                "(sous le résultat, emplois 86 = contributions 87)"}


def _gap(value: float) -> str:
    if pd.isna(value):
        return "—"
    return formatting.format_delta(value, unit="eur") if value else formatting.format_eur(0.0)


def gaps_with_explanations(
    gaps: pd.DataFrame, *, pct_threshold: float, eur_threshold: float, draft: bool = False
) -> Html:
    """Significant gaps, each with the users' explanation, and a visible warning for each missing one.

    The thresholds' origin (« voir la configuration ») is named in the draft only.
    """
    where = " (seuils fixés dans la configuration)" if draft else ""
    intro = (
        f"<p>Un écart est jugé significatif lorsqu'il dépasse à la fois "
        f"{formatting.format_number(pct_threshold)}\u00a0% de la prévision et "
        f"{formatting.format_eur(eur_threshold, decimals=0)}{where}. Une ligne sans prévision "
        f"(« — » ou 0 €) l'est dès que son écart dépasse "
        f"{formatting.format_eur(eur_threshold, decimals=0)}, contributions volontaires "
        f"comprises.</p>"
    )
    if gaps.empty:
        return Html(intro + "<p>Aucun écart significatif cette année.</p>")
    parts = [intro]
    for rec in gaps.itertuples(index=False):
        label = f"{rec.account_code} {rec.account_label}"
        planned = "non prévu" if pd.isna(rec.planned_eur) else f"prévu {_eur(rec.planned_eur)}"
        ratio = "" if pd.isna(rec.gap_ratio) else f" ({_pct(rec.gap_ratio)})"
        figures = (f"{planned}, réalisé {_eur(rec.realised_eur)}, "
                   f"écart {formatting.format_delta(rec.gap_eur, unit='eur')}{ratio}")
        parts.append(f"<h4>{html.escape(label)}</h4><p class='chiffres-ecart'>{figures}</p>")
        if rec.is_explanation_missing:
            parts.append(warning(
                f"aucune explication pour l'écart du compte {rec.account_code} ({rec.account_label}). "
                f"Ajoutez une ligne « {int(rec.year)};{rec.account_code};… » au fichier des explications des écarts."
            ).body)
        else:
            parts.append(f"<blockquote>{html.escape(str(rec.explanation))}</blockquote>")
    return Html("".join(parts))


def volunteer_valuation_text(
    *, hours: float, hourly_rate: float, year: int, draft: bool = False
) -> Html:
    """One sentence stating how 864/870 were computed: hours × rate = amount.

    The draft adds where the rate is set (« voir la configuration »); the final text does not.
    """
    where = " (voir la configuration, taux horaire du bénévolat)" if draft else ""
    amount = round(hours * hourly_rate, 2)
    return Html(
        f"<p class='valorisation'>Le bénévolat de {year} est valorisé à <strong>{formatting.format_hours(hours, decimals=1)}</strong> "
        f"× <strong>{formatting.format_eur(hourly_rate)}</strong> de l'heure = "
        f"<strong>{formatting.format_eur(amount)}</strong>, inscrits en emploi au compte 864 « Personnel bénévole » "
        f"et en ressource au compte 870 « Bénévolat ». Le taux horaire est celui approuvé pour l'année "
        f"par le conseil d'administration{where} ; les heures rétribuées, déjà "
        f"comptées en charges, ne sont pas valorisées.</p>"
    )


def subsidies_table(subsidies: pd.DataFrame) -> Html:
    """Subsidy lines (74) by funder."""
    return french_table(subsidies, caption="Subventions d'exploitation (comptes 74) par financeur")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _display(value) -> str:
    if isinstance(value, dt.date):
        return formatting.format_date(value)
    return str(value)


def _definition_rows(pairs) -> str:
    return "".join(
        f"<tr><th scope='row'>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in pairs
    )


def identification_block(subsidy: SubsidySettings, *, year: int) -> Html:
    """The association's identification and the subsidy's references, as two short tables.

    A missing field is shown as « — » (the draft lists it; the final build refuses).
    """
    association = subsidy.association
    identity = [(field.title, "—" if _is_blank(getattr(association, key))
                 else _display(getattr(association, key)))
                for key, field in IdentitySettings.model_fields.items()]
    start, end = subsidy.period_start, subsidy.period_end
    period = (f"du {_display(start)} au {_display(end)}" if not (_is_blank(start) or _is_blank(end))
              else "—")
    amount = subsidy.granted_eur
    references = [
        ("Financeur", _display(subsidy.funder or "—")),
        ("Action subventionnée", _display(subsidy.action_title or "—")),
        ("Convention", "—" if _is_blank(subsidy.agreement_number) else (
            f"n° {subsidy.agreement_number}"
            + ("" if _is_blank(subsidy.agreement_date)
               else f" du {_display(subsidy.agreement_date)}"))),
        ("Montant accordé", "—" if _is_blank(amount) else formatting.format_eur(float(amount))),
        ("Période couverte", period),
        ("Exercice", str(year)),
    ]
    return Html(
        "<section class='identification'>"
        "<div class='bloc-identite'><h3>L'association</h3>"
        f"<table class='fiche'>{_definition_rows(identity)}</table></div>"
        "<div class='bloc-identite'><h3>La subvention</h3>"
        f"<table class='fiche'>{_definition_rows(references)}</table></div>"
        "</section>"
    )


#: What the attestation prints for a place or a date left blank, to be written by hand.
HANDWRITTEN_BLANK = "……………………"


def attestation_block(subsidy: SubsidySettings) -> Html:
    """The closing attestation of CERFA n° 15059, then « Fait à …, le … » and a signature space.

    The representative is named by their role; their name is written by hand at signature,
    so that no person's name is stored in the data or printed by the tool. The place and the
    date come from ``[subvention] lieu_signature`` and ``date_signature``; either one left out
    is printed as a blank to fill in by hand. The date is never the day of the build.
    """
    name = html.escape(str(subsidy.association.name or "—"))
    role = html.escape(str(subsidy.association.representative_role or "—"))
    place = (HANDWRITTEN_BLANK if _is_blank(subsidy.signature_place)
             else html.escape(str(subsidy.signature_place)))
    day = (HANDWRITTEN_BLANK if subsidy.signature_date is None
           else formatting.format_date(subsidy.signature_date))
    return Html(
        "<section class='attestation'><h2>Attestation</h2>"
        "<p>Je soussigné(e), <span class='a-remplir'>(nom et prénom)</span>, "
        f"{role}, représentant(e) légal(e) de l'association {name}, certifie exactes les "
        "informations du présent compte rendu.</p>"
        f"<p class='fait-a'>Fait à {place}, le {day}</p>"
        "<div class='signature'><p>Signature</p></div></section>"
    )


def deadline_notice(subsidy: SubsidySettings, *, year: int, today: dt.date | str | None) -> Html | None:
    """The draft's warning when the dossier is past six months after the financial year.

    ``today`` is the build date (the notebook's ``date_construction`` parameter, ISO text); an
    empty value (a notebook opened alone in JupyterLab) falls back to the kernel's day.
    Returns ``None`` when the deadline is not passed.
    """
    if isinstance(today, str):
        today = dt.date.fromisoformat(today) if today.strip() else None
    text = deadline_warning(subsidy, year=year, today=today or dt.date.today())
    if text is None:
        return None
    body = html.escape(text.removeprefix("Délai dépassé : "))
    return Html(f"<div class='avertissement delai' role='alert'><strong>⚠ Délai dépassé :</strong> "
                f"{body}</div>")


def draft_notice(missing: list[str]) -> Html:
    """The draft's watermark (« BROUILLON » on every page) and the list of what is missing."""
    if missing:
        listed = "".join(f"<li>{html.escape(item)}</li>" for item in missing)
        body = (f"<p><strong>Brouillon : ce document ne peut pas être envoyé.</strong> "
                f"Il manque {len(missing)} élément(s), à compléter dans les fichiers de données "
                f"(voir la configuration, config.toml) :</p><ul>{listed}</ul>")
    else:
        body = ("<p><strong>Brouillon.</strong> Rien ne manque : relancez « relief rapports » "
                "sans --brouillon pour produire la version à envoyer.</p>")
    return Html(f"<div class='filigrane-brouillon' aria-hidden='true'>BROUILLON</div>"
                f"<div class='brouillon-manques' role='note'>{body}</div>")


def budget_notes(table: pd.DataFrame) -> Html:
    """Speaker notes of the budget: section totals and result, prévision and réalisation, to the cent."""
    rows = table[table["row_kind"].isin(["section_total", "result"])]
    items = "".join(
        f"<li>{html.escape(str(rec.account_label))} : réalisé {_eur(rec.realised_eur)} "
        f"(prévu {_eur(rec.planned_eur)})</li>"
        for rec in rows.itertuples(index=False)
    )
    return Html(f"<ul class='notes-chiffres'>{items}</ul>")


def _section_row(table: pd.DataFrame, kind: str, section: str | None = None):
    rows = table[table["row_kind"] == kind]
    if section is not None:
        rows = rows[rows["section"] == section]
    return rows.iloc[0] if len(rows) else None


def _result_word(value: float) -> str:
    if pd.isna(value) or value == 0:
        return "à l'équilibre"
    return "excédent" if value > 0 else "déficit"


def budget_totals_tiles(table: pd.DataFrame, *, year: int) -> KeyFigures:
    """Three tiles for the AG's budget slide: total charges, total produits and the result.

    Réalisé in whole euros (the speaker notes give the cents), the prévision under each.
    ``table`` is the ``cerfa`` table of ``year``.
    """
    tiles = []
    for kind, section, label in (("section_total", "Charges", f"de charges en {year}"),
                                 ("section_total", "Produits", f"de produits en {year}"),
                                 ("result", None, "de résultat")):
        row = _section_row(table, kind, section)
        if row is None:
            continue
        realised, planned = row["realised_eur"], row["planned_eur"]
        if kind == "result":
            label = f"de résultat ({_result_word(realised)})"
        note = "" if pd.isna(planned) else f"prévu : {formatting.format_eur(planned, decimals=0)}"
        value = "—" if pd.isna(realised) else formatting.format_eur(realised, decimals=0)
        tiles.append(KeyFigure(value, label, note=note, accent=kind == "result"))
    return key_figures(tiles)


def votes_block(table: pd.DataFrame, next_budget: pd.DataFrame, *, year: int) -> Html:
    """What the AG votes, from the data: the accounts of ``year``, the result, the next budget.

    ``table`` is the ``cerfa`` table of ``year``, ``next_budget`` the ``next_year_budget``
    table (empty when the budget file has no line for ``year + 1``).
    """
    result = _section_row(table, "result")
    items = [f"Approbation des comptes {year}"]
    if result is not None and pd.notna(result["realised_eur"]):
        amount = result["realised_eur"]
        items.append(f"Affectation du résultat {year} : {formatting.format_eur(amount)} "
                     f"({_result_word(amount)})")
    following = int(year) + 1
    if len(next_budget):
        by_section = next_budget.set_index("section")["planned_eur"]
        charges, produits = by_section.get("Charges", 0.0), by_section.get("Produits", 0.0)
        items.append(f"Budget prévisionnel {following} : {formatting.format_eur(charges, decimals=0)} "
                     f"de charges, {formatting.format_eur(produits, decimals=0)} de produits")
    else:
        items.append(f"Budget prévisionnel {following} : à ajouter au fichier budget")
    listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return Html(f"<div class='votes'><h3>Soumis au vote</h3><ol>{listed}</ol></div>")


def in_kind_note(table: pd.DataFrame) -> Html:
    """One sentence under the budget's totals: the contributions volontaires, outside the result.

    ``table`` is the ``cerfa`` table; the 87 total and the 870 line (volunteer time) are quoted.
    """
    total = table[(table["row_kind"] == "class_total") & (table["class_code"] == "87")]
    volunteer = table[(table["row_kind"] == "line") & (table["account_code"] == "870")]
    if total.empty or pd.isna(total["realised_eur"].iloc[0]):
        return Html("")
    amount = formatting.format_eur(total["realised_eur"].iloc[0], decimals=0)
    of_which = ("" if volunteer.empty or pd.isna(volunteer["realised_eur"].iloc[0]) else
                f", dont {formatting.format_eur(volunteer['realised_eur'].iloc[0], decimals=0)} "
                "de bénévolat valorisé")
    return Html(f"<p class='note contributions-nature'>En plus du résultat : {amount} de "
                f"contributions volontaires en nature{of_which} (comptes 86 et 87, emplois = "
                "ressources).</p>")
