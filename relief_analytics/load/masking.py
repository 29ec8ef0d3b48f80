"""Mask personal values before they reach a message, a log or a quality file.

A rejected cell is shown to the user (``relief valider``, ``qualite/rejets.csv``, the quality
report) so that they can find and fix it. When that cell may hold personal data of a person,
what is shown is masked:

- in **any** column of **any** table, a part that looks like a phone number keeps its first two
  and last two digits, grouped as typed (``06 12 34 56 78`` → ``06 •• •• •• 78``), and a part
  that looks like an e-mail keeps the first character and the top-level domain
  (``jean+relief@exemple.fr`` → ``j•••@•••.fr``);
- in a column that may hold personal data (every text-like column of a table about people:
  adhésions, contributions, gouvernance; their identity, postal code and commune; a form's own
  questions), every other word keeps its first character only (``Camille`` → ``C••••••``);
  in the numeric and date columns of those tables, only words with letters are masked, so that
  ``12,5O`` or ``31/02/2024`` stay readable.

The line, the column and the rule are never masked: they are enough to find the cell.
:func:`mask_issues` applies this to a whole frame of issues (the rule's quoted values too).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from relief_analytics.formatting import format_number
from relief_analytics.load.coerce import SPREADSHEET_ERROR
from relief_analytics.load.headers import normalize_header
from relief_analytics.load.pseudonymise import personal_headers
from relief_analytics.schemas import PERSONAL_TABLES, TABLES, column_specs

BULLET = "•"

_EMAIL = r"[^\s@<>«»\"',;:()]+@[^\s@<>«»\"',;:()]+\.[^\s@<>«»\"',;:().]+"
#: A phone number: 9 to 15 digits, optionally after ``+`` and with ``(0)``, grouped by single
#: spaces, dots, dashes or no-break spaces.
#: Not inside a longer number, nor the date and hour of an ISO timestamp (``2024-13-01 10:00``).
_PHONE = (r"(?<!\d)\+?(?:\(0\)[ .\-\u00a0\u202f]?)?\d(?:[ .\-\u00a0\u202f]?(?:\(0\)[ .\-\u00a0\u202f]?)?\d){8,14}"
          r"(?!\d|:\d)")
_WORD = r"[^\W_]+"
_TOKEN = re.compile(rf"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<word>{_WORD})")
_LETTER = re.compile(r"[^\W\d_]")

#: Kinds whose rejected values are shown as typed (apart from phones and e-mails) even in a
#: table about people, unless a word holds letters.
_NUMERIC_KINDS = frozenset({"integer", "decimal", "date", "datetime", "boolean"})


#: Columns of the platforms' exports that describe the payment, never the person (HelloAsso).
_PUBLIC_EXPORT_HEADERS = frozenset(normalize_header(h) for h in (
    "Montant code promo", "Code Promo", "Tarif", "Montant tarif", "Moyen de paiement",
    "Statut de la commande", "Statut", "Date de la commande", "Date", "Montant (€)",
    "Carte d'adhérent", "Url carte d'adhérent",
))


def _mask_phone(text: str) -> str:
    digits = sum(ch.isdigit() for ch in text)
    seen, out = 0, []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= 2 or seen > digits - 2 else BULLET)
        else:
            out.append(ch)
    return "".join(out)


def _mask_email(text: str) -> str:
    local, _, domain = text.rpartition("@")
    top = domain.rsplit(".", 1)[-1]
    return f"{local[:1]}{BULLET * 3}@{BULLET * 3}.{top}"


def _mask_word(word: str) -> str:
    return word[:1] + BULLET * (len(word) - 1)


@cache
def _contract_column(table: str, column: str) -> tuple[str, str] | None:
    """``(name, kind)`` of a contract column of ``table``, looked up by name or by French header."""
    model = TABLES.get(table)
    if model is None:
        return None
    key = normalize_header(column)
    for name, spec in column_specs(model).items():
        names = {name, spec["header"], spec.get("issue_label") or name, *spec["synonyms"]}
        if column == name or key in {normalize_header(n) for n in names}:
            return name, "identity" if spec["computed"] else spec["kind"]
    return None


def _column_kind(table: str, column: str) -> str | None:
    found = _contract_column(table, column)
    return None if found is None else found[1]


def is_personal_column(*, column: str, table: str) -> bool:
    """Whether a column may hold personal data: any column of a table about people (adhésions,
    contributions, gouvernance) but its references (``membership_id``, ``lieu_id``…), and an
    identity column (« Téléphone », « Email »…) of any table.

    >>> is_personal_column(column="postal_code", table="adhesions"), is_personal_column(column="lieu_name", table="lieux")
    (True, False)
    >>> is_personal_column(column="Téléphone", table="lieux")
    True
    >>> is_personal_column(column="(ligne entière)", table="adhesions")
    False
    """
    if personal_headers([column]):
        return True
    if normalize_header(column) in _PUBLIC_EXPORT_HEADERS:
        return False
    if str(column).startswith("("):
        # a pseudo-column of the tool's own (« (ligne entière) », « (adresse de carte) »): its
        # value is the tool's description of the problem; e-mails and phones are still masked
        return False
    found = _contract_column(table, column)
    if found is not None and found[0].endswith("_id") and found[1] != "identity":
        return False  # a reference (« Référence commande », identifiant du lieu) names no person
    return table in PERSONAL_TABLES


#: Longest value quoted in a message; a longer one is cut (a message needs only enough to find
#: the cell, and masking a megabyte-long cell would cost seconds).
MAX_SHOWN_CHARS = 200


def shorten_value(text: str) -> str:
    """``text``, or its first :data:`MAX_SHOWN_CHARS` characters and its length when longer.

    >>> shorten_value("x" * 300)[-20:]
    'xx… (300 caractères)'
    """
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[:MAX_SHOWN_CHARS]}… ({format_number(len(text))} caractères)"


def mask_personal_value(value: object, *, column: str, table: str) -> str:
    """The text of ``value`` as it may be shown to the user (see the module docstring).

    ``column`` is the contract's column name (or its French header, or any header of the
    file: an unknown column of a table about people counts as personal).

    >>> mask_personal_value("06 12 34 56 78", column="lieu_name", table="lieux")
    '06 •• •• •• 78'
    >>> mask_personal_value("Camille Martin 06.12.34.56.78", column="role", table="gouvernance")
    'C•••••• M••••• 06.••.••.••.78'
    >>> mask_personal_value("La Fabrique", column="lieu_name", table="lieux")
    'La Fabrique'
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = shorten_value(str(value))
    if SPREADSHEET_ERROR.fullmatch(text.strip()):
        return text  # « #REF! » is the spreadsheet's word, not a person's
    personal = is_personal_column(column=column, table=table)
    numeric = _column_kind(table, column) in _NUMERIC_KINDS

    def replace(match: re.Match) -> str:
        if match.group("email"):
            return _mask_email(match.group("email"))
        if match.group("phone"):
            return _mask_phone(match.group("phone"))
        word = match.group("word")
        if not personal or (numeric and not _LETTER.search(word)):
            return word
        return _mask_word(word)

    return _TOKEN.sub(replace, text)


