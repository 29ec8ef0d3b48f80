"""In-kernel display helpers: what the report notebooks import to show the year's figures.

These modules run inside each notebook's kernel, never in the ``relief`` process (the builder,
:mod:`relief_analytics.report`, does not import them; an import-linter contract says so). Pure
functions: frames and typed settings in, objects with ``_repr_html_`` out.

- ``blocks``       French tables, title blocks, notes, warnings, the users' texts
- ``cerfa``        the compte rendu financier (CERFA n° 15059) blocks
- ``tiles``        key-figure tiles (``.chiffre-cle``), styled by the report templates
- ``key_figures``  the year's tiles and their notes, from the context's comparisons
- ``user_text``    the users' Markdown rendered inert
"""
