"""Volunteering indicators: hours, contributors, valuation at the hourly rate of the year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from relief_analytics.indicators.volunteering import (
    MissingHourlyRateError,
    hourly_rate_for_year,
    volunteering_by_commission,
    volunteering_by_year,
)
from relief_analytics.load.errors import DataError

RATES = {2023: 11.27, 2024: 11.65}

CONTRIBUTIONS = pd.DataFrame({
    "contribution_id": ["C1", "C2", "C3", "C4"],
    "member_id": ["a", "b", "a", "c"],
    "contribution_date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-03-10", "2023-05-01"]),
    "commission": ["Formation", "Formation", "Communication", "Formation"],
    "activity": ["Animation", "Préparation", "Lettre d'information", "Animation"],
    "hours": [3.0, 2.0, 4.0, 10.0],
    "retribution_eur": [0.0, np.nan, 80.0, 0.0],  # C3 was paid: not bénévolat
})

COUNTS = ["contributions_count", "contributors_count"]


def test_volunteering_by_year_values_unpaid_hours_at_the_rate_of_the_year():
    result = volunteering_by_year(CONTRIBUTIONS, hourly_rates=RATES, first_year=2022, last_year=2024)
    expected = pd.DataFrame({
        "year": [2022, 2023, 2024],
        "contributions_count": [0, 1, 3],
        "contributors_count": [0, 1, 2],
        "hours": [0.0, 10.0, 9.0],
        "paid_hours": [0.0, 0.0, 4.0],
        "volunteer_hours": [0.0, 10.0, 5.0],
        "retribution_eur": [0.0, 0.0, 80.0],
        "hourly_rate_eur": [np.nan, 11.27, 11.65],  # 2022 has no hour: no rate needed
        "valuation_eur": [0.0, 112.70, 58.25],  # 10 × 11.27 ; 5 × 11.65
    }).astype({c: "Int64" for c in ["year", *COUNTS]})
    pdt.assert_frame_equal(result, expected)


def test_volunteering_can_value_paid_hours_too():
    result = volunteering_by_year(CONTRIBUTIONS, hourly_rates=RATES, include_paid_hours=True)
    assert result["volunteer_hours"].tolist() == [10.0, 9.0]
    assert result["valuation_eur"].tolist() == [112.70, 104.85]


def test_volunteering_by_commission_lists_every_configured_commission():
    result = volunteering_by_commission(
        CONTRIBUTIONS, hourly_rates=RATES, year=2024,
        commissions=["Formation", "Communication", "Animation & Mutualisation"])
    expected = pd.DataFrame({
        "commission": ["Formation", "Communication", "Animation & Mutualisation"],
        "contributions_count": [2, 1, 0],
        "contributors_count": [2, 1, 0],
        "hours": [5.0, 4.0, 0.0],
        "paid_hours": [0.0, 4.0, 0.0],
        "volunteer_hours": [5.0, 0.0, 0.0],
        "retribution_eur": [0.0, 80.0, 0.0],
        "hourly_rate_eur": [11.65, 11.65, 11.65],
        "valuation_eur": [58.25, 0.0, 0.0],
    }).astype({c: "Int64" for c in COUNTS})
    pdt.assert_frame_equal(result, expected)


MISSING_RATE_MESSAGE = (
    "Taux horaire du bénévolat manquant pour l'année 2024 : ajoutez une ligne « 2024 = … » "
    "(en euros par heure) dans la section [taux_horaire_benevolat] du fichier config.toml."
)


def test_missing_hourly_rate_names_the_year_and_the_config_section():
    with pytest.raises(MissingHourlyRateError) as error:
        volunteering_by_year(CONTRIBUTIONS, hourly_rates={2023: 11.27})
    assert str(error.value) == MISSING_RATE_MESSAGE
    assert isinstance(error.value, DataError)  # the command line reports it like any input error


def test_hourly_rate_for_year():
    assert hourly_rate_for_year(RATES, 2024) == 11.65
    with pytest.raises(MissingHourlyRateError) as error:
        hourly_rate_for_year(RATES, 2026)
    assert str(error.value) == MISSING_RATE_MESSAGE.replace("2024", "2026")
