"""The report builder, run in the ``relief`` process: notebooks, HTML / slides / PDF / XLSX, swap.

Modules (imported on demand; nothing heavy is imported here):

- ``catalog``  the report set (``CATALOG``), the notebook contract check (``notebook_problems``)
- ``build``    ``build_reports(...)``: the whole build, all or nothing, with ``manifest.json``
- ``execute``  papermill in-process, kernel choice, French description of a failed cell
- ``export``   ``export_html`` / ``export_slides``: self-contained pages from executed notebooks
- ``pdf``      ``find_browser`` / ``html_to_pdf``: headless Chromium printing (A4 from CSS)
- ``xlsx``, ``tables``  ``write_workbook`` and its sheets (the ``classeur``)
- ``public_tables``  the year's public tables as CSV / Parquet files beside the reports
- ``folders``, ``manifest``, ``summary``: work folder and swap, build record, French wording

What the notebooks import inside their kernel lives in :mod:`relief_analytics.display`; the
builder never imports it. ``templates/`` holds the nbconvert templates both sides style.
"""
