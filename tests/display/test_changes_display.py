"""What a reader sees of « Ce qui a changé » (display.changes)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from relief_analytics.display import changes as shown
from relief_analytics.indicators import changes
from relief_analytics.indicators.changes import LAST_AG, PREVIOUS_YEAR, Baseline, SnapshotRef

NOW = pd.DataFrame({
    "id": ["L1", "L2", "L3", "L4"], "nom": ["<b>La Forge</b>", "Le Four", "Le Quai", "La Halle"],
    "commune": ["Crest", "Die", "Lyon", "Riom"], "typologie": ["Fablab / Makerspace / Hackerspace"] * 4,
    "etat": ["ouvert"] * 4, "annee_ouverture": [2025] * 4, "date_maj": [None] * 4})


def tables(baselines):
    found = changes.lieux_changes(NOW, baselines=baselines)
    return (found, changes.lieux_changes_summary(found, baselines=baselines),
            changes.change_baselines(baselines))


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").strip()


def test_names_are_escaped_and_a_long_list_is_cut():
    snapshot = SnapshotRef(2024, dt.date(2025, 3, 14), lambda: NOW.iloc[:0])
    found, summary, baselines = tables([Baseline(PREVIOUS_YEAR, dt.date(2025, 1, 1), snapshot)])
    block = shown.lieux_changes_block(found, summary, baselines, year=2025, max_names=2).body
    assert "&lt;b&gt;La Forge&lt;/b&gt; (Crest)" in block and "<b>La Forge" not in block
    assert "Ouvertures (4) : &lt;b&gt;La Forge&lt;/b&gt; (Crest), La Halle (Riom), et 2 autres" in text(block)
    assert "Fermetures : aucune" in text(block)
    assert "État modifié : aucun" in text(block)


def test_without_ag_date_the_ag_comparison_says_where_to_give_it():
    found, summary, baselines = tables(changes.choose_baselines([], year=2025, last_ag_date=None))
    block = shown.lieux_changes_block(found, summary, baselines, year=2025, baseline=LAST_AG).body
    assert text(block) == ("Depuis la dernière AG Date de la dernière AG non renseignée ([reseau] "
                           "date_derniere_ag dans config.toml) : pas de comparaison avec la dernière AG.")


def test_counts_only_gives_one_line_of_the_known_kinds():
    found, summary, baselines = tables([Baseline(LAST_AG, dt.date(2025, 6, 14))])
    block = shown.lieux_changes_block(found, summary, baselines, year=2025, baseline=LAST_AG,
                                      counts_only=True, heading=False, short=True).body
    assert text(block) == ("Aucun instantané de la liste des lieux gardé le 14 juin 2025 ou avant : "
                           "ouvertures et fermetures d’après les dates de la table des lieux, le reste "
                           "demande un instantané. Ouvertures : 0, fermetures : 0.")
