"""Resolve the commune of each row (lieu, event, member) from whatever the spreadsheet gives.

The rule is **never guess across evidence**. Each row may carry four clues: an INSEE code, a
postal code, a commune name and coordinates. Each clue is read on its own first:

- **code INSEE** (a lost leading zero is restored): a commune of the region (a municipal
  arrondissement code, Lyon 69381–69389, gives its **commune**, 69123 Lyon; the code of a
  delegated or associated commune gives its commune nouvelle, and the note says so), a commune
  of France **outside the region**, or a code that does not exist (a *warning*);
- **code postal**: served in the region (or of one of its départements, e.g. a CEDEX), or of a
  département outside the region (its first two digits);
- **nom**: the communes of the region that bear it, compared through
  :func:`~relief_analytics.geo.normalize.commune_name_key` (case, accents, hyphens,
  apostrophes, ``St``/``Ste``, ``Lyon 3e``…; first keeping a leading article, ``Crest`` ≠
  ``Le Crest``, then without it, ``Allues`` = ``Les Allues``; former names are the delegated or
  associated communes of the reference), else the départements of France where it exists; a
  trailing ``(38)`` restricts it to a département;
- **coordonnées** (WGS84, decimal point or decimal comma): the commune whose contour contains
  the point (a geopandas spatial join), else the same with latitude and longitude swapped (a
  *warning*), else a point outside the region. A point outside every contour of the region but
  closer than :data:`COORDINATE_TOLERANCE_M` to one is *at the border*: neither in nor out.

Then, for each row, the rules of :data:`RULES` (each a named :class:`Rule`, unit-tested on its
own in ``tests/geo/test_resolve_rules.py``) refine one :class:`Resolution` in this order:

1. Any clue pointing **outside the region** (code, postal code, coordinates, or a département in
   brackets): the row is ``hors région`` when no clue points inside, ``conflit`` otherwise. A
   name shared with a commune of the region never pulls such a row in.
2. Otherwise the first available source gives the candidates: the code's commune, else the
   name's communes, else (a name known only outside the region makes the row ``hors région``, or
   ``conflit`` if the postal code or coordinates point inside) the postal code's communes, else
   the commune under the point.
3. The other clues then **check** the candidates, never override them: the postal code keeps
   those it serves (or, for a CEDEX, those of its département), the coordinates keep those whose
   contour lies within :data:`COORDINATE_TOLERANCE_M` of the point, and a name that designates
   another commune contradicts a code. A check that keeps nothing makes the row ``conflit``,
   with both sides in the note; only a code of the region is kept against a postal code or
   coordinates of another commune of the region (a code is typed on purpose, geocoding often
   misses by a commune), and that contradiction is a *warning* with both sides. **Evidence
   weighs**: a code of the region that the postal code and/or the coordinates confirm (each one
   given agrees, none disagrees) outweighs a name that designates another commune — a source
   written before the commune was renamed or merged (INSEE COG history) —; the row is
   ``résolue`` and the difference is a *warning* naming both sides and suggesting a former
   name, not a ``conflit``. A code alone against such a name stays a ``conflit``. One candidate
   left: ``résolue``; several: ``ambiguë``, the note lists them (a name shared by several
   communes is never guessed).

A name alone is looked up among the region's communes: the rows are assumed to be the
network's own. For tables that mix regions (national census extracts, other networks), pass
``assume_in_region=False``: a name alone that France also has outside the region is then
``ambiguë`` (``Valence`` exists in the Drôme, the Charente and the Tarn-et-Garonne).

Statuses (``resolution_status``): :data:`RESOLVED` ``résolue``, :data:`AMBIGUOUS` ``ambiguë``,
:data:`CONFLICT` ``conflit``, :data:`OUT_OF_REGION` ``hors région``, :data:`UNRESOLVED`
``non résolue``. Only ``résolue`` rows have a ``commune_code_resolved``.

Methods (``resolution_method``): ``code INSEE``, ``code postal + nom``, ``nom``, ``code postal``,
``coordonnées`` (the last one also when coordinates chose among several candidates).

Warnings (``resolution_warning``, French, ``" ; "``-joined, ``None`` when clean): problems of the
input that the volunteer should fix even when the row is placed: swapped latitude/longitude, an
INSEE code that does not exist or cannot be read, coordinates incomplete, out of range or
``0, 0``, a postal code or coordinates contradicting the code that was kept. Nothing is fixed
silently: a row placed through swapped coordinates keeps its warning. Warnings are repeated in
the note, so that the note alone explains a row.

All the work is column-wise: codes and names are normalised once per distinct value, candidates
come from joins against tables built once per reference, points are located with
:func:`geopandas.sjoin` (and :func:`geopandas.sjoin_nearest` for the border tolerance).
:func:`resolution_problems` turns the output into the list shown by ``relief valider`` and the
quality report.

Layout: the reference's lookup tables are in :mod:`relief_analytics.geo._resolve_index`, the
per-clue readers in :mod:`relief_analytics.geo._resolve_clues`; this module holds the decision
(the rules of :data:`RULES`) and the public API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from relief_analytics.geo._resolve_clues import (
    _Clues,
    _concat,
    _labels_by_row,
    _Messages,
    _read_clues,
)
from relief_analytics.geo._resolve_index import (
    COORDINATE_TOLERANCE_M,
    _Index,
    _index_for,
    _locate,
    _lookup,
    _present,
)
from relief_analytics.geo.reference import GeoReference

RESOLVED = "résolue"
AMBIGUOUS = "ambiguë"
UNRESOLVED = "non résolue"
CONFLICT = "conflit"
OUT_OF_REGION = "hors région"
#: Every status, from placed to not placed (for counts in a fixed order).
STATUSES = (RESOLVED, AMBIGUOUS, CONFLICT, OUT_OF_REGION, UNRESOLVED)

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
    "resolution_warning",
)

#: Columns of :func:`resolution_problems`.
PROBLEM_COLUMNS = ("table", "identifier", "label", "status", "problem")

_CONTRADICTION = "indices contradictoires : "
_CODE_KEPT = "indices contradictoires, code INSEE retenu : "


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
    return _locate(
        _index_for(reference), np.asarray(longitudes, float), np.asarray(latitudes, float)
    ).tolist()


@dataclass
class _Decision:
    """The outcome being built, one value per row."""

    size: int
    status: np.ndarray = field(init=False)
    method: np.ndarray = field(init=False)
    commune: np.ndarray = field(init=False)
    open: np.ndarray = field(init=False)  # rows not decided yet
    notes: _Messages = field(init=False)
    warnings: _Messages = field(init=False)

    def __post_init__(self) -> None:
        self.status = np.full(self.size, UNRESOLVED, dtype=object)
        self.method = np.full(self.size, None, dtype=object)
        self.commune = np.full(self.size, None, dtype=object)
        self.open = np.ones(self.size, dtype=bool)
        self.notes = _Messages(self.size)
        self.warnings = _Messages(self.size)

    def warn(self, mask: np.ndarray, *text: object) -> None:
        """A problem of the input, said in the note and in the warnings."""
        self.notes.add(mask, *text)
        self.warnings.add(mask, *text)

    def close(self, mask: np.ndarray, status: str, *note: object) -> None:
        mask = mask & self.open
        self.status[mask] = status
        if note:
            self.notes.add(mask, *note)
        self.open &= ~mask


def _inside_clues(index: _Index, clues: _Clues, mask: np.ndarray) -> np.ndarray:
    """French list of the clues pointing inside the region (for conflict notes)."""
    inside = _Messages(len(mask), ", ")
    has_code = mask & _present(clues.code_commune)
    inside.add(
        has_code,
        "code INSEE ",
        clues.code,
        " → ",
        _lookup(index.communes["label"], np.where(has_code, clues.code_commune, None)),
    )
    inside.add(mask & clues.postal_in, "code postal ", clues.postal)
    has_point = mask & _present(clues.point)
    inside.add(
        has_point,
        "coordonnées → ",
        _lookup(index.communes["label"], np.where(has_point, clues.point, None)),
    )
    return inside.values


def _settle_outside(index: _Index, clues: _Clues, decision: _Decision) -> None:
    """Rows with a clue outside the region: ``hors région``, or ``conflit`` with an inside clue."""
    outside = _Messages(decision.size, ", ")
    for text in (clues.code_out, clues.postal_out, clues.hint_out, clues.point_out):
        outside.add(_present(text), text)
    any_out = _present(outside.values)
    any_in = _present(clues.code_commune) | clues.postal_in | _present(clues.point)
    only_out = any_out & ~any_in
    decision.close(
        only_out & clues.name_in,
        OUT_OF_REGION,
        outside.values,
        " ; nom homonyme d'une commune de la région, ignoré",
    )
    decision.close(only_out, OUT_OF_REGION, outside.values)
    both = any_out & any_in
    decision.close(
        both,
        CONFLICT,
        "indices contradictoires : hors région selon ",
        outside.values,
        " ≠ dans la région selon ",
        _inside_clues(index, clues, both),
    )
    # A name known only outside the region, without a code.
    name_out = decision.open & ~_present(clues.code_commune) & _present(clues.name_out)
    inside_too = name_out & (clues.postal_in | _present(clues.point))
    decision.close(
        inside_too,
        CONFLICT,
        _CONTRADICTION,
        clues.name_out,
        " ≠ dans la région selon ",
        _inside_clues(index, clues, inside_too),
    )
    decision.close(name_out, OUT_OF_REGION, clues.name_out)


def _gather_candidates(index: _Index, clues: _Clues, decision: _Decision, name_candidates):
    """Candidates (row, commune_code, candidate_label) from each open row's first source."""
    rows = np.arange(decision.size)
    open_ = decision.open
    has_code = _present(clues.code_commune)
    from_code = open_ & has_code
    from_name = open_ & ~has_code & clues.name_in
    from_postal = open_ & ~has_code & ~clues.name_in & clues.postal_served
    from_point = open_ & ~has_code & ~clues.name_in & ~from_postal & _present(clues.point)
    source = np.full(decision.size, None, dtype=object)
    for mask, method in (
        (from_code, BY_CODE),
        (from_name, BY_NAME),
        (from_postal, BY_POSTAL),
        (from_point, BY_COORDINATES),
    ):
        source[mask] = method
    labels = index.communes["label"]
    by_code = pd.DataFrame({"row": rows[from_code], "commune_code": clues.code_commune[from_code]})
    by_name = pd.DataFrame({"row": rows[from_name], "name_id": clues.name_id[from_name]}).merge(
        name_candidates, on="name_id"
    )
    by_postal = pd.DataFrame(
        {"row": rows[from_postal], "postal_code": clues.postal[from_postal]}
    ).merge(index.postal_pairs_frame, on="postal_code")
    by_point = pd.DataFrame(
        {"row": rows[from_point], "point_commune": clues.point[from_point]}
    ).merge(index.covered, on="point_commune")
    candidates = pd.concat(
        [
            frame[["row", "commune_code"]].assign(
                candidate_label=_lookup(labels, frame["commune_code"])
            )
            for frame in (by_code, by_postal, by_point)
        ]
        + [by_name[["row", "commune_code", "candidate_label"]]],
        ignore_index=True,
    ).astype({"row": int})
    postal_only = open_ & ~has_code & ~clues.name_in & clues.postal_in & ~from_postal
    decision.notes.add(
        postal_only & ~from_point, "code postal ", clues.postal, " inconnu dans la région"
    )
    return candidates, source


