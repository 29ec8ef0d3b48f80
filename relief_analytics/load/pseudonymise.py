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

from relief_analytics.load.coerce import code_key, code_keys
from relief_analytics.load.headers import normalize_header
from relief_analytics.text import map_unique

#: Normalised headers that hold the identity of a person, in order of preference for the key.
EMAIL_HEADERS = ("email adherent", "email payeur", "email", "e mail", "courriel", "mail", "adresse email")
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


def _filled(values: pd.Series) -> pd.Series:
    """Whether each cell holds a non-empty text (what ``if value:`` accepted row by row)."""
    return values.str.len().gt(0).fillna(False).astype(bool)


def _fill(keys: pd.Series, candidates: pd.Series, usable: pd.Series) -> pd.Series:
    """``keys`` where already set, else ``candidates`` where ``usable``."""
    take = keys.isna() & usable
    return keys.mask(take, candidates)


def person_keys(frame: pd.DataFrame) -> pd.Series:
    """The pseudonymisation key of each row's person (``"email:…"`` or ``"nom:…"``), or ``None``.

    One row per row of ``frame``. Order of preference: the first e-mail header holding an
    ``@``; the first pair of name headers with a last or first name; the first single-name
    header. Each distinct name is normalised once.
    """
    by_norm = {normalize_header(h): h for h in personal_headers(list(frame.columns))}
    absent = pd.Series(None, index=frame.index, dtype=object)

    def column(norm: str) -> pd.Series:
        return frame[by_norm[norm]].astype(object) if norm in by_norm else absent

    keys = absent
    for header in EMAIL_HEADERS:
        if header in by_norm:
            value = column(header)
            usable = _filled(value) & value.str.contains("@", regex=False).fillna(False).astype(bool)
            keys = _fill(keys, "email:" + value.str.strip().str.lower(), usable)
    for last, first in NAME_HEADERS:
        if last in by_norm or first in by_norm:
            last_name, first_name = column(last), column(first)
            has_last, has_first = _filled(last_name), _filled(first_name)
            pair = last_name.where(has_last, "") + "|" + first_name.where(has_first, "")
            keys = _fill(keys, "nom:" + code_keys(pair), has_last | has_first)
    for header in SINGLE_NAME_HEADERS:
        if header in by_norm:
            value = column(header)
            keys = _fill(keys, "nom:" + code_keys(value.where(_filled(value))), _filled(value))
    return keys


def organisation_keys(
    frame: pd.DataFrame, *, organisation_col: str | None, kind_col: str | None
) -> pd.Series:
    """``"org:…"`` for each row of a personne morale with an organisation name, else ``None``."""
    if organisation_col not in frame.columns or kind_col not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    org, kind = frame[organisation_col].astype(object), frame[kind_col].astype(object)
    says_morale = map_unique(kind.where(_filled(kind)), lambda k: "morale" in code_key(str(k)))
    morale = _filled(org) & _filled(kind) & says_morale.fillna(False).astype(bool)
    return ("org:" + code_keys(org.where(morale))).where(morale, None)


def pseudonymise_frame(
    frame: pd.DataFrame, *, salt: str, organisation_col: str | None = None, kind_col: str | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Return ``(frame without personal columns, member_id series)``.

    For a row whose ``kind_col`` says *morale*, the id comes from ``organisation_col``
    (an organisation is public). A row with no usable identity gets ``None``, which the
    validation reports as a missing identity. Each distinct key is hashed once.
    """
    people = map_unique(person_keys(frame), lambda key: pseudonym(key, salt=salt))
    organisations = map_unique(
        organisation_keys(frame, organisation_col=organisation_col, kind_col=kind_col),
        lambda key: pseudonym(key, salt=salt, prefix="O"),
    )
    ids = organisations.where(organisations.notna(), people)
    return frame.drop(columns=personal_headers(list(frame.columns))), ids
