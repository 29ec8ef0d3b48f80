"""The public observatory: a static website built from the reports' public files.

Builder side (runs in the ``relief`` process, never in a notebook kernel). It reads what the
report builder already wrote for every built year (``reports/<année>/donnees/*.csv``,
``facts.json``, ``manifest.json`` and the public documents), never re-runs the resolver, and
writes a self-contained folder (default ``reports/site/``) that opens from ``file://`` or any
static host.

Modules, in the order data flows:

- :mod:`~relief_analytics.site.sources`: read a built year's public files back into frames;
- :mod:`~relief_analytics.site.data`: pure functions from those frames to what the pages show;
- :mod:`~relief_analytics.site.geometry`: the offline reference geometry as small map data;
- :mod:`~relief_analytics.site.pages`: the HTML of every page (French, accessible);
- :mod:`~relief_analytics.site.assets`: the vendored Leaflet and the site's own CSS/JS;
- :mod:`~relief_analytics.site.build`: the folder, written atomically under the reports' lock.
"""
