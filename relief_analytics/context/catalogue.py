"""The catalogue of the year's tables, declared before anything is computed (PUDL style).

Each :class:`TableSpec` gives a table's name, the indicator function that computes it, its
population (:data:`POPULATIONS`, defined in :mod:`relief_analytics.context.populations`), its
grain in one sentence, its columns (dtype, unit and French header of each, from the one field list
:data:`relief_analytics.indicators.labels.FIELDS`) and the documents that read it
(:data:`DOCUMENTS`). :func:`relief_analytics.context.year.build_year_context` loops over
:data:`CATALOGUE` and computes only the tables that the requested documents read; the data
dictionary and ``docs/architecture.md`` are generated from it (:mod:`relief_analytics.dictionary`).

Adding a figure: one entry here, its indicator function, the notebook cell that shows it. The
function carries the table's name (``lieux_by_departement``, ``reads_summary``): a noun phrase,
checked by :func:`catalogue_problems`; functions that are not tables are verbs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from relief_analytics.context import populations
from relief_analytics.context.narrative import narrative_figures
from relief_analytics.indicators import (
    budget,
    changes,
    distribution,
    events,
    governance,
    lieux,
    membership,
    narrative,
    national,
    quality,
    volunteering,
)
from relief_analytics.indicators.labels import FIELDS
from relief_analytics.indicators.public_lieux import lieux_open_data
from relief_analytics.indicators.units import unit_from_name

#: Documents that read the context: the report notebooks, the XLSX workbook of the compte rendu
#: financier and the CSV of geographic problems that every build writes. Value: (French
#: description, the report that produces it — ``None`` for the build itself).
DOCUMENTS: dict[str, tuple[str, str | None]] = {
    "rapport_activite": ("Rapport d'activité", "rapport_activite"),
    "compte_rendu_financier": ("Compte rendu financier (CERFA n° 15059)", "compte_rendu_financier"),
    "classeur": ("Classeur XLSX du compte rendu financier", "compte_rendu_financier"),
    "exploration_lieux": ("Exploration des lieux", "exploration_lieux"),
    "presentation_ag": ("Présentation à l'assemblée générale", "presentation_ag"),
    "qualite_donnees": ("Qualité des données", "qualite_donnees"),
    "problemes_geographiques": ("qualite/problemes_geographiques.csv (chaque construction)", None),
    "synthese_ca": ("Synthèse pour le conseil d'administration (une page)", "synthese_ca"),
    "site_public": ("donnees/ des lieux, lues par le site public, relief site (chaque construction)", None),
}

#: The populations a table is counted on: key -> (French definition, where it is defined).
POPULATIONS: dict[str, tuple[str, str]] = {
    "lieux_ouverts": ("lieux ouverts en fin d'année : placés dans la région, état « ouvert », "
                      "ouverts l'année N ou avant (ou année inconnue)",
                      "context.populations.open_lieux_at_year_end"),
    "lieux_places": ("lieux placés dans la région (résolus sur une de ses communes), toutes années",
                     "context.populations.is_placed"),
    "adhesions_validees": ("adhésions validées (statuts de `[listes].statuts_commande_valides`)",
                           "indicators.membership.filter_valid_adhesions"),
    "adhesions_non_validees": ("commandes d'adhésion dont le statut n'est pas validé",
                               "indicators.membership.unvalidated_orders"),
    "evenements": ("événements, toutes années", "load.load_dataset"),
    "evenements_annee": ("événements de l'année : débutant l'année N",
                         "context.populations.events_of_year"),
    "contributions": ("déclarations de temps bénévole", "load.load_dataset"),
    "gouvernance": ("rôles de gouvernance (CA, copilotes) et réunions du copil", "load.load_dataset"),
    "budget": ("lignes de budget de l'année et explications des écarts", "load.load_dataset"),
    "lecture": ("lignes lues dans les fichiers, acceptées et rejetées", "load.load_dataset"),
    "lieux_et_evenements": ("lieux et événements sur place, résolus ou non",
                            "context.populations.resolve_dataset"),
    "bilan": ("chiffres cités par le bilan qualitatif de l'année, comparés aux chiffres calculés",
              "context.narrative.narrative_figures"),
    "activite_deux_ans": ("membres (effectifs seulement), événements comptés, bénévolat et résultat "
                          "du budget des années N et N-1", "indicators.changes.activity_changes"),
}


@dataclass(frozen=True)
class Column:
    """One column of a catalogue table: name, pandas dtype, unit and French header."""

    name: str
    dtype: str
    unit: str
    label: str


@dataclass(frozen=True)
class TableSpec:
    """One table of the year context, declared before it is computed.

    ``compute(inputs)`` receives the :class:`~relief_analytics.context.year.YearInputs` of the
    year; ``function`` is the indicator function it calls (named in the generated docs).
    ``series`` tables (one row per year) also get an N vs N-1 comparison, under the same name.
    ``public`` is False for a table that could hold a person's data: it is never written to the
    year's public files.
    """

    name: str
    function: Callable
    compute: Callable
    population: str
    grain: str
    columns: tuple[Column, ...]
    readers: tuple[str, ...]
    title: str
    series: bool = False
    public: bool = True

    @property
    def function_name(self) -> str:
        """``indicators.membership.membership_by_year``: the function, package prefix removed."""
        module = self.function.__module__.removeprefix("relief_analytics.")
        return f"{module}.{self.function.__qualname__}"


def _columns(*specs: str) -> tuple[Column, ...]:
    """Columns from ``"name:dtype"`` (unit and header from FIELDS) or ``"name:dtype:label"``.

    A column outside the field list (a table whose headers are already French, the open-data
    table) takes its name as header and the unit its name carries.
    """
    columns = []
    for spec in specs:
        name, dtype, *label = spec.split(":")
        field = FIELDS.get(name)
        if field is not None and not label:
            columns.append(Column(name, dtype, field.unit, field.label))
        else:
            columns.append(Column(name, dtype, unit_from_name(name) if dtype not in (
                "str", "object") else "text", label[0] if label else name))
    return tuple(columns)


_SERIES_READERS = ("rapport_activite", "compte_rendu_financier", "presentation_ag")
_PROBLEM_COLUMNS = _columns("Identifiant:object", "Nom:object", "Commune saisie:object",
                            "Code INSEE saisi:object", "Statut:str", "Détail:str")


def _lists(inputs, key):
    return inputs.lists.get(key)


_CHANGES_READERS = ("rapport_activite", "presentation_ag", "synthese_ca")


def _baselines(inputs):
    return changes.choose_baselines(inputs.snapshots, year=inputs.year,
                                    last_ag_date=inputs.config.last_ag_date)


CATALOGUE: tuple[TableSpec, ...] = (
    # --- year series (one row per year, with their N vs N-1 comparison) ---
    TableSpec(
        "membership_by_year", membership.membership_by_year,
        lambda i: membership.membership_by_year(
            i.dataset.adhesions, valid_statuses=i.valid_statuses, first_year=i.first_year,
            last_year=i.year),
        "adhesions_validees", "une ligne par année, de la première année du réseau à N",
        _columns("year:Int64", "members_count:Int64", "physique_members_count:Int64",
                 "morale_members_count:Int64", "payments_count:Int64", "new_members_count:Int64",
                 "returning_members_count:Int64", "renewed_members_count:Int64",
                 "lapsed_members_count:Int64", "retention_rate:float64", "amount_total_eur:float64",
                 "amount_median_eur:float64", "amount_mean_eur:float64"),
        (*_SERIES_READERS, "classeur"), "Adhésions par année", series=True),
    TableSpec(
        "events_by_year", events.events_by_year,
        lambda i: events.events_by_year(i.counted_events, first_year=i.first_year,
                                        last_year=i.year),
        "evenements", "une ligne par année, de la première année du réseau à N",
        _columns("year:Int64", "events_count:Int64", "participants_count:Int64",
                 "events_missing_participants_count:Int64", "formation_events_count:Int64",
                 "formation_duration_hours:float64", "formation_participant_hours:float64",
                 "copil_meetings_count:Int64", "sessions_count:Int64",
                 "long_running_events_count:Int64"),
        (*_SERIES_READERS, "classeur"), "Événements par année", series=True),
    TableSpec(
        "lieux_by_year", lieux.lieux_by_year,
        lambda i: lieux.lieux_by_year(i.placed_only, first_year=i.first_year, last_year=i.year),
        "lieux_places", "une ligne par année, de la première année du réseau à N",
        _columns("year:Int64", "opened_lieux_count:Int64", "open_lieux_count:Int64"),
        _SERIES_READERS, "Lieux par année", series=True),
    TableSpec(
        "volunteering_by_year", volunteering.volunteering_by_year,
        lambda i: volunteering.volunteering_by_year(
            i.dataset.contributions, hourly_rates=i.config.hourly_rates, first_year=i.first_year,
            last_year=i.year),
        "contributions", "une ligne par année, de la première année du réseau à N",
        _columns("year:Int64", "contributions_count:Int64", "contributors_count:Int64",
                 "hours:float64", "paid_hours:float64", "volunteer_hours:float64",
                 "retribution_eur:float64", "hourly_rate_eur:float64", "valuation_eur:float64"),
        (*_SERIES_READERS, "classeur"), "Bénévolat par année", series=True),
    TableSpec(
        "governance_by_year", governance.governance_by_year,
        lambda i: governance.governance_by_year(
            i.dataset.gouvernance, evenements=i.counted_events, first_year=i.first_year,
            last_year=i.year),
        "gouvernance", "une ligne par année, de la première année du réseau à N",
        _columns("year:Int64", "ca_members_count:Int64", "copilotes_count:Int64",
                 "copiloted_commissions_count:Int64", "copil_meetings_count:Int64"),
        ("rapport_activite",), "Gouvernance par année", series=True),
    # --- lieux ---
    TableSpec(
        "lieux_by_departement", distribution.lieux_by_departement,
        lambda i: distribution.lieux_by_departement(i.open_lieux, reference=i.reference),
        "lieux_ouverts", "une ligne par département de la région",
        _columns("departement_code:str", "departement_name:str", "population:Int64",
                 "lieux_count:int64", "lieux_per_100k:float64", "member_lieux_count:int64"),
        ("rapport_activite", "presentation_ag", "classeur", "site_public"), "Lieux par département"),
    TableSpec(
        "lieux_by_typology", lieux.lieux_by_typology,
        lambda i: lieux.lieux_by_typology(i.open_lieux, typologies=_lists(i, "typologies")),
        "lieux_ouverts", "une ligne par typologie (un lieu compte dans chacune des siennes)",
        _columns("typology:str", "lieux_count:Int64", "lieux_share:float64"),
        ("rapport_activite", "classeur"), "Lieux par typologie"),
    TableSpec(
        "lieux_by_legal_status", lieux.lieux_by_legal_status,
        lambda i: lieux.lieux_by_legal_status(i.open_lieux,
                                              statuses=_lists(i, "statuts_juridiques")),
        "lieux_ouverts", "une ligne par statut juridique",
        _columns("legal_status:str", "lieux_count:Int64"),
        ("rapport_activite",), "Lieux par statut juridique"),
    TableSpec(
        "lieux_open_data", lieux_open_data,
        lambda i: i.lieux_open_data(),
        "lieux_places", "une ligne par lieu placé dans la région (données ouvertes)",
        _columns("id:object", "nom:object", "adresse:object", "code_postal:object",
                 "commune:object", "code_insee:object", "code_departement:object",
                 "latitude:float64", "longitude:float64", "source_coordonnees:object",
                 "typologie:object", "statut_juridique:object", "annee_ouverture:Int64",
                 "etat:object", "membre_reseau:boolean", "site_web:object",
                 "date_maj:datetime64[ns]"),
        ("classeur", "site_public"), "Liste des lieux"),
    TableSpec(
        "national_comparison", national.national_comparison,
        lambda i: national.national_comparison(
            open_lieux_count=len(i.open_lieux), context=i.config.context.as_mapping(),
            region_name=i.config.network_name),
        "lieux_ouverts", "une ligne par indicateur (recensement national, estimation régionale, "
        "lieux du réseau)",
        _columns("indicator:str", "lieux_count:Int64", "source:str"),
        ("exploration_lieux",), "Comparaison nationale"),
    # --- adhésions ---
    TableSpec(
        "amount_distribution", membership.amount_distribution,
        lambda i: membership.amount_distribution(
            i.dataset.adhesions, valid_statuses=i.valid_statuses, year=i.year),
        "adhesions_validees", "une ligne par tranche de montant annuel payé par membre en N",
        _columns("amount_bin:str", "members_count:Int64", "members_share:float64"),
        ("rapport_activite", "presentation_ag"), "Membres par montant d'adhésion"),
    TableSpec(
        "members_by_departement", membership.members_by_departement,
        lambda i: membership.members_by_departement(
            i.dataset.adhesions, valid_statuses=i.valid_statuses, year=i.year,
            region_departements=i.reference.departements["departement_code"].astype(str).tolist()),
        "adhesions_validees", "une ligne par département (d'après le code postal) des membres de N",
        _columns("departement_code:str", "members_count:Int64"),
        ("rapport_activite",), "Membres par département"),
    # --- événements ---
    TableSpec(
        "events_by_month", events.events_by_month,
        lambda i: events.events_by_month(i.counted_events, year=i.year,
                                         kinds=_lists(i, "types_evenements")),
        "evenements", "une ligne par mois de N et type d'événement",
        _columns("month:Int64", "month_name:str", "event_kind:str", "events_count:Int64"),
        ("rapport_activite", "presentation_ag"), "Événements par mois"),
    TableSpec(
        "events_by_kind", events.events_by_kind,
        lambda i: events.events_by_kind(i.counted_events, kinds=_lists(i, "types_evenements")),
        "evenements", "une ligne par année et type d'événement",
        _columns("year:Int64", "event_kind:str", "events_count:Int64", "participants_count:Int64",
                 "duration_hours:float64"),
        ("rapport_activite",), "Événements par type"),
    TableSpec(
        "events_by_commission", events.events_by_commission,
        lambda i: events.events_by_commission(i.counted_events,
                                              commissions=_lists(i, "commissions")),
        "evenements", "une ligne par année et commission organisatrice",
        _columns("year:Int64", "commission:str", "events_count:Int64", "participants_count:Int64",
                 "duration_hours:float64"),
        ("rapport_activite",), "Événements par commission"),
    TableSpec(
        "events_by_attendance_mode", events.events_by_attendance_mode,
        lambda i: i.rows_of_year(events.events_by_attendance_mode(
            i.counted_events, modes=_lists(i, "modes_participation"))),
        "evenements", "une ligne par mode de participation (sur place, en ligne, mixte) en N",
        _columns("year:Int64", "attendance_mode:str", "events_count:Int64",
                 "participants_count:Int64", "duration_hours:float64"),
        ("rapport_activite",), "Événements par mode de participation"),
    TableSpec(
        "events_by_commune", distribution.events_by_commune,
        lambda i: distribution.events_by_commune(i.year_events, reference=i.reference),
        "evenements_annee", "une ligne par commune de la région où un événement sur place ou mixte a eu "
        "lieu",
        _columns("commune_code:str", "commune_name:str", "departement_code:str",
                 "events_count:int64", "participants_count:Int64", "point_longitude:float64",
                 "point_latitude:float64"),
        ("rapport_activite", "presentation_ag"), "Événements par commune"),
    # --- bénévolat et gouvernance ---
    TableSpec(
        "volunteering_by_commission", volunteering.volunteering_by_commission,
        lambda i: volunteering.volunteering_by_commission(
            i.dataset.contributions, hourly_rates=i.config.hourly_rates, year=i.year,
            commissions=_lists(i, "commissions")),
        "contributions", "une ligne par commission, en N",
        _columns("commission:str", "contributions_count:Int64", "contributors_count:Int64",
                 "hours:float64", "paid_hours:float64", "volunteer_hours:float64",
                 "retribution_eur:float64", "hourly_rate_eur:float64", "valuation_eur:float64"),
        ("rapport_activite", "presentation_ag", "classeur"), "Bénévolat par commission"),
    TableSpec(
        "copilotes_by_commission", governance.copilotes_by_commission,
        lambda i: governance.copilotes_by_commission(i.dataset.gouvernance, year=i.year,
                                                     commissions=_lists(i, "commissions")),
        "gouvernance", "une ligne par commission, en N",
        _columns("commission:str", "copilotes_count:Int64"),
        ("rapport_activite",), "Copilotes par commission"),
    # --- budget (compte rendu financier) ---
    TableSpec(
        "cerfa", budget.cerfa_chain, lambda i: i.cerfa().table,
        "budget", "une ligne par compte, classe, total ou résultat du tableau CERFA de N",
        _columns("year:Int64", "section:str", "class_code:str", "class_label:str",
                 "account_code:str", "account_label:str", "funder:str", "row_kind:str",
                 "planned_eur:float64", "realised_eur:float64", "gap_eur:float64",
                 "gap_ratio:float64"),
        ("compte_rendu_financier", "presentation_ag", "classeur"), "Compte rendu financier"),
    TableSpec(
        "cerfa_gaps", budget.cerfa_chain, lambda i: i.cerfa().gaps,
        "budget", "une ligne par écart significatif entre prévision et réalisation en N",
        _columns("year:Int64", "section:str", "class_code:str", "class_label:str",
                 "account_code:str", "account_label:str", "funder:str", "row_kind:str",
                 "planned_eur:float64", "realised_eur:float64", "gap_eur:float64",
                 "gap_ratio:float64", "explanation:str", "is_explanation_missing:boolean"),
        ("compte_rendu_financier", "classeur"), "Écarts significatifs"),
    TableSpec(
        "subsidies_by_funder", budget.subsidies_by_funder,
        lambda i: budget.subsidies_by_funder(i.dataset.budget, year=i.year),
        "budget", "une ligne par financeur des subventions (compte 74) de N",
        _columns("funder:str", "planned_eur:float64", "realised_eur:float64", "gap_eur:float64",
                 "gap_ratio:float64", "realised_share:float64"),
        ("compte_rendu_financier",), "Subventions par financeur"),
    # --- qualité des données ---
    TableSpec(
        "reads_summary", quality.reads_summary, lambda i: quality.reads_summary(i.dataset.summary),
        "lecture", "une ligne par fichier lu, puis le total",
        _columns("Table:str", "Fichier:str", "Lues:int64", "Acceptées:int64", "Rejetées:int64",
                 "Remarque:str"),
        ("qualite_donnees",), "Lignes lues"),
    TableSpec(
        "issue_list", quality.issue_list, lambda i: quality.issue_list(i.dataset.issues),
        "lecture", "une ligne par valeur rejetée (fichier, ligne, colonne, valeur, règle)",
        _columns("Fichier:str", "Ligne:str", "Colonne:str", "Valeur:str", "Règle:str"),
        ("qualite_donnees",), "Problèmes de lecture", public=False),
    TableSpec(
        "issues_by_rule", quality.issues_by_rule,
        lambda i: quality.issues_by_rule(i.dataset.issues),
        "lecture", "une ligne par fichier, colonne et règle enfreinte",
        _columns("Fichier:str", "Colonne:str", "Règle:str", "Problèmes:int64"),
        ("qualite_donnees",), "Problèmes par règle"),
    TableSpec(
        "resolution_statuses", quality.resolution_statuses,
        lambda i: quality.resolution_statuses({"lieux": i.placed_lieux,
                                                     "evenements": i.on_site_events}),
        "lieux_et_evenements", "une ligne par table (lieux, événements sur place)",
        _columns("Table:str", "Résolue:int64", "Ambiguë:int64", "Conflit:int64",
                 "Hors région:int64", "Non résolue:int64", "Total:int64"),
        ("qualite_donnees",), "Placement sur une commune"),
    TableSpec(
        "unplaced_lieux", quality.unplaced_lieux, lambda i: quality.unplaced_lieux(i.placed_lieux),
        "lieux_et_evenements", "une ligne par lieu non placé dans la région",
        _PROBLEM_COLUMNS, ("qualite_donnees",), "Lieux non placés"),
    TableSpec(
        "unplaced_events", quality.unplaced_events, lambda i: quality.unplaced_events(i.on_site_events),
        "lieux_et_evenements", "une ligne par événement sur place non placé dans la région",
        _PROBLEM_COLUMNS, ("qualite_donnees",), "Événements non placés"),
    TableSpec(
        "possible_duplicate_lieux", quality.possible_duplicate_lieux,
        lambda i: quality.possible_duplicate_lieux(i.dataset.lieux),
        "lecture", "une ligne par lieu qui en double peut-être un autre",
        _columns("Identifiant:object", "Nom:object", "Commune:object", "Code INSEE:object"),
        ("qualite_donnees",), "Lieux peut-être en double"),
    TableSpec(
        "unknown_lieu_references", quality.unknown_lieu_references,
        lambda i: quality.unknown_lieu_references(i.dataset.tables),
        "lecture", "une ligne par table et identifiant de lieu inconnu",
        _columns("Table:object", "Identifiant de lieu inconnu:object", "Lignes:object"),
        ("qualite_donnees",), "Identifiants de lieu inconnus"),
    TableSpec(
        "missing_values", quality.missing_values,
        lambda i: quality.missing_values(i.dataset.tables),
        "lecture", "une ligne par table et colonne facultative ayant des valeurs vides",
        _columns("Table:str", "Colonne:str", "Manquantes:int64", "Lignes:int64",
                 "missing_share:float64"),
        ("qualite_donnees",), "Valeurs manquantes"),
    TableSpec(
        "ignored_columns", quality.ignored_columns,
        lambda i: quality.ignored_columns(i.dataset.results),
        "lecture", "une ligne par colonne d'un fichier que l'outil n'utilise pas",
        _columns("Fichier:str", "Colonne ignorée:str"),
        ("qualite_donnees",), "Colonnes ignorées"),
    TableSpec(
        "geographic_problems", populations.geographic_problems,
        lambda i: i.geographic_problems(),
        "lieux_et_evenements", "une ligne par problème géographique d'un lieu ou d'un événement",
        _columns("table:object:Table", "identifier:object", "label:object", "status:object",
                 "problem:object"),
        ("qualite_donnees", "problemes_geographiques"), "Problèmes géographiques"),
    TableSpec(
        "unvalidated_orders", membership.unvalidated_orders,
        lambda i: membership.unvalidated_orders(i.dataset.adhesions,
                                                valid_statuses=i.valid_statuses),
        "adhesions_non_validees", "une ligne par commande d'adhésion non validée",
        _columns("membership_id:object", "order_date:datetime64[ns]", "order_status:object",
                 "amount_eur:float64"),
        ("qualite_donnees",), "Commandes non validées", public=False),
    # --- tidy (#17 §6) ---
    TableSpec(
        "amounts_by_member_kind", membership.amounts_by_member_kind,
        lambda i: membership.amounts_by_member_kind(
            i.dataset.adhesions, valid_statuses=i.valid_statuses, year=i.year),
        "adhesions_validees",
        "une ligne par type de membre (personnes physiques, personnes morales) en N, puis une "
        "ligne « Ensemble »",
        _columns("member_kind:str", "members_count:Int64", "payments_count:Int64",
                 "amount_total_eur:float64", "amount_mean_eur:float64",
                 "amount_median_eur:float64", "amount_share:float64"),
        ("rapport_activite",), "Montants des adhésions par type de membre"),
    # --- panorama (#17 §2, §4) ---
    TableSpec(
        "panorama_by_territory", national.panorama_by_territory,
        lambda i: national.panorama_by_territory(
            i.open_lieux, reference=i.reference, national=i.config.context.national_figures()),
        "lieux_ouverts", "une ligne par nature d'EPCI (métropole, communauté urbaine, "
        "d'agglomération, de communes), puis l'ensemble hors métropole",
        _columns("territory:str", "lieux_count:Int64", "lieux_share:float64",
                 "national_lieux_share:float64"),
        ("rapport_activite", "presentation_ag"), "Panorama : lieux par type de territoire"),
    TableSpec(
        "panorama_by_typology", national.panorama_by_typology,
        lambda i: national.panorama_by_typology(
            i.open_lieux, typologies=_lists(i, "typologies"),
            national=i.config.context.national_figures()),
        "lieux_ouverts", "une ligne par typologie (un lieu compte dans chacune des siennes)",
        _columns("typology:str", "lieux_count:Int64", "lieux_share:float64",
                 "national_lieux_share:float64"),
        ("rapport_activite",), "Panorama : lieux par typologie"),
    TableSpec(
        "panorama_by_legal_form", national.panorama_by_legal_form,
        lambda i: national.panorama_by_legal_form(
            i.open_lieux, national=i.config.context.national_figures()),
        "lieux_ouverts", "une ligne par famille de forme juridique, puis « Non renseigné »",
        _columns("legal_form_family:str", "lieux_count:Int64", "lieux_share:float64",
                 "legal_statuses:str", "national_lieux_share:float64"),
        ("rapport_activite", "presentation_ag"), "Panorama : lieux par forme juridique"),
    TableSpec(
        "panorama_density", national.panorama_density,
        lambda i: national.panorama_density(
            i.open_lieux, reference=i.reference, national=i.config.context.national_figures()),
        "lieux_ouverts", "une ligne par territoire (métropoles, hors métropoles, région)",
        _columns("territory:str", "lieux_count:Int64", "population:Int64",
                 "lieux_per_100k:float64", "national_lieux_per_100k:float64"),
        ("rapport_activite", "presentation_ag"), "Panorama : lieux pour 100 000 habitants"),
    TableSpec(
        "panorama_bases", national.panorama_bases,
        lambda i: national.panorama_bases(
            {name: i.table(name) for name in national.PANORAMA_TABLES},
            counted_count=len(i.open_lieux), known_count=len(i.placed_only), year=i.year,
            national=i.config.context.national_figures()),
        "lieux_ouverts", "une ligne par tableau du panorama : sa base, sa source et sa date",
        _columns("panorama:str", "breakdown:str", "lieux_count:Int64",
                 "known_lieux_count:Int64", "base_sentence:str"),
        ("rapport_activite", "presentation_ag"), "Panorama : base de chaque tableau"),
    TableSpec(
        "narrative_mismatches", narrative.narrative_mismatches,
        lambda i: narrative.narrative_mismatches(
            i.dataset.qualitative_review(i.year), figures=narrative_figures(i), year=i.year),
        "bilan", "une ligne par chiffre du bilan qualitatif de N que les données contredisent",
        _columns("line_number:Int64", "quote:str", "quoted_value:float64",
                 "computed_value:float64", "definition:str", "message:str"),
        ("compte_rendu_financier", "rapport_activite", "presentation_ag"),
        "Chiffres du bilan contredits par les données", public=False),
    # --- changes (#17 what changed: N vs N-1 and since the last AG) ---
    TableSpec(
        "change_baselines", changes.change_baselines,
        lambda i: changes.change_baselines(_baselines(i)),
        "lieux_places", "une ligne par comparaison (année précédente, dernière AG) : l'instantané "
        "de la liste des lieux auquel elle se fait, s'il existe",
        _columns("baseline:str", "has_snapshot:boolean", "snapshot_date:datetime64[ns]",
                 "snapshot_year:Int64", "since_date:datetime64[ns]"),
        _CHANGES_READERS, "Comparaisons de « Ce qui a changé »"),
    TableSpec(
        "lieux_changes", changes.lieux_changes,
        lambda i: changes.lieux_changes(i.table("lieux_open_data"), baselines=_baselines(i)),
        "lieux_places", "une ligne par comparaison, type de changement et lieu (ouvert, fermé, "
        "nouvellement recensé, plus recensé, typologie ou état modifié)",
        _columns("baseline:str", "change_kind:str", "lieu_id:str", "lieu_name:str",
                 "commune_name:str", "detail:str"),
        _CHANGES_READERS, "Lieux : ce qui a changé"),
    TableSpec(
        "lieux_changes_summary", changes.lieux_changes_summary,
        lambda i: changes.lieux_changes_summary(i.table("lieux_changes"), baselines=_baselines(i)),
        "lieux_places", "une ligne par comparaison et type de changement (vide : impossible à "
        "établir sans instantané)",
        _columns("baseline:str", "change_kind:str", "lieux_count:Int64"),
        _CHANGES_READERS, "Lieux : changements comptés"),
    TableSpec(
        "activity_changes", changes.activity_changes,
        lambda i: changes.activity_changes(
            i.table("membership_by_year"), i.table("events_by_year"),
            i.table("volunteering_by_year"), i.dataset.budget, year=i.year),
        "activite_deux_ans", "une ligne par indicateur (membres, événements, participants, heures "
        "de bénévolat, résultat du budget) : N, N-1 et l'écart",
        _columns("indicator:str", "indicator_label:str", "unit:str", "previous_value:float64",
                 "value:float64", "change:float64", "change_ratio:float64"),
        _CHANGES_READERS, "Activité : ce qui a changé"),
    # --- cerfa (#17 §5: the AG votes the budget prévisionnel) ---
    TableSpec(
        "next_year_budget", budget.next_year_budget,
        lambda i: budget.next_year_budget(i.dataset.budget, year=i.year),
        "budget", "une ligne par section (charges, produits, résultat) du budget prévisionnel "
        "de N+1, soumis au vote de l'AG de N",
        _columns("year:Int64", "section:str", "planned_eur:float64"),
        ("presentation_ag",), "Budget prévisionnel de l'année suivante"),
)

#: Each table by name.
TABLES: dict[str, TableSpec] = {spec.name: spec for spec in CATALOGUE}

#: The year series (one row per year), compared N vs N-1 under the same name, in report order.
SERIES: tuple[str, ...] = tuple(spec.name for spec in CATALOGUE if spec.series)


def documents_of_reports(reports: Iterable[str] | None) -> tuple[str, ...]:
    """The documents that the build of ``reports`` produces (``None``: every report).

    Always includes the documents of the build itself (the geographic problems CSV).

    >>> documents_of_reports(["compte_rendu_financier"])
    ('compte_rendu_financier', 'classeur', 'problemes_geographiques', 'site_public')
    """
    wanted = None if reports is None else set(reports)
    return tuple(name for name, (_, report) in DOCUMENTS.items()
                 if report is None or wanted is None or report in wanted)


def tables_read_by(documents: Iterable[str]) -> tuple[TableSpec, ...]:
    """The catalogue entries that at least one of ``documents`` reads, in catalogue order."""
    wanted = set(documents)
    return tuple(spec for spec in CATALOGUE if wanted & set(spec.readers))


def catalogue_problems(catalogue: Iterable[TableSpec] = CATALOGUE) -> list[str]:
    """French problems of a catalogue (empty: sound): a table nobody reads, an unknown document
    or population, a name declared twice, a column without a French header."""
    problems = []
    seen: set[str] = set()
    for spec in catalogue:
        if spec.name in seen:
            problems.append(f"Table « {spec.name} » déclarée deux fois dans le catalogue.")
        seen.add(spec.name)
        if not spec.readers:
            problems.append(f"Table « {spec.name} » : aucun document ne la lit ; retirez-la du "
                            "catalogue (relief_analytics/context/catalogue.py).")
        unknown = [r for r in spec.readers if r not in DOCUMENTS]
        if unknown:
            problems.append(f"Table « {spec.name} » : document inconnu {', '.join(unknown)} "
                            f"(documents : {', '.join(DOCUMENTS)}).")
        if spec.population not in POPULATIONS:
            problems.append(f"Table « {spec.name} » : population inconnue « {spec.population} ».")
        problems += [f"Table « {spec.name} » : colonne « {c.name} » sans en-tête français."
                     for c in spec.columns if not c.label]
        if not _named_like_its_function(spec):
            problems.append(f"Table « {spec.name} » : sa fonction s'appelle "
                            f"« {spec.function.__name__} » ; une table porte le nom de la fonction "
                            "qui la calcule (ou de la chaîne « <nom>_chain » dont elle est une partie).")
    return problems


def _named_like_its_function(spec: TableSpec) -> bool:
    """The naming rule: a table function is a noun phrase equal to its table's name
    (``lieux_by_departement``); several tables read from one computation name its chain
    (``cerfa`` and ``cerfa_gaps`` from ``cerfa_chain``). Helpers that are not tables are verbs."""
    function = spec.function.__name__
    if function == spec.name:
        return True
    return function.endswith("_chain") and spec.name.startswith(function.removesuffix("_chain"))
