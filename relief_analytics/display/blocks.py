"""Display helpers for report notebooks: French tables, title blocks, notes and warnings.

Each function returns an object with ``_repr_html_`` (so the last expression of a cell shows
it in JupyterLab and in the exported HTML) and never prints. Numbers are formatted in French
from the column names (``_eur`` → ``1 234,50 €``, ratios → ``15 %``, ``_hours`` → ``12 h``).
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

import pandas as pd

from relief_analytics import formatting
from relief_analytics.indicators.labels import french_label
from relief_analytics.indicators.units import unit_of


@dataclass(frozen=True)
class Html:
    """A fragment of HTML shown as is."""

    body: str

    def _repr_html_(self) -> str:
        return self.body

    def __str__(self) -> str:
        return self.body


#: A count the sources don't give (unknown is not zero); other missing values keep « — ».
NOT_PROVIDED = "non renseigné"


def _shown(value, unit: str) -> str:
    """``value`` in its unit; a missing count reads « non renseigné »."""
    if unit == "count" and formatting.is_missing(value):
        return NOT_PROVIDED
    return formatting.format_value(value, unit)


def _formatter(column: str, series: pd.Series):
    """The display rule of a column: its unit (from its English name), else its dtype."""
    if pd.api.types.is_bool_dtype(series):
        return lambda v: "" if pd.isna(v) else ("oui" if v else "non")
    if pd.api.types.is_datetime64_any_dtype(series):
        return formatting.format_date
    if pd.api.types.is_numeric_dtype(series):
        unit = unit_of(column)
        if unit == "number" and pd.api.types.is_integer_dtype(series):
            unit = "count"
        return lambda v: _shown(v, unit)
    return lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


_TABLE_TEMPLATE = """\
{%- if not rows -%}
<div class="tableau-vide">{% if caption %}<p class="legende">{{ caption }}</p>{% endif %}<p>{{ empty }}</p></div>
{%- else -%}
<table class="tableau-fr">{% if caption %}<caption>{{ caption }}</caption>{% endif %}
<thead><tr>{% for header in headers %}<th>{{ header }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr{% if highlight_last_row and loop.last %} class="total"{% endif %}>
{%- for value in row %}<td class="{{ 'nombre' if numeric[loop.index0] else 'texte' }}">{{ value }}</td>{% endfor -%}
</tr>{% endfor %}</tbody></table>
{%- endif %}"""


@functools.cache
def _table_template():
    """The Jinja2 template of :func:`french_table` (autoescaped: every cell is inert text)."""
    import jinja2

    return jinja2.Environment(autoescape=True).from_string(_TABLE_TEMPLATE)


def french_table(
    frame: pd.DataFrame, *, caption: str | None = None, headers: dict[str, str] | None = None,
    highlight_last_row: bool = False, empty: str = "Aucun élément.",
    numeric_columns: tuple[str, ...] = (), max_rows: int | None = None, full_list: str = "",
) -> Html:
    """Return ``frame`` as an HTML table with French headers and French number formats.

    Column headers come from ``headers`` first, then :func:`french_label` for indicator
    columns; columns already in French are kept as they are. Values are formatted from each
    column's unit (:func:`relief_analytics.formatting.format_value`) and escaped by Jinja2.
    With ``max_rows``, a longer table shows its first rows and says how many are left out and
    where the full list is (``full_list``): a national table must not make a page of megabytes.

    Examples
    --------
    >>> html_table = str(french_table(pd.DataFrame({"lieux_share": [0.08], "lieu_name": ["<b>"]})))
    >>> "8\xa0%" in html_table, "&lt;b&gt;" in html_table
    (True, True)
    """
    headers = headers or {}
    hidden = len(frame) - max_rows if max_rows is not None and len(frame) > max_rows else 0
    if hidden:
        frame = frame.head(max_rows)
        where = f" : liste complète dans {full_list}" if full_list else ""
        caption = (f"{caption or ''} — {formatting.format_value(max_rows, 'count')} premières lignes "
                   f"affichées, {formatting.format_value(hidden, 'count')} autres non affichées{where}")
    cells = [[_formatter(c, frame[c])(v) for v in frame[c]] for c in frame.columns]
    numeric = [
        (pd.api.types.is_numeric_dtype(frame[c]) and c != "year") or c in numeric_columns
        for c in frame.columns
    ]
    return Html(_table_template().render(
        caption=caption, empty=empty, highlight_last_row=highlight_last_row, numeric=numeric,
        headers=[headers.get(c) or _label(c) for c in frame.columns],
        rows=[list(row) for row in zip(*cells, strict=True)] if len(frame) else [],
    ))


def _label(column: str) -> str:
    try:
        return french_label(column)
    except KeyError:
        return column


def comparison_table(comparison: pd.DataFrame, *, year: int, caption: str | None = None) -> Html:
    """Show the output of ``indicators.series.compare_years``: indicator, N-1, N, change.

    Each row is formatted from its ``unit`` column (never from the label text): amounts and
    rates to the cent, ratios as percentages (their change in points), counts as whole numbers.
    """
    rows = []
    for rec in comparison.itertuples(index=False):
        ratio = "" if rec.unit == "ratio" or pd.isna(rec.change_ratio) else formatting.format_delta(
            rec.change_ratio, unit="percent")
        label = rec.indicator_label
        for suffix in (" (€)", " (%)", " (h)", " (€/h)"):
            label = label.replace(suffix, "")
        rows.append({
            "Indicateur": label,
            str(year - 1): _shown(rec.previous_value, rec.unit),
            str(year): _shown(rec.value, rec.unit),
            "Évolution": formatting.format_change(rec.change, rec.unit),
            "Évolution (%)": ratio,
        })
    return french_table(
        pd.DataFrame(rows), caption=caption,
        numeric_columns=(str(year - 1), str(year), "Évolution", "Évolution (%)"),
    )


def title_block(title: str, *, network: str, year: int, subtitle: str | None = None) -> Html:
    """Report heading: title with the year, the network's name, the date it was produced."""
    produced = formatting.format_date(pd.Timestamp.today())
    sub = f"<p class='sous-titre'>{html.escape(subtitle)}</p>" if subtitle else ""
    return Html(
        f"<header class='entete-rapport'><h1>{html.escape(title)} {year}</h1>"
        f"<p class='reseau'>{html.escape(network)}</p>{sub}"
        f"<p class='date-production'>Document produit le {produced} par relief-analytics.</p></header>"
    )


def note(text: str) -> Html:
    """A short explanatory note (definitions, sources)."""
    return Html(f"<p class='note'>{html.escape(text)}</p>")


def warning(text: str) -> Html:
    """A visible warning box (e.g. an explanation is missing)."""
    return Html(f"<div class='avertissement' role='alert'><strong>⚠ À compléter :</strong> {html.escape(text)}</div>")


def users_text(text: str, *, missing: str):
    """Show a text written by the users (Markdown), or a visible warning when it is empty.

    Headings of the text are demoted by two levels so they sit under the report's sections.
    Raw HTML in the text is shown as text, never run (:mod:`relief_analytics.display.user_text`).
    """
    from relief_analytics.display.user_text import render_markdown

    if not text.strip():
        return warning(missing)
    return Html(f"<div class='texte-utilisateurs'>{render_markdown(text, demote_headings=2)}</div>")


def users_sections(text: str, *, headings: tuple[str, ...], missing: str):
    """Show only the sections of a users' text whose heading starts with one of ``headings``.

    Headings are compared without case or accents (« Votes de l'AG » matches ``"votes"``); each
    kept section keeps its heading, demoted to level 3, and runs to the next heading of the same
    or a higher level. When no section matches, a visible warning with ``missing`` is shown.

    Examples
    --------
    >>> text = "# Bilan\\n## Objectifs\\nA\\n## Votes de l'AG\\n- comptes\\n## Étapes\\n- B"
    >>> print(users_sections(text, headings=("votes", "etapes"), missing="rien"))
    <div class='texte-utilisateurs'><h3>Votes de l'AG</h3>
    <ul>
    <li>comptes</li>
    </ul>
    <h3>Étapes</h3>
    <ul>
    <li>B</li>
    </ul>
    </div>

    Raw HTML typed in the text stays inert (:func:`~relief_analytics.display.user_text.render_markdown`).
    """
    from relief_analytics.display.user_text import render_markdown
    from relief_analytics.text import strip_accents

    wanted = tuple(strip_accents(h).casefold() for h in headings)
    kept, level = [], None
    for line in text.splitlines():
        heading = _heading(line)
        if heading:
            depth, title = heading
            if level is not None and depth <= level:
                level = None
            if level is None and strip_accents(title).casefold().startswith(wanted):
                level = depth
                kept.append(f"### {title}")
                continue
        if level is not None:
            kept.append(line)
    body = "\n".join(kept).strip()
    if not body:
        return warning(missing)
    return Html(f"<div class='texte-utilisateurs'>{render_markdown(body)}</div>")


def _heading(line: str) -> tuple[int, str] | None:
    stripped = line.lstrip()
    if not stripped.startswith("#"):
        return None
    depth = len(stripped) - len(stripped.lstrip("#"))
    return depth, stripped[depth:].strip()


def with_departement_names(
    frame: pd.DataFrame, reference, *, code_column: str = "departement_code"
) -> pd.DataFrame:
    """Return ``frame`` with ``departement_name`` right after the département code.

    Names come from the region's reference, then from the national list of départements (for
    members living outside the region); a code without a known name (« Non renseigné », « 20 »
    from a Corsican postal code) keeps an empty name. Already named frames are returned as is.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ref = SimpleNamespace(departements=pd.DataFrame({"departement_code": ["38"],
    ...     "departement_name": ["Isère"]}), france_departements=pd.DataFrame({
    ...     "departement_code": ["38", "75"], "departement_name": ["Isère", "Paris"]}))
    >>> with_departement_names(pd.DataFrame({"departement_code": ["38", "75", "Non renseigné"],
    ...     "members_count": [3, 1, 2]}), ref).values.tolist()
    [['38', 'Isère', 3], ['75', 'Paris', 1], ['Non renseigné', '', 2]]
    """
    if "departement_name" in frame or code_column not in frame:
        return frame
    names: dict[str, str] = {}
    try:
        national = reference.france_departements
    except (FileNotFoundError, AttributeError):
        national = None
    for table in (national, reference.departements):
        if table is not None:
            names.update(zip(table["departement_code"].astype(str), table["departement_name"],
                             strict=True))
    named = frame.copy()
    position = named.columns.get_loc(code_column) + 1
    named.insert(position, "departement_name",
                 named[code_column].astype(str).map(names).fillna("").astype(str))
    return named


def _anchor(heading: str) -> str:
    """The ``id`` nbconvert gives a Markdown heading (``nbconvert.filters.strings``: spaces to
    hyphens, characters not allowed in a URL fragment percent-encoded)."""
    from urllib.parse import quote

    return quote(heading.strip().replace(" ", "-"), safe="?/:@!$&'()*+,;=")


def table_of_contents(headings: list[str], *, title: str = "Sommaire") -> Html:
    """A table of contents linking to the report's sections (level-2 Markdown headings).

    Examples
    --------
    >>> print(table_of_contents(["Chiffres clés"]))
    <nav class='sommaire'><p class='sommaire-titre'>Sommaire</p><ol><li><a href="#Chiffres-cl%C3%A9s">Chiffres clés</a></li></ol></nav>
    """
    items = "".join(f'<li><a href="#{html.escape(_anchor(h))}">{html.escape(h)}</a></li>'
                    for h in headings)
    return Html(f"<nav class='sommaire'><p class='sommaire-titre'>{html.escape(title)}</p>"
                f"<ol>{items}</ol></nav>")
