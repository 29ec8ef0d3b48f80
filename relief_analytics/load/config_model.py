"""The typed model of ``config.toml``: every section, key, type, range and rule, in one place.

Sections and keys are French (TOML aliases), attributes English. :func:`validate_config` turns
the parsed TOML into a :class:`ConfigFile` or raises one French :class:`DataError` listing
**every** problem at once: file, section, key, value (never a salt's) and rule, with the nearest
known name for an unknown key or section (``code_regoin`` → « vouliez-vous dire code_region ? »).

Rules that depend on the folder (the sample's public salt and identity, files reached through a
symlink) read the dataset folder from the validation context, see :func:`validate_config`.
``docs/configuration.md`` is generated from this module (:func:`render_configuration_doc`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from relief_analytics.errors import DataError
from relief_analytics.load.config_messages import end_sentence, problem_fr, suggestion

CONFIG_FILE_NAME = "config.toml"

#: Salt of the synthetic sample (public: it is in git). Refused on any other folder.
SAMPLE_SALT = "exemple-synthetique-relief-2b8e1f0c9a7d4e63b5f2a8c1d0e9f7a6"
#: Public salts (the sample's, past and present): never accepted for real data, in any case.
PUBLIC_SALTS = frozenset({SAMPLE_SALT, "exemple-synthetique-relief"})
#: 32 characters: 128 bits for a hexadecimal salt such as ``secrets.token_hex(16)``.
MIN_SALT_LENGTH = 32
#: A salt such as ``aaaa…`` or ``abababab…`` is long but guessable.
MIN_SALT_DISTINCT_CHARACTERS = 8

#: The example association of ``data/sample``: (section, key, French label, value). Refused in a
#: final compte rendu of any other folder, like the public salt.
SAMPLE_IDENTITY = (
    ("subvention.association", "rna", "Numéro RNA", "W691234567"),
    ("subvention.association", "siret", "Numéro SIRET", "12345678900017"),
    ("subvention", "numero_convention", "Numéro de la convention", "2025-AURA-TL-00421"),
)

#: INSEE codes of the French regions (2016 map, overseas included).
REGION_CODES = frozenset({"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52",
                          "53", "75", "76", "84", "93", "94"})

#: RNA and SIRET formats: (pattern on the value without spaces, French description).
RNA_FORMAT = (re.compile(r"W\d{9}"), "W suivi de 9 chiffres")
SIRET_FORMAT = (re.compile(r"\d{14}"), "14 chiffres")
IDENTITY_FORMATS = {"rna": RNA_FORMAT, "siret": SIRET_FORMAT}

_STRICT = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


def _doc(alias: str, description: str, **kwargs: Any) -> Any:
    """A field read from the TOML key ``alias``, documented in docs/configuration.md."""
    return Field(alias=alias, description=description, **kwargs)


def _dataset_dir(info: ValidationInfo) -> Path | None:
    context = info.context or {}
    value = context.get("dataset_dir")
    return Path(value) if value is not None else None


def is_sample_folder(dataset_dir: Path | None) -> bool:
    """True for ``data/sample`` itself (or when no folder is known: a model built in code)."""
    from relief_analytics.paths import SAMPLE_DATASET_DIR

    if dataset_dir is None:
        return True
    return Path(dataset_dir).resolve() == SAMPLE_DATASET_DIR.resolve()


# --- [reseau] -----------------------------------------------------------------------------------
class NetworkSettings(BaseModel):
    """``[reseau]``: the network, its region, its years and its pseudonymisation salt."""

    model_config = _STRICT

    name: str = _doc("nom", "nom court du réseau, repris dans les titres", min_length=1)
    long_name: str | None = _doc("nom_long", "nom complet du réseau (défaut : nom)", default=None)
    region_code: str = _doc(
        "code_region", "code INSEE de la région, en texte (ex. \"84\" pour Auvergne-Rhône-Alpes) ; "
        "son référentiel géographique doit exister dans data/reference/<code>/")
    first_year: int = _doc("premiere_annee", "première année des séries (ex. 2021)", ge=2000, le=2100)
    default_year: int = _doc("annee_par_defaut", "année produite quand --annee n'est pas donnée",
                             ge=2000, le=2100)
    salt: str = _doc(
        "sel_pseudonymisation",
        f"chaîne secrète d'au moins {MIN_SALT_LENGTH} caractères, dont au moins "
        f"{MIN_SALT_DISTINCT_CHARACTERS} différents, propre au réseau et jamais publiée ; le sel "
        "public des données d'exemple est refusé sur tout autre dossier",
        repr=False)
    last_ag_date: dt.date | None = _doc(
        "date_derniere_ag", "date TOML de la dernière assemblée générale, ex. 2025-06-14 ; les "
        "rapports comparent les lieux à leur état à cette date (dernier instantané gardé ce "
        "jour-là ou avant) ; vide = pas de comparaison avec la dernière AG", default=None)

    @field_validator("region_code", mode="before")
    @classmethod
    def _region_code(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:02d}"
        if not isinstance(value, str):
            return value
        code = value.strip()
        if code not in REGION_CODES:
            raise ValueError(f"code de région inconnu ; codes INSEE des régions : "
                             f"{', '.join(sorted(REGION_CODES))}")
        from relief_analytics.paths import REFERENCE_DIR

        if not (REFERENCE_DIR / code).is_dir():
            raise ValueError(
                f"aucun référentiel géographique pour la région {code} (dossier "
                f"data/reference/{code}/ absent) ; construisez-le (voir data/README.md) ou "
                "vérifiez le code")
        return code

    @field_validator("salt")
    @classmethod
    def _salt(cls, value: str, info: ValidationInfo) -> str:
        problem = salt_problem(value, dataset_dir=_dataset_dir(info))
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _years(self) -> NetworkSettings:
        if self.default_year < self.first_year:
            raise ValueError(f"annee_par_defaut ({self.default_year}) précède premiere_annee "
                             f"({self.first_year})")
        return self


def salt_help() -> str:
    """What to do about a refused salt, with a fresh random suggestion (French)."""
    return (
        f"Choisissez une chaîne secrète d'au moins {MIN_SALT_LENGTH} caractères, propre à votre réseau, "
        f"et ne la publiez pas : elle rend les identifiants de membres impossibles à recalculer à partir "
        f"d'une liste d'e-mails. Par exemple (valeur tirée au hasard à l'instant) : "
        f"sel_pseudonymisation = \"{secrets.token_hex(16)}\" ; ou générez-en une avec la commande "
        f"python -c \"import secrets; print(secrets.token_hex(16))\". Gardez ensuite la même valeur "
        f"d'une année sur l'autre (sinon les identifiants changent)."
    )


def salt_problem(salt: str, *, dataset_dir: Path | None) -> str | None:
    """Why ``salt`` is refused (French, with :func:`salt_help`), or None when it is strong enough.

    Refused: empty; the sample's public salt, in any case, outside ``data/sample``; shorter than
    :data:`MIN_SALT_LENGTH`; fewer than :data:`MIN_SALT_DISTINCT_CHARACTERS` distinct characters.
    """
    if not salt.strip():
        problem = "le sel est vide, les identifiants des membres seraient réversibles."
    elif salt.strip().lower() in PUBLIC_SALTS and not (is_sample_folder(dataset_dir) and salt == SAMPLE_SALT):
        problem = ("c'est le sel public des données d'exemple (data/sample), connu de tous ; "
                   "il ne protège pas des données réelles.")
    elif len(salt) < MIN_SALT_LENGTH:
        problem = (f"le sel est trop court ({len(salt)} caractères, il en faut au moins "
                   f"{MIN_SALT_LENGTH}).")
    elif len(set(salt)) < MIN_SALT_DISTINCT_CHARACTERS:
        problem = (f"le sel est trop répétitif ({len(set(salt))} caractère(s) différent(s), il en faut "
                   f"au moins {MIN_SALT_DISTINCT_CHARACTERS}) : il se devine.")
    else:
        return None
    return f"{problem} {salt_help()}"


# --- [fichiers] ---------------------------------------------------------------------------------
_FILE_RULE = (
    "le fichier doit être dans le dossier de données lui-même (ou un de ses sous-dossiers) ; les "
    "chemins absolus et « .. » sont refusés. Copiez le fichier dans le dossier de données et "
    "indiquez son seul nom."
)
_SYMLINK_RULE = (
    "ce nom mène, par un lien symbolique, à un fichier hors du dossier de données ; les liens vers "
    "l'extérieur sont refusés. Copiez le fichier lui-même dans le dossier de données."
)

class FileSettings(BaseModel):
    """``[fichiers]``: the file of each table, relative to the data folder (CSV or XLSX)."""

    model_config = _STRICT

    lieux: str | None = _doc("lieux", "table des lieux (obligatoire pour tout usage)", default=None)
    adhesions: str | None = _doc("adhesions", "table des adhésions (export HelloAsso)", default=None)
    evenements: str | None = _doc("evenements", "table des événements", default=None)
    contributions: str | None = _doc("contributions", "table du temps bénévole", default=None)
    budget: str | None = _doc("budget", "table du budget (prévision et réalisation)", default=None)
    gouvernance: str | None = _doc("gouvernance", "table de la gouvernance (facultative)", default=None)
    explications_ecarts: str | None = _doc(
        "explications_ecarts", "explications des écarts significatifs (facultative)", default=None)
    bilan_qualitatif: str | None = _doc(
        "bilan_qualitatif", "bilan qualitatif en Markdown ; « {annee} » est remplacé par l'année",
        default=None)

    @field_validator("*")
    @classmethod
    def _inside_the_folder(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        problem = file_name_problem(value, dataset_dir=_dataset_dir(info))
        if problem:
            raise ValueError(problem)
        return value

    def as_dict(self) -> dict[str, str]:
        """The declared files, ``{table: name}`` (absent keys left out)."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


