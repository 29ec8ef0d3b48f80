"""Parse text cells into typed values, one column kind at a time.

Each parser takes a text value (never ``None``) and returns the parsed value, or raises
:class:`CellError` whose message is the French rule the value broke. The parsers define the
rules; :func:`parse_column` applies them to a whole column at once, once per distinct value
(dates of the usual shapes in one vectorised pass), with exactly the parsers' outcome.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from babel.numbers import NumberFormatError
from babel.numbers import parse_decimal as babel_parse_decimal

from relief_analytics.formatting import format_number
from relief_analytics.schemas import KIND_LABELS_FR
from relief_analytics.text import code_key, map_unique, strip_accents  # noqa: F401 - code_key re-exported


class CellError(ValueError):
    """A value that does not fit its column's kind; ``str(exc)`` is the French rule."""


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_FREE_WORDS = {"gratuit", "gratuite", "offert"}
#: The integer part of a number grouped by spaces: 1 to 3 digits, then groups of exactly 3.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[\s\u00a0\u202f']\d{3})+|[+-]?\d*")
_DECIMAL_PART = re.compile(r"[.,]\d*$")
_NUMBER_LIKE = re.compile(r"[+-]?[\d\s\u00a0\u202f'.,()+-]+")


class AmbiguousNumber(CellError):
    """A number whose one separator could group thousands or mark decimals (``1.500``)."""


#: One separator (``.`` or ``,``) followed by exactly three digits, after 1 to 3 digits that do
#: not start with 0: ``1.500`` is 1 500 or 1,5; ``0,500`` and ``1234,567`` are not ambiguous.
_AMBIGUOUS = re.compile(r"([+-]?)([1-9]\d{0,2})([.,])(\d{3})")


def _ambiguity(raw: str, s: str, *, upper: float | None) -> AmbiguousNumber | None:
    """The refusal of ``s`` (the number without spaces) when both readings are possible."""
    m = _AMBIGUOUS.fullmatch(s)
    if m is None:
        return None
    sign, whole, _, part = m.groups()
    grouped = float(whole + part)
    if upper is not None and grouped > upper:
        return None  # read as thousands it breaks the column's bound: only the decimal reading is left
    sign = "-" if sign == "-" else ""
    decimal = whole + ("," + part.rstrip("0") if part.rstrip("0") else "")
    return AmbiguousNumber(
        f"{raw} peut se lire {sign}{format_number(grouped)} ou {sign}{decimal} : "
        f"écrivez {sign}{whole}{part} ou {sign}{decimal}"
    )


