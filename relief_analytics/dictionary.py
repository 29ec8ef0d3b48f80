"""Generate the French data dictionary from the schemas (never written by hand).

``relief dictionnaire`` (or ``make dictionnaire``) rewrites ``docs/dictionnaire_des_donnees.md``
and ``docs/configuration.md`` (from the configuration model); a test fails when a committed file
differs from what the code generates.
"""

from __future__ import annotations

from pathlib import Path

from relief_analytics import paths
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
    return "\n".join(lines + _subsidy_settings())


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


#: ``docs/configuration.md``, generated from the configuration model.
CONFIGURATION_DOC_PATH = paths.DICTIONARY_PATH.with_name("configuration.md")


def write_dictionary(path: Path | None = None) -> Path:
    """Write the dictionary to ``path`` (default ``docs/dictionnaire_des_donnees.md``)."""
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
