"""Key figures: a count the sources don't give reads « non renseigné », never « 0 »."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from relief_analytics.display.key_figures import key_figure_notes, year_key_figures
from relief_analytics.indicators.events import events_by_year
from relief_analytics.indicators.series import compare_years

TILES = (("events_by_year", "events_count", "événements"), ("events_by_year", "participants_count", "participants"))


@dataclass
class _Context:
    """The two attributes the tiles read (a real year context has many more)."""

    year: int
    comparisons: dict = field(default_factory=dict)


def _context(participants: list) -> _Context:
    events = pd.DataFrame({
        "event_id": ["A", "B", "C", "D"],
        "start_date": pd.to_datetime(["2024-05-01", "2025-03-01", "2025-04-02", "2025-05-20"]),
        "event_kind": ["Rencontre"] * 4, "commission": ["Formation"] * 4,
        "attendance_mode": ["sur place"] * 4,
        "participants_count": pd.array(participants, dtype="Int64"),
        "duration_hours": [2.0, 2.0, 3.0, 2.0],
    })
    return _Context(2025, {"events_by_year": compare_years(events_by_year(events), year=2025)})


def test_unknown_participants_read_non_renseigne_not_zero():
    html = year_key_figures(_context([None, None, None, None]), tiles=TILES).to_html()
    assert ('<span class="valeur">non renseigné</span><span class="libelle">participants</span>'
            '</div>') in html
    assert "0 participants" not in html and ">0<" not in html
    notes = key_figure_notes(_context([None, None, None, None]), tiles=TILES).body
    assert "<li>Participants en 2025 : non renseigné (non renseigné en 2024)</li>" in notes


def test_partly_known_participants_say_on_how_many_events_they_rest():
    html = year_key_figures(_context([10, 12, None, None]), tiles=TILES).to_html()
    assert ('<span class="valeur">12</span><span class="libelle">participants</span>'
            '<span class="evolution">d&#x27;après 1 événement sur 3 ; +20\xa0% par rapport à 2024</span>'
            ) in html


def test_a_yearly_chart_labels_an_unknown_count_non_renseigne():
    from relief_analytics.figures.charts import year_series_chart

    by_year = pd.DataFrame({"year": [2024, 2025], "participants_count": pd.array([10, None], dtype="Int64")})
    bar = year_series_chart(by_year, column="participants_count", year=2025, title="Participants").data[0]
    assert list(bar.text) == ["10", "non renseigné"]


def test_tables_show_an_unknown_count_as_non_renseigne():
    from relief_analytics.display.blocks import comparison_table, french_table

    comparison = _context([None, None, None, None]).comparisons["events_by_year"]
    body = comparison_table(comparison[comparison["indicator"] == "participants_count"], year=2025).body
    assert body.count("non renseigné") == 2  # 2024 and 2025
    table = french_table(pd.DataFrame({"year": [2025], "participants_count": pd.array([None], dtype="Int64")}))
    assert "non renseigné" in table.body


def test_events_tile_shows_sessions_and_exhibitions_apart():
    events = pd.DataFrame({
        "event_id": ["X", "C", "E"], "start_date": pd.to_datetime(["2024-01-10", "2025-03-01", "2025-10-06"]),
        "event_kind": ["Rencontre"] * 3, "commission": ["Formation"] * 3, "attendance_mode": ["sur place"] * 3,
        "participants_count": pd.array([None] * 3, dtype="Int64"), "duration_hours": [2.0, None, 9.0],
        "sessions_count": pd.array([1, 92, 3], dtype="Int64"),
        "is_long_running": pd.array([False, True, False], dtype="boolean"),
    })
    context = _Context(2025, {"events_by_year": compare_years(events_by_year(events), year=2025)})
    html = year_key_figures(context, tiles=TILES).to_html()
    assert ('<span class="valeur">2</span><span class="libelle">événements</span><span class="evolution">'
            '95 séances, dont 1 exposition ou activité permanente ; +100\xa0% par rapport à 2024</span>') in html