def _source_text(clues: _Clues, candidates: pd.DataFrame, source: np.ndarray, mask: np.ndarray):
    """French statement of what the first source designated (one side of a conflict)."""
    labels = _labels_by_row(candidates, mask, len(mask), " ou ")
    text = _Messages(len(mask))
    text.add(mask & (source == BY_CODE), "code INSEE ", clues.code, " → ", labels)
    text.add(mask & (source == BY_NAME), "nom « ", clues.name, " » → ", labels)
    text.add(mask & (source == BY_POSTAL), "code postal ", clues.postal, " → ", labels)
    return text.values


def _check_name(index, clues, candidates, source, name_candidates, decision) -> None:
    """A name that designates another commune contradicts the code."""
    check = (source == BY_CODE) & _present(clues.name)
    own = pd.MultiIndex.from_arrays([clues.loose_key, clues.code_commune]).isin(index.own_names)
    other = clues.name_in | _present(clues.name_out)
    conflict = check & ~own & other
    rows = np.flatnonzero(conflict & clues.name_in)
    named = pd.DataFrame({"row": rows, "name_id": clues.name_id[rows]}).merge(
        name_candidates, on="name_id"
    )
    name_side = _concat(
        conflict & clues.name_in,
        "nom « ",
        clues.name,
        " » → ",
        _labels_by_row(named, conflict, decision.size, " ou "),
    )
    name_side = np.where(_present(name_side), name_side, clues.name_out)
    outweighed = _code_corroborated(index, clues, conflict)
    decision.warn(
        outweighed,
        "nom saisi « ",
        clues.name,
        " » différent de la commune du code INSEE ",
        clues.code,
        " → ",
        _lookup(index.communes["label"], np.where(outweighed, clues.code_commune, None)),
        ", que confirment ",
        _corroboration_text(clues, outweighed),
        " : code INSEE retenu, ancien nom de la commune (renommée ou fusionnée depuis) ?",
    )
    conflict &= ~outweighed
    decision.close(
        conflict,
        CONFLICT,
        _CONTRADICTION,
        _source_text(clues, candidates, source, conflict),
        " ≠ ",
        name_side,
    )
    differs = check & ~own & ~other
    decision.notes.add(
        differs,
        "nom saisi « ",
        clues.name,
        " » différent de « ",
        _lookup(index.communes["commune_name"], np.where(differs, clues.code_commune, None)),
        " »",
    )