def file_name_problem(name: str, *, dataset_dir: Path | None) -> str | None:
    """Why the file ``name`` of ``[fichiers]`` is refused (French), or None.

    Refused: empty; absolute, ``~``, a drive letter or ``..``; or, once the folder is known,
    a path that resolves (through a symlink) outside the data folder.
    """
    if not name.strip():
        return "indiquez un nom de fichier (texte)."
    parts = Path(name.replace("\\", "/")).parts
    if (Path(name).is_absolute() or name.startswith(("/", "\\", "~")) or ".." in parts
            or re.match(r"^[A-Za-z]:", name)):
        return _FILE_RULE
    if dataset_dir is not None and "{" not in name:
        root = Path(dataset_dir).resolve()
        target = (root / name).resolve()
        if target != root and root not in target.parents:
            return _SYMLINK_RULE
    return None


# --- [listes] -----------------------------------------------------------------------------------
CodeList = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class ListSettings(BaseModel):
    """``[listes]``: the code lists (data, not code); each holds at least one value."""

    model_config = _STRICT

    commissions: CodeList = _doc("commissions", "commissions du réseau (noms exacts)")
    typologies: CodeList = _doc("typologies", "typologies de lieux")
    statuts_juridiques: CodeList = _doc("statuts_juridiques", "statuts juridiques des lieux")
    etats_lieu: CodeList = _doc("etats_lieu", "états d'un lieu (ex. en projet, ouvert, fermé)")
    types_evenements: CodeList = _doc("types_evenements", "types d'événements")
    modes_participation: CodeList = _doc("modes_participation", "modes de participation")
    roles_gouvernance: CodeList = _doc("roles_gouvernance", "rôles de gouvernance (ex. CA, copilote)")
    statuts_commande_valides: CodeList = _doc(
        "statuts_commande_valides", "statuts HelloAsso comptés comme adhésions valides")


