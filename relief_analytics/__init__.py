"""relief-analytics: observatory and reporting toolkit of the RELIEF network.

The package follows the data flow, one sub-package per stage::

    load (relief_analytics.load)          read CSV/XLSX as volunteers save them, pseudonymise
      -> validate (relief_analytics.schemas, relief_analytics.load.validate)
      -> indicators (relief_analytics.indicators)
      -> figures (relief_analytics.figures)
      -> notebooks (notebooks/*.ipynb, run by relief_analytics.report)
      -> outputs (reports/<année>/)
"""

__version__ = "0.1.0"
