"""Generate ``docs/configuration.md`` from the typed model of ``config.toml`` (never by hand).

``relief dictionnaire`` (``make dictionnaire``) writes it beside the data dictionary; a test
fails when the committed copy differs from what :func:`render_configuration_doc` returns.
"""

from __future__ import annotations

import datetime as dt
import types
import typing

from annotated_types import Ge, Gt, Le, Lt, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from relief_analytics.load import config_model as cm

_TYPES_FR = {str: "texte", int: "entier", float: "nombre", bool: "booléen", dt.date: "date"}


def _type_fr(annotation: typing.Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_fr(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " ou ".join(_type_fr(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is list:
        return f"liste de {_type_fr(typing.get_args(annotation)[0])}s"
    if origin is dict:
        key, value = typing.get_args(annotation)
        if typing.get_origin(value) is dict:
            return f"sous-sections de {_type_fr(value)}"
        return f"lignes « {_type_fr(key)} = {_type_fr(value)} »"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    return _TYPES_FR.get(annotation, str(annotation))


def _limit(item) -> float:
    return next(getattr(item, name) for name in ("ge", "gt", "le", "lt") if hasattr(item, name))


def _bounds(metadata: list) -> list[str]:
    rules = []
    for item in metadata:
        for kind, sign in ((Ge, "≥"), (Gt, ">"), (Le, "≤"), (Lt, "<")):
            if isinstance(item, kind):
                rules.append(f"{sign} {_limit(item):g}".replace(".", ","))
        if isinstance(item, MinLen) and item.min_length >= 1:
            rules.append("non vide")
    return rules


def _inner_metadata(annotation: typing.Any) -> list:
    """Constraints declared inside ``Annotated`` (list items, mapping values, optional values)."""
    found = []
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            found += list(arg.__metadata__)
    if typing.get_origin(annotation) is typing.Annotated:
        found += list(annotation.__metadata__)
    return found


def _rules_fr(field: FieldInfo) -> str:
    rules = _bounds(list(field.metadata) + _inner_metadata(field.annotation))
    return ", ".join(dict.fromkeys(rules))


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}"


def _section_lines(title: str, model: type[BaseModel], description: str) -> list[str]:
    lines = [f"## `[{title}]`", "", description, "",
             "| Clé | Type | Obligatoire | Règles | Description |", "|---|---|---|---|---|"]
    nested = []
    for field in model.model_fields.values():
        if field.exclude:
            continue
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested.append((f"{title}.{field.alias}", annotation,
                           f"{_sentence(field.description or '')} (sous-section facultative)."))
            continue
        cells = [f"`{field.alias}`", _type_fr(annotation), "oui" if field.is_required() else "non",
                 _rules_fr(field), field.description or ""]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines.append("")
    for sub_title, sub_model, sub_description in nested:
        lines += _section_lines(sub_title, sub_model, sub_description)
    return lines


def render_configuration_doc() -> str:
    """Return the Markdown reference of ``config.toml`` (French)."""
    lines = [
        "# Configuration d'un jeu de données (`config.toml`)",
        "",
        "<!-- Fichier généré par `relief dictionnaire` à partir de relief_analytics/load/config_model.py : "
        "ne pas modifier à la main. -->",
        "",
        "Chaque dossier de données contient un `config.toml` (exemple commenté : `data/sample/config.toml`).",
        "Il est vérifié en entier à chaque lecture : une section ou une clé inconnue est signalée avec le",
        "nom connu le plus proche, et tous les problèmes (type, valeur hors limites, liste vide, sel",
        "faible) sont listés ensemble, avec la section, la clé et la valeur.",
        "",
        "Règles qui dépendent du dossier :",
        "",
        f"- le sel de pseudonymisation compte au moins {cm.MIN_SALT_LENGTH} caractères, dont "
        f"{cm.MIN_SALT_DISTINCT_CHARACTERS} différents ; le sel public des données d'exemple est refusé, "
        "quelle que soit sa casse, sur tout autre dossier que `data/sample` ;",
        "- un fichier de `[fichiers]` est dans le dossier de données (ou un sous-dossier) : chemins "
        "absolus, `~`, `..` et liens symboliques qui mènent hors du dossier sont refusés ;",
        "- hors de `data/sample`, le compte rendu financier à envoyer est refusé tant que le numéro RNA, "
        "le SIRET ou le numéro de convention sont ceux de l'association d'exemple ; le brouillon les "
        "liste parmi les éléments manquants.",
        "",
        f"Formats : RNA {cm.RNA_FORMAT[1]} ; SIRET {cm.SIRET_FORMAT[1]} (espaces tolérés). "
        f"Codes de région acceptés (INSEE) : {', '.join(sorted(cm.REGION_CODES))}, à condition que le "
        "référentiel `data/reference/<code>/` existe.",
        "",
    ]
    for field in cm.ConfigFile.model_fields.values():
        annotation = field.annotation
        required = "obligatoire" if field.is_required() else "facultative"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            lines += _section_lines(field.alias, annotation,
                                    f"{_sentence(field.description or '')} (section {required}).")
        else:
            rules = _rules_fr(field)
            lines += [f"## `[{field.alias}]`", "",
                      f"{_sentence(field.description or '')} (section {required}, "
                      f"{_type_fr(annotation)}{' ; ' + rules if rules else ''}).", ""]
    return "\n".join(lines)