def _code_corroborated(index: _Index, clues: _Clues, mask: np.ndarray) -> np.ndarray:
    """Rows of ``mask`` whose code is confirmed by the postal code and/or the coordinates.

    Evidence weighs: a code of the region that the postal code serves and the point lies in (or
    near), with at least one of them given and none disagreeing, outweighs a commune name that
    designates another commune (a source written before the commune was renamed or merged).
    """
    postal_given = mask & _present(clues.postal)
    postal_ok = pd.MultiIndex.from_arrays([clues.postal, clues.code_commune]).isin(
        index.postal_pairs
    )
    point_given = mask & _present(clues.point)
    point_ok = np.zeros(len(mask), dtype=bool)
    rows = np.flatnonzero(point_given)
    if len(rows):
        point_ok[rows] = _agrees_with_point(
            index, pd.DataFrame({"row": rows, "commune_code": clues.code_commune[rows]}), clues
        )
    return (
        mask
        & (postal_given | point_given)
        & (~postal_given | postal_ok)
        & (~point_given | point_ok)
    )


def _corroboration_text(clues: _Clues, mask: np.ndarray) -> np.ndarray:
    """« le code postal 69100 et les coordonnées » (what confirmed the code), per row of ``mask``."""
    postal = mask & _present(clues.postal)
    point = mask & _present(clues.point)
    text = np.full(len(mask), None, dtype=object)
    text[postal] = "le code postal " + clues.postal[postal].astype(str)
    both = postal & point
    text[both] = text[both] + " et les coordonnées"
    text[point & ~postal] = "les coordonnées"
    return text