def parse_decimal(text: str, *, upper: float | None = None) -> float:
    """``"1 234,50 €"`` → 1234.5; ``"Gratuit"`` → 0.0; ``"1.234,5"`` and ``"1,234.5"`` → 1234.5.

    Spaces (also no-break and narrow no-break) and apostrophes group thousands; when both
    ``,`` and ``.`` appear, the last one is the decimal separator; a lone ``.`` is accepted
    as the decimal separator too. A lone separator followed by exactly three digits
    (``1.500``, ``1,500``) could mean thousands or decimals: it is refused with both readings
    (:class:`AmbiguousNumber`), unless the thousands reading is above ``upper`` (the column's
    maximum: ``45.750`` is a latitude of 45,75). The number itself is read by babel's French
    ``parse_decimal``.

    >>> parse_decimal("5,00")
    5.0
    >>> parse_decimal("1 234,5 €")
    1234.5
    >>> parse_decimal("1.500")
    Traceback (most recent call last):
    ...
    relief_analytics.load.coerce.AmbiguousNumber: 1.500 peut se lire 1\u202f500 ou 1,5 : écrivez 1500 ou 1,5
    """
    raw = text.strip()
    if raw.lower() in _FREE_WORDS:
        return 0.0
    number = raw.replace("€", "").replace("EUR", "").strip()
    if (_SPACES.search(number) and _NUMBER_LIKE.fullmatch(number)
            and not _GROUPED.fullmatch(_DECIMAL_PART.sub("", number))):
        # « 06 12 34 56 78 » is a phone, not 612 345 678 €
        raise CellError("nombre attendu (ex. 12,50) : un espace ne sépare que des groupes de trois chiffres "
                        "(ex. 1 234 567,50)")
    s = _SPACES.sub("", number)
    if "," in s and "." in s:
        # the last separator is the decimal one: bring the text to the French form 1234,5
        s = s.replace(".", "") if s.rfind(",") > s.rfind(".") else s.replace(",", "").replace(".", ",")
    elif (ambiguous := _ambiguity(raw, s, upper=upper)) is not None:
        raise ambiguous
    try:
        value = float(babel_parse_decimal(s, locale="fr_FR"))
    except (NumberFormatError, ValueError):  # ValueError: a signalling NaN has no float
        raise CellError("nombre attendu (ex. 12,50)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("nombre attendu (ex. 12,50)")
    return value


def upper_bound(spec: dict) -> float | None:
    """A column's maximum (its ``le=`` / ``lt=`` check in :func:`~relief_analytics.schemas.column_specs`)."""
    bounds = [check.statistics.get("max_value") for check in spec.get("checks", [])
              if check.name in ("less_than_or_equal_to", "less_than")]
    return min((float(b) for b in bounds if b is not None), default=None)


@functools.cache
def column_upper_bound(table: str, column: str) -> float | None:
    """:func:`upper_bound` of a contract column, by table and column name (``None`` if unknown)."""
    from relief_analytics.schemas import TABLES, column_specs

    spec = column_specs(TABLES[table]).get(column) if table in TABLES else None
    return None if spec is None else upper_bound(spec)


def parse_integer(text: str, *, upper: float | None = None) -> int:
    """``"2 021"`` → 2021; ``"12,0"`` → 12; ``"12,5"`` and ``"1.500"`` are refused."""
    try:
        value = parse_decimal(text, upper=upper)
    except AmbiguousNumber:
        raise
    except CellError:
        raise CellError("nombre entier attendu") from None
    if not value.is_integer():
        raise CellError("nombre entier attendu")
    return int(value)


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%Hh%M", "%Hh")


#: Years a ``datetime64[ns]`` column can hold (a year 0001 used to stop the whole load).
_YEARS = range(1678, 2262)
_OUT_OF_RANGE = "date hors de la plage possible (années 1678 à 2261)"


def parse_datetime(text: str) -> pd.Timestamp:
    """Dates ``dd/mm/yyyy`` or ISO, with an optional time ``HH:MM[:SS]``.

    >>> parse_datetime("14/03/2024 18:30")
    Timestamp('2024-03-14 18:30:00')
    """
    value = _read_datetime(text)
    if value.year not in _YEARS:
        raise CellError(_OUT_OF_RANGE)
    return value


def _read_datetime(text: str) -> pd.Timestamp:
    s = text.strip().replace("T", " ")
    s = re.sub(r"(\+\d\d:?\d\d|Z)$", "", s).strip()
    date_part, _, time_part = s.partition(" ")
    time_part = time_part.strip()
    for date_fmt in _DATE_FORMATS:
        for time_fmt in ("",) + _TIME_FORMATS if time_part else ("",):
            fmt = f"{date_fmt} {time_fmt}".strip()
            value = f"{date_part} {time_part}".strip() if time_fmt else date_part
            if time_part and not time_fmt:
                continue
            try:
                return pd.Timestamp(dt.datetime.strptime(value, fmt))
            except ValueError:
                continue
    raise CellError("date attendue au format jj/mm/aaaa (ex. 14/03/2024), éventuellement suivie de HH:MM")


def parse_date(text: str) -> pd.Timestamp:
    """A date (a time part, if any, is dropped)."""
    try:
        value = _read_datetime(text)
    except CellError:
        raise CellError("date attendue au format jj/mm/aaaa (ex. 14/03/2024)") from None
    if value.year not in _YEARS:
        raise CellError(_OUT_OF_RANGE)
    return value.normalize()


_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}


def parse_boolean(text: str) -> bool:
    """``oui``/``non`` (and vrai/faux, 1/0, x)."""
    s = strip_accents(text).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError("« oui » ou « non » attendu")


