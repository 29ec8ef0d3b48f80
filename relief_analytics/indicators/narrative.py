"""A narrative that can't contradict the data: figures quoted in the bilan, checked.

The bilan qualitatif (written by the board, shown in the reports) quotes figures: « plus de 160
lieux », « 350 membres », « près de 2 400 participations », « 4 500 heures de bénévolat »,
« 12 000 € d'adhésions », « 30 % des membres sont des structures ». :func:`quoted_figures` finds
each number written next to a known quantity (French numbers: ``1 234``, ``12,5``; qualifiers
« plus de », « au moins », « près de », « environ », « moins de »), and
:func:`narrative_mismatches` compares it with the computed figure of the year. A number next to
a word the check does not know (« 12 rencontres départementales », « 13 sessions ») is not a
known quantity and is left alone; so is a sentence naming another year (« contre 140 en 2024 »).

Pure: text and figures in, quotes or a frame out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from relief_analytics.formatting import format_value

#: Qualifiers before a number -> the rule of the comparison.
AT_LEAST, AT_MOST, ABOUT, EXACT = "au moins", "au plus", "environ", "exactement"
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"pas moins de", AT_LEAST), (r"plus de", AT_LEAST), (r"plus d['’]", AT_LEAST),
    (r"au moins", AT_LEAST), (r"au-delà de", AT_LEAST), (r"moins de", AT_MOST),
    (r"près de", ABOUT), (r"presque", ABOUT), (r"environ", ABOUT), (r"quelque", ABOUT),
    (r"autour de", ABOUT), (r"approximativement", ABOUT), (r"de l['’]ordre de", ABOUT),
)
#: « environ 160 » accepts the computed figure within this share of the quoted one.
ABOUT_TOLERANCE = 0.10
#: « environ 30 % » accepts the computed share within this many points.
ABOUT_POINTS = 2.0

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_QUALIFIER = "|".join(pattern for pattern, _ in _QUALIFIERS)
_QUOTE = re.compile(
    rf"(?<![\w,.])(?:(?P<qualifier>{_QUALIFIER})\s*)?(?P<number>{_NUMBER})(?![\d,])\s*"
    r"(?P<percent>%)?", re.IGNORECASE)

_LIEUX = r"(?:tiers[- ]lieux|lieux)(?:\s+effervescents|\s+hybrides)?"
#: Words right after a number -> the quantity they name (first match wins); ``None``: a
#: quantity the check does not know (« 12 membres du CA »), left alone.
COUNT_NOUNS: tuple[tuple[str | None, str], ...] = (
    ("open_or_planned_lieux", rf"{_LIEUX}\s+(?:en activité|ouverts)\s+ou\s+en projet"),
    ("planned_lieux", rf"{_LIEUX}\s+en projet"),
    ("member_lieux", rf"{_LIEUX}\s+(?:adhérents|membres)"),
    (None, rf"{_LIEUX}\s+(?:fermés|nouveaux|de plus|supplémentaires|créés|ouverts en)"),
    ("lieux", rf"{_LIEUX}\b"),
    ("morale_members", r"(?:structures|personnes morales|membres personnes morales)\b"),
    ("physique_members", r"(?:personnes physiques|membres personnes physiques)\b"),
    (None, r"(?:membres|adhérent(?:e|·e)?s)\s+(?:du|de la|des|de l['’]|actifs|bénévoles|fondateurs"
           r"|élus|nouveaux|de plus|supplémentaires)"),
    ("members", r"(?:membres|adhérent(?:e|·e)?s)\b"),
    ("events", r"(?:événements|évènements|temps collectifs)\b"),
    ("participants", r"(?:participant(?:e|·e)?s|participations)\b"),
    ("formation_hours", r"(?:heures|h)\s+de\s+formation"),
    ("volunteer_hours", r"(?:heures|h)\s+(?:de bénévolat|bénévoles|de contribution|données)"),
)
_COUNT_NOUNS = tuple((key, re.compile(pattern, re.IGNORECASE)) for key, pattern in COUNT_NOUNS)
#: An amount (« € », « euros ») is named by a word of its sentence; none or several: left alone.
AMOUNT_WORDS: tuple[tuple[str, str], ...] = (
    ("membership_amount", r"adhésions?|cotisations?"),
    ("valuation", r"valoris\w*"),
    ("retribution", r"rétribu\w*"),
    ("granted_subsidy", r"subventions?"),
)
#: A percentage is named by the words of its sentence (all of one entry must appear).
SHARE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("morale_members_share", (r"membres|adhérent", r"structures|personnes morales")),
    ("member_lieux_share", (r"lieux", r"adhérent|membres? du réseau")),
    ("outside_metropoles_share", (r"lieux", r"hors\s+(?:des\s+)?métropoles?")),
    ("association_lieux_share", (r"lieux", r"associations?\b")),
    ("retention_rate", (r"renouvel",)),
)
_AMOUNT = re.compile(r"(?:€|euros?\b)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass(frozen=True)
class Figure:
    """A computed figure a quote can be compared with: value, unit and French definition."""

    value: float
    unit: str
    definition: str


@dataclass(frozen=True)
class Quote:
    """A number of the text next to a known quantity.

    ``text`` is the quote as written (« plus de 160 lieux »), ``rule`` one of ``AT_LEAST``,
    ``AT_MOST``, ``ABOUT``, ``EXACT``; ``value`` the number (a percentage for shares);
    ``decimals`` how many decimals were written; ``line`` the line of the text (from 1).
    """

    text: str
    quantity: str
    rule: str
    value: float
    decimals: int
    line: int


def parse_french_number(text: str) -> float:
    """``1 234`` → 1234.0, ``12,5`` → 12.5 (ordinary, no-break and narrow no-break spaces).

    >>> parse_french_number("2\u202f400"), parse_french_number("12,5")
    (2400.0, 12.5)
    """
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def _plain(text: str) -> str:
    """The text without Markdown emphasis, links kept as their words (same length per line)."""
    return re.sub(r"[*_`]", " ", text)


def _sentences(text: str):
    """``(start offset, sentence)`` of each sentence or list item, across wrapped lines."""
    for match in re.finditer(r"[^.!?;:\n]+(?:\n(?![ \t]*(?:[-*+]|\d+\.|#)\s)[^.!?;:\n]+)*", text):
        yield match.start(), match.group()


def _rule(qualifier: str | None) -> str:
    if not qualifier:
        return EXACT
    for pattern, rule in _QUALIFIERS:
        if re.fullmatch(pattern, qualifier.strip(), re.IGNORECASE):
            return rule
    return EXACT


def _quantity_after(sentence: str, end: int, *, percent: bool) -> tuple[str | None, int]:
    """The quantity named right after a number ending at ``end`` and where its words end."""
    rest = sentence[end:]
    if percent:
        for key, words in SHARE_WORDS:
            if all(re.search(w, sentence, re.IGNORECASE) for w in words):
                return key, end
        return None, end
    amount = _AMOUNT.match(rest)
    if amount:
        keys = {key for key, words in AMOUNT_WORDS if re.search(words, sentence, re.IGNORECASE)}
        return (keys.pop() if len(keys) == 1 else None), end + amount.end()
    for key, pattern in _COUNT_NOUNS:
        match = pattern.match(rest)
        if match:
            return key, end + match.end()
    return None, end


def quoted_figures(text: str, *, year: int | None = None) -> list[Quote]:
    """Every number of ``text`` written next to a known quantity, in reading order.

    Sentences naming a year other than ``year`` are skipped (« 140 lieux en 2024 » in the 2025
    bilan compares with another year). Markdown emphasis is ignored (« **24 webinaires** »).

    Examples
    --------
    >>> [(q.text, q.quantity, q.rule, q.value) for q in quoted_figures(
    ...     "Plus de 160 lieux ; 350 membres, dont 92 structures ; près de 2 400 participations.")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Plus de 160 lieux', 'lieux', 'au moins', 160.0), ('350 membres', 'members', 'exactement', 350.0),
     ('92 structures', 'morale_members', 'exactement', 92.0),
     ('près de 2 400 participations', 'participants', 'environ', 2400.0)]
    """
    plain = _plain(text)
    quotes = []
    for start, sentence in _sentences(plain):
        found = []
        for match in _QUOTE.finditer(sentence):
            percent = bool(match.group("percent"))
            quantity, stop = _quantity_after(sentence, match.end(), percent=percent)
            found.append((match, quantity, stop))
        # a year is a 4-digit 19xx/20xx that names no quantity (« 1900 lieux » is a count)
        years = {int(m.group("number")) for m, quantity, _ in found
                 if quantity is None and _YEAR.fullmatch(m.group("number"))}
        if year is not None and years - {int(year)}:
            continue
        for match, quantity, stop in found:
            if quantity is None:
                continue
            number = match.group("number")
            shown = re.sub(r"\s+", " ", sentence[match.start():stop]).strip()
            decimals = len(number.split(",")[1]) if "," in number else 0
            line = plain.count("\n", 0, start + match.start()) + 1
            quotes.append(Quote(shown, quantity, _rule(match.group("qualifier")),
                                parse_french_number(number), decimals, line))
    return quotes


def contradicts(quote: Quote, figure: Figure) -> bool:
    """True when the computed ``figure`` contradicts ``quote`` under the quote's rule.

    « plus de X » / « au moins X »: the figure is X or more; « moins de X »: X or less;
    « environ X » / « près de X »: within 10 % of X (2 points for a percentage); a bare X:
    the figure rounds to X at the decimals written (a share in percent, to the point).

    >>> quote = Quote("plus de 160 lieux", "lieux", AT_LEAST, 160.0, 0, 1)
    >>> contradicts(quote, Figure(151, "count", "")), contradicts(quote, Figure(164, "count", ""))
    (True, False)
    """
    value = float(figure.value) * (100 if figure.unit == "ratio" else 1)
    if math.isnan(value):
        return False
    if quote.rule == AT_LEAST:
        return value < quote.value
    if quote.rule == AT_MOST:
        return value > quote.value
    if quote.rule == ABOUT:
        tolerance = ABOUT_POINTS if figure.unit == "ratio" else ABOUT_TOLERANCE * quote.value
        return abs(value - quote.value) > tolerance
    return round(value, quote.decimals) != quote.value


def narrative_mismatches(
    text: str, *, figures: dict[str, Figure], year: int, document: str = "bilan qualitatif"
) -> pd.DataFrame:
    """Every figure quoted in ``text`` that the computed ``figures`` contradict.

    Grain: one row per contradicted quote, in reading order: ``line_number`` (line of the
    file), ``quote`` (as written), ``quoted_value``, ``computed_value``, ``definition`` (what
    was counted) and ``message``, the French sentence quoting both. Quantities without a
    figure in ``figures`` are not checked.

    Examples
    --------
    >>> figures = {"lieux": Figure(151, "count", "lieux ouverts fin 2025")}
    >>> narrative_mismatches("Plus de 160 lieux.", figures=figures, year=2025)["message"].tolist()
    ['Bilan qualitatif 2025, ligne 1 : le bilan dit « Plus de 160 lieux », les données en comptent 151 (lieux ouverts fin 2025).']
    """
    rows = []
    for quote in quoted_figures(text, year=year):
        figure = figures.get(quote.quantity)
        if figure is None or not contradicts(quote, figure):
            continue
        computed = format_value(figure.value, figure.unit)
        verb = "en comptent" if figure.unit == "count" else "donnent"
        rows.append({
            "line_number": quote.line, "quote": quote.text, "quoted_value": quote.value,
            "computed_value": float(figure.value), "definition": figure.definition,
            "message": f"{document[0].upper()}{document[1:]} {year}, ligne {quote.line} : le bilan dit "
                       f"« {quote.text} », les données {verb} {computed} ({figure.definition}).",
        })
    columns = ["line_number", "quote", "quoted_value", "computed_value", "definition", "message"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"line_number": "Int64", "quote": "str", "quoted_value": "float64",
         "computed_value": "float64", "definition": "str", "message": "str"})