def _check_postal(index, clues, candidates, source, decision) -> tuple[pd.DataFrame, np.ndarray]:
    """Keep the candidates the postal code serves, else those of its département."""
    size = decision.size
    check = decision.open & np.isin(source, [BY_CODE, BY_NAME]) & clues.postal_in
    rows = candidates["row"].to_numpy()
    checked = check[rows]
    served = pd.MultiIndex.from_arrays(
        [clues.postal[rows], candidates["commune_code"].to_numpy()]
    ).isin(index.postal_pairs)
    same_departement = (
        _lookup(index.postal_prefix_of, candidates["commune_code"]) == clues.prefix[rows]
    )
    served_count = np.bincount(rows, weights=served & checked, minlength=size)
    departement_count = np.bincount(rows, weights=same_departement & checked, minlength=size)
    by_departement = check & (served_count == 0) & (departement_count > 0)
    disagree = check & (served_count == 0) & (departement_count == 0)
    decision.notes.add(
        by_departement, "code postal ", clues.postal, " non rattaché à cette commune"
    )
    postal_side = _lookup(index.postal_labels, np.where(disagree, clues.postal, None))
    postal_side = np.where(
        _present(postal_side), postal_side, _concat(disagree, "département ", clues.prefix)
    )
    sides = (
        _source_text(clues, candidates, source, disagree),
        " ≠ code postal ",
        clues.postal,
        " → ",
        postal_side,
    )
    by_code = disagree & (source == BY_CODE)
    decision.warn(by_code, _CODE_KEPT, *sides)
    decision.close(disagree & ~by_code, CONFLICT, _CONTRADICTION, *sides)
    keep = ~checked | by_code[rows] | np.where(by_departement[rows], same_departement, served)
    candidates = candidates[keep & decision.open[rows]]
    return candidates, check & decision.open


