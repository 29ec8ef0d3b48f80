"""French messages for the validation errors of the configuration model (never pydantic's English).

Each error becomes « [section] clé = valeur : règle », with the nearest known name for an unknown
key or section; a secret's value is never shown.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

_RULES_FR = {
    "missing": "clé obligatoire absente : ajoutez-la (voir data/sample/config.toml pour un exemple)",
    "int_parsing": "un nombre entier est attendu",
    "int_type": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_parsing": "un nombre est attendu (ex. 11.88, sans guillemets)",
    "float_type": "un nombre est attendu (ex. 11.88, sans guillemets)",
    "string_type": "un texte entre guillemets est attendu",
    "list_type": "une liste de textes est attendue : [\"…\", \"…\"]",
    "dict_type": "une section (lignes « clé = valeur ») est attendue",
    "model_type": "une section (lignes « clé = valeur ») est attendue",
    "date_type": "une date TOML est attendue (ex. 2025-03-14, sans guillemets)",
    "date_parsing": "une date TOML est attendue (ex. 2025-03-14, sans guillemets)",
    "date_from_datetime_inexact": "une date sans heure est attendue (ex. 2025-03-14)",
    "date_from_datetime_parsing": "une date TOML est attendue (ex. 2025-03-14, sans guillemets)",
    "date_past": "une date TOML est attendue (ex. 2025-03-14, sans guillemets)",
    "bool_type": "oui ou non est attendu : true ou false, sans guillemets",
    "bool_parsing": "oui ou non est attendu : true ou false, sans guillemets",
    "finite_number": "un nombre fini est attendu",
}


def _rule_fr(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if kind == "too_short":
        return ("la liste est vide : indiquez au moins une valeur (une liste vide désactiverait le "
                "contrôle)" if isinstance(error.get("input"), list) else "la valeur est vide")
    if kind == "string_too_short":
        return "la valeur est vide"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤",
                "less_than": "<"}[kind]
        limit = next(iter(ctx.values()))
        return f"valeur attendue {sign} {limit:g}".replace(".", ",")
    return _RULES_FR.get(kind, "valeur refusée (type ou forme inattendus)")


def _known_keys(model: type[BaseModel] | None, loc: tuple) -> list[str] | None:
    """The TOML keys allowed at ``loc`` (a tuple of TOML keys below the file), when declared."""
    for part in loc:
        if model is None:
            return None
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        annotation = getattr(field, "annotation", None)
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    if model is None:
        return None
    return [f.alias for f in model.model_fields.values() if f.alias and f.exclude is not True]


def suggestion(name: str, known: list[str]) -> str:
    near = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    return f" : vouliez-vous dire {near[0]} ?" if near else ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        # a value typed by mistake may be a person's e-mail or phone: shown masked, like a cell
        from relief_analytics.load.masking import mask_personal_value

        return f"\"{mask_personal_value(value, column='', table='configuration')}\""
    if isinstance(value, list) and not value:
        return "[]"
    if isinstance(value, (dict, list)):
        return "…"
    return str(value).lower() if isinstance(value, bool) else str(value)


#: Keys whose value is never shown in a message (secrets).
_SECRET_KEYS = {("reseau", "sel_pseudonymisation")}


def problem_fr(error: dict, *, root: type[BaseModel]) -> str:
    """One pydantic error of ``root`` as a French problem: « [section] clé = valeur : règle »."""
    loc = tuple(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        parent, name = loc[:-1], loc[-1]
        known = _known_keys(root, parent) or []
        if not parent:
            return f"[{name}] : section inconnue{suggestion(name, known)} (sections : {', '.join(known)})"
        if isinstance(error.get("input"), dict) and _known_keys(root, loc) is None:
            return f"[{'.'.join(loc)}] : section inconnue{suggestion(name, known)}"
        return f"[{'.'.join(parent)}] {name} : clé inconnue{suggestion(name, known)}"
    if loc and loc[-1] == "[key]":  # a key of a typed mapping: the years of [taux_horaire_benevolat]
        rule = ("la clé doit être une année (ex. 2025 = 11.88)" if error["type"].startswith("int")
                else _rule_fr(error).replace("valeur attendue", "année attendue"))
        return f"[{'.'.join(loc[:-2])}] {loc[-2]} : {rule}"
    if len(loc) == 1 and error["type"] == "missing":
        return f"[{loc[0]}] : section obligatoire absente : ajoutez-la (voir data/sample/config.toml pour un exemple)"
    if len(loc) == 1:
        where = f"[{loc[0]}]"
    else:
        section, key = _section_and_key(loc, root=root)
        where = f"[{section}] {key}"
        if error["type"] != "missing" and (section, key) not in _SECRET_KEYS and "input" in error \
                and not isinstance(error["input"], dict):
            where += f" = {_show(error['input'])}"
    return f"{where} : {_rule_fr(error)}"


def _section_and_key(loc: tuple[str, ...], *, root: type[BaseModel]) -> tuple[str, str]:
    """Split a location into its TOML section and key: list items count in their list."""
    parts = list(loc)
    if len(parts) > 2 and parts[-1].isdigit():  # an item of a list
        return ".".join(parts[:-2]), f"{parts[-2]} (élément {int(parts[-1]) + 1})"
    if _known_keys(root, tuple(parts[:-1])) is None and len(parts) > 2:  # a free mapping
        return ".".join(parts[:-1]), f"« {parts[-1]} »"
    return ".".join(parts[:-1]), parts[-1]


def end_sentence(text: str) -> str:
    return text if text.endswith((".", "?")) else text + "."
