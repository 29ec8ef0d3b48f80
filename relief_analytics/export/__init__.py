"""Outputs for volunteers and partners: XLSX input templates, open-data export of the lieux.

The output edge: it reads the layers below (the public lieux table is defined in
:mod:`relief_analytics.indicators.public_lieux`) and nothing below it reads it.

Modules::

    templates     build_template / write_templates: one XLSX template per table (``relief modeles``)
    opendata      open_data_csv / write_open_data: CSV + GeoJSON + Table Schema (``relief exporter-lieux``)
    cli_commands  register(subparsers): the two ``relief`` commands above
"""
