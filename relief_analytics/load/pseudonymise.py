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

#: Normalised headers that hold the identity of a person. The person of a row is its adherent
#: (or participant), never the payer when the row names someone else: in a HelloAsso export,
#: « Email » beside « Email payeur » is the adherent's, and one order can pay for several
#: adherents. Own e-mails come first, in order of preference.
OWN_EMAIL_HEADERS = ("email adherent", "email", "e mail", "courriel", "mail", "adresse email")
#: The payer's e-mail: the person's key only on rows where the payer is that person (same
#: last and first names) or where no other person is named.
PAYER_EMAIL_HEADERS = ("email payeur", "email acheteur")
EMAIL_HEADERS = OWN_EMAIL_HEADERS + PAYER_EMAIL_HEADERS
OWN_NAME_HEADERS = (
    ("nom adherent", "prenom adherent"),
    ("nom participant", "prenom participant"),
    ("nom", "prenom"),
)
PAYER_NAME_HEADERS = ("nom payeur", "prenom payeur")
NAME_HEADERS = (*OWN_NAME_HEADERS, PAYER_NAME_HEADERS)
#: A name key is made more precise by the birth date when the form asks for it.
BIRTH_HEADERS = ("date de naissance",)
SINGLE_NAME_HEADERS = ("contributeur", "contributrice", "contributeur rice", "contributeur·rice", "personne", "nom complet")
#: Other personal columns: dropped without being used.
OTHER_PERSONAL_HEADERS = (
    "telephone", "tel", "portable", "date de naissance", "adresse", "adresse postale",
    "adresse payeur", "ville payeur", "code postal payeur",
)


def personal_headers(headers: list[str]) -> list[str]:
    """The headers of ``headers`` that hold personal data of a person."""
    personal = set(EMAIL_HEADERS) | set(SINGLE_NAME_HEADERS) | set(OTHER_PERSONAL_HEADERS) | set(BIRTH_HEADERS)
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
    """:func:`pseudonym` with the salt encoded and keyed once (it is called once per distinct key)."""
    keyed = hmac.new(salt.encode("utf-8"), digestmod=hashlib.sha256)  # copied per key: the salt is set up once

    def hash_key(key: str) -> str:
        digest = keyed.copy()
        digest.update(key.encode("utf-8"))
        return f"{prefix}-{digest.hexdigest()[:12]}"

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

    One row per row of ``frame``. The person is the row's adherent (or participant), not its
    payer. Order of preference:

    1. the person's own e-mail (« Email adhérent », « Email »…) when it holds an ``@``;
    2. the payer's e-mail, on a row where the payer is the person (same last and first names)
       or where no other person is named;
    3. the person's last and first names (plus the birth date when the file has one);
    4. the payer's names, on a row that names no other person;
    5. a single-name header (« contributeur »…).

    Each distinct value is normalised once, and a later source is only looked at for the rows
    that still have no key. Used by the loader and by ``relief importer helloasso`` alike.

    >>> frame = pd.DataFrame({"Nom adhérent": ["Roux", "Roux"], "Prénom adhérent": ["Léa", "Marc"],
    ...                       "Nom payeur": ["Roux", "Roux"], "Prénom payeur": ["Léa", "Léa"],
    ...                       "Email payeur": ["lea@exemple.fr", "lea@exemple.fr"]})
    >>> person_keys(frame).tolist()
    ['email:lea@exemple.fr', 'nom:roux|marc']
    """
    by_norm = {normalize_header(h): h for h in personal_headers(list(frame.columns))}
    keys = pd.Series(None, index=frame.index, dtype=object)

    def column(norm: str, rows: pd.Series) -> pd.Series:
        if norm not in by_norm:
            return pd.Series(None, index=frame.index[rows], dtype=object)
        return frame.loc[rows, by_norm[norm]].astype(object)

    def names(pair: tuple[str, str], rows: pd.Series) -> pd.Series:
        """``last|first`` of each row of ``rows`` that has a last or a first name, else missing."""
        last_name, first_name = column(pair[0], rows), column(pair[1], rows)
        has_last, has_first = _filled(last_name), _filled(first_name)
        return (last_name.where(has_last, "") + "|" + first_name.where(has_first, "")).astype(object).where(
            has_last | has_first)

    own_pair = next((pair for pair in OWN_NAME_HEADERS if pair[0] in by_norm or pair[1] in by_norm), None)

    def payer_is_person(rows: pd.Series) -> pd.Series:
        """Whether the payer is the row's person: same names (as written, else normalised), or
        the row names no one else."""
        if own_pair is None:
            return pd.Series(True, index=frame.index[rows])
        own_last, own_first = column(own_pair[0], rows), column(own_pair[1], rows)
        payer_last, payer_first = column(PAYER_NAME_HEADERS[0], rows), column(PAYER_NAME_HEADERS[1], rows)
        nobody = ~(_filled(own_last) | _filled(own_first))
        same = nobody | ((own_last.fillna("").to_numpy() == payer_last.fillna("").to_numpy())
                         & (own_first.fillna("").to_numpy() == payer_first.fillna("").to_numpy()))
        unsure = ~same
        if unsure.any():  # « Théo » and « THEO », or a stray space: the same person
            subset = pd.Series(False, index=frame.index)
            subset[unsure.index[unsure]] = True
            own, payer = names(own_pair, subset), names(PAYER_NAME_HEADERS, subset)
            same[unsure] = (map_unique(own, code_key) == map_unique(payer, code_key)).to_numpy()
        return same.astype(bool)

    for header in OWN_EMAIL_HEADERS:
        if header in by_norm:
            need = keys.isna()
            keys[need] = map_unique(column(header, need), _email_key)
    for header in PAYER_EMAIL_HEADERS:
        if header in by_norm:
            need = keys.isna()
            need[need] = payer_is_person(need).to_numpy()
            keys[need] = map_unique(column(header, need), _email_key)
    if own_pair:
        need = keys.isna()
        named = map_unique(names(own_pair, need), _name_key)
        birth = next((h for h in BIRTH_HEADERS if h in by_norm), None)
        if birth:  # « nom:last|first|birth date as written »
            born = column(birth, need)
            dated = _filled(born) & named.notna()
            named = named.where(~dated, named + "|" + born.where(dated, "").astype(str).str.strip())
        keys[need] = named
    need = keys.isna()  # a row that names no one but its payer
    keys[need] = map_unique(names(PAYER_NAME_HEADERS, need), _name_key)
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
