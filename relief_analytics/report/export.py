"""Export executed notebooks to self-contained HTML pages and reveal.js slides, in-process.

Both exports hide code, prompts and the papermill parameter cells, load nothing from a network
(templates in ``report/templates``, JavaScript inlined from ``assets/js``) and carry plotly.js once,
in the page head, when the page has a figure (figure outputs never carry it: see
:mod:`relief_analytics.figures.render`).
"""

from __future__ import annotations

import copy
import functools
import re

import nbformat

from relief_analytics.figures.render import (
    LIBRARY_END,
    LIBRARY_START,
    escape_script,
    library_html,
)
from relief_analytics.paths import ASSETS_DIR, TEMPLATES_DIR

HTML_TEMPLATE = "relief"
SLIDES_TEMPLATE = "relief_slides"

#: Cells carrying one of these tags are not exported (papermill parameters, explicit removal).
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell", "remove-cell"})

#: Logical size of a slide (reveal.js scales it to the screen); figures are 760 x 420.
SLIDE_WIDTH_PX = 1280  # 16:9, the shape of projectors today
SLIDE_HEIGHT_PX = 720

REVEAL_DIR = ASSETS_DIR / "js" / "reveal.js"

_LIBRARY_RE = re.compile(re.escape(LIBRARY_START) + r".*?" + re.escape(LIBRARY_END), re.S)
_CSS_IMPORT_RE = re.compile(r"^\s*@import\s+url\([^)]*\)\s*;\s*$", re.M)


def export_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Return the report page of an executed notebook as one self-contained HTML string.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (papermill's result); it is not modified.
    title : str
        Page title (``<title>``), e.g. ``"Rapport d'activité 2025"``.
    """
    prepared = prepare_for_export(nb, title=title, slides=False)
    resources = _resources(title, with_plotly=has_plotly_figures(prepared, slides=False))
    body, _ = _html_exporter().from_notebook_node(prepared, resources=resources)
    return body


def export_slides(nb: nbformat.NotebookNode, *, title: str) -> str:
    """Return a reveal.js slideshow of an executed notebook as one self-contained HTML string.

    Cells are grouped into slides by their ``slideshow.slide_type`` metadata (``slide``,
    ``subslide``, ``fragment``, ``skip``, ``notes``; ``-`` or none continues the current slide).
    """
    prepared = prepare_for_export(nb, title=title, slides=True)
    resources = _resources(title, with_plotly=has_plotly_figures(prepared, slides=True))
    resources["relief"].update(_reveal_assets())
    body, _ = _slides_exporter().from_notebook_node(prepared, resources=resources)
    return body


def warm_up() -> None:
    """Export a one-cell notebook as a page and as slides, and throw both away.

    The first export of a process compiles nbformat's schema validator, the templates and
    BeautifulSoup's entity tables (about a second of CPU in all); a build calls this while its
    first notebooks run, rather than leaving it to its first exports, which would all compile
    them at once.
    """
    cell = nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": "<p>&eacute;t&eacute;</p>"})])
    page = nbformat.v4.new_notebook(cells=[cell])
    export_html(page, title="")
    export_slides(page, title="")


def prepare_for_export(
    nb: nbformat.NotebookNode, *, title: str, slides: bool
) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` ready for export.

    Drops parameter cells and cells tagged for removal, stderr streams (warnings are for the
    developer, not the reader), the data that no exporter draws (:data:`UNEXPORTED_MIMETYPES`)
    and any plotly.js block an older renderer left in an output (the page head carries the
    library).
    """
    prepared = copy.deepcopy(_without_unexported_data(nb))
    prepared.metadata["title"] = title
    prepared.cells = [cell for cell in prepared.cells if not _is_removed(cell)]
    for cell in prepared.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            output
            for output in cell.get("outputs", [])
            if not (output.get("output_type") == "stream" and output.get("name") == "stderr")
        ]
        for output in cell.outputs:
            data = output.get("data")
            if data and isinstance(data.get("text/html"), list):
                data["text/html"] = "".join(data["text/html"])
    strip_plotly_library(prepared)
    return prepared


