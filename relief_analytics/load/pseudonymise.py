"""Replace the identity of personnes physiques by a stable pseudonym, as soon as it is read.

The pseudonym is ``P-`` + the first 12 hex digits of HMAC-SHA256(salt, key), where the key is
the normalised e-mail or, failing that, ``nom|prénom``. The same person gets the same id across
files and years (as long as the salt in ``config.toml`` is unchanged), and the id cannot be
turned back into the identity without the salt. Personnes morales (organisations) are public:
their id is derived from the organisation name (``O-…``).

Every identity column is dropped here and never travels further, so no later message, table,
log or report can show it.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from relief_analytics.load.coerce import code_key
from relief_analytics.load.headers import normalize_header

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
    """Stable pseudonymous id of ``key`` (already normalised)."""
    digest = hmac.new(salt.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:12]}"


def _identity_key(row: dict[str, str | None]) -> str | None:
    for header in EMAIL_HEADERS:
        value = row.get(header)
        if value and "@" in value:
            return "email:" + value.strip().lower()
    for last, first in NAME_HEADERS:
        if row.get(last) or row.get(first):
            return "nom:" + code_key(f"{row.get(last) or ''}|{row.get(first) or ''}")
    for header in SINGLE_NAME_HEADERS:
        if row.get(header):
            return "nom:" + code_key(row[header])
    return None


def pseudonymise_frame(
    frame: pd.DataFrame, *, salt: str, organisation_col: str | None = None, kind_col: str | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Return ``(frame without personal columns, member_id series)``.

    For a row whose ``kind_col`` says *morale*, the id comes from ``organisation_col``
    (an organisation is public). A row with no usable identity gets ``None``, which the
    validation reports as a missing identity.
    """
    personal = personal_headers(list(frame.columns))
    by_norm = {normalize_header(h): h for h in personal}
    ids = []
    for i in range(len(frame)):
        row = {norm: frame.iloc[i][orig] for norm, orig in by_norm.items()}
        org = frame.iloc[i][organisation_col] if organisation_col in frame.columns else None
        kind = frame.iloc[i][kind_col] if kind_col in frame.columns else None
        if org and kind and "morale" in code_key(str(kind)):
            ids.append(pseudonym("org:" + code_key(org), salt=salt, prefix="O"))
            continue
        key = _identity_key(row)
        ids.append(pseudonym(key, salt=salt) if key else None)
    return frame.drop(columns=personal), pd.Series(ids, index=frame.index, dtype=object)
