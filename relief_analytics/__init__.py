"""relief-analytics: observatory and reporting toolkit of the RELIEF network.

The package follows the data flow, one sub-package per stage::

    import (relief_analytics.importers)   stage 0: merge an export into the dataset's tables
      -> load (relief_analytics.load)     read CSV/XLSX as volunteers save them, pseudonymise
      -> validate (relief_analytics.schemas, relief_analytics.load.validate)
      -> geo, indicators (relief_analytics.geo, relief_analytics.indicators)
      -> the year context (relief_analytics.context)
      -> figures, export (relief_analytics.figures; relief_analytics.export: open data, templates)
      -> notebooks (notebooks/*.ipynb, shown with relief_analytics.display inside their kernel,
         run by the builder relief_analytics.report)
      -> outputs (reports/<année>/)

See ``docs/architecture.md`` for the layers and the import-linter contracts.
"""

__version__ = "0.1.0"

#: Optional imports no report needs, kept out of every process using this package: jsonschema
#: (pulled in by nbformat, in the build and in each kernel where plotly renders) imports
#: ``rfc3987_syntax`` inside ``suppress(ImportError)`` and builds a Lark grammar (~2.7 s here);
#: only the ``iri``/``iri-reference`` formats need it, and nbformat's schema uses neither.
#: ``sys.modules[name] = None`` makes ``import name`` raise ``ImportError``. See issue #11.
SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)

for _name in SLOW_OPTIONAL_IMPORTS:
    __import__("sys").modules.setdefault(_name, None)
del _name