#: Output data that the HTML and slides exporters never draw when the output also has
#: ``text/html``: plotly's figure JSON (for JupyterLab), a deep tree of small lists that
#: nbconvert would otherwise deep-copy and validate several times per export (most of an
#: export's time, for the same page).
UNEXPORTED_MIMETYPES = frozenset({"application/vnd.plotly.v1+json"})


def _without_unexported_data(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A shallow copy of ``nb`` whose outputs drop :data:`UNEXPORTED_MIMETYPES` beside HTML."""
    cells = []
    for cell in nb.cells:
        outputs = cell.get("outputs") if cell.cell_type == "code" else None
        if outputs:
            cell = nbformat.NotebookNode({**cell, "outputs": [_exported_output(o) for o in outputs]})
        cells.append(cell)
    return nbformat.NotebookNode({**nb, "cells": cells})


def _exported_output(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    data = output.get("data")
    if not data or "text/html" not in data or not UNEXPORTED_MIMETYPES & data.keys():
        return output
    kept = {key: value for key, value in data.items() if key not in UNEXPORTED_MIMETYPES}
    return nbformat.NotebookNode({**output, "data": nbformat.NotebookNode(kept)})


def strip_plotly_library(nb: nbformat.NotebookNode) -> int:
    """Remove every plotly.js block from the outputs of ``nb`` (in place); return how many.

    Notebooks executed with an older renderer carry the library inside their first figure.
    """
    removed = 0
    for output in _html_outputs(nb, slides=None):
        html = output["data"]["text/html"]
        stripped, count = _LIBRARY_RE.subn("", html)
        if count:
            output["data"]["text/html"] = stripped
            removed += count
    return removed


def has_plotly_figures(nb: nbformat.NotebookNode, *, slides: bool) -> bool:
    """Return whether an exported output of ``nb`` draws a plotly figure."""
    return any(
        "plotly-graph-div" in output["data"]["text/html"]
        for output in _html_outputs(nb, slides=slides)
    )


def _html_outputs(nb: nbformat.NotebookNode, *, slides: bool | None):
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if slides and cell.metadata.get("slideshow", {}).get("slide_type") == "skip":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if isinstance(data.get("text/html"), str):
                yield output


def _is_removed(cell: nbformat.NotebookNode) -> bool:
    tags = set(cell.metadata.get("tags", []))
    return bool(tags & REMOVED_CELL_TAGS)


def _resources(title: str, *, with_plotly: bool) -> dict:
    """nbconvert resources; ``relief.plotly_library`` goes into the page head (templates)."""
    return {
        "metadata": {"name": title},
        "relief": {"plotly_library": library_html() if with_plotly else ""},
    }


def _exporter_settings() -> dict:
    return {
        "exclude_input": True,
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
        "language_code": "fr",
        "embed_images": True,
        "extra_template_basedirs": [str(TEMPLATES_DIR)],
        # Also a plain search path, so one template can include another's files by relative name.
        "extra_template_paths": [str(TEMPLATES_DIR)],
    }


@functools.cache
def _html_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=HTML_TEMPLATE, **_exporter_settings())


@functools.cache
def _slides_exporter():
    from nbconvert import SlidesExporter

    return SlidesExporter(template_name=SLIDES_TEMPLATE, **_exporter_settings())


@functools.cache
def _reveal_assets() -> dict:
    def read(relative: str) -> str:
        return (REVEAL_DIR / relative).read_text(encoding="utf-8")

    return {
        "reveal_js": escape_script(read("dist/reveal.js")),
        "notes_js": escape_script(read("plugin/notes/notes.js")),
        "reveal_css": read("dist/reveal.css"),
        # The white theme imports web fonts from a relative folder that is not vendored.
        "reveal_theme_css": _CSS_IMPORT_RE.sub("", read("dist/theme/white.css")),
        "slide_width": SLIDE_WIDTH_PX,
        "slide_height": SLIDE_HEIGHT_PX,
    }
