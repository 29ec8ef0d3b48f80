"""Render the Markdown written by users (bilan qualitatif, texts of ``config.toml``) as inert HTML.

Raw HTML in the text is *not* passed through: ``<script>`` or ``<img onerror=…>`` typed in a
``bilan_qualitatif_<année>.md`` shows as text, never runs in a reader's browser. Links with a
``javascript:``, ``vbscript:``, ``file:`` or ``data:`` target are not turned into links
(markdown-it-py's ``validateLink``). Markdown itself (headings, lists, emphasis, tables, links)
is rendered as usual.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str, *, demote_headings: int = 0) -> str:
    """Return the HTML of the users' Markdown ``text``, raw HTML disabled.

    Parameters
    ----------
    text : str
        Markdown typed by a user.
    demote_headings : int
        Levels added to every heading (``2``: a ``#`` heading becomes ``<h3>``), capped at ``<h6>``,
        so the text sits under the report's own sections.

    Examples
    --------
    >>> render_markdown("# Bilan\\n<script>alert(1)</script>", demote_headings=2)
    '<h3>Bilan</h3>\\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
    """
    parser = _parser()
    tokens = parser.parse(text)
    if demote_headings:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1]) + demote_headings)
                token.tag = f"h{level}"
    return parser.renderer.render(tokens, parser.options, {})
