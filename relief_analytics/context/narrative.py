"""The year's figures that the bilan qualitatif may quote, for the narrative check.

:func:`narrative_figures` gathers, from the year's populations and tables, each quantity that
:func:`relief_analytics.indicators.narrative.quoted_figures` recognises, with its French
definition (what was counted); :func:`relief_analytics.indicators.narrative.narrative_mismatches`
compares the bilan with them. Quantities whose source table is absent (a lieux-only folder) are
left out, so they are not checked rather than compared with 0.
"""

from __future__ import annotations

from relief_analytics.indicators.lieux import PLANNED_STATE
from relief_analytics.indicators.narrative import Figure


def _row(table, year: int) -> dict:
    rows = table[table["year"] == year]
    return rows.iloc[0].to_dict() if len(rows) else {}


def narrative_figures(inputs) -> dict[str, Figure]:
    """The figures of ``inputs`` (:class:`~relief_analytics.context.year.YearInputs`) by quantity.

    Grain: one entry per quantity of :data:`~relief_analytics.indicators.narrative.COUNT_NOUNS`,
    :data:`~.AMOUNT_WORDS` and :data:`~.SHARE_WORDS` that the dataset can compute.
    """
    year = inputs.year
    missing = set(inputs.dataset.missing_tables)
    open_lieux, placed = inputs.open_lieux, inputs.placed_only
    planned = int((placed["state"] == PLANNED_STATE).sum())
    members_of_lieux = int(open_lieux["is_member"].astype("boolean").fillna(False).sum())
    figures = {
        "lieux": Figure(len(open_lieux), "count", f"lieux ouverts fin {year} placés dans la région"),
        "open_or_planned_lieux": Figure(len(open_lieux) + planned, "count",
                                        f"lieux ouverts fin {year} ou en projet, placés dans la région"),
        "planned_lieux": Figure(planned, "count", "lieux en projet placés dans la région"),
        "member_lieux": Figure(members_of_lieux, "count",
                               f"lieux ouverts fin {year} dont la structure adhère au réseau"),
        "member_lieux_share": Figure(members_of_lieux / len(open_lieux) if len(open_lieux) else
                                     float("nan"), "ratio",
                                     f"part des lieux ouverts fin {year} adhérents du réseau"),
    }
    territory = inputs.table("panorama_by_territory")
    if len(territory):
        figures["outside_metropoles_share"] = Figure(
            float(territory["lieux_share"].iloc[-1]), "ratio",
            f"part des lieux ouverts fin {year} hors des métropoles")
    legal_forms = inputs.table("panorama_by_legal_form")
    association = legal_forms[legal_forms["legal_form_family"] == "Association"]
    if len(association):
        figures["association_lieux_share"] = Figure(
            float(association["lieux_share"].iloc[0]), "ratio",
            f"part des lieux ouverts fin {year} portés par une association")
    if "adhesions" not in missing:
        members = _row(inputs.table("membership_by_year"), year)
        if members:
            count = members["members_count"]
            figures |= {
                "members": Figure(count, "count", f"membres {year}, adhésion validée dans l'année"),
                "morale_members": Figure(members["morale_members_count"], "count",
                                         f"membres {year} personnes morales"),
                "physique_members": Figure(members["physique_members_count"], "count",
                                           f"membres {year} personnes physiques"),
                "morale_members_share": Figure(
                    members["morale_members_count"] / count if count else float("nan"), "ratio",
                    f"part des membres {year} personnes morales"),
                "retention_rate": Figure(members["retention_rate"], "ratio",
                                         f"taux de renouvellement des membres {year}"),
                "membership_amount": Figure(members["amount_total_eur"], "eur",
                                            f"total des adhésions validées {year}"),
            }
    if "evenements" not in missing:
        events = _row(inputs.table("events_by_year"), year)
        if events:
            figures |= {
                "events": Figure(events["events_count"], "count", f"événements {year} comptés"),
                "participants": Figure(events["participants_count"], "count",
                                       f"participants aux événements {year}"),
                "formation_hours": Figure(events["formation_participant_hours"], "hours",
                                          f"heures de formation délivrées en {year}, durée × "
                                          "participants"),
            }
    if "contributions" not in missing:
        volunteering = _row(inputs.table("volunteering_by_year"), year)
        if volunteering:
            figures |= {
                "volunteer_hours": Figure(volunteering["volunteer_hours"], "hours",
                                          f"heures bénévoles déclarées en {year}"),
                "valuation": Figure(volunteering["valuation_eur"], "eur",
                                    f"valorisation du bénévolat {year}"),
                "retribution": Figure(volunteering["retribution_eur"], "eur",
                                      f"rétributions versées en {year}"),
            }
    granted = inputs.config.subsidy.granted_eur
    if granted is not None:
        figures["granted_subsidy"] = Figure(granted, "eur", "montant accordé de la subvention")
    return figures
