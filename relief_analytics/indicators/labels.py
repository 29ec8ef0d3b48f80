"""French headers of every indicator column: the one place they are written.

Indicator functions return English column names (``members_count``, ``gap_eur``…); reports show
French headers. Units are in the header: ``(€)``, ``(h)``, ``(%)``. Ratio columns
(``*_ratio``, ``*_share``, ``*_rate``) hold ratios (0.15); their header says ``(%)`` because a
report shows them as percentages (``format_percent`` in HTML, ×100 in the XLSX export).

Examples
--------
>>> to_french(pd.DataFrame({"year": [2024], "members_count": [12]})).columns.tolist()
['Année', 'Membres']
"""

from __future__ import annotations

import pandas as pd

COLUMN_LABELS_FR: dict[str, str] = {
    # shared
    "year": "Année",
    "departement_code": "Département",
    "commission": "Commission",
    # adhésions
    "members_count": "Membres",
    "physique_members_count": "Membres personnes physiques",
    "morale_members_count": "Membres personnes morales",
    "payments_count": "Paiements d'adhésion",
    "new_members_count": "Nouveaux membres",
    "returning_members_count": "Membres de retour",
    "renewed_members_count": "Membres renouvelés",
    "lapsed_members_count": "Membres non renouvelés",
    "retention_rate": "Taux de renouvellement (%)",
    "amount_total_eur": "Total des adhésions (€)",
    "amount_median_eur": "Adhésion médiane par membre (€)",
    "amount_mean_eur": "Adhésion moyenne par membre (€)",
    "amount_bin": "Montant annuel de l'adhésion",
    "members_share": "Part des membres (%)",
    # événements
    "events_count": "Événements",
    "participants_count": "Participants",
    "events_missing_participants_count": "Événements sans nombre de participants",
    "sessions_count": "Séances",
    "long_running_events_count": "Expositions et activités permanentes",
    "formation_events_count": "Formations",
    "formation_duration_hours": "Heures de formation programmées (h)",
    "formation_participant_hours": "Heures de formation délivrées (h × participants)",
    "copil_meetings_count": "Réunions du copil",
    "event_kind": "Type d'événement",
    "attendance_mode": "Mode de participation",
    "duration_hours": "Durée totale (h)",
    "month": "Numéro du mois",
    "month_name": "Mois",
    # lieux
    "state": "État",
    "lieux_count": "Lieux",
    "lieux_share": "Part des lieux (%)",
    "membership": "Adhésion au réseau",
    "typology": "Typologie",
    "legal_status": "Statut juridique",
    "opened_lieux_count": "Lieux ouverts dans l'année",
    "open_lieux_count": "Lieux ouverts",
    "member_lieux_count": "Lieux adhérents",
    # géographie (relief_analytics.indicators.distribution)
    "departement_name": "Nom du département",
    "population": "Population",
    "lieux_per_100k": "Lieux pour 100 000 hab.",
    "epci_code": "Code EPCI",
    "epci_name": "Intercommunalité",
    "epci_kind": "Nature de l'EPCI",
    "size_class": "Taille de la commune",
    "communes_count": "Communes",
    "population_share": "Part de la population régionale (%)",
    "median_distance_km": "Distance médiane (km)",
    "max_distance_km": "Distance maximale (km)",
    "threshold_km": "Seuil (km)",
    "population_beyond_threshold": "Population au-delà du seuil",
    "population_beyond_threshold_share": "Part de la population au-delà du seuil (%)",
    # bénévolat
    "contributions_count": "Déclarations de temps",
    "contributors_count": "Contributeurs",
    "hours": "Heures déclarées (h)",
    "paid_hours": "Heures rétribuées (h)",
    "volunteer_hours": "Heures bénévoles (h)",
    "retribution_eur": "Rétributions versées (€)",
    "hourly_rate_eur": "Taux horaire (€/h)",
    "valuation_eur": "Valorisation du bénévolat (€)",
    # gouvernance
    "ca_members_count": "Membres du CA",
    "copilotes_count": "Copilotes",
    "copiloted_commissions_count": "Commissions copilotées",
    # budget (compte rendu financier)
    "section": "Section",
    "class_code": "Code de la classe",
    "class_label": "Classe de comptes",
    "account_code": "Compte",
    "account_label": "Intitulé",
    "funder": "Financeur",
    "row_kind": "Type de ligne",
    "planned_eur": "Prévision (€)",
    "realised_eur": "Réalisation (€)",
    "gap_eur": "Écart (€)",
    "gap_ratio": "Écart (%)",
    "realised_share": "Part du réalisé (%)",
    "explanation": "Explication de l'écart",
    "is_explanation_missing": "Explication manquante",
    # comparaison N / N-1
    "indicator": "Indicateur",
    "source": "Source",
    "missing_share": "Part manquante (%)",
    "identifier": "Identifiant",
    "label": "Nom",
    "status": "Statut",
    "problem": "Problème",
    "membership_id": "Référence de la commande",
    "order_date": "Date de la commande",
    "order_status": "Statut de la commande",
    "amount_eur": "Montant (€)",
    "unit": "Unité",
    "indicator_label": "Indicateur",
    "previous_value": "Année N-1",
    "value": "Année N",
    "change": "Variation",
    "change_ratio": "Variation (%)",
}

_RATIO_SUFFIXES = ("_ratio", "_share", "_rate")


def is_ratio_column(column: str) -> bool:
    """True for columns holding a ratio (0.15 for 15 %): ``*_ratio``, ``*_share``, ``*_rate``."""
    return column.endswith(_RATIO_SUFFIXES)


def french_label(column: str) -> str:
    """Return the French header of ``column``.

    Raises
    ------
    KeyError
        When the column has no French header yet (add it to ``COLUMN_LABELS_FR``).
    """
    try:
        return COLUMN_LABELS_FR[column]
    except KeyError:
        raise KeyError(
            f"column {column!r} has no French header: add it to COLUMN_LABELS_FR "
            f"in relief_analytics/indicators/labels.py"
        ) from None


def to_french(frame: pd.DataFrame, *, strict: bool = True) -> pd.DataFrame:
    """Return a copy of ``frame`` with French column headers.

    With ``strict=True`` (default) a column without a French header raises ``KeyError``, so a
    report never shows an English header; with ``strict=False`` it is kept as is.
    """
    missing = [c for c in frame.columns if c not in COLUMN_LABELS_FR]
    if missing and strict:
        raise KeyError(
            f"columns without a French header: {missing}; add them to COLUMN_LABELS_FR "
            f"in relief_analytics/indicators/labels.py"
        )
    return frame.rename(columns=COLUMN_LABELS_FR)