def _check_point(index, clues, candidates, source, decision) -> tuple[pd.DataFrame, np.ndarray]:
    """Keep the candidates whose contour lies near the point; none left is a conflict."""
    size = decision.size
    rows = candidates["row"].to_numpy()
    before = np.bincount(rows, minlength=size)
    check = decision.open & _present(clues.point) & (source != BY_COORDINATES) & (before > 0)
    checked = check[rows]
    agree = np.ones(len(candidates), dtype=bool)
    if checked.any():
        agree[checked] = _agrees_with_point(index, candidates[checked], clues)
    agree_count = np.bincount(rows, weights=agree & checked, minlength=size)
    disagree = check & (agree_count == 0)
    sides = (
        _source_text(clues, candidates, source, disagree),
        " ≠ coordonnées → ",
        _lookup(index.communes["label"], np.where(disagree, clues.point, None)),
    )
    by_code = disagree & (source == BY_CODE)
    decision.warn(by_code, _CODE_KEPT, *sides)
    decision.close(disagree & ~by_code, CONFLICT, _CONTRADICTION, *sides)
    candidates = candidates[(agree | by_code[rows]) & decision.open[rows]]
    remaining = np.bincount(candidates["row"].to_numpy(), minlength=size)
    return candidates, check & (before > 1) & (remaining == 1)


def _agrees_with_point(index: _Index, table: pd.DataFrame, clues: _Clues) -> np.ndarray:
    """Whether each candidate (row, commune_code) is the point's commune or near the point."""
    rows = table["row"].to_numpy()
    agree = _lookup(index.owner, table["commune_code"]) == clues.point[rows]
    check = np.flatnonzero(~agree)
    if len(check):
        geometry = _lookup(index.projected_owner_geometry, table["commune_code"].to_numpy()[check])
        drawn = _present(geometry)
        points = shapely.points(clues.x[rows[check]], clues.y[rows[check]])
        close = np.zeros(len(check), dtype=bool)
        close[drawn] = shapely.dwithin(points[drawn], geometry[drawn], COORDINATE_TOLERANCE_M)
        agree[check] = close
    return agree