def _as_code(text: str) -> str:
    s = text.strip().upper().replace(" ", "")
    if re.fullmatch(r"\d+\.0+", s):  # a number that went through a spreadsheet
        s = s.split(".")[0]
    return s


def parse_insee_code(text: str) -> str:
    """INSEE commune code; a lost leading zero is restored (``1053`` → ``01053``)."""
    s = _as_code(text)
    if re.fullmatch(r"\d{4}", s):
        s = "0" + s
    if not re.fullmatch(r"\d{5}|2[AB]\d{3}", s):
        raise CellError("code INSEE attendu sur 5 caractères (ex. 01053)")
    return s


def parse_postal_code(text: str) -> str:
    """French postal code; a lost leading zero is restored (``1000`` → ``01000``)."""
    s = _as_code(text)
    if re.fullmatch(r"\d{4}", s):
        s = "0" + s
    if not re.fullmatch(r"\d{5}", s):
        raise CellError("code postal attendu sur 5 chiffres (ex. 69003)")
    return s


def parse_multi(text: str) -> str:
    """Values separated by ``|`` or ``;``, returned ``|``-joined without blanks."""
    parts = [p.strip() for p in re.split(r"[|;]", text)]
    return "|".join(p for p in parts if p)


def code_keys(values: pd.Series) -> pd.Series:
    """:func:`code_key` of every value (computed once per distinct value; missing stays ``None``)."""
    return map_unique(values, code_key)


def normalize_member_kind(value: str) -> str:
    """``"Personne morale"``, ``"structure"`` → ``"morale"``; ``"Individuel"`` → ``"physique"``.

    Anything else is returned unchanged (and then refused by the column's checks).

    >>> normalize_member_kind("Personne Morale"), normalize_member_kind("Collectif")
    ('morale', 'Collectif')
    """
    key = code_key(value)
    if "morale" in key or key in ("structure", "organisation", "pm"):
        return "morale"
    if "physique" in key or key in ("individuel", "individu", "pp"):
        return "physique"
    return value


_BARE_HOST = re.compile(r"^(?i:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?i:[a-z]{2,})(?:[/?#]\S*)?$")


def normalize_web_url(value: str) -> str:
    """A bare host as volunteers type it (``www.lieu.fr``) gets ``https://``; anything else is kept.

    Only a host made of letters, digits, dots and hyphens is completed: ``javascript:…``,
    ``//lieu.fr`` or ``nom@lieu.fr`` are returned unchanged (and then refused by the column's rule).

    >>> normalize_web_url("www.lieu.fr/agenda"), normalize_web_url("lieu.fr")
    ('https://www.lieu.fr/agenda', 'https://lieu.fr')
    >>> normalize_web_url("javascript:alert(1)"), normalize_web_url("https://lieu.fr")
    ('javascript:alert(1)', 'https://lieu.fr')
    """
    text = value.strip()
    return f"https://{text}" if _BARE_HOST.match(text) else value


#: Value normalisers a column may name in its ``normalize`` metadata (see ``schemas._base``).
NORMALIZERS = {"member_kind": normalize_member_kind, "web_url": normalize_web_url}


def derive_member_kind(processed: pd.DataFrame) -> pd.Series:
    """« morale » where the raison sociale is filled, else « physique » (one value per row)."""
    has_organisation = processed["organisation_name"].notna()
    return has_organisation.map({True: "morale", False: "physique"}).astype(object)


#: Column derivers a column may name in its ``derive`` metadata (see ``schemas._base``): they
#: compute the column from the row's other parsed columns when the file does not have it.
DERIVERS = {"member_kind": derive_member_kind}

PARSERS = {
    "text": lambda s: s.strip(),
    "integer": parse_integer,
    "decimal": parse_decimal,
    "date": parse_date,
    "datetime": parse_datetime,
    "boolean": parse_boolean,
    "insee_code": parse_insee_code,
    "postal_code": parse_postal_code,
    "multi": parse_multi,
}

#: pandas dtype of each kind in processed tables.
DTYPES = {
    "text": "object",
    "integer": "Int64",
    "decimal": "float64",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "boolean": "boolean",
    "insee_code": "object",
    "postal_code": "object",
    "multi": "object",
}

