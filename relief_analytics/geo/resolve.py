"""Resolve the commune of each row (lieu, event, member) from whatever the spreadsheet gives.

Evidence is used in this order, the first that designates exactly one commune wins:

1. **code INSEE** (a lost leading zero is restored). A municipal arrondissement code (Lyon
   69381–69389, Marseille 13201–13216, Paris 75101–75120) resolves to its **commune** (69123
   Lyon): populations, EPCI and départements are known per commune; the arrondissement is said in
   the note. The code of a delegated or associated commune resolves to its commune nouvelle.
2. **code postal + nom**: the name among the communes of that postal code (or, for a postal code
   the reference does not link to the name, e.g. a CEDEX, among the communes of the postal
   code's département).
3. **nom** alone, when only one commune of the region bears it.
4. **code postal** alone, when it serves a single commune.
5. **coordonnées** (point in commune polygon), also used to choose between the candidates of an
   ambiguous name or postal code; swapped latitude/longitude are detected and flagged.

A name shared by several communes is never guessed: the row is ``ambiguë`` and the note lists
the candidates. Names are compared through :func:`~relief_analytics.geo.normalize.commune_name_key`
(case, accents, hyphens, apostrophes, ``St``/``Ste``, ``Lyon 3e``…), first keeping the leading
article (``Crest`` ≠ ``Le Crest``), then without it (``Allues`` = ``Les Allues``). Former names
are those the reference lists as delegated or associated communes (``COMD``/``COMA``); communes
merged without keeping a delegated commune are not known.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from relief_analytics.geo.normalize import (
    commune_name_key,
    normalize_insee_code,
    normalize_postal_code,
    split_departement_hint,
)
from relief_analytics.geo.reference import GeoReference

RESOLVED = "résolue"
AMBIGUOUS = "ambiguë"
UNRESOLVED = "non résolue"

BY_CODE = "code INSEE"
BY_POSTAL_AND_NAME = "code postal + nom"
BY_NAME = "nom"
BY_POSTAL = "code postal"
BY_COORDINATES = "coordonnées"

#: Columns added by :func:`resolve_communes`.
RESOLUTION_COLUMNS = (
    "commune_code_resolved",
    "resolution_status",
    "resolution_method",
    "resolution_note",
    "departement_code",
    "epci_code",
)


@dataclass
class _Index:
    """Lookup tables built once per reference."""

    names: pd.Series  # commune_code -> name
    departements: pd.Series  # commune_code -> département code
    epci: pd.Series  # commune_code -> EPCI code
    by_code: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    by_key: dict[str, dict[str, str]] = field(default_factory=dict)
    by_loose_key: dict[str, dict[str, str]] = field(default_factory=dict)
    by_postal: dict[str, set[str]] = field(default_factory=dict)
    alias_keys: dict[str, set[str]] = field(default_factory=dict)
    tree: shapely.STRtree | None = None
    tree_codes: np.ndarray | None = None
    covered: dict[str, list[str]] = field(default_factory=dict)
    france_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    france_keys: dict[str, set[str]] | None = None


_INDEXES: weakref.WeakKeyDictionary[GeoReference, _Index] = weakref.WeakKeyDictionary()


def _label(name: str, departement: str, code: str) -> str:
    return f"{name} ({departement}, {code})"


def _build_index(reference: GeoReference) -> _Index:
    communes = reference.communes.set_index("commune_code")
    index = _Index(
        names=communes["commune_name"],
        departements=communes["departement_code"],
        epci=communes["epci_code"],
    )

    def add_name(name: str, code: str, label: str) -> None:
        for table, drop in ((index.by_key, False), (index.by_loose_key, True)):
            key = commune_name_key(name, drop_article=drop)
            if key:
                table.setdefault(key, {}).setdefault(code, label)

    for code, name in index.names.items():
        index.by_code[code] = (code, None)
        add_name(name, code, _label(name, index.departements[code], code))
        postal_codes = communes.at[code, "postal_codes"]
        for postal in postal_codes.split("|") if isinstance(postal_codes, str) else []:
            index.by_postal.setdefault(postal, set()).add(code)

    for alias in reference.commune_aliases.itertuples(index=False):
        commune = alias.commune_code
        commune_name = index.names[commune]
        if alias.alias_code not in index.by_code:
            index.by_code[alias.alias_code] = (
                commune,
                f"{alias.alias_kind} {alias.alias_code} {alias.alias_name} → {commune} {commune_name}",
            )
        add_name(
            alias.alias_name,
            commune,
            f"{alias.alias_name}, {alias.alias_kind} de "
            f"{_label(commune_name, index.departements[commune], commune)}",
        )
        index.alias_keys.setdefault(commune, set()).add(
            commune_name_key(alias.alias_name, drop_article=True)
        )

    drawn = reference.communes[reference.communes.geometry.notna()]
    index.tree = shapely.STRtree(drawn.geometry.to_numpy())
    index.tree_codes = drawn["commune_code"].to_numpy()
    for code, covering in (
        reference.communes[["commune_code", "covering_commune_code"]]
        .dropna()
        .itertuples(index=False)
    ):
        index.covered.setdefault(covering, [covering]).append(code)
    return index


def _index_for(reference: GeoReference) -> _Index:
    if reference not in _INDEXES:
        _INDEXES[reference] = _build_index(reference)
    return _INDEXES[reference]


def _france_lookup(reference: GeoReference, index: _Index) -> bool:
    """Load the national list of communes into the index (for « hors région » notes)."""
    if index.france_keys is not None:
        return True
    try:
        france = reference.france_communes
    except FileNotFoundError:
        return False
    index.france_names = {
        code: (name, departement)
        for code, name, departement in france[
            ["commune_code", "commune_name", "departement_code"]
        ].itertuples(index=False)
    }
    keys: dict[str, set[str]] = {}
    for code, (name, _) in index.france_names.items():
        keys.setdefault(commune_name_key(name, drop_article=True), set()).add(code)
    index.france_keys = keys
    return True


def _postal_departements(postal: str) -> set[str]:
    if postal.startswith("20"):
        return {"2A", "2B"}
    return {postal[:3]} if postal.startswith("97") else {postal[:2]}


def _locate_points(
    index: _Index, longitudes: np.ndarray, latitudes: np.ndarray
) -> list[str | None]:
    """Commune code containing each point (``None`` outside every commune of the region)."""
    found: list[str | None] = [None] * len(longitudes)
    valid = np.isfinite(longitudes) & np.isfinite(latitudes)
    if not valid.any():
        return found
    positions = np.flatnonzero(valid)
    points = shapely.points(longitudes[valid], latitudes[valid])
    inputs, hits = index.tree.query(points, predicate="within")
    for position, hit in zip(inputs, hits, strict=True):
        row, code = positions[position], index.tree_codes[hit]
        if found[row] is None or code < found[row]:  # on a shared border: the smaller code
            found[row] = code
    return found


def communes_at_points(
    reference: GeoReference, longitudes: np.ndarray, latitudes: np.ndarray
) -> list[str | None]:
    """Return the INSEE code of the commune of the region containing each point (WGS84), or ``None``.

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> communes_at_points(load_reference("84"), np.array([4.8357, 2.35]), np.array([45.764, 48.85]))
    ['69123', None]
    """
    return _locate_points(
        _index_for(reference), np.asarray(longitudes, float), np.asarray(latitudes, float)
    )


@dataclass
class _Outcome:
    code: str | None = None
    status: str = UNRESOLVED
    method: str | None = None
    notes: list[str] = field(default_factory=list)


def _candidates_note(index: _Index, candidates: dict[str, str]) -> str:
    return "candidats : " + " ; ".join(candidates[code] for code in sorted(candidates))


def _by_name(index: _Index, name: str) -> dict[str, str]:
    """Candidates for a name: article-sensitive match first, then without article."""
    for table, drop in ((index.by_key, False), (index.by_loose_key, True)):
        found = table.get(commune_name_key(name, drop_article=drop))
        if found:
            return dict(found)
    return {}


def _name_matches(index: _Index, code: str, name: str) -> bool:
    key = commune_name_key(name, drop_article=True)
    return key == commune_name_key(
        index.names[code], drop_article=True
    ) or key in index.alias_keys.get(code, set())


def _resolved_by_name(
    index: _Index, outcome: _Outcome, candidates: dict[str, str], method: str
) -> _Outcome:
    """Resolve to the single candidate; say so when the name was a former name or an arrondissement."""
    ((code, label),) = candidates.items()
    outcome.code, outcome.status, outcome.method = code, RESOLVED, method
    if label != _label(index.names[code], index.departements[code], code):
        outcome.notes.append(label)
    return outcome


def _settle(
    index: _Index,
    outcome: _Outcome,
    candidates: dict[str, str],
    method: str,
    point_commune: str | None,
    why: str,
) -> _Outcome:
    """Resolve among several candidates with the point, else declare the row ambiguous."""
    if point_commune is not None:
        inside = [
            code for code in index.covered.get(point_commune, [point_commune]) if code in candidates
        ]
        if len(inside) == 1:
            outcome.code, outcome.status, outcome.method = inside[0], RESOLVED, BY_COORDINATES
            outcome.notes.append(f"{why}, départagé par les coordonnées")
            return outcome
        outcome.notes.append(f"coordonnées dans une autre commune ({point_commune})")
    outcome.status, outcome.method = AMBIGUOUS, method
    outcome.notes.append(_candidates_note(index, candidates))
    return outcome


def _resolve_one(
    reference: GeoReference,
    index: _Index,
    raw_code: str | None,
    postal: str | None,
    raw_name: str | None,
    point_commune: str | None,
    point_note: str | None,
) -> _Outcome:
    outcome = _Outcome()
    code = normalize_insee_code(raw_code)
    name, departement_hint = split_departement_hint(raw_name) if raw_name else (None, None)
    if raw_code and not code:
        outcome.notes.append(f"code INSEE illisible : {raw_code}")
    if point_note:
        outcome.notes.append(point_note)

    if code:
        if code in index.by_code:
            commune, note = index.by_code[code]
            outcome.code, outcome.status, outcome.method = commune, RESOLVED, BY_CODE
            if note:
                outcome.notes.append(note)
            if name and not _name_matches(index, commune, name):
                outcome.notes.append(
                    f"nom saisi « {name} » différent de « {index.names[commune]} »"
                )
            return outcome
        if _france_lookup(reference, index) and code in index.france_names:
            other, departement = index.france_names[code]
            outcome.notes.append(f"code INSEE {code} hors région : {other} ({departement})")
        else:
            outcome.notes.append(f"code INSEE {code} inconnu")

    candidates = _by_name(index, name) if name else {}
    if departement_hint and candidates:
        kept = {
            c: label for c, label in candidates.items() if index.departements[c] == departement_hint
        }
        if not kept:
            outcome.notes.append(
                f"aucune commune « {name} » dans le département {departement_hint}"
            )
        candidates = kept
    postal_communes = index.by_postal.get(postal, set()) if postal else set()

    if candidates:
        if postal:
            both = {c: label for c, label in candidates.items() if c in postal_communes}
            if not both:
                deps = _postal_departements(postal)
                both = {
                    c: label for c, label in candidates.items() if index.departements[c] in deps
                }
                if len(both) == 1:
                    outcome.notes.append(f"code postal {postal} non rattaché à cette commune")
            if len(both) == 1:
                return _resolved_by_name(index, outcome, both, BY_POSTAL_AND_NAME)
            if both:
                candidates = both
            else:
                outcome.notes.append(f"code postal {postal} incohérent avec le nom")
        if len(candidates) == 1:
            return _resolved_by_name(index, outcome, candidates, BY_NAME)
        return _settle(index, outcome, candidates, BY_NAME, point_commune, "nom ambigu")

    if name:
        note = f"nom « {name} » inconnu dans la région"
        if _france_lookup(reference, index):
            elsewhere = index.france_keys.get(commune_name_key(name, drop_article=True), set())
            departements = sorted({index.france_names[c][1] for c in elsewhere})
            if departements:
                note = f"commune « {name} » hors région ({', '.join(departements)})"
        outcome.notes.append(note)

    if postal_communes:
        if len(postal_communes) == 1:
            outcome.code, outcome.status, outcome.method = (
                next(iter(postal_communes)),
                RESOLVED,
                BY_POSTAL,
            )
            return outcome
        labels = {c: _label(index.names[c], index.departements[c], c) for c in postal_communes}
        return _settle(
            index,
            outcome,
            labels,
            BY_POSTAL,
            point_commune,
            f"code postal {postal} commun à plusieurs communes",
        )
    if postal:
        departements = _postal_departements(postal)
        where = (
            "hors région"
            if departements.isdisjoint(set(index.departements))
            else "inconnu dans la région"
        )
        outcome.notes.append(f"code postal {postal} {where}")

    if point_commune is not None:
        covering = index.covered.get(point_commune, [point_commune])
        if len(covering) == 1:
            outcome.code, outcome.status, outcome.method = point_commune, RESOLVED, BY_COORDINATES
            return outcome
        labels = {c: _label(index.names[c], index.departements[c], c) for c in covering}
        outcome.status, outcome.method = AMBIGUOUS, BY_COORDINATES
        outcome.notes.append(
            "un même contour couvre plusieurs communes (contour source antérieur à leur création)"
        )
        outcome.notes.append(_candidates_note(index, labels))
        return outcome

    if not (raw_code or postal or name or point_note):
        outcome.notes.append(
            "aucune information de localisation (code, code postal, nom ou coordonnées)"
        )
    return outcome


def _column(frame: pd.DataFrame, name: str | None) -> pd.Series:
    if name and name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _coordinates(
    frame: pd.DataFrame, lat_col: str | None, lon_col: str | None
) -> tuple[np.ndarray, np.ndarray]:
    latitudes = pd.to_numeric(_column(frame, lat_col), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    longitudes = pd.to_numeric(_column(frame, lon_col), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return latitudes, longitudes


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def resolve_communes(
    frame: pd.DataFrame,
    *,
    reference: GeoReference,
    code_col: str | None = "commune_code",
    postal_col: str | None = "postal_code",
    name_col: str | None = "commune_name",
    lat_col: str | None = "latitude",
    lon_col: str | None = "longitude",
) -> pd.DataFrame:
    """Return ``frame`` with the resolved commune of each row and how it was found.

    Grain: one row per input row, same index and order; absent input columns count as empty.

    Parameters
    ----------
    frame : DataFrame
        Rows to locate (lieux, événements, adhésions…).
    reference : GeoReference
        The region's reference (:func:`~relief_analytics.geo.reference.load_reference`).
    code_col, postal_col, name_col, lat_col, lon_col : str or None
        Columns holding the INSEE code, postal code, commune name, latitude and longitude
        (WGS84 degrees); ``None`` or a missing column means "not provided".

    Returns
    -------
    DataFrame
        A copy of ``frame`` plus ``commune_code_resolved`` (INSEE code of a commune of the
        region), ``resolution_status`` (``résolue`` / ``ambiguë`` / ``non résolue``),
        ``resolution_method`` (``code INSEE``, ``code postal + nom``, ``nom``, ``code postal``,
        ``coordonnées``), ``resolution_note`` (French: candidates, inconsistencies, flags such
        as « latitude et longitude inversées ? » or « coordonnées hors région »),
        ``departement_code`` and ``epci_code`` of the resolved commune.

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> rows = pd.DataFrame({"commune_name": ["Lyon 3e", "St Etienne", "Beaulieu"]})
    >>> out = resolve_communes(rows, reference=load_reference("84"))
    >>> out["commune_code_resolved"].fillna("—").tolist()
    ['69123', '42218', '—']
    >>> out["resolution_status"].tolist()
    ['résolue', 'résolue', 'ambiguë']
    """
    index = _index_for(reference)
    raw_codes = [_text(value) for value in _column(frame, code_col)]
    postals = [normalize_postal_code(value) for value in _column(frame, postal_col)]
    names = [_text(value) for value in _column(frame, name_col)]
    latitudes, longitudes = _coordinates(frame, lat_col, lon_col)

    given = np.isfinite(latitudes) | np.isfinite(longitudes)
    complete = np.isfinite(latitudes) & np.isfinite(longitudes)
    in_range = complete & (np.abs(latitudes) <= 90) & (np.abs(longitudes) <= 180)
    latitudes = np.where(in_range, latitudes, np.nan)
    longitudes = np.where(in_range, longitudes, np.nan)
    straight = _locate_points(index, longitudes, latitudes)
    swapped = _locate_points(index, latitudes, longitudes)

    outcomes = []
    for row in range(len(frame)):
        point_commune, point_note = straight[row], None
        if given[row] and point_commune is None:
            if swapped[row] is not None:
                point_commune, point_note = swapped[row], "latitude et longitude inversées ?"
            elif in_range[row]:
                point_note = "coordonnées hors région"
            else:
                point_note = "coordonnées incomplètes ou invalides"
        outcomes.append(
            _resolve_one(
                reference,
                index,
                raw_codes[row],
                postals[row],
                names[row],
                point_commune,
                point_note,
            )
        )

    result = frame.copy()
    resolved = pd.Series([o.code for o in outcomes], index=frame.index, dtype="str")
    result["commune_code_resolved"] = resolved
    result["resolution_status"] = pd.Series(
        [o.status for o in outcomes], index=frame.index, dtype="str"
    )
    result["resolution_method"] = pd.Series(
        [o.method for o in outcomes], index=frame.index, dtype="str"
    )
    result["resolution_note"] = pd.Series(
        [" ; ".join(o.notes) if o.notes else None for o in outcomes], index=frame.index, dtype="str"
    )
    result["departement_code"] = resolved.map(index.departements).astype("str")
    result["epci_code"] = resolved.map(index.epci).astype("str")
    return result