def _decide(
    index, clues, candidates, source, postal_checked, settled, decision, *, assume_in_region
) -> None:
    """One candidate left: ``résolue``; several: ``ambiguë`` with the list.

    Without ``assume_in_region``, a name alone that France also has outside the region is
    ``ambiguë`` too.
    """
    size = decision.size
    rows = candidates["row"].to_numpy()
    remaining = np.bincount(rows, minlength=size)
    single = decision.open & (remaining == 1)
    several = decision.open & (remaining > 1)
    first = candidates[single[rows]]
    first_rows = first["row"].to_numpy()
    decision.commune[first_rows] = first["commune_code"].to_numpy()
    decision.method[single | several] = source[single | several]
    decision.method[single & (source == BY_NAME) & postal_checked] = BY_POSTAL_AND_NAME
    decision.method[settled] = BY_COORDINATES
    why = np.where(source == BY_NAME, "nom ambigu", "code postal commun à plusieurs communes")
    decision.notes.add(settled, why, ", départagé par les coordonnées")
    alias_label = np.full(size, None, dtype=object)
    chosen = first["candidate_label"].to_numpy(dtype=object)
    standard = _lookup(index.communes["label"], first["commune_code"])
    alias_label[first_rows] = np.where(chosen != standard, chosen, None)
    decision.notes.add(single, alias_label)
    name_alone = single & (decision.method == BY_NAME) & ~_present(clues.point)
    elsewhere_too = name_alone & _present(clues.homonyms)
    decision.notes.add(
        elsewhere_too,
        "nom seul, porté aussi hors région (",
        clues.homonyms,
        ") ; candidat dans la région : ",
        _lookup(index.communes["label"], decision.commune),
    )
    decision.commune[elsewhere_too] = None
    decision.method[elsewhere_too] = BY_NAME
    decision.close(elsewhere_too, AMBIGUOUS)
    decision.notes.add(
        several & (source == BY_COORDINATES),
        "un même contour couvre plusieurs communes (contour source antérieur à leur création)",
    )
    decision.notes.add(several, "candidats : ", _labels_by_row(candidates, several, size))
    decision.close(single, RESOLVED)
    decision.close(several, AMBIGUOUS)
    decision.notes.add(
        ~clues.provided,
        "aucune information de localisation (code, code postal, nom ou coordonnées)",
    )


@dataclass
class Resolution:
    """The state that the rules of :data:`RULES` read and refine, one value per row.

    ``decision`` holds the outcome being built (status, method, commune, notes, warnings, the
    rows still open); ``candidates`` (long table ``row, commune_code, candidate_label``) and
    ``source`` (the method that gave them) are set by the ``candidats`` rule;
    ``postal_checked`` and ``settled`` by the code-postal and coordinates checks.
    """

    index: _Index
    clues: _Clues
    name_candidates: pd.DataFrame
    decision: _Decision
    assume_in_region: bool
    candidates: pd.DataFrame | None = None
    source: np.ndarray | None = None
    postal_checked: np.ndarray | None = None
    settled: np.ndarray | None = None


@dataclass(frozen=True)
class Rule:
    """One named step of the resolution chain: ``apply(state)`` refines a :class:`Resolution`."""

    name: str
    description: str
    apply: Callable[[Resolution], None]


def start_resolution(
    frame: pd.DataFrame,
    *,
    reference: GeoReference,
    columns: dict[str, str | None],
    assume_in_region: bool = True,
) -> Resolution:
    """Read every clue of ``frame`` (keys of ``columns``: code, postal, name, lat, lon).

    The returned state has every row open; the rules of :data:`RULES`, applied in order,
    decide them.
    """
    index = _index_for(reference)
    decision = _Decision(len(frame))
    clues, name_candidates = _read_clues(
        index, frame, columns, decision.notes, decision.warnings, assume_in_region=assume_in_region
    )
    return Resolution(index, clues, name_candidates, decision, assume_in_region)