_QUOTED = re.compile(r"« (.*?) »")


def mask_rule(rule: object, *, column: str, table: str) -> str:
    """A rule with the values it quotes (« … ») masked, and any phone or e-mail in it.

    >>> mask_rule("valeur hors de la liste (« Jean 0612345678 » inconnu)", column="role", table="gouvernance")
    'valeur hors de la liste (« J••• 06••••••78 » inconnu)'
    """
    if rule is None or (isinstance(rule, float) and rule != rule):
        return ""
    text = str(rule)
    if len(text) > 20 * MAX_SHOWN_CHARS:  # a rule quoting a huge value: keep its start and end
        text = f"{text[:10 * MAX_SHOWN_CHARS]} … {text[-5 * MAX_SHOWN_CHARS:]}"
    quoted = _QUOTED.sub(
        lambda m: f"« {mask_personal_value(m.group(1), column=column, table=table)} »", text
    )
    # outside quotes only phones and e-mails are masked: the rule's own words must stay readable
    return _TOKEN.sub(
        lambda m: _mask_email(m.group("email")) if m.group("email")
        else _mask_phone(m.group("phone")) if m.group("phone") else m.group(0),
        quoted,
    )


def mask_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """A copy of an issue frame (``table, column_name, cell_value, rule``…) with values masked.

    One row per issue, in the same order.
    """
    if issues.empty:
        return issues.copy()
    out = issues.copy()
    tables = out["table"].astype(object).where(out["table"].notna(), "")
    columns = out["column_name"].astype(object).where(out["column_name"].notna(), "")
    out["cell_value"] = [
        mask_personal_value(v, column=str(c), table=str(t))
        for v, c, t in zip(out["cell_value"], columns, tables, strict=True)
    ]
    out["rule"] = [
        mask_rule(r, column=str(c), table=str(t)) for r, c, t in zip(out["rule"], columns, tables, strict=True)
    ]
    return out
