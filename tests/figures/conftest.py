"""Fixtures of the figure tests: the committed AURA reference, read once."""

from __future__ import annotations

import pytest

from relief_analytics.geo.reference import GeoReference, load_reference


@pytest.fixture(scope="session")
def reference() -> GeoReference:
    return load_reference("84")
