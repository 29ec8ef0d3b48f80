"""The data contract: one pandera model per table, one row grain per table.

Column names are English with their unit (``_eur``, ``_hours``, ``_date``, ``_id``, ``_code``,
``is_``); descriptions and headers are French because users read them (data dictionary, errors).
Allowed values of code lists (commissions, typologies, …) come from the dataset configuration,
never from this file: see ``codes=`` and :mod:`relief_analytics.load.validate`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from relief_analytics.safety import WEB_URL_PATTERN, WEB_URL_RULE
from relief_analytics.schemas._base import column, column_specs

INSEE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
POSTAL_PATTERN = r"^\d{5}$"

#: How issues name the computed member id, and what they say when no identity was given.
IDENTITY = {
    "computed": "pseudonym",
    "issue_label": "identité (e-mail, ou nom et prénom)",
    "missing_rule": "identité du membre manquante : renseignez l'e-mail, ou le nom et le prénom",
}


class Lieux(pa.DataFrameModel):
    """Lieux: one row per lieu (tiers-lieu) known to the network, member or not."""

    lieu_id: Series[str] = column(
        "Identifiant stable du lieu, jamais réutilisé (ex. « L0042 »).",
        header="identifiant", synonyms=("id", "id lieu", "identifiant du lieu"),
    )
    lieu_name: Series[str] = column("Nom public du lieu.", header="nom", synonyms=("nom du lieu", "name"))
    street_address: Series[str] = column(
        "Adresse postale du lieu (numéro et voie).", header="adresse", required=False, nullable=True,
        synonyms=("address.streetaddress",),
    )
    postal_code: Series[str] = column(
        "Code postal de la commune du lieu.", header="code_postal", kind="postal_code",
        required=False, nullable=True, str_matches=POSTAL_PATTERN, synonyms=("cp", "address.postalcode"),
    )
    commune_name: Series[str] = column(
        "Nom de la commune, tel que saisi.", header="commune", required=False, nullable=True,
        synonyms=("ville", "address.addresslocality"),
    )
    commune_code: Series[str] = column(
        "Code INSEE (code officiel géographique) de la commune ; un zéro initial perdu est rétabli.",
        header="code_insee", kind="insee_code", required=False, nullable=True,
        str_matches=INSEE_PATTERN, synonyms=("code commune", "insee"),
    )
    latitude: Series[float] = column(
        "Latitude en degrés décimaux (WGS84).", header="latitude", kind="decimal", required=False,
        nullable=True, ge=-90, le=90, synonyms=("geo.latitude", "lat"),
    )
    longitude: Series[float] = column(
        "Longitude en degrés décimaux (WGS84).", header="longitude", kind="decimal", required=False,
        nullable=True, ge=-180, le=180, synonyms=("geo.longitude", "lon", "lng"),
    )
    typologies: Series[str] = column(
        "Typologies du lieu, une ou plusieurs, séparées par « | » (liste [listes].typologies) ; "
        "vide si aucune n'est connue.",
        header="typologies", kind="multi", codes="typologies", synonyms=("categories", "optionsstring"),
        required=False, nullable=True,
    )
    legal_status: Series[str] = column(
        "Statut juridique de la structure porteuse (liste [listes].statuts_juridiques).",
        header="statut_juridique", codes="statuts_juridiques", required=False, nullable=True,
    )
    opening_year: Series[pd.Int64Dtype] = column(
        "Année d'ouverture du lieu (vide si en projet).", header="annee_ouverture", kind="integer",
        required=False, nullable=True, ge=1950, le=2100,
    )
    state: Series[str] = column(
        "État du lieu : en projet, ouvert ou fermé (liste [listes].etats_lieu).",
        header="etat", codes="etats_lieu",
    )
    is_member: Series[pd.BooleanDtype] = column(
        "Le lieu (sa structure) est-il adhérent du réseau ? oui / non.", header="membre_reseau",
        kind="boolean", synonyms=("adherent", "membre"),
    )
    website: Series[str] = column(
        "Site web public du lieu : adresse commençant par http:// ou https:// (une adresse "
        "saisie sans, comme www.lieu.fr, est complétée en https://www.lieu.fr).", header="site_web",
        required=False, nullable=True, synonyms=("website", "site"), normalize="web_url",
        str_matches=WEB_URL_PATTERN, pattern_rule=WEB_URL_RULE,
    )
    updated_date: Series[pd.Timestamp] = column(
        "Date de dernière mise à jour de la fiche.", header="date_mise_a_jour", kind="date",
        required=False, nullable=True, synonyms=("updatedat",),
    )

    class Config:
        unique = ["lieu_id"]


class Adhesions(pa.DataFrameModel):
    """Adhésions: one row per adherent card (one adherent's membership paid in one order).

    Read from a HelloAsso export: one order can pay for several adherents, and an adherent can
    pay several orders. The member is the adherent, never the payer; their identity is replaced
    by ``member_id`` at load time (see :mod:`relief_analytics.load.pseudonymise`), and the key
    follows :mod:`relief_analytics.load.adherents`.
    """

    membership_id: Series[str] = column(
        "Identifiant de l'adhésion : celui de la carte d'adhérent (fin de l'adresse « Carte "
        "d'adhérent », …?cardId=…) ; à défaut, la référence de la commande HelloAsso, suivie d'un "
        "identifiant de l'adhérent quand la commande en compte plusieurs.",
        header="reference commande", synonyms=("reference", "référence"), key_rule="adherent_card",
    )
    order_date: Series[pd.Timestamp] = column(
        "Date (et heure) du paiement.", header="date de la commande", kind="datetime",
        synonyms=("date",),
    )
    membership_year: Series[pd.Int64Dtype] = column(
        "Année d'adhésion couverte par le paiement ; à défaut, l'année de la date de commande.",
        header="annee d'adhesion", kind="integer", required=False, nullable=True, ge=2000, le=2100,
        synonyms=("annee",), fill_from=("order_date", "year"),
    )
    order_status: Series[str] = column(
        "Statut de la commande HelloAsso ; seules les commandes de la liste "
        "[listes].statuts_commande_valides comptent.",
        header="statut de la commande", synonyms=("statut",),
    )
    member_id: Series[str] = column(
        "Identifiant pseudonyme et stable du membre, calculé au chargement à partir de l'e-mail "
        "(ou des nom et prénom) ; l'identité elle-même n'est jamais conservée.",
        header="member_id", required=False, **IDENTITY,
    )
    member_kind: Series[str] = column(
        "Nature du membre : « physique » (une personne) ou « morale » (une structure). Colonne "
        "facultative : à défaut, « morale » si la raison sociale est remplie, sinon « physique » "
        "(l'importation HelloAsso tient aussi compte du tarif, section [importation.tarifs_adhesion]).",
        header="type d'adherent", isin=["physique", "morale"], synonyms=("type d'adhesion",),
        required=False, normalize="member_kind", derive="member_kind",
    )
    organisation_name: Series[str] = column(
        "Raison sociale de la personne morale (public) ; vide pour une personne physique.",
        header="raison sociale", required=False, nullable=True,
    )
    lieu_id: Series[str] = column(
        "Identifiant du lieu porté par la personne morale, s'il y en a un.",
        header="identifiant du lieu", required=False, nullable=True,
    )
    postal_code: Series[str] = column(
        "Code postal du membre (sert à le situer par département, jamais affiché seul).",
        header="code postal", kind="postal_code", required=False, nullable=True,
        str_matches=POSTAL_PATTERN,
    )
    commune_name: Series[str] = column(
        "Commune du membre.", header="ville", required=False, nullable=True, synonyms=("commune",),
    )
    amount_eur: Series[float] = column(
        "Montant payé en euros (prix libre et conscient ; « Gratuit » vaut 0).",
        header="montant tarif", kind="decimal", ge=0, synonyms=("montant",),
    )
    payment_method: Series[str] = column(
        "Moyen de paiement.", header="moyen de paiement", required=False, nullable=True,
    )

    class Config:
        unique = ["membership_id"]


class Evenements(pa.DataFrameModel):
    """Événements: one row per event organised or co-organised by the network."""

    event_id: Series[str] = column("Identifiant de l'événement.", header="identifiant", synonyms=("id",))
    title: Series[str] = column("Titre public de l'événement.", header="titre")
    start_date: Series[pd.Timestamp] = column(
        "Début (date, et heure si connue).", header="debut", kind="datetime", synonyms=("date",),
    )
    end_date: Series[pd.Timestamp] = column(
        "Fin (date, et heure si connue).", header="fin", kind="datetime", required=False, nullable=True,
    )
    event_kind: Series[str] = column(
        "Type d'événement (liste [listes].types_evenements).", header="type", codes="types_evenements",
    )
    commission: Series[str] = column(
        "Commission organisatrice (liste [listes].commissions).", header="commission",
        codes="commissions",
    )
    attendance_mode: Series[str] = column(
        "Mode de participation : sur place, en ligne ou mixte (liste [listes].modes_participation).",
        header="mode", codes="modes_participation",
    )
    lieu_id: Series[str] = column(
        "Identifiant du lieu d'accueil, s'il est dans la table des lieux.", header="identifiant_lieu",
        required=False, nullable=True,
    )
    commune_name: Series[str] = column(
        "Commune où s'est tenu l'événement (vide si en ligne).", header="commune", required=False,
        nullable=True,
    )
    commune_code: Series[str] = column(
        "Code INSEE de cette commune.", header="code_insee", kind="insee_code", required=False,
        nullable=True, str_matches=INSEE_PATTERN,
    )
    participants_count: Series[pd.Int64Dtype] = column(
        "Nombre de participants (personnes présentes ou connectées).", header="participants",
        kind="integer", nullable=True, ge=0, le=100000,
    )
    duration_hours: Series[float] = column(
        "Durée en heures (heures de réunion ; vide pour une exposition ou une activité permanente, "
        "dont les heures d'ouverture ne sont pas des heures de réunion).", header="duree_heures",
        kind="decimal", ge=0, le=200, nullable=True, synonyms=("duree",),
    )
    sessions_count: Series[pd.Int64Dtype] = column(
        "Nombre de séances (horaires) de l'événement ; vide : une séance.", header="seances",
        kind="integer", required=False, nullable=True, ge=1, le=10000,
    )
    is_long_running: Series[pd.BooleanDtype] = column(
        "Exposition ou activité permanente (ouverte des semaines ou des mois) : oui / non ; vide : non. "
        "Sa durée n'est pas comptée en heures de réunion.", header="activite_permanente",
        kind="boolean", required=False, nullable=True,
    )

    class Config:
        unique = ["event_id"]


class Contributions(pa.DataFrameModel):
    """Contributions: one row per declared contribution of volunteer time."""

    contribution_id: Series[str] = column(
        "Identifiant de la déclaration.", header="identifiant", synonyms=("id",),
    )
    member_id: Series[str] = column(
        "Identifiant pseudonyme du contributeur (calculé au chargement).", header="member_id",
        required=False, **IDENTITY,
    )
    contribution_date: Series[pd.Timestamp] = column(
        "Date de la contribution.", header="date", kind="date",
    )
    commission: Series[str] = column(
        "Commission pour laquelle le temps a été donné (liste [listes].commissions).",
        header="commission", codes="commissions",
    )
    activity: Series[str] = column(
        "Nature de l'activité (texte court, sans nom de personne).", header="activite",
        required=False, nullable=True,
    )
    hours: Series[float] = column(
        "Temps donné, en heures.", header="heures", kind="decimal", gt=0, le=24,
    )
    retribution_eur: Series[float] = column(
        "Rétribution versée pour cette contribution, en euros (0 si bénévole).",
        header="retribution_eur", kind="decimal", required=False, nullable=True, ge=0,
        synonyms=("retribution",),
    )

    class Config:
        unique = ["contribution_id"]


class Budget(pa.DataFrameModel):
    """Budget: one row per budget line per year (and per funder for subsidy lines)."""

    year: Series[pd.Int64Dtype] = column("Exercice (année civile).", header="annee", kind="integer", ge=2000, le=2100)
    account_code: Series[str] = column(
        "Compte du plan comptable associatif (ex. 606, 741, 756, 864, 870).", header="compte",
        str_matches=r"^(6[0-8]|7[0-8]|8[67])\d{0,4}$",
        pattern_rule="format non conforme (compte du plan comptable associatif attendu : 60 à 68, 70 à 78, 86 ou 87)",
    )
    account_label: Series[str] = column("Intitulé de la ligne.", header="intitule")
    planned_eur: Series[float] = column(
        "Montant prévisionnel, en euros.", header="prevu_eur", kind="decimal", ge=0,
        synonyms=("previsionnel", "prevu"),
    )
    realised_eur: Series[float] = column(
        "Montant réalisé, en euros.", header="realise_eur", kind="decimal", ge=0, nullable=True,
        synonyms=("realise",),
    )
    funder: Series[str] = column(
        "Financeur, pour une ligne de subvention (compte 74).", header="financeur", required=False,
        nullable=True,
    )
    action: Series[str] = column(
        "Action subventionnée à laquelle la ligne se rattache.", header="action", required=False,
        nullable=True,
    )

    class Config:
        unique = ["year", "account_code", "funder"]


class Gouvernance(pa.DataFrameModel):
    """Gouvernance (optional table): one row per role held by a member in a year."""

    year: Series[pd.Int64Dtype] = column("Année du mandat.", header="annee", kind="integer", ge=2000, le=2100)
    member_id: Series[str] = column(
        "Identifiant pseudonyme de la personne (calculé au chargement).", header="member_id",
        required=False, **IDENTITY,
    )
    role: Series[str] = column(
        "Rôle : CA (conseil d'administration) ou copilote (liste [listes].roles_gouvernance).",
        header="role", codes="roles_gouvernance",
    )
    commission: Series[str] = column(
        "Commission copilotée (vide pour le CA).", header="commission", codes="commissions",
        required=False, nullable=True,
    )

    class Config:
        unique = ["year", "member_id", "role", "commission"]


class ExplicationsEcarts(pa.DataFrameModel):
    """Users' explanations of budget gaps: one row per year and account (and funder)."""

    year: Series[pd.Int64Dtype] = column("Exercice (année civile) expliqué.", header="annee", kind="integer", ge=2000, le=2100)
    account_code: Series[str] = column("Compte du plan comptable dont l'écart est expliqué.", header="compte")
    explanation: Series[str] = column(
        "Explication de l'écart entre prévision et réalisation, telle qu'elle figurera au compte rendu.",
        header="explication",
    )

    class Config:
        unique = ["year", "account_code"]


#: Every table of a dataset, by the key used in the configuration's ``[fichiers]`` section.
TABLES: dict[str, type[pa.DataFrameModel]] = {
    "lieux": Lieux,
    "adhesions": Adhesions,
    "evenements": Evenements,
    "contributions": Contributions,
    "budget": Budget,
    "gouvernance": Gouvernance,
    "explications_ecarts": ExplicationsEcarts,
}

#: Tables a dataset may omit.
OPTIONAL_TABLES = frozenset({"gouvernance", "explications_ecarts"})

#: Tables holding personal data at input (they declare a pseudonym column); their identity
#: columns are pseudonymised at load.
PERSONAL_TABLES = frozenset(
    table for table, model in TABLES.items()
    if any(spec["computed"] == "pseudonym" for spec in column_specs(model).values())
)

#: French names of the tables, for messages and the dictionary.
TABLE_LABELS_FR = {
    "lieux": "Lieux",
    "adhesions": "Adhésions",
    "evenements": "Événements",
    "contributions": "Contributions bénévoles",
    "budget": "Budget",
    "gouvernance": "Gouvernance",
    "explications_ecarts": "Explications des écarts budgétaires",
}

#: Grain of each table, in French, for the data dictionary.
TABLE_GRAINS_FR = {
    "lieux": "une ligne par lieu connu du réseau, adhérent ou non",
    "adhesions": "une ligne par carte d'adhérent : une commande peut compter plusieurs adhérents, "
                 "un adhérent peut payer plusieurs fois dans l'année",
    "evenements": "une ligne par événement organisé ou co-organisé par le réseau",
    "contributions": "une ligne par contribution de temps bénévole déclarée",
    "budget": "une ligne par ligne budgétaire et par exercice (et par financeur pour les subventions)",
    "gouvernance": "une ligne par rôle tenu par une personne une année donnée",
    "explications_ecarts": "une ligne par exercice et par compte dont l'écart est expliqué",
}