assert set(PARSERS) == set(DTYPES) == set(KIND_LABELS_FR)

_YEAR = r"(?:1[7-9]|2[01])\d\d"  # years a datetime64[ns] column holds
#: Shapes parsed in one vectorised pass, each with the format :func:`parse_datetime` would
#: pick first for it; anything else (or a shape that fails, e.g. 31/02) goes to the parser.
_FAST_DATETIME_FORMATS = (
    (rf"\d\d/\d\d/{_YEAR} \d\d:\d\d", "%d/%m/%Y %H:%M"),
    (rf"\d\d/\d\d/{_YEAR}", "%d/%m/%Y"),
    (rf"{_YEAR}-\d\d-\d\d", "%Y-%m-%d"),
    (rf"{_YEAR}-\d\d-\d\d \d\d:\d\d", "%Y-%m-%d %H:%M"),
    (rf"{_YEAR}-\d\d-\d\d \d\d:\d\d:\d\d", "%Y-%m-%d %H:%M:%S"),
)

#: A check applied to the distinct parsed values of a column: ``(values, rules) -> (values, rules)``.
Refine = Callable[[pd.Series, pd.Series], tuple[pd.Series, pd.Series]]
#: A check of the distinct texts with their parsed values: ``(texts, values, rules) -> (values, rules)``.
CheckTexts = Callable[[pd.Series, pd.Series, pd.Series], tuple[pd.Series, pd.Series]]


def _empty_rules(n: int) -> pd.Series:
    return pd.Series([None] * n, dtype=object)


def _parse_each(texts: pd.Series, kind: str, *, upper: float | None = None) -> tuple[pd.Series, pd.Series]:
    parser = PARSERS[kind]
    if upper is not None and kind in ("decimal", "integer"):
        parser = functools.partial(parser, upper=upper)
    values, rules = [], []
    for text in texts:
        try:
            values.append(parser(text))
            rules.append(None)
        except CellError as exc:
            values.append(None)
            rules.append(str(exc))
    return pd.Series(values, dtype=_dtype(kind)), pd.Series(rules, dtype=object)


#: Where each field sits in the text of a fast shape: format -> (width, {field: (start, end)}).
_FIXED_FIELDS = {
    "%d/%m/%Y %H:%M": (16, {"day": (0, 2), "month": (3, 5), "year": (6, 10), "hour": (11, 13), "minute": (14, 16)}),
    "%d/%m/%Y": (10, {"day": (0, 2), "month": (3, 5), "year": (6, 10)}),
    "%Y-%m-%d": (10, {"year": (0, 4), "month": (5, 7), "day": (8, 10)}),
    "%Y-%m-%d %H:%M": (16, {"year": (0, 4), "month": (5, 7), "day": (8, 10), "hour": (11, 13), "minute": (14, 16)}),
    "%Y-%m-%d %H:%M:%S": (19, {"year": (0, 4), "month": (5, 7), "day": (8, 10), "hour": (11, 13),
                               "minute": (14, 16), "second": (17, 19)}),
}
assert set(_FIXED_FIELDS) == {fmt for _, fmt in _FAST_DATETIME_FORMATS}


