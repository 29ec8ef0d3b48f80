"""Reusable checks of written outputs, for the trust tests and the fuzzer.

- :func:`assert_no_live_formula` (CSV, XLSX, GeoJSON/JSON file, or a folder of them): no cell a
  spreadsheet could run.
- :func:`assert_no_script` (HTML text): no script a user's text could have brought.
- :func:`assert_no_remote_load` (HTML text): nothing the page would fetch when opened or printed.

Each raises ``AssertionError`` listing every offending place (file, sheet, cell or tag), so a
failing fuzzer example says where the hole is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from relief_analytics.safety import is_formula_like

#: A cell a spreadsheet reads as a plain number: allowed to start with ``-`` or ``+``.
_NUMBER_RE = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?\s*$")
_FORMULA_ELEMENT_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_STRING_RE = re.compile(rb"""\st=["']str["']""")

SPREADSHEET_SUFFIXES = (".csv", ".xlsx", ".geojson", ".json")


def live_formula_cells(path: Path) -> list[str]:
    """Every place of ``path`` (or of the files under a folder) a spreadsheet could run."""
    path = Path(path)
    if path.is_dir():
        return [p for f in sorted(path.rglob("*")) if f.suffix.lower() in SPREADSHEET_SUFFIXES
                for p in live_formula_cells(f)]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_problems(path)
    if suffix == ".xlsx":
        return _xlsx_problems(path)
    if suffix in (".geojson", ".json"):
        return _json_problems(path)
    raise ValueError(f"no formula check for {path.name}")


def assert_no_live_formula(path: Path) -> None:
    """Fail when a cell of a CSV / XLSX / GeoJSON (or of any such file under a folder) could run.

    - CSV: no cell starts a formula (``=``, ``+``, ``-``, ``@``, their full-width forms, after
      spaces, or a tab / CR / LF), unless it is a plain number such as ``-4.8422``.
    - XLSX: no formula element (``<f>``) nor formula-string cell in any sheet, and every text cell
      that looks like a formula is a string cell with Excel's quote prefix.
    - GeoJSON / JSON: no string value anywhere that starts a formula.
    """
    problems = live_formula_cells(path)
    assert not problems, "live formula(s):\n" + "\n".join(problems[:50])


def _csv_problems(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    problems = []
    for line, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        for column, cell in enumerate(row, start=1):
            if is_formula_like(cell) and not _NUMBER_RE.match(cell):
                problems.append(f"{path.name}: line {line}, column {column}: {cell!r}")
    return problems


def _xlsx_problems(path: Path) -> list[str]:
    from openpyxl import load_workbook

    problems = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if _FORMULA_ELEMENT_RE.search(xml) or _FORMULA_STRING_RE.search(xml):
                    problems.append(f"{path.name}: {name} holds a formula element")
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{path.name}: {sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
                elif is_formula_like(cell.value) and not (cell.data_type == "s" and cell.quotePrefix):
                    problems.append(
                        f"{path.name}: {sheet.title}!{cell.coordinate} looks like a formula without "
                        f"quote prefix: {cell.value!r}")
    return problems


def _json_problems(path: Path) -> list[str]:
    problems: list[str] = []

    def walk(value, where: str) -> None:
        if isinstance(value, str):
            if is_formula_like(value):
                problems.append(f"{path.name}: {where}: {value!r}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")

    walk(json.loads(path.read_text(encoding="utf-8")), "$")
    return problems


# --- HTML ------------------------------------------------------------------------------------

#: Attributes whose value a browser fetches (or runs) when the page opens or prints.
_LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background", "href", "xlink:href", "action",
                       "formaction", "codebase", "archive", "longdesc", "lowsrc", "dynsrc", "icon", "manifest"}
#: Tags whose loading attributes fetch something (``<a href>`` is a link, not a load).
_LOADING_TAGS = {"img", "image", "iframe", "frame", "embed", "object", "link", "script", "source", "video",
                 "audio", "track", "input", "use", "feimage", "body", "table", "td", "html", "applet", "portal",
                 "picture", "form", "button", "base"}
_ALWAYS_FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
_SCRIPT_URL_RE = re.compile(r"^\s*(?:javascript|vbscript|livescript|data\s*:\s*text/html)\s*:?", re.I)
_CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I | re.S)
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def _is_embedded(url: str) -> bool:
    """A source the page carries itself: ``data:`` (not HTML), a ``#fragment``, or nothing."""
    compact = _INVISIBLE_RE.sub("", url).lower()
    return compact == "" or compact.startswith("#") or (
        compact.startswith("data:") and not compact.startswith("data:text/html"))


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, [(k.lower(), v or "") for k, v in attrs]))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def _collect(html: str) -> _TagCollector:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector


