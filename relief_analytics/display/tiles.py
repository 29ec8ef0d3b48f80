"""Key-figure tiles ("chiffres clés") for report pages and slides.

The report and slide templates style the ``.chiffres-cles`` / ``.chiffre-cle`` classes; a notebook
cell whose last expression is :func:`key_figures` shows a row of big, readable numbers::

    key_figures([
        KeyFigure("42", "lieux adhérents", note="+5 par rapport à 2024", accent=True),
        KeyFigure("12 345 €", "de cotisations"),
    ])

Values are given already formatted (use ``relief_analytics.formatting`` for French numbers).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFigure:
    """One tile: a formatted value, its label, an optional small note, an optional filled style."""

    value: str
    label: str
    note: str = ""
    accent: bool = False

    def to_html(self) -> str:
        """Return the tile's HTML (text escaped)."""
        classes = "chiffre-cle accent" if self.accent else "chiffre-cle"
        note = f'<span class="evolution">{html.escape(self.note)}</span>' if self.note else ""
        return (
            f'<div class="{classes}"><span class="valeur">{html.escape(str(self.value))}</span>'
            f'<span class="libelle">{html.escape(self.label)}</span>{note}</div>'
        )


@dataclass(frozen=True)
class KeyFigures:
    """A row of tiles; displays as HTML in notebooks and exported reports."""

    figures: tuple[KeyFigure, ...]

    def to_html(self) -> str:
        """Return the row's HTML."""
        tiles = "".join(figure.to_html() for figure in self.figures)
        return f'<div class="chiffres-cles">{tiles}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()


def key_figures(figures: Mapping[str, str] | Iterable[KeyFigure]) -> KeyFigures:
    """Return a row of key-figure tiles.

    Parameters
    ----------
    figures : mapping or iterable
        Either ``{label: formatted value}`` or :class:`KeyFigure` objects.

    Examples
    --------
    >>> key_figures({"lieux adhérents": "42"}).to_html()
    '<div class="chiffres-cles"><div class="chiffre-cle"><span class="valeur">42</span><span class="libelle">lieux adhérents</span></div></div>'
    """
    if isinstance(figures, Mapping):
        items = tuple(KeyFigure(str(value), str(label)) for label, value in figures.items())
    else:
        items = tuple(figures)
    return KeyFigures(items)
