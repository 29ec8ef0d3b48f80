"""Report machinery: run the report notebooks, export HTML / slides / PDF / XLSX, swap atomically.

Modules (imported on demand; nothing heavy is imported here):

- ``catalog``  the report set (``CATALOG``), the notebook contract check (``notebook_problems``)
- ``build``    ``build_reports(...)``: the whole build, all or nothing, with ``manifest.json``
- ``execute``  papermill in-process, kernel choice, French description of a failed cell
- ``export``   ``export_html`` / ``export_slides``: self-contained pages from executed notebooks
- ``pdf``      ``find_browser`` / ``html_to_pdf``: headless Chromium printing (A4 from CSS)
- ``xlsx``     ``write_workbook``: tables to a formatted Excel workbook
- ``tiles``    ``key_figures``: key-figure tiles (``.chiffre-cle``) for notebooks
- ``folders``, ``manifest``, ``summary``: work folder and swap, build record, French wording

Notebook-side helpers living here too: ``tables`` (XLSX sheets), ``display``, ``key_figures``,
``cerfa`` (they build on ``tiles`` and on the CSS classes of ``templates/``).
"""
