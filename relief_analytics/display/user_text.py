"""Render the Markdown written by users (bilan qualitatif, texts of ``config.toml``) as inert HTML.

- Raw HTML in the text is *not* passed through: ``<script>`` or ``<img onerror=…>`` typed in a
  ``bilan_qualitatif_<année>.md`` shows as text, never runs in a reader's browser.
- A link becomes a link only when its target is a web address (``http``, ``https``), an e-mail
  (``mailto``) or a relative address; ``javascript:``, ``vbscript:``, ``file:``, ``data:`` and any
  other scheme stay plain text, whatever their case or HTML entities (:func:`is_allowed_link`).
- An image loads nothing: ``![plan](http://…)`` is shown as the text « [image non affichée : plan] »
  (:data:`IMAGE_PLACEHOLDER`). A remote image would be a tracking pixel for the reader and a
  download for the PDF printer; no ``<img>`` reaches the page from a user's text.

Markdown itself (headings, lists, emphasis, tables, links) is rendered as usual.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

#: Schemes a user's link may use; a link without a scheme (relative) is allowed too.
ALLOWED_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

#: Text shown instead of an image of the user's Markdown (``{alt}``: its description).
IMAGE_PLACEHOLDER = "[image non affichée : {alt}]"
IMAGE_PLACEHOLDER_NO_ALT = "[image non affichée]"

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060\ufeff]")


def is_allowed_link(url: str) -> bool:
    """Whether a link target of the users' Markdown may become a link.

    ``url`` comes normalised from markdown-it (entities decoded, percent-encoded). Spaces and
    invisible characters are ignored when reading the scheme, as browsers do.

    >>> [is_allowed_link(u) for u in ["https://exemple.fr", "MAILTO:a@exemple.fr", "page.html",
    ...                               "JavaScript:alert(1)", " java%09script:x", "data:text/html,x", "file:///etc"]]
    [True, True, True, False, False, False, False]
    """
    from urllib.parse import unquote

    compact = _INVISIBLE_RE.sub("", unquote(url)).lower()
    match = _SCHEME_RE.match(compact)
    if match is None:
        return ":" not in compact.split("/", 1)[0]  # « page.html », « #ancre », « /chemin »
    return match.group(1) in ALLOWED_LINK_SCHEMES


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env).strip()
    text = IMAGE_PLACEHOLDER.format(alt=alt) if alt else IMAGE_PLACEHOLDER_NO_ALT
    return escapeHtml(text)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    parser.validateLink = is_allowed_link
    parser.add_render_rule("image", _render_image)
    return parser


def render_markdown(text: str, *, demote_headings: int = 0) -> str:
    """Return the HTML of the users' Markdown ``text``: raw HTML disabled, images as text.

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
    >>> render_markdown("![Le jardin](https://exemple.org/pixel.gif)")
    '<p>[image non affichée : Le jardin]</p>\\n'
    """
    parser = _parser()
    tokens = parser.parse(text)
    if demote_headings:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1]) + demote_headings)
                token.tag = f"h{level}"
    return parser.renderer.render(tokens, parser.options, {})
