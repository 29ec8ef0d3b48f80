"""Date-dependent outputs on the days that broke them: the 1st of a month and 31 December.

babel writes the first of a month « 1er décembre 2026 »; a pattern such as ``\\d+ \\w+ \\d{4}``
fails on it. Every path that prints « today » is run here with a frozen clock; the CERFA attestation is
the one document that must never print it (its date is configured or written by hand).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from config_factories import make_subsidy

from relief_analytics import formatting
from relief_analytics.display import blocks as display
from relief_analytics.display import cerfa

SUBSIDY = make_subsidy(association={"nom": "RELIEF", "representant_qualite": "coprésident(e)"},
                       lieu_signature="Lyon")

FROZEN_DAYS = [
    (dt.datetime(2026, 12, 1, 0, 0, 1), "1er décembre 2026"),
    (dt.datetime(2026, 12, 31, 23, 59, 30), "31 décembre 2026"),
    (dt.datetime(2027, 1, 1, 12, 0), "1er janvier 2027"),
]


@pytest.mark.parametrize(("moment", "expected"), FROZEN_DAYS)
def test_attestation_is_never_dated_with_the_build_day(moment, expected):
    with time_machine.travel(moment, tick=False):
        html = str(cerfa.attestation_block(SUBSIDY))
    assert expected not in html
    assert f"Fait à Lyon, le {cerfa.HANDWRITTEN_BLANK}</p>" in html


@pytest.mark.parametrize(("moment", "expected"), FROZEN_DAYS)
def test_attestation_prints_the_configured_signature_day_whatever_the_clock(moment, expected):
    signed = make_subsidy(association={"nom": "RELIEF"}, date_signature=dt.date(2026, 6, 1))
    with time_machine.travel(moment, tick=False):
        html = str(cerfa.attestation_block(signed))
    assert expected not in html
    assert f"Fait à {cerfa.HANDWRITTEN_BLANK}, le 1er juin 2026</p>" in html


@pytest.mark.parametrize(("moment", "expected"), FROZEN_DAYS)
def test_report_heading_gives_the_production_date_on_any_day(moment, expected):
    with time_machine.travel(moment, tick=False):
        html = str(display.title_block("Rapport d'activité", network="RELIEF", year=2025))
    assert f"Document produit le {expected} par relief-analytics." in html


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 12, 1), "1er décembre 2026"),
    (dt.date(2026, 12, 31), "31 décembre 2026"),
    (dt.date(2024, 2, 29), "29 février 2024"),
])
def test_format_date_writes_the_first_of_a_month_as_1er(day, expected):
    assert formatting.format_date(day) == expected
