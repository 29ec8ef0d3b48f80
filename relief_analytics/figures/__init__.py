"""Figures: plotly theme and offline renderer, charts (maps live in relief_analytics.figures.maps)."""
