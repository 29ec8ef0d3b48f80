"""Helpers that make the project's figures work inside a running JupyterLab, offline.

- :mod:`relief_analytics.jupyter.basemap`: the plotly ``topojsonURL`` that lets JupyterLab's own
  plotly.js (the ``jupyterlab-plotly`` extension) draw geo maps without reaching plotly's CDN.
"""
