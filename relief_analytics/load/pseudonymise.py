"""Replace the identity of personnes physiques by a stable pseudonym, as soon as it is read.

The pseudonym is ``P-`` + the first 12 hex digits of HMAC-SHA256(salt, key), where the key is
the normalised e-mail or, failing that, ``nom|prénom``. The same person gets the same id across
files and years (as long as the salt in ``config.toml`` is unchanged), and the id cannot be
turned back into the identity without the salt. Personnes morales (organisations) are public:
their id is derived from the organisation name (``O-…``).

Every identity column is dropped here and never travels further, so no later message, table,
log or report can show it. The work is column-wise: keys are built for the whole column, then
each distinct key is hashed once (a member pays several times, a contributor declares many
times).
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from relief_analytics.load.coerce import code_key
from relief_analytics.load.headers import normalize_header
from relief_analytics.text import map_unique

#: Normalised headers that hold the identity of a person, in order of preference for the key.
#: In a HelloAsso export, « Email » beside « Email payeur » is the adherent's: the member is the
#: adherent, the payer is only who paid, so it comes first.
EMAIL_HEADERS = ("email adherent", "email", "email payeur", "e mail", "courriel", "mail", "adresse email")
NAME_HEADERS = (
    ("nom adherent", "prenom adherent"),
    ("nom participant", "prenom participant"),
    ("nom payeur", "prenom payeur"),
    ("nom", "prenom"),
)
SINGLE_NAME_HEADERS = ("contributeur", "contributrice", "contributeur rice", "contributeur·rice", "personne", "nom complet")
#: Other personal columns: dropped without being used.
OTHER_PERSONAL_HEADERS = (
    "telephone", "tel", "portable", "date de naissance", "adresse", "adresse postale",
    "adresse payeur", "ville payeur", "code postal payeur",
)


def personal_headers(headers: list[str]) -> list[str]:
    """The headers of ``headers`` that hold personal data of a person."""
    personal = set(EMAIL_HEADERS) | set(SINGLE_NAME_HEADERS) | set(OTHER_PERSONAL_HEADERS)
    for pair in NAME_HEADERS:
        personal.update(pair)
    return [h for h in headers if normalize_header(h) in personal]


def pseudonym(key: str, *, salt: str, prefix: str = "P") -> str:
    """Stable pseudonymous id of ``key`` (already normalised).

    >>> pseudonym("email:camille@exemple.fr", salt="sel")
    'P-8282905a315e'
    """
    digest = hmac.digest(salt.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hex()
    return f"{prefix}-{digest[:12]}"


def _hasher(salt: str, prefix: str):
    """:func:`pseudonym` with the salt encoded once (it is called once per distinct key)."""
    salt_bytes = salt.encode("utf-8")

    def hash_key(key: str) -> str:
        return f"{prefix}-{hmac.digest(salt_bytes, key.encode('utf-8'), 'sha256').hex()[:12]}"

    return hash_key


def _filled(values: pd.Series) -> pd.Series:
    """Whether each cell holds a non-empty text (what ``if value:`` accepted row by row)."""
    return values.str.len().gt(0).fillna(False).astype(bool)


def _email_key(value: str) -> str | None:
    return "email:" + value.strip().lower() if value and "@" in value else None


def _name_key(text: str) -> str:
    return "nom:" + code_key(text)


def person_keys(frame: pd.DataFrame) -> pd.Series:
    """The pseudonymisation key of each row's person (``"email:…"`` or ``"nom:…"``), or ``None``.

    One row per row of ``frame``. Order of preference: the first e-mail header holding an
    ``@``; the first pair of name headers with a last or first name; the first single-name
    header. Each distinct e-mail or name is normalised once, and a later source is only
    looked at for the rows that still have no key.
    """
    by_norm = {normalize_header(h): h for h in personal_headers(list(frame.columns))}
    keys = pd.Series(None, index=frame.index, dtype=object)

    def column(norm: str, rows: pd.Series) -> pd.Series:
        if norm not in by_norm:
            return pd.Series(None, index=frame.index[rows], dtype=object)
        return frame.loc[rows, by_norm[norm]].astype(object)

    for header in EMAIL_HEADERS:
        if header in by_norm:
            need = keys.isna()
            keys[need] = map_unique(column(header, need), _email_key)
    for last, first in NAME_HEADERS:
        if last in by_norm or first in by_norm:
            need = keys.isna()
            last_name, first_name = column(last, need), column(first, need)
            has_last, has_first = _filled(last_name), _filled(first_name)
            pair = (last_name.where(has_last, "") + "|" + first_name.where(has_first, "")).astype(object)
            keys[need] = map_unique(pair.where(has_last | has_first), _name_key)
    for header in SINGLE_NAME_HEADERS:
        if header in by_norm:
            need = keys.isna()
            value = column(header, need)
            keys[need] = map_unique(value.where(_filled(value)), _name_key)
    return keys


def _says_morale(kind: str) -> bool:
    return "morale" in code_key(str(kind))


def _organisation_key(name: str) -> str:
    return "org:" + code_key(name)


def organisation_keys(
    frame: pd.DataFrame, *, organisation_col: str | None, kind_col: str | None
) -> pd.Series:
    """``"org:…"`` for each row of a personne morale with an organisation name, else ``None``."""
    keys = pd.Series(None, index=frame.index, dtype=object)
    if organisation_col not in frame.columns or kind_col not in frame.columns:
        return keys
    org, kind = frame[organisation_col].astype(object), frame[kind_col].astype(object)
    morale = _filled(org) & _filled(kind)
    morale[morale] = map_unique(kind[morale], _says_morale).astype(bool)
    keys[morale] = map_unique(org[morale], _organisation_key)
    return keys


def pseudonymise_frame(
    frame: pd.DataFrame, *, salt: str, organisation_col: str | None = None, kind_col: str | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Return ``(frame without personal columns, member_id series)``.

    For a row whose ``kind_col`` says *morale*, the id comes from ``organisation_col``
    (an organisation is public). A row with no usable identity gets ``None``, which the
    validation reports as a missing identity. Each distinct key is hashed once.
    """
    people = map_unique(person_keys(frame), _hasher(salt, "P"))
    organisations = map_unique(
        organisation_keys(frame, organisation_col=organisation_col, kind_col=kind_col), _hasher(salt, "O")
    )
    ids = organisations.where(organisations.notna(), people)
    return frame.drop(columns=personal_headers(list(frame.columns))), ids
