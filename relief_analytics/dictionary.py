"""Generate the French data dictionary and the architecture's figure map (never written by hand).

``relief dictionnaire`` (or ``make dictionnaire``) rewrites ``docs/dictionnaire_des_donnees.md``
from the schemas (input tables) and the catalogue of the year's tables
(:mod:`relief_analytics.context.catalogue`), and the « Where each figure comes from » section of
``docs/architecture.md`` from the catalogue, and ``docs/configuration.md`` from the configuration
model; a test fails when a committed copy is stale.
"""

from __future__ import annotations

from pathlib import Path

from relief_analytics import paths
from relief_analytics.safety import WEB_URL_LABEL, WEB_URL_PATTERN
from relief_analytics.schemas import (
    KIND_LABELS_FR,
    OPTIONAL_TABLES,
    PERSONAL_TABLES,
    TABLE_GRAINS_FR,
    TABLE_LABELS_FR,
    TABLES,
    column_specs,
)


def _checks_fr(spec: dict) -> str:
    parts = []
    for check in spec["checks"]:
        stats = getattr(check, "statistics", {}) or {}
        name = getattr(check, "name", "")
        if name == "greater_than_or_equal_to":
            parts.append(f"≥ {stats['min_value']:g}".replace(".", ","))
        elif name == "greater_than":
            parts.append(f"> {stats['min_value']:g}".replace(".", ","))
        elif name == "less_than_or_equal_to":
            parts.append(f"≤ {stats['max_value']:g}".replace(".", ","))
        elif name == "isin":
            parts.append("valeurs : " + ", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif name == "str_matches" and stats["pattern"] == WEB_URL_PATTERN:
            parts.append(WEB_URL_LABEL)
        elif name == "str_matches":
            parts.append(f"format `{stats['pattern']}`")
    if spec.get("codes"):
        parts.append(f"valeurs de la liste `[listes].{spec['codes']}` de config.toml")
    return " ; ".join(parts)


def render_dictionary() -> str:
    """Return the Markdown data dictionary (French)."""
    lines = [
        "# Dictionnaire des données",
        "",
        "<!-- Fichier généré par `relief dictionnaire` à partir de relief_analytics/schemas : ne pas modifier à la main. -->",
        "",
        "Chaque table est un fichier CSV (séparateur `;` ou `,`, UTF-8 ou Windows-1252) ou XLSX du dossier",
        "de données ; son nom est donné dans `config.toml`, section `[fichiers]`. Les en-têtes sont",
        "reconnus sans tenir compte des majuscules, accents et espaces ; un autre nom d'en-tête se déclare",
        "dans `config.toml`, section `[colonnes.<table>]`. Une ligne qui enfreint une règle est écartée",
        "des indicateurs et listée dans le rapport de qualité des données.",
        "",
    ]
    for table, model in TABLES.items():
        label = TABLE_LABELS_FR[table]
        flags = []
        if table in OPTIONAL_TABLES:
            flags.append("table facultative")
        if table in PERSONAL_TABLES:
            flags.append(
                "contient des données personnelles à l'entrée : nom, prénom, e-mail, téléphone et adresse "
                "des personnes sont remplacés dès la lecture par un identifiant pseudonyme (`member_id`) "
                "et ne sont jamais conservés"
            )
        unique = model.to_schema().unique or []
        lines += [f"## {label} (`{table}`)", ""]
        lines.append(f"Grain : {TABLE_GRAINS_FR[table]}.")
        if unique:
            lines.append(f"Clé unique : {', '.join(f'`{c}`' for c in unique)}.")
        for flag in flags:
            lines.append(f"*{flag[0].upper() + flag[1:]}.*")
        lines += [
            "",
            "| Colonne | En-tête attendu | Type | Obligatoire | Description | Règles |",
            "|---|---|---|---|---|---|",
        ]
        for name, spec in column_specs(model).items():
            if name == "member_id":
                header, required = "(calculé)", "calculé"
            else:
                header = f"`{spec['header']}`"
                if spec["synonyms"]:
                    header += " (ou " + ", ".join(f"`{s}`" for s in spec["synonyms"]) + ")"
                required = "colonne et valeur" if spec["required"] and not spec["nullable"] else (
                    "colonne" if spec["required"] else "non")
            cells = [f"`{name}`", header, KIND_LABELS_FR[spec["kind"]], required,
                     spec["description"], _checks_fr(spec)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines + _subsidy_settings() + _year_tables())


def _subsidy_settings() -> list[str]:
    """The config.toml keys of the compte rendu financier (from the configuration model)."""
    from relief_analytics.load.config_model import IdentitySettings, SubsidySettings

    lines = [
        "## Compte rendu financier : réglages de `config.toml`",
        "",
        "Repris en tête du compte rendu (CERFA n° 15059) et dans l'attestation finale. La version à "
        "envoyer n'est produite que si tous sont renseignés et que chaque écart significatif est "
        "expliqué ; sinon `relief rapports` s'arrête en les nommant, et `relief rapports "
        "--brouillon` produit un brouillon filigrané qui liste ce qui manque. Toutes les clés de "
        "`config.toml` : `docs/configuration.md`.",
        "",
        "| Section | Clé | Dans le document | À renseigner |",
        "|---|---|---|---|",
    ]
    for section, model in (("[subvention]", SubsidySettings), ("[subvention.association]", IdentitySettings)):
        for field in model.model_fields.values():
            if field.title:
                lines.append(f"| `{section}` | `{field.alias}` | {field.title} | {field.description} |")
    lines.append("")
    return lines


_UNIT_LABELS_FR = {
    "count": "nombre", "eur": "euros", "hours": "heures", "ratio": "proportion (0,15 = 15 %)",
    "density": "pour 100 000 habitants", "km": "kilomètres", "number": "nombre", "year": "année",
    "text": "texte",
}


def _year_tables() -> list[str]:
    """The tables of the year context, from the catalogue (grain, population, columns, readers)."""
    from relief_analytics.context.catalogue import CATALOGUE, DOCUMENTS, POPULATIONS

    lines = [
        "## Tables de l'année (contexte des rapports)",
        "",
        "Calculées une fois par année à partir des tables ci-dessus, lues par les rapports. Les tables",
        "publiques sont aussi écrites dans `reports/<année>/donnees/<table>.csv` pour un tableur :",
        "en-têtes en français (colonne « En-tête » ci-dessous), séparateur `;`, virgule décimale, UTF-8",
        "avec BOM, dates `AAAA-MM-JJ`, `oui`/`non`, proportions en pourcentage (en-têtes « (%) ») ;",
        "`facts.json` y donne les chiffres isolés de l'année (taux horaire, heures bénévoles…).",
        "",
    ]
    for spec in CATALOGUE:
        readers = ", ".join(DOCUMENTS[r][0] for r in spec.readers)
        lines += [
            f"### {spec.title} (`{spec.name}`)",
            "",
            f"- Grain : {spec.grain}.",
            f"- Population : {POPULATIONS[spec.population][0]}.",
            f"- Calculée par `{spec.function_name}`.",
            f"- Lue par : {readers}.",
            "- Publiée dans `reports/<année>/donnees/`." if spec.public else
            "- *Non publiée : peut contenir des données d'une personne.*",
            "",
            "| Colonne | En-tête | Type | Unité |",
            "|---|---|---|---|",
        ]
        lines += [f"| `{c.name}` | {c.label} | `{c.dtype}` | {_UNIT_LABELS_FR.get(c.unit, c.unit)} |"
                  for c in spec.columns]
        lines.append("")
    return lines


#: The developer architecture document, beside the dictionary.
ARCHITECTURE_PATH = paths.DICTIONARY_PATH.parent / "architecture.md"

#: Markers around the generated section of docs/architecture.md.
FIGURES_START = "<!-- figures:start (généré par `relief dictionnaire` depuis context/catalogue.py) -->"
FIGURES_END = "<!-- figures:end -->"


def render_figure_map() -> str:
    """The « Where each figure comes from » table of ``docs/architecture.md`` (markers included)."""
    from relief_analytics.context.catalogue import CATALOGUE

    lines = [FIGURES_START, "",
             "| Figure | Context entry | Computed by | Population | Read by |",
             "|---|---|---|---|---|"]
    for spec in CATALOGUE:
        entry = f"`ctx.table(\"{spec.name}\")`"
        if spec.series:
            entry += f", `ctx.comparison(\"{spec.name}\")`"
        lines.append(f"| {spec.title} | {entry} | `{spec.function_name}` | `{spec.population}` | "
                     f"{', '.join(spec.readers)} |")
    return "\n".join([*lines, "", FIGURES_END])


def render_architecture(text: str) -> str:
    """``text`` (docs/architecture.md) with its generated figure map replaced.

    Raises
    ------
    ValueError
        When the markers are missing.
    """
    start, end = text.find(FIGURES_START), text.find(FIGURES_END)
    if start < 0 or end < start:
        raise ValueError(f"docs/architecture.md : marqueurs {FIGURES_START!r} / {FIGURES_END!r} absents.")
    return text[:start] + render_figure_map() + text[end + len(FIGURES_END):]


#: ``docs/configuration.md``, generated from the configuration model.
CONFIGURATION_DOC_PATH = paths.DICTIONARY_PATH.with_name("configuration.md")


def write_dictionary(path: Path | None = None) -> Path:
    """Write the dictionary to ``path`` (default ``docs/dictionnaire_des_donnees.md``).

    With the default path, the figure map of ``docs/architecture.md`` is rewritten too.
    """
    if path is None:
        architecture = ARCHITECTURE_PATH
        architecture.write_text(render_architecture(architecture.read_text(encoding="utf-8")),
                                encoding="utf-8")
    path = path or paths.DICTIONARY_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_dictionary(), encoding="utf-8")
    return path


def write_configuration_doc(path: Path | None = None) -> Path:
    """Write the reference of ``config.toml`` (default ``docs/configuration.md``)."""
    from relief_analytics.load.config_doc import render_configuration_doc

    path = path or CONFIGURATION_DOC_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_configuration_doc(), encoding="utf-8")
    return path