def _rule_outside(state: Resolution) -> None:
    _settle_outside(state.index, state.clues, state.decision)


def _rule_candidates(state: Resolution) -> None:
    state.candidates, state.source = _gather_candidates(
        state.index, state.clues, state.decision, state.name_candidates
    )


def _rule_name(state: Resolution) -> None:
    _check_name(
        state.index, state.clues, state.candidates, state.source, state.name_candidates,
        state.decision,
    )


def _rule_postal(state: Resolution) -> None:
    state.candidates, state.postal_checked = _check_postal(
        state.index, state.clues, state.candidates, state.source, state.decision
    )


def _rule_point(state: Resolution) -> None:
    state.candidates, state.settled = _check_point(
        state.index, state.clues, state.candidates, state.source, state.decision
    )


def _rule_decide(state: Resolution) -> None:
    _decide(
        state.index,
        state.clues,
        state.candidates,
        state.source,
        state.postal_checked,
        state.settled,
        state.decision,
        assume_in_region=state.assume_in_region,
    )


#: The resolution chain, in order (module docstring, steps 1–3). Each rule only closes rows
#: still open or narrows their candidates; none reopens a row.
RULES: tuple[Rule, ...] = (
    Rule("hors région", "a clue outside the region: hors région, or conflit with an inside clue",
         _rule_outside),
    Rule("candidats", "the first available source (code, name, postal code, point) gives the "
         "candidates", _rule_candidates),
    Rule("nom", "a name of another commune contradicts the code (conflit), unless the postal "
         "code or the point confirm the code (warning: a former name?)", _rule_name),
    Rule("code postal", "the postal code keeps the candidates it serves (or of its département)",
         _rule_postal),
    Rule("coordonnées", "the point keeps the candidates near it; it may settle an ambiguity",
         _rule_point),
    Rule("décision", "one candidate left: résolue; several: ambiguë with the list", _rule_decide),
)


