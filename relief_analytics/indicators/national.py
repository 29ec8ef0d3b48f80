"""The panorama: the network's open lieux broken down as the national census publishes them.

France Tiers-Lieux's panorama (the national census) publishes the share of tiers-lieux by kind of
territory (in a métropole or not), by typology and by family of legal form, and a density. Each
``panorama_*`` table computes the same breakdown on the lieux it is given (the caller chooses
the population: the lieux open at the end of the year) and puts the national figure of
``[contexte.national]`` beside each row (``national_*`` columns, NaN when config gives none: a
report reads « non renseigné », never 0). :func:`panorama_base` is the one sentence that states
the base of every panorama figure.

Pure functions: frames and the typed settings in, frames or text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from relief_analytics.formatting import format_value
from relief_analytics.geo.reference import GeoReference
from relief_analytics.indicators._frames import NOT_PROVIDED, finalise
from relief_analytics.indicators.lieux import lieux_by_typology
from relief_analytics.load.config_model import NationalSettings
from relief_analytics.text import code_key

# --- territory ----------------------------------------------------------------------------------
#: EPCI natures of the reference (``epci_kind``) -> row label and its national key.
METROPOLE = "Métropole"
EPCI_KINDS: dict[str, tuple[str, str]] = {
    "ME": (METROPOLE, "metropole"),
    "METRO": (METROPOLE, "metropole"),
    "CU": ("Hors métropole : communauté urbaine", "communaute_urbaine"),
    "CA": ("Hors métropole : communauté d'agglomération", "communaute_agglomeration"),
    "CC": ("Hors métropole : communauté de communes", "communaute_communes"),
}
NO_EPCI = "Hors métropole : commune sans intercommunalité"
OUTSIDE_METROPOLES = "Hors métropole (ensemble)"
REGION_TOTAL = "Ensemble de la région"

# --- legal forms --------------------------------------------------------------------------------
#: Families of legal form, in report order, with their key in ``[contexte.national.forme_juridique]``.
LEGAL_FAMILIES: dict[str, str] = {
    "Association": "association",
    "Coopérative (SCIC, SCOP…)": "cooperative",
    "Entreprise (SARL, SAS, SA…)": "entreprise",
    "Collectivité ou établissement public": "public",
    "Autre forme (collectif, fondation…)": "autre",
}
#: Words of a legal status (accents and case ignored) -> family; the first family matched wins,
#: in this order (a « SCIC SAS » is a cooperative). A status that matches none is « Non renseigné »
#: and named in the table, never put silently in another family.
LEGAL_FAMILY_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Coopérative (SCIC, SCOP…)", frozenset({"scic", "scop", "cooperative", "cae", "coop"})),
    ("Association", frozenset({"association", "asso", "1901", "federation"})),
    ("Collectivité ou établissement public", frozenset({
        "collectivite", "collectivites", "commune", "mairie", "epci", "intercommunalite",
        "communaute", "departement", "region", "universite", "public", "publique", "gip",
        "syndicat", "etablissement", "epic", "epa", "etat"})),
    ("Entreprise (SARL, SAS, SA…)", frozenset({
        "sarl", "sas", "sasu", "sa", "eurl", "ei", "eirl", "entreprise", "societe", "sci",
        "microentreprise", "micro-entreprise", "auto-entrepreneur", "autoentrepreneur"})),
    ("Autre forme (collectif, fondation…)", frozenset({
        "collectif", "fondation", "fonds", "autre", "informel", "indivision", "gie"})),
)


def legal_form_family(status: object) -> str:
    """The family of legal form of one ``legal_status`` value (``Non renseigné`` if unknown).

    Examples
    --------
    >>> [legal_form_family(s) for s in ["SCIC", "SARL / SAS / SA", "Collectivité", "Université",
    ...     "Collectif citoyen", "Association loi 1901", None, "Truc"]]  # doctest: +NORMALIZE_WHITESPACE
    ['Coopérative (SCIC, SCOP…)', 'Entreprise (SARL, SAS, SA…)',
     'Collectivité ou établissement public', 'Collectivité ou établissement public',
     'Autre forme (collectif, fondation…)', 'Association', 'Non renseigné', 'Non renseigné']
    """
    if status is None or (isinstance(status, float) and np.isnan(status)) or pd.isna(status):
        return NOT_PROVIDED
    words = set(re.split(r"[^a-z0-9-]+", code_key(str(status))))
    words |= {part for word in words for part in word.split("-")}
    for family, family_words in LEGAL_FAMILY_WORDS:
        if words & family_words:
            return family
    return NOT_PROVIDED


def _national_share(value: float | None) -> float:
    return float(value) if value is not None else np.nan


def _with_shares(table: pd.DataFrame, total: int) -> pd.DataFrame:
    table["lieux_share"] = table["lieux_count"].astype("float64") / total if total else np.nan
    return table


def panorama_by_territory(
    lieux: pd.DataFrame, *, reference: GeoReference, national: NationalSettings
) -> pd.DataFrame:
    """Lieux in a métropole or in another kind of EPCI, beside the national shares.

    Grain: one row per kind of EPCI of the reference (métropole, communauté urbaine,
    d'agglomération, de communes; a row for communes without EPCI only when a lieu is in one),
    then « Hors métropole (ensemble) ». Kinds with no EPCI in the region are left out.
    ``lieux`` must carry ``epci_code`` (resolved lieux); ``lieux_share`` is the share of the
    lieux given; ``national_lieux_share`` is NaN when ``[contexte.national.territoire]`` gives none.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ref = SimpleNamespace(epci=pd.DataFrame({"epci_code": ["1", "2"], "epci_kind": ["ME", "CC"]}))
    >>> nat = NationalSettings(territoire={"hors_metropole": 0.62})
    >>> panorama_by_territory(pd.DataFrame({"epci_code": ["1", "2", "2", "2"]}), reference=ref,
    ...     national=nat)[["lieux_count", "lieux_share"]].values.tolist()
    [[1, 0.25], [3, 0.75], [3, 0.75]]
    """
    kinds = reference.epci.set_index("epci_code")["epci_kind"].astype(str).str.upper()
    present = [kind for kind in EPCI_KINDS if kind in set(kinds)]
    lieu_kinds = lieux["epci_code"].map(kinds)
    territory = national.territory
    rows = []
    for kind in dict.fromkeys(EPCI_KINDS[k][0] for k in present):
        codes = [k for k in present if EPCI_KINDS[k][0] == kind]
        key = EPCI_KINDS[codes[0]][1]
        rows.append({"territory": kind, "lieux_count": int(lieu_kinds.isin(codes).sum()),
                     "national_lieux_share": _national_share(getattr(territory, key))})
    without = int(lieu_kinds.isna().sum())
    if without:
        rows.append({"territory": NO_EPCI, "lieux_count": without,
                     "national_lieux_share": np.nan})
    outside = sum(row["lieux_count"] for row in rows if row["territory"] != METROPOLE)
    rows.append({"territory": OUTSIDE_METROPOLES, "lieux_count": outside,
                 "national_lieux_share": _national_share(territory.hors_metropole)})
    table = pd.DataFrame(rows, columns=["territory", "lieux_count", "national_lieux_share"])
    table = _with_shares(table, len(lieux))
    return finalise(table[["territory", "lieux_count", "lieux_share", "national_lieux_share"]])


def panorama_by_typology(
    lieux: pd.DataFrame, *, typologies: Sequence[str] | None, national: NationalSettings
) -> pd.DataFrame:
    """Lieux per typology (:func:`~relief_analytics.indicators.lieux.lieux_by_typology`) beside
    the national shares of ``[contexte.national.typologie]`` (names matched ignoring case and
    accents; NaN when absent).

    Grain: one row per typology (listed ones first, even when zero). A lieu counts in each of
    its typologies: the shares add up to more than 100 %.

    Examples
    --------
    >>> nat = NationalSettings(typologie={"coworking": 0.3})
    >>> panorama_by_typology(pd.DataFrame({"typologies": ["Fablab|Coworking", "Coworking"]}),
    ...     typologies=None, national=nat)["national_lieux_share"].tolist()
    [0.3, nan]
    """
    table = lieux_by_typology(lieux, typologies=typologies)
    shares = {code_key(name): share for name, share in national.typology.items()}
    table["national_lieux_share"] = [shares.get(code_key(t), np.nan) for t in table["typology"]]
    return finalise(table)


def panorama_by_legal_form(lieux: pd.DataFrame, *, national: NationalSettings) -> pd.DataFrame:
    """Lieux per family of legal form (:func:`legal_form_family`) beside the national shares.

    Grain: one row per family (all five, even when zero), then « Non renseigné » (empty or
    unrecognised statuses) when some lieu is in it. ``legal_statuses`` names the statuses
    found in each family (« SCIC, SCOP »), so a status put in « Non renseigné » is visible.

    Examples
    --------
    >>> table = panorama_by_legal_form(pd.DataFrame({"legal_status": ["SCIC", "SCOP", None, "Xyz"]}),
    ...     national=NationalSettings(forme_juridique={"cooperative": 0.07}))
    >>> table.loc[[1, 5], ["lieux_count", "legal_statuses", "national_lieux_share"]].values.tolist()
    [[2, 'SCIC, SCOP', 0.07], [2, 'Xyz (non reconnu)', nan]]
    """
    statuses = lieux["legal_status"]
    families = statuses.map(legal_form_family)
    legal_form = national.legal_form
    rows = []
    for family in [*LEGAL_FAMILIES, NOT_PROVIDED]:
        members = statuses[families == family]
        if family == NOT_PROVIDED and members.empty:
            continue
        named = sorted({str(s).strip() for s in members.dropna() if str(s).strip()})
        if family == NOT_PROVIDED:
            named = [f"{s} (non reconnu)" for s in named]
        key = LEGAL_FAMILIES.get(family)
        rows.append({"legal_form_family": family, "lieux_count": len(members),
                     "legal_statuses": ", ".join(named),
                     "national_lieux_share": _national_share(getattr(legal_form, key)) if key
                     else np.nan})
    table = pd.DataFrame(rows, columns=["legal_form_family", "lieux_count", "legal_statuses",
                                        "national_lieux_share"])
    table = _with_shares(table, len(lieux))
    return finalise(table[["legal_form_family", "lieux_count", "lieux_share", "legal_statuses",
                           "national_lieux_share"]])


def panorama_density(
    lieux: pd.DataFrame, *, reference: GeoReference, national: NationalSettings
) -> pd.DataFrame:
    """Lieux per 100 000 inhabitants (the reference's population municipale): in the métropoles,
    outside them, in the whole region; the national density beside the region's.

    Grain: one row per territory (« Métropole », « Hors métropole (ensemble) », « Ensemble de la
    région »). ``national_lieux_per_100k`` is ``tiers_lieux`` / ``population_france`` of
    ``[contexte.national]`` on the region's row, NaN elsewhere or when either is missing.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ref = SimpleNamespace(epci=pd.DataFrame({"epci_code": ["1", "2"], "epci_kind": ["ME", "CC"],
    ...     "population": [100_000, 300_000]}))
    >>> nat = NationalSettings(tiers_lieux=3500, population_france=70_000_000)
    >>> panorama_density(pd.DataFrame({"epci_code": ["1", "2", "2"]}), reference=ref,
    ...     national=nat)[["lieux_per_100k", "national_lieux_per_100k"]].values.tolist()
    [[1.0, nan], [0.6666666666666666, nan], [0.75, 5.0]]
    """
    epci = pd.DataFrame(reference.epci[["epci_code", "epci_kind", "population"]])
    is_metro = epci["epci_kind"].astype(str).str.upper().map(
        lambda kind: EPCI_KINDS.get(kind, ("", ""))[0] == METROPOLE)
    metro_codes = set(epci.loc[is_metro, "epci_code"])
    population = epci["population"].astype("Float64")
    lieu_in_metro = lieux["epci_code"].isin(metro_codes)
    national_density = (national.lieux_count * 100_000 / national.population
                        if national.lieux_count is not None and national.population else np.nan)
    rows = [
        (METROPOLE, int(lieu_in_metro.sum()), population[is_metro].sum(), np.nan),
        (OUTSIDE_METROPOLES, int((~lieu_in_metro).sum()), population[~is_metro].sum(), np.nan),
        (REGION_TOTAL, len(lieux), population.sum(), national_density),
    ]
    table = pd.DataFrame(rows, columns=["territory", "lieux_count", "population",
                                        "national_lieux_per_100k"])
    table["population"] = table["population"].round().astype("Int64")
    per_100k = table["lieux_count"] * 100_000 / table["population"].astype("float64")
    table["lieux_per_100k"] = per_100k.where(table["population"].astype("float64") > 0)
    table = table.astype({"lieux_count": "Int64", "lieux_per_100k": "float64",
                          "national_lieux_per_100k": "float64"})
    return table[["territory", "lieux_count", "population", "lieux_per_100k",
                  "national_lieux_per_100k"]].reset_index(drop=True)


def panorama_base(
    *, counted_count: int, known_count: int, year: int, national: NationalSettings,
    has_national: bool = True,
) -> str:
    """The sentence under every panorama figure: its base, its source and its date (French).

    ``counted_count`` lieux are counted (open at the end of ``year``) out of ``known_count``
    lieux known to the network in the region (every state); ``has_national`` is False when the
    figure has no national value at all.

    Examples
    --------
    >>> nat = NationalSettings(source="France Tiers-Lieux, recensement national", annee=2023)
    >>> panorama_base(counted_count=151, known_count=1200, year=2025, national=nat)
    'Base : 151 lieux ouverts fin 2025 sur 1\\u202f200 connus du réseau dans la région (tous états) ; \
chiffres nationaux : France Tiers-Lieux, recensement national, 2023.'
    """
    lieux = "lieu ouvert" if counted_count == 1 else "lieux ouverts"
    known = "connu" if known_count == 1 else "connus"
    source = national.cited_source
    if not has_national:
        compared = "chiffre national non renseigné"
    elif source:
        compared = f"chiffres nationaux : {source}"
    else:
        compared = "chiffres nationaux : source non renseignée"
    return (f"Base : {format_value(counted_count, 'count')} {lieux} fin {year} sur "
            f"{format_value(known_count, 'count')} {known} du réseau dans la région (tous états) ; "
            f"{compared}.")


#: The panorama tables, in report order, with the French name of their breakdown.
PANORAMA_TABLES: dict[str, str] = {
    "panorama_by_territory": "territoire",
    "panorama_by_typology": "typologie",
    "panorama_by_legal_form": "forme juridique",
    "panorama_density": "densité",
}


def panorama_bases(
    tables: dict[str, pd.DataFrame], *, counted_count: int, known_count: int, year: int,
    national: NationalSettings,
) -> pd.DataFrame:
    """The base sentence of each panorama table (:func:`panorama_base`), in one place.

    Grain: one row per panorama table of :data:`PANORAMA_TABLES` present in ``tables``:
    ``panorama`` (the table's name), ``breakdown`` (French), ``lieux_count`` (lieux counted),
    ``known_lieux_count`` (lieux known in the region, every state), ``base_sentence``.
    A table whose national column is empty says « chiffre national non renseigné ».
    """
    rows = []
    for name, breakdown in PANORAMA_TABLES.items():
        if name not in tables:
            continue
        national_columns = [c for c in tables[name].columns if c.startswith("national_")]
        has_national = bool(tables[name][national_columns].notna().any().any())
        rows.append({"panorama": name, "breakdown": breakdown, "lieux_count": counted_count,
                     "known_lieux_count": known_count,
                     "base_sentence": panorama_base(counted_count=counted_count,
                                                    known_count=known_count, year=year,
                                                    national=national, has_national=has_national)})
    return finalise(pd.DataFrame(rows, columns=["panorama", "breakdown", "lieux_count",
                                                "known_lieux_count", "base_sentence"]))


def national_comparison(*, open_lieux_count: int, context: dict, region_name: str) -> pd.DataFrame:
    """The network's count of open lieux beside the national census figures.

    Grain: one row per indicator: ``indicator`` (French label), ``lieux_count``, ``source``.
    ``context`` is the ``[contexte]`` section of config.toml (``tiers_lieux_france``,
    ``part_region``, ``source``); missing keys give no row. Numbers stay numbers: the display
    formats them.

    Examples
    --------
    >>> national_comparison(open_lieux_count=150, context={"tiers_lieux_france": 3500,
    ...     "part_region": 0.13, "source": "FTL 2023"}, region_name="AURA")["lieux_count"].tolist()
    [3500, 455, 150]
    """
    rows = []
    total = context.get("tiers_lieux_france")
    share = context.get("part_region")
    source = str(context.get("source", ""))
    if total:
        rows.append({"indicator": "Tiers-lieux recensés en France", "lieux_count": int(total),
                     "source": source})
    if total and share:
        rows.append({
            "indicator": f"Estimation pour la région {region_name} "
                         f"({format_value(float(share), 'ratio')} du total)",
            "lieux_count": int(round(float(total) * float(share))), "source": source,
        })
    rows.append({"indicator": "Lieux ouverts recensés par le réseau",
                 "lieux_count": int(open_lieux_count), "source": "données du réseau"})
    return pd.DataFrame(rows, columns=["indicator", "lieux_count", "source"]).astype(
        {"lieux_count": "Int64"})
