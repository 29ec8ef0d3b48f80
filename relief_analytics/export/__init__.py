"""Outputs for volunteers and partners: XLSX input templates, open-data export of the lieux.

Modules::

    templates     build_template / write_templates: one XLSX template per table (``relief modeles``)
    opendata      open_data_lieux / write_open_data: CSV + GeoJSON + Table Schema (``relief exporter-lieux``)
    cli_commands  register(subparsers): the two ``relief`` commands above
"""