def resolve_communes(
    frame: pd.DataFrame,
    *,
    reference: GeoReference,
    code_col: str | None = "commune_code",
    postal_col: str | None = "postal_code",
    name_col: str | None = "commune_name",
    lat_col: str | None = "latitude",
    lon_col: str | None = "longitude",
    assume_in_region: bool = True,
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
        (WGS84 degrees, decimal point or comma); ``None`` or a missing column means "not
        provided".
    assume_in_region : bool, default True
        The rows are the network's own (lieux, events, members of the region): a name alone is
        looked up among the region's communes. Set ``False`` for tables that mix regions
        (national census extracts, other networks): a name alone that France also has outside
        the region (``Valence``: Drôme, Charente, Tarn-et-Garonne…) is then ``ambiguë``, never
        placed; a postal code, coordinates or a ``(26)`` that agree still place it.

    Returns
    -------
    DataFrame
        A copy of ``frame`` plus ``commune_code_resolved`` (INSEE code of a commune of the
        region, only for ``résolue``), ``resolution_status`` (``résolue`` / ``ambiguë`` /
        ``conflit`` / ``hors région`` / ``non résolue``), ``resolution_method`` (``code INSEE``,
        ``code postal + nom``, ``nom``, ``code postal``, ``coordonnées``), ``resolution_note``
        (French: candidates, both sides of a conflict, the clues pointing outside the region),
        ``departement_code`` and ``epci_code`` of the resolved commune, and
        ``resolution_warning`` (French: input problems such as « latitude et longitude
        inversées ? » or « code INSEE 99999 inexistant »; ``None`` when clean).

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> rows = pd.DataFrame({
    ...     "commune_name": ["Lyon 3e", "St Etienne", "Beaulieu", "Beaulieu"],
    ...     "postal_code": [None, None, None, "87190"],
    ... })
    >>> out = resolve_communes(rows, reference=load_reference("84"))
    >>> out["commune_code_resolved"].fillna("—").tolist()
    ['69123', '42218', '—', '—']
    >>> out["resolution_status"].tolist()
    ['résolue', 'résolue', 'ambiguë', 'hors région']
    """
    state = start_resolution(
        frame,
        reference=reference,
        columns={"code": code_col, "postal": postal_col, "name": name_col, "lat": lat_col,
                 "lon": lon_col},
        assume_in_region=assume_in_region,
    )
    for rule in RULES:
        rule.apply(state)
    index, decision = state.index, state.decision

    result = frame.copy()
    commune = pd.Series(decision.commune, index=frame.index, dtype="str")
    result["commune_code_resolved"] = commune
    result["resolution_status"] = pd.Series(decision.status, index=frame.index, dtype="str")
    result["resolution_method"] = pd.Series(decision.method, index=frame.index, dtype="str")
    result["resolution_note"] = pd.Series(decision.notes.values, index=frame.index, dtype="str")
    result["departement_code"] = commune.map(index.communes["departement_code"]).astype("str")
    result["epci_code"] = commune.map(index.communes["epci_code"]).astype("str")
    result["resolution_warning"] = pd.Series(
        decision.warnings.values, index=frame.index, dtype="str"
    )
    return result


def resolution_problems(
    resolved: pd.DataFrame, *, table: str, id_col: str, label_col: str | None = None
) -> pd.DataFrame:
    """List the geographic problems of a resolved table, for ``relief valider`` and the quality report.

    Grain: one row per problem, in the input order: each row not ``résolue`` (problem = its
    note, which already says its warnings), and each warning of a ``résolue`` row.

    Parameters
    ----------
    resolved : DataFrame
        Output of :func:`resolve_communes`.
    table : str
        Name of the table, repeated in the ``table`` column (``"lieux"``).
    id_col : str
        Column identifying a row (``lieu_id``, ``membership_id``); never a person's name.
    label_col : str, optional
        Public label of a row (``lieu_name``); omit it for tables about people. For those
        (adhésions), show counts by status rather than rows: a postal code or commune tied to a
        membership reference is personal data.

    Returns
    -------
    DataFrame
        Columns ``table``, ``identifier``, ``label`` (``None`` without ``label_col``),
        ``status`` (the ``resolution_status``), ``problem`` (French).

    Examples
    --------
    >>> from relief_analytics.geo.reference import load_reference
    >>> lieux = pd.DataFrame({"lieu_id": ["L1", "L2", "L3"],
    ...                       "lieu_name": ["La Forge", "Le Hangar", "La Fabrique"],
    ...                       "commune_code": ["99999", "38185", "75056"]})
    >>> out = resolve_communes(lieux, reference=load_reference("84"))
    >>> problems = resolution_problems(out, table="lieux", id_col="lieu_id", label_col="lieu_name")
    >>> problems[["identifier", "status", "problem"]].to_numpy().tolist()
    [['L1', 'non résolue', 'code INSEE 99999 inconnu'], ['L3', 'hors région', 'code INSEE 75056 hors région : Paris (75)']]
    """
    placed = (resolved["resolution_status"] == RESOLVED).to_numpy()
    warned = placed & resolved["resolution_warning"].notna().to_numpy()
    labels = (
        resolved[label_col].to_numpy(dtype=object)
        if label_col
        else np.full(len(resolved), None, dtype=object)
    )
    base = pd.DataFrame(
        {
            "table": table,
            "identifier": resolved[id_col].to_numpy(dtype=object),
            "label": labels,
            "status": resolved["resolution_status"].to_numpy(dtype=object),
            "problem": np.where(
                placed,
                resolved["resolution_warning"].to_numpy(dtype=object),
                resolved["resolution_note"].to_numpy(dtype=object),
            ),
        }
    )[~placed | warned]
    base["problem"] = (
        base["problem"].str.split(" ; ").where(base["status"] == RESOLVED, base["problem"])
    )
    problems = base.explode("problem")
    return problems[list(PROBLEM_COLUMNS)].astype(object).reset_index(drop=True)