REQUIRED_LISTS = tuple(field.alias for field in ListSettings.model_fields.values())


# --- [subvention] -------------------------------------------------------------------------------
class IdentitySettings(BaseModel):
    """``[subvention.association]``: identification of the association (CERFA n° 15059)."""

    model_config = _STRICT

    name: str | None = _doc("nom", "nom officiel, tel que déclaré au RNA", default=None,
                           title="Nom de l'association")
    rna: str | None = _doc("rna", f"numéro du répertoire national des associations : {RNA_FORMAT[1]}",
                           default=None, title="Numéro RNA")
    siret: str | None = _doc("siret", f"{SIRET_FORMAT[1]} (espaces tolérés)", default=None,
                             title="Numéro SIRET")
    address: str | None = _doc("adresse", "adresse postale du siège social", default=None,
                               title="Adresse du siège")
    representative_role: str | None = _doc(
        "representant_qualite",
        "fonction de la personne qui signe (ex. président(e)) ; son nom est écrit à la main à la "
        "signature, jamais enregistré", default=None, title="Qualité du représentant légal")

    @field_validator("rna", "siret", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class SubsidySettings(BaseModel):
    """``[subvention]``: the subsidy's references, the gap thresholds and the identification.

    Every reference is optional here: a draft lists what is missing (:meth:`missing_items`) and
    the final compte rendu is refused until nothing is.
    """

    model_config = _STRICT

    funder: str | None = _doc("financeur", "financeur destinataire du compte rendu", default=None,
                              title="Financeur")
    action_title: str | None = _doc("intitule_action", "intitulé de l'action, comme dans la convention",
                                    default=None, title="Action subventionnée")
    agreement_number: str | None = _doc("numero_convention", "numéro du dossier ou de la convention",
                                        default=None, title="Numéro de la convention")
    agreement_date: dt.date | None = _doc("date_convention", "date TOML, ex. 2025-03-14", default=None,
                                          title="Date de la convention")
    granted_eur: float | None = _doc("montant_accorde_eur", "montant accordé en euros, ex. 60000",
                                     default=None, ge=0, title="Montant accordé")
    period_start: dt.date | None = _doc("periode_debut", "date TOML, ex. 2025-01-01", default=None,
                                        title="Début de la période couverte")
    period_end: dt.date | None = _doc("periode_fin", "date TOML, ex. 2025-12-31", default=None,
                                      title="Fin de la période couverte")
    signature_place: str | None = _doc(
        "lieu_signature", "commune où le compte rendu est signé ; vide : laissé en blanc, à écrire "
        "à la main", default=None, title="Lieu de signature (« Fait à … »)")
    signature_date: dt.date | None = _doc(
        "date_signature", "date TOML de la signature, ex. 2026-05-12 ; vide : laissée en blanc, à "
        "écrire à la main (jamais la date de construction)", default=None,
        title="Date de signature (« le … »)")
    gap_pct_threshold: float | None = _doc(
        "seuil_ecart_pct", "un écart prévision / réalisation est significatif au-delà de ce "
        "pourcentage de la prévision (et du seuil en euros)", default=None, ge=0)
    gap_eur_threshold: float | None = _doc(
        "seuil_ecart_eur", "… et au-delà de ce montant en euros", default=None, ge=0)
    indirect_costs_rule: str | None = _doc(
        "regle_charges_indirectes", "annexe du CERFA : comment les charges indirectes sont réparties",
        default=None)
    association: IdentitySettings = _doc("association", "identification de l'association",
                                         default_factory=IdentitySettings)
    #: Items equal to the example association's, in a folder other than the sample (set at read).
    _example_items: tuple[str, ...] = PrivateAttr(default=())

    @property
    def example_items(self) -> tuple[str, ...]:
        """Labels of the items equal to the example association's (outside ``data/sample``)."""
        return self._example_items

    @field_validator("agreement_number", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _example_identity(self, info: ValidationInfo) -> SubsidySettings:
        if is_sample_folder(_dataset_dir(info)):
            return self
        values = {"rna": self.association.rna, "siret": self.association.siret,
                  "numero_convention": self.agreement_number}
        found = tuple(label for _, key, label, sample in SAMPLE_IDENTITY
                      if _compact(values[key]) == _compact(sample))
        self._example_items = found
        return self

    def gap_thresholds(self) -> tuple[float, float]:
        """``(seuil_ecart_pct, seuil_ecart_eur)``, both needed by the compte rendu financier.

        Raises
        ------
        DataError
            Naming the threshold that is missing (French message).
        """
        for key, value in (("seuil_ecart_pct", self.gap_pct_threshold), ("seuil_ecart_eur", self.gap_eur_threshold)):
            if value is None:
                raise DataError(
                    f"Seuil d'écart significatif manquant : renseignez « {key} » (un nombre) dans "
                    "la section [subvention] du fichier config.toml."
                )
        return self.gap_pct_threshold, self.gap_eur_threshold

    def missing_items(self) -> list[str]:
        """What the identification and references still lack, one French sentence each.

        Blank fields, a RNA or SIRET that doesn't match its format, and the example
        association's RNA, SIRET or convention number outside the sample folder.
        """
        items = []
        for key, field in IdentitySettings.model_fields.items():
            value = getattr(self.association, key)
            if _is_blank(value):
                items.append(f"Identification de l'association : « {field.title} » manque.")
            elif key in IDENTITY_FORMATS and not IDENTITY_FORMATS[key][0].fullmatch(_compact(value)):
                items.append(f"Identification de l'association : « {field.title} » vaut « {value} », "
                             f"attendu : {IDENTITY_FORMATS[key][1]}.")
        for name in _REFERENCE_FIELDS:
            if _is_blank(getattr(self, name)):
                items.append(f"Références de la subvention : « {SubsidySettings.model_fields[name].title} » manque.")
        for label in self.example_items:
            items.append(f"« {label} » est celui de l'association d'exemple (data/sample) : indiquez "
                         "celui de votre association.")
        if _is_blank(self.indirect_costs_rule):
            items.append("Annexe : la règle de répartition des charges indirectes n'est pas décrite.")
        return items


#: The place and date of signature are not among them: left blank, they are written by hand.
_REFERENCE_FIELDS = ("funder", "action_title", "agreement_number", "agreement_date", "granted_eur",
                     "period_start", "period_end")


def _compact(value: Any) -> str:
    return "" if value is None else str(value).replace(" ", "").upper()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- [rapports], [contexte], [colonnes], [importation] -----------------------------------------
class ReportSettings(BaseModel):
    """``[rapports]``: how the reports are built."""

    model_config = _STRICT

    browser: str = _doc("navigateur", "chemin ou nom d'un navigateur Chromium/Chrome pour les PDF ; "
                        "vide = recherche automatique", default="")

    @property
    def configured_browser(self) -> str | None:
        """The browser to try first, or None for the automatic search."""
        return self.browser.strip() or None


Share = Annotated[float, Field(ge=0, le=1)]


def _share(alias: str, description: str) -> Any:
    return _doc(alias, f"{description} (part entre 0 et 1, ex. 0.62)", default=None, ge=0, le=1)


class NationalTerritorySettings(BaseModel):
    """``[contexte.national.territoire]``: national shares of tiers-lieux by kind of territory."""

    model_config = _STRICT

    metropole: float | None = _share("metropole", "part des tiers-lieux de France situés dans une "
                                     "métropole ; déduite de hors_metropole si absente")
    hors_metropole: float | None = _share("hors_metropole", "part située hors des métropoles ; "
                                          "déduite de metropole si absente")
    communaute_urbaine: float | None = _share("communaute_urbaine", "part dans une communauté urbaine")
    communaute_agglomeration: float | None = _share(
        "communaute_agglomeration", "part dans une communauté d'agglomération")
    communaute_communes: float | None = _share("communaute_communes",
                                               "part dans une communauté de communes")


class NationalLegalFormSettings(BaseModel):
    """``[contexte.national.forme_juridique]``: national shares by family of legal form."""

    model_config = _STRICT

    association: float | None = _share("association", "part portée par une association")
    cooperative: float | None = _share("cooperative", "part portée par une coopérative (SCIC, SCOP…)")
    entreprise: float | None = _share("entreprise", "part portée par une entreprise (SARL, SAS, SA…)")
    public: float | None = _share("public", "part portée par une collectivité ou un établissement "
                                  "public")
    autre: float | None = _share("autre", "part portée par une autre forme (collectif, fondation…)")


class NationalSettings(BaseModel):
    """``[contexte.national]``: the national census to compare with, breakdown by breakdown.

    Every figure is optional: a breakdown without its national figure reads « non renseigné »
    in the panorama, never 0. The flat keys of ``[contexte]`` (older form) stay valid and fill
    what this section leaves out (:meth:`ContextSettings.national_figures`).
    """

    model_config = _STRICT

    source: str = _doc("source", "source des chiffres nationaux, citée sous chaque figure du "
                       "panorama (ex. France Tiers-Lieux, recensement national)", default="")
    year: int | None = _doc("annee", "année des chiffres nationaux (ex. 2023)", default=None,
                            ge=2000, le=2100)
    lieux_count: int | None = _doc("tiers_lieux", "nombre de tiers-lieux recensés en France",
                                   default=None, ge=0)
    population: int | None = _doc(
        "population_france", "population de la France, pour la densité nationale (tiers_lieux "
        "pour 100 000 habitants)", default=None, gt=0)
    region_share: float | None = _share("part_region", "part des tiers-lieux de France situés dans "
                                        "la région")
    territory: NationalTerritorySettings = _doc(
        "territoire", "parts par type de territoire (métropole ou autre EPCI)",
        default_factory=NationalTerritorySettings)
    typology: dict[str, Share] = _doc(
        "typologie", "parts par typologie : lignes « \"typologie de [listes].typologies\" = part »",
        default_factory=dict)
    legal_form: NationalLegalFormSettings = _doc(
        "forme_juridique", "parts par famille de forme juridique",
        default_factory=NationalLegalFormSettings)

    @property
    def cited_source(self) -> str:
        """The source as cited: « France Tiers-Lieux, recensement national, 2023 » ('' if none)."""
        source = self.source.strip()
        if self.year is not None and str(self.year) not in source:
            return f"{source}, {self.year}" if source else str(self.year)
        return source

    @model_validator(mode="after")
    def _complementary_territory(self) -> NationalSettings:
        territory = self.territory
        if territory.metropole is not None and territory.hors_metropole is not None \
                and abs(territory.metropole + territory.hors_metropole - 1) > 0.005:
            raise ValueError(
                f"territoire : metropole ({territory.metropole:g}) et hors_metropole "
                f"({territory.hors_metropole:g}) doivent faire 1 à eux deux ; n'en donnez qu'un")
        return self


class ContextSettings(BaseModel):
    """``[contexte]``: national figures to compare with (source quoted in the reports).

    The structured form is ``[contexte.national]``; the flat keys below are its older form,
    still read (a value of ``[contexte.national]`` wins).
    """

    model_config = _STRICT

    source: str = _doc("source", "source des chiffres, citée dans les rapports (ancienne forme : "
                       "préférez [contexte.national] source)", default="")
    tiers_lieux_france: int | None = _doc("tiers_lieux_france", "nombre de tiers-lieux en France "
                                          "(ancienne forme de [contexte.national] tiers_lieux)",
                                          default=None, ge=0)
    part_region: float | None = _doc("part_region", "part des tiers-lieux de France situés dans la région "
                              "(entre 0 et 1)", default=None, ge=0, le=1)
    part_hors_metropoles: float | None = _doc("part_hors_metropoles", "part hors des métropoles (entre 0 et 1)",
                                       default=None, ge=0, le=1)
    part_associations: float | None = _doc("part_associations", "part portée par une association (entre 0 et 1)",
                                    default=None, ge=0, le=1)
    national: NationalSettings = _doc("national", "recensement national à comparer, par répartition "
                                      "(panorama du rapport d'activité)",
                                      default_factory=NationalSettings)

    def national_figures(self) -> NationalSettings:
        """``[contexte.national]`` completed by the flat keys of ``[contexte]`` (older form).

        A territory share given alone gives its complement (métropole = 1 − hors métropole).

        >>> ContextSettings(part_hors_metropoles=0.62).national_figures().territory.metropole
        0.38
        """
        national = self.national
        territory = national.territory
        hors = _first(territory.hors_metropole, self.part_hors_metropoles)
        metro = territory.metropole
        if metro is None and hors is not None:
            metro = round(1 - hors, 6)
        if hors is None and metro is not None:
            hors = round(1 - metro, 6)
        return national.model_copy(update={
            "source": national.source.strip() or self.source.strip(),
            "lieux_count": _first(national.lieux_count, self.tiers_lieux_france),
            "region_share": _first(national.region_share, self.part_region),
            "territory": territory.model_copy(update={"metropole": metro, "hors_metropole": hors}),
            "legal_form": national.legal_form.model_copy(update={
                "association": _first(national.legal_form.association, self.part_associations)}),
        })

    def as_mapping(self) -> dict[str, Any]:
        """The figures given, by their flat ``config.toml`` key (absent ones left out), the
        structured ``[contexte.national]`` included (:meth:`national_figures`)."""
        national = self.national_figures()
        values = {"source": national.cited_source, "tiers_lieux_france": national.lieux_count,
                  "part_region": national.region_share,
                  "part_hors_metropoles": national.territory.hors_metropole,
                  "part_associations": national.legal_form.association}
        return {key: value for key, value in values.items() if value not in (None, "")}


def _first(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


class SiteSettings(BaseModel):
    """``[site]``: the public observatory website (``relief site``)."""

    model_config = _STRICT

    presentation: str = _doc("presentation", "le réseau en deux phrases, en tête de l'accueil du site",
                             default="")
    cerfa_public: bool = _doc("cerfa_public", "publier le compte rendu financier (CERFA) sur le site",
                              default=False)
    licence: str = _doc("licence", "licence des données publiées sur le site",
                        default="Licence Ouverte 2.0 (Etalab)", min_length=1)
    contact: str = _doc("contact", "adresse web ou e-mail du réseau pour demander une correction "
                        "(jamais celle d'une personne)", default="")
    with_reports: bool = _doc("avec_rapports", "« relief rapports » met aussi le site à jour",
                              default=False)


class LieuxImportSettings(BaseModel):
    """``[importation.lieux]``: values given to imported lieux that lack them."""

    model_config = _STRICT

    state: str | None = _doc("etat", "état d'un lieu importé sans état (de [listes].etats_lieu)",
                            default=None)
    is_member: str | None = _doc("membre_reseau", "« oui » ou « non » pour un lieu importé",
                                     default=None)


class EventImportSettings(BaseModel):
    """``[importation.evenements]``: kind and commission of events imported from an agenda."""

    model_config = _STRICT

    kind: str | None = _doc("type", "type des événements importés (de [listes].types_evenements)",
                            default=None)
    commission: str | None = _doc("commission", "commission organisatrice (de [listes].commissions)",
                                  default=None)


class ImportSettingsModel(BaseModel):
    """``[importation]``: how exports are read by ``relief importer`` (see docs/imports.md)."""

    model_config = _STRICT

    member_kind_by_tarif: dict[str, str] = _doc(
        "tarifs_adhesion", "tarif HelloAsso → « physique » ou « morale »", default_factory=dict)
    typology_synonyms: dict[str, str] = _doc(
        "typologies", "autre façon d'écrire une typologie → typologie de [listes].typologies",
        default_factory=dict)
    lieux_defaults: LieuxImportSettings = _doc("lieux", "valeurs par défaut des lieux importés",
                                      default_factory=LieuxImportSettings)
    event_defaults: EventImportSettings = _doc("evenements", "valeurs par défaut des événements importés",
                                           default_factory=EventImportSettings)


HourlyRates = dict[Annotated[int, Field(ge=2000, le=2100)], Annotated[float, Field(gt=0)]]


class ConfigFile(BaseModel):
    """All of ``config.toml``."""

    model_config = _STRICT

    network: NetworkSettings = _doc("reseau", "le réseau, sa région, ses années et son sel")
    files: FileSettings = _doc("fichiers", "le fichier de chaque table, dans le dossier de données")
    lists: ListSettings = _doc("listes", "les listes de codes")
    hourly_rates: HourlyRates = _doc(
        "taux_horaire_benevolat", "taux horaire du bénévolat (€, plus de 0) par année : "
        "lignes « 2025 = 11.88 »")
    subsidy: SubsidySettings = _doc("subvention", "compte rendu financier (CERFA n° 15059)",
                                    default_factory=SubsidySettings)
    reports: ReportSettings = _doc("rapports", "production des rapports", default_factory=ReportSettings)
    context: ContextSettings = _doc("contexte", "chiffres nationaux de comparaison",
                                    default_factory=ContextSettings)
    site: SiteSettings = _doc("site", "site public de l'observatoire (relief site)",
                              default_factory=SiteSettings)
    column_overrides: dict[str, dict[str, str]] = _doc(
        "colonnes", "[colonnes.<table>] : autre en-tête → colonne attendue", default_factory=dict)
    importing: ImportSettingsModel = _doc("importation", "lecture des exports (relief importer)",
                                          default_factory=ImportSettingsModel)

    @field_validator("column_overrides")
    @classmethod
    def _known_tables(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        known = [name for name in FileSettings.model_fields if name != "bilan_qualitatif"]
        for table in value:
            if table not in known:
                raise ValueError(f"table « {table} » inconnue{suggestion(table, known)} ; tables : "
                                 f"{', '.join(known)}")
        return value


def import_target_problems(raw: dict) -> list[str]:
    """Rules across sections, checked even when other keys are wrong (French, one per problem).

    ``[importation.tarifs_adhesion]`` values are « physique » or « morale »; the targets of
    ``[importation.typologies]`` and the names of ``[contexte.national.typologie]`` are in
    ``[listes].typologies`` (case and accents ignored).
    """
    from relief_analytics.text import code_key

    def mapping(value: Any) -> dict:
        return value if isinstance(value, dict) else {}

    importing = mapping(raw.get("importation"))
    problems = []
    for tarif, kind in mapping(importing.get("tarifs_adhesion")).items():
        if isinstance(kind, str) and code_key(kind) not in ("physique", "morale"):
            problems.append(f"[importation.tarifs_adhesion] « {tarif} » = « {kind} » : valeur attendue "
                            "« physique » ou « morale »")
    listed = mapping(raw.get("listes")).get("typologies")
    if isinstance(listed, list):
        typologies = {code_key(t) for t in listed if isinstance(t, str)}
        for term, target in mapping(importing.get("typologies")).items():
            if isinstance(target, str) and code_key(target) not in typologies:
                problems.append(f"[importation.typologies] « {term} » = « {target} » : « {target} » n'est "
                                "pas dans [listes].typologies")
        national = mapping(mapping(mapping(raw.get("contexte")).get("national")).get("typologie"))
        for name in national:
            if code_key(str(name)) not in typologies:
                known = [t for t in listed if isinstance(t, str)]
                problems.append(f"[contexte.national.typologie] « {name} » n'est pas dans [listes].typologies"
                                f"{suggestion(str(name), known)} ; sa part ne serait comparée à aucune "
                                "typologie")
    return problems


def validate_config(raw: dict, *, path: Path, dataset_dir: Path | None = None) -> ConfigFile:
    """Check the parsed ``config.toml`` as a whole and return the typed model.

    Raises
    ------
    DataError
        Listing every problem, one per line: section, key, value and rule (French).
    """
    try:
        model = ConfigFile.model_validate(raw, context={"dataset_dir": dataset_dir})
    except ValidationError as exc:
        problems = [problem_fr(error, root=ConfigFile) for error in exc.errors()]
    else:
        problems = []
    problems = list(dict.fromkeys(end_sentence(problem) for problem in problems + import_target_problems(raw)))
    if not problems:
        return model
    if len(problems) == 1:
        raise DataError(f"Configuration {path}, {problems[0]}") from None
    listed = "\n".join(f"  - {problem}" for problem in problems)
    raise DataError(
        f"Configuration {path} : {len(problems)} problèmes, à corriger tous avant de relancer :\n{listed}"
    ) from None
