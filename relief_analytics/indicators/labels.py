"""The field list of every indicator column (unit and French header): the one place they are written.

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

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Field:
    """One indicator column: its English name, its unit and its French header.

    ``unit`` is one of :data:`relief_analytics.formatting.Unit` (``text`` for labels and codes):
    the display formats a value from it (:func:`relief_analytics.formatting.format_value`) and
    the XLSX writer picks its number format from it.
    """

    name: str
    unit: str
    label: str


#: Every indicator column, once: the one field list that tables, displays and docs read.
FIELDS: dict[str, Field] = {field.name: field for field in (
    Field('year', 'year', 'Année'),
    Field('departement_code', 'text', 'Département'),
    Field('commission', 'text', 'Commission'),
    Field('members_count', 'count', 'Membres'),
    Field('physique_members_count', 'count', 'Membres personnes physiques'),
    Field('morale_members_count', 'count', 'Membres personnes morales'),
    Field('payments_count', 'count', "Paiements d'adhésion"),
    Field('new_members_count', 'count', 'Nouveaux membres'),
    Field('returning_members_count', 'count', 'Membres de retour'),
    Field('renewed_members_count', 'count', 'Membres renouvelés'),
    Field('lapsed_members_count', 'count', 'Membres non renouvelés'),
    Field('retention_rate', 'ratio', 'Taux de renouvellement (%)'),
    Field('amount_total_eur', 'eur', 'Total des adhésions (€)'),
    Field('amount_median_eur', 'eur', 'Adhésion médiane par membre (€)'),
    Field('amount_mean_eur', 'eur', 'Adhésion moyenne par membre (€)'),
    Field('amount_bin', 'text', "Montant annuel de l'adhésion"),
    Field('members_share', 'ratio', 'Part des membres (%)'),
    Field('events_count', 'count', 'Événements'),
    Field('participants_count', 'count', 'Participants'),
    Field('events_missing_participants_count', 'count', 'Événements sans nombre de participants'),
    Field('sessions_count', 'count', 'Séances'),
    Field('long_running_events_count', 'count', 'Expositions et activités permanentes'),
    Field('formation_events_count', 'count', 'Formations'),
    Field('formation_duration_hours', 'hours', 'Heures de formation programmées (h)'),
    Field('formation_participant_hours', 'hours', 'Heures de formation délivrées (h × participants)'),
    Field('copil_meetings_count', 'count', 'Réunions du copil'),
    Field('event_kind', 'text', "Type d'événement"),
    Field('attendance_mode', 'text', 'Mode de participation'),
    Field('duration_hours', 'hours', 'Durée totale (h)'),
    Field('month', 'number', 'Numéro du mois'),
    Field('month_name', 'text', 'Mois'),
    Field('state', 'text', 'État'),
    Field('lieux_count', 'count', 'Lieux'),
    Field('lieux_share', 'ratio', 'Part des lieux (%)'),
    Field('membership', 'text', 'Adhésion au réseau'),
    Field('typology', 'text', 'Typologie'),
    Field('legal_status', 'text', 'Statut juridique'),
    Field('opened_lieux_count', 'count', "Lieux ouverts dans l'année"),
    Field('open_lieux_count', 'count', 'Lieux ouverts'),
    Field('member_lieux_count', 'count', 'Lieux adhérents'),
    Field('departement_name', 'text', 'Nom du département'),
    Field('population', 'count', 'Population'),
    Field('lieux_per_100k', 'density', 'Lieux pour 100 000 hab.'),
    Field('epci_code', 'text', 'Code EPCI'),
    Field('epci_name', 'text', 'Intercommunalité'),
    Field('epci_kind', 'text', "Nature de l'EPCI"),
    Field('size_class', 'text', 'Taille de la commune'),
    Field('communes_count', 'count', 'Communes'),
    Field('population_share', 'ratio', 'Part de la population régionale (%)'),
    Field('median_distance_km', 'km', 'Distance médiane (km)'),
    Field('max_distance_km', 'km', 'Distance maximale (km)'),
    Field('threshold_km', 'km', 'Seuil (km)'),
    Field('population_beyond_threshold', 'count', 'Population au-delà du seuil'),
    Field('population_beyond_threshold_share', 'ratio', 'Part de la population au-delà du seuil (%)'),
    Field('contributions_count', 'count', 'Déclarations de temps'),
    Field('contributors_count', 'count', 'Contributeurs'),
    Field('hours', 'hours', 'Heures déclarées (h)'),
    Field('paid_hours', 'hours', 'Heures rétribuées (h)'),
    Field('volunteer_hours', 'hours', 'Heures bénévoles (h)'),
    Field('retribution_eur', 'eur', 'Rétributions versées (€)'),
    Field('hourly_rate_eur', 'eur', 'Taux horaire (€/h)'),
    Field('valuation_eur', 'eur', 'Valorisation du bénévolat (€)'),
    Field('ca_members_count', 'count', 'Membres du CA'),
    Field('copilotes_count', 'count', 'Copilotes'),
    Field('copiloted_commissions_count', 'count', 'Commissions copilotées'),
    Field('section', 'text', 'Section'),
    Field('class_code', 'text', 'Code de la classe'),
    Field('class_label', 'text', 'Classe de comptes'),
    Field('account_code', 'text', 'Compte'),
    Field('account_label', 'text', 'Intitulé'),
    Field('funder', 'text', 'Financeur'),
    Field('row_kind', 'text', 'Type de ligne'),
    Field('planned_eur', 'eur', 'Prévision (€)'),
    Field('realised_eur', 'eur', 'Réalisation (€)'),
    Field('gap_eur', 'eur', 'Écart (€)'),
    Field('gap_ratio', 'ratio', 'Écart (%)'),
    Field('realised_share', 'ratio', 'Part du réalisé (%)'),
    Field('explanation', 'text', "Explication de l'écart"),
    Field('is_explanation_missing', 'text', 'Explication manquante'),
    Field('indicator', 'text', 'Indicateur'),
    Field('source', 'text', 'Source'),
    Field('missing_share', 'ratio', 'Part manquante (%)'),
    Field('identifier', 'text', 'Identifiant'),
    Field('label', 'text', 'Nom'),
    Field('status', 'text', 'Statut'),
    Field('problem', 'text', 'Problème'),
    Field('membership_id', 'text', 'Référence de la commande'),
    Field('order_date', 'text', 'Date de la commande'),
    Field('order_status', 'text', 'Statut de la commande'),
    Field('amount_eur', 'eur', 'Montant (€)'),
    Field('unit', 'text', 'Unité'),
    Field('indicator_label', 'text', 'Indicateur'),
    Field('previous_value', 'number', 'Année N-1'),
    Field('value', 'number', 'Année N'),
    Field('change', 'number', 'Variation'),
    Field('change_ratio', 'ratio', 'Variation (%)'),
    Field('commune_code', 'text', 'Code INSEE'),
    Field('commune_name', 'text', 'Commune'),
    Field('point_longitude', 'number', 'Longitude'),
    Field('point_latitude', 'number', 'Latitude'),
    # --- tidy (#17 §6) ---
    Field('member_kind', 'text', 'Type de membre'),
    Field('amount_share', 'ratio', 'Part du montant total (%)'),
    # --- panorama (#17 §2, §4) ---
    Field('territory', 'text', 'Territoire'),
    Field('national_lieux_share', 'ratio', 'Part en France (%)'),
    Field('legal_form_family', 'text', 'Forme juridique'),
    Field('legal_statuses', 'text', 'Statuts regroupés'),
    Field('national_lieux_per_100k', 'density', 'Lieux pour 100 000 hab. en France'),
    Field('panorama', 'text', 'Tableau du panorama'),
    Field('breakdown', 'text', 'Répartition'),
    Field('known_lieux_count', 'count', 'Lieux connus'),
    Field('base_sentence', 'text', 'Base'),
    Field('line_number', 'number', 'Ligne'),
    Field('quote', 'text', 'Le bilan dit'),
    Field('quoted_value', 'number', 'Chiffre cité'),
    Field('computed_value', 'number', 'Chiffre calculé'),
    Field('definition', 'text', 'Ce qui est compté'),
    Field('message', 'text', 'Écart'),
    # --- changes (#17 what changed) ---
    Field('baseline', 'text', 'Comparé à'),
    Field('change_kind', 'text', 'Changement'),
    Field('lieu_id', 'text', 'Identifiant du lieu'),
    Field('lieu_name', 'text', 'Lieu'),
    Field('detail', 'text', 'Détail'),
    Field('has_snapshot', 'text', 'Instantané disponible'),
    Field('snapshot_date', 'text', "Date de l'instantané"),
    Field('snapshot_year', 'year', "Année des rapports de l'instantané"),
    Field('since_date', 'text', 'Depuis le'),
    Field('budget_result_eur', 'eur', 'Résultat du budget (€)'),
)}

#: (series, column, label) of the year's key figures as every document writes them (the activity
#: report's tiles, the AG slide, the public site's home page), in display order.
ACTIVITY_TILES: tuple[tuple[str, str, str], ...] = (
    ("membership_by_year", "members_count", "membres"),
    ("membership_by_year", "amount_total_eur", "d'adhésions à prix libre"),
    ("events_by_year", "events_count", "événements"),
    ("events_by_year", "participants_count", "participants"),
    ("lieux_by_year", "open_lieux_count", "lieux ouverts recensés"),
    ("volunteering_by_year", "volunteer_hours", "heures de bénévolat"),
    ("volunteering_by_year", "valuation_eur", "de bénévolat valorisé"),
    ("events_by_year", "formation_participant_hours", "heures de formation délivrées"),
)

#: French header of each column of :data:`FIELDS`.
COLUMN_LABELS_FR: dict[str, str] = {name: field.label for name, field in FIELDS.items()}

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