def script_problems(html: str, *, allow_inline: bool = False, sentinel: str | None = None) -> list[str]:
    """Every way ``html`` could run a script; see :func:`assert_no_script`."""
    page = _collect(html)
    problems = []
    for tag, attrs in page.tags:
        if tag == "script":
            if not allow_inline:
                problems.append("<script> element")
            elif any(name == "src" for name, _ in attrs):
                problems.append("<script src=…> element")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif _SCRIPT_URL_RE.match(_INVISIBLE_RE.sub("", value)) and name in _LOADING_ATTRIBUTES | {"href"}:
                problems.append(f"script URL in <{tag} {name}={value!r}>")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if tag in _ALWAYS_FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
    if sentinel:
        problems += [f"script body holds {sentinel!r}" for body in page.scripts if sentinel in body]
    return problems


def assert_no_script(html: str, *, allow_inline: bool = False, sentinel: str | None = None) -> None:
    """Fail when ``html`` can run a script that is not the page's own.

    Refused: ``<script>`` elements (with ``allow_inline``, for whole report pages: only those with
    a ``src``), any ``on…=`` event attribute, a ``javascript:`` / ``vbscript:`` / ``data:text/html``
    target (entities and invisible characters decoded), ``<iframe>``, ``<object>``, ``<embed>``,
    ``<base>``, ``<meta http-equiv=refresh>``. With ``sentinel`` (a marker the test put in its
    payloads), no script body may contain it: an inline script brought by user text is caught.
    Use ``sentinel`` on fragments or on pages without figures: a figure's data (hover texts,
    labels) sits, JSON-escaped, inside the page's own ``<script>`` and would hold the marker.
    """
    problems = script_problems(html, allow_inline=allow_inline, sentinel=sentinel)
    assert not problems, "script(s) in the HTML:\n" + "\n".join(problems[:50])


def remote_load_problems(html: str) -> list[str]:
    """Every resource ``html`` would fetch; see :func:`assert_no_remote_load`."""
    page = _collect(html)
    problems = []
    for tag, attrs in page.tags:
        attributes = dict(attrs)
        if tag in _ALWAYS_FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name == "style":
                problems += [f"<{tag} style=…>: {p}" for p in _css_problems(value)]
            if name not in _LOADING_ATTRIBUTES or (tag == "a" and name == "href"):
                continue
            if tag not in _LOADING_TAGS and name not in ("src", "srcset", "background", "poster"):
                continue
            targets = [part.strip().split(" ")[0] for part in re.split(r",\s+", value)] if name == "srcset" else [value]
            problems += [f"<{tag} {name}={t!r}>" for t in targets if not _is_embedded(t)]
    for style in page.styles:
        problems += [f"<style>: {p}" for p in _css_problems(style)]
    return problems


def _css_problems(css: str) -> list[str]:
    problems = []
    for match in _CSS_URL_RE.finditer(css):
        target = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None or not _is_embedded(target or ""):
            problems.append(match.group(0)[:120])
    return problems


def assert_no_remote_load(html: str) -> None:
    """Fail when opening or printing ``html`` would fetch anything.

    Refused: ``<img>``, ``<script>``, ``<link>``, ``<source>``, ``<video>``, ``<use>``… whose
    ``src`` / ``srcset`` / ``href`` / ``data`` / ``poster`` is not embedded (only ``data:`` sources
    other than HTML, and ``#fragments``, are embedded), CSS ``url(…)`` to anything but ``data:``
    and any ``@import`` (in ``<style>`` or a ``style=`` attribute), ``<iframe>``, ``<object>``,
    ``<embed>``, ``<base>`` and ``<meta http-equiv=refresh>``. Links (``<a href>``) load nothing.
    """
    problems = remote_load_problems(html)
    assert not problems, "remote load(s) in the HTML:\n" + "\n".join(problems[:50])


def assert_outputs_safe(folder: Path, *, sentinel: str | None = None) -> None:
    """Every check on every file under ``folder``: formulas in CSV/XLSX/(Geo)JSON, scripts and
    remote loads in HTML (the page's own inline scripts allowed; ``sentinel`` as in
    :func:`assert_no_script`). One failure lists every problem of every file."""
    folder = Path(folder)
    problems = live_formula_cells(folder)
    for page in sorted(folder.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        problems += [f"{page.name}: {p}" for p in remote_load_problems(html)]
        problems += [f"{page.name}: {p}" for p in script_problems(html, allow_inline=True, sentinel=sentinel)]
    assert not problems, "unsafe output(s):\n" + "\n".join(problems[:50])