def _read_fixed(texts: np.ndarray, fmt: str) -> np.ndarray:
    """``datetime64[ns]`` of texts of one fast shape (``NaT`` where the date or time does not exist).

    The same answer as ``pd.to_datetime(texts, format=fmt, errors="coerce")``, read from the digits
    of the joined texts at once; a text with a non-ASCII digit (which ``\\d`` accepts) is left to it.
    """
    joined = "".join(texts)
    if not joined.isascii():
        return pd.to_datetime(pd.Series(texts, dtype=object), format=fmt, errors="coerce").to_numpy("datetime64[ns]")
    width, fields = _FIXED_FIELDS[fmt]
    digits = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(len(texts), width).astype(np.int64) - 48

    def field(name: str) -> np.ndarray:
        start, end = fields.get(name, (0, 0))
        number = np.zeros(len(texts), dtype=np.int64)
        for i in range(start, end):
            number = number * 10 + digits[:, i]
        return number

    year, month, day = field("year"), field("month"), field("day")
    hour, minute, second = field("hour"), field("minute"), field("second")
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59)
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    month_days = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)
    valid &= day <= month_days
    stamps = (months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")).astype("datetime64[ns]")
    stamps = stamps + ((hour * 60 + minute) * 60 + second).astype("timedelta64[s]")
    stamps[~valid] = np.datetime64("NaT")
    return stamps


def _parse_dates(texts: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    cells = texts.to_numpy(dtype=object)
    stamps = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    pending = np.ones(len(cells), dtype=bool)
    for pattern, fmt in _FAST_DATETIME_FORMATS:
        candidates = np.flatnonzero(pending)
        shape = re.compile(pattern)
        shaped = candidates[np.array([type(c) is str and shape.fullmatch(c) is not None
                                      for c in cells[candidates]], dtype=bool)]
        if len(shaped):
            parsed = _read_fixed(cells[shaped], fmt)
            read = ~np.isnat(parsed)
            stamps[shaped[read]] = parsed[read]
            pending[shaped[read]] = False
    values = pd.Series(stamps, index=texts.index, dtype="datetime64[ns]")
    if kind == "date":
        values = values.dt.normalize()
    rules = _empty_rules(len(texts))
    if pending.any():
        rest_values, rest_rules = _parse_each(texts[pending], kind)
        values[pending] = rest_values.to_numpy()
        rules[pending] = rest_rules.to_numpy()
    return values, rules


#: What a spreadsheet writes in a cell whose formula failed: Excel in English and French,
#: LibreOffice (``Err:502``, ``#NOM?``, ``#N/D``…), Google Sheets (``#ERROR!``).
SPREADSHEET_ERROR = re.compile(
    r"#(?:REF|VALUE|VALEUR|DIV/0|NAME|NOM|NUM|NOMBRE|NULL|NUL|SPILL|PROPAGATION|CALC|FIELD|CHAMP|"
    r"BLOCKED|BLOQUE|CONNECT|BUSY|UNKNOWN|EXTERNAL|PYTHON|ERROR|ERREUR)[!?]"
    r"|#N/?[AD](?:[!?])?|#GETTING_DATA|Err:\d{3}|Erreur:\d{3}",
    re.IGNORECASE,
)


def spreadsheet_error_rule(value: str) -> str:
    """The French rule of a cell holding a spreadsheet's error value."""
    return (f"erreur de formule du tableur ({value.strip()}) au lieu d'une valeur : "
            "corrigez la formule ou saisissez la valeur dans la cellule")


def _refuse_spreadsheet_errors(
    values: pd.Series, rules: pd.Series, *, texts: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Refuse every cell whose text is a spreadsheet's error value, whatever the column's kind."""
    source = values if texts is None else texts
    bad = spreadsheet_error_mask(source)
    if not bad.any():
        return values, rules
    values, rules = values.copy(), rules.copy()
    values[bad] = None
    rules[bad] = [spreadsheet_error_rule(str(v)) for v in source.to_numpy(dtype=object)[bad]]
    return values, rules


def spreadsheet_error_mask(cells: pd.Series) -> np.ndarray:
    """Which cells hold a spreadsheet's error value (their text, stripped); missing cells don't.

    The pattern is tried once per distinct value: a column repeats the same values over
    thousands of rows (a national file has 565 000 rows).

    Examples
    --------
    >>> spreadsheet_error_mask(pd.Series([" #REF! ", None, "12", "#ref!"])).tolist()
    [True, False, False, True]
    """
    if not _may_hold_spreadsheet_error(cells):
        return np.zeros(len(cells), dtype=bool)
    return fullmatch_mask(cells, SPREADSHEET_ERROR, strip=True)


def _may_hold_spreadsheet_error(cells: pd.Series) -> bool:
    """False when no cell can be a spreadsheet's error value: each of those holds a ``#``, or
    ``Err:`` / ``Erreur:`` in any case, hence ``r:`` or ``R:``.

    Three substring searches over the joined texts, instead of hashing every cell: most columns
    (names, amounts, dates and times, web addresses) hold none of them. A cell that is not text
    (a number, ``NaN``) makes the answer ``True``: the values are then looked at one by one.
    """
    try:
        joined = "\x00".join(filter(None, cells.to_numpy(dtype=object)))  # C speed; None and "" left out
    except TypeError:
        return True
    return "#" in joined or "r:" in joined or "R:" in joined


def fullmatch_mask(cells: pd.Series, pattern: re.Pattern, *, strip: bool = False) -> np.ndarray:
    r"""Which cells' text (stripped with ``strip``) fully matches ``pattern``; missing cells don't.

    Same answer as ``cells.str.fullmatch(pattern)``, with the pattern tried once per distinct
    value instead of once per cell.

    Examples
    --------
    >>> fullmatch_mask(pd.Series(["12/03/24", None, "12/03/24", "x"]), re.compile(r"[\d/]+")).tolist()
    [True, False, True, False]
    """
    codes, uniques = pd.factorize(cells.astype(object), use_na_sentinel=True)
    matched = np.zeros(len(uniques) + 1, dtype=bool)  # the last slot serves code -1 (missing)
    for i, value in enumerate(uniques):
        text = str(value).strip() if strip else str(value)
        matched[i] = pattern.fullmatch(text) is not None
    return matched[codes]


def _strip_texts(texts: pd.Series) -> pd.Series:
    """Each text stripped, ``None`` where the cell is missing (an ``object`` series on ``texts``' index)."""
    cells = texts.to_numpy(dtype=object)
    present = cells != None  # noqa: E711 - element-wise on an object array
    stripped = np.full(len(cells), None, dtype=object)
    try:  # what the readers give, str or None: one pass at C speed
        stripped[present] = list(map(str.strip, cells[present]))
    except TypeError:  # another kind of value: pandas' way (NaN is missing too)
        return texts.astype(object).str.strip().where(texts.notna(), None).astype(object)
    return pd.Series(stripped, index=texts.index, dtype=object)


def _dtype(kind: str) -> str | type:
    return object if DTYPES[kind] == "object" else DTYPES[kind]


def parse_column(
    texts: pd.Series, kind: str, *, refine: Refine | None = None, upper: float | None = None,
    check_texts: CheckTexts | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse a column of text cells (``None`` for empty) by its kind.

    Each distinct text is parsed once; ``refine`` then sees the distinct parsed values
    (e.g. to check them against a code list), and ``check_texts`` the distinct texts with their
    parsed values (e.g. to refuse a two-digit year). The outcome is exactly that of the kind's
    parser applied cell by cell, then those checks. ``upper`` is the column's maximum, for numbers
    (see :func:`parse_decimal`).

    Returns
    -------
    values, rules
        Two series on ``texts``' index, one row per cell: the typed value (missing when the
        cell is empty or refused, dtype :data:`DTYPES`) and the French rule the cell broke
        (``None`` when it is empty or accepted).

    Examples
    --------
    >>> values, rules = parse_column(pd.Series(["14/03/2024", None, "31/02/2024"]), "date")
    >>> values.tolist()
    [Timestamp('2024-03-14 00:00:00'), NaT, NaT]
    >>> rules.tolist()
    [None, None, 'date attendue au format jj/mm/aaaa (ex. 14/03/2024)']
    """
    if kind == "text" and refine is None:
        # free text is often distinct on every row (ids, titles): strip it in one pass
        rules = _empty_rules(len(texts)).set_axis(texts.index)
        return _refuse_spreadsheet_errors(_strip_texts(texts), rules)
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=object)
    if kind in ("date", "datetime"):
        values, rules = _parse_dates(distinct, kind)
    else:
        values, rules = _parse_each(distinct, kind, upper=upper)
    values, rules = _refuse_spreadsheet_errors(values, rules, texts=distinct)
    if refine is not None:
        values, rules = refine(values, rules)
    if check_texts is not None:
        values, rules = check_texts(distinct, values, rules)
    # one more slot, missing, for the empty cells (code -1)
    values = pd.concat([values, pd.Series([None], dtype=values.dtype)], ignore_index=True)
    rules = pd.concat([rules, _empty_rules(1)], ignore_index=True)
    picked = np.where(codes < 0, len(uniques), codes)
    return values.take(picked).set_axis(texts.index), rules.take(picked).set_axis(texts.index)
