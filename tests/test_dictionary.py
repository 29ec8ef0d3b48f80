"""The French data dictionary is generated from the schemas and committed up to date."""

from relief_analytics import paths
from relief_analytics.dictionary import render_dictionary
from relief_analytics.schemas import TABLES, column_specs


def test_committed_dictionary_is_up_to_date():
    committed = paths.DICTIONARY_PATH.read_text(encoding="utf-8")
    assert committed == render_dictionary(), "docs/dictionnaire_des_donnees.md est périmé : lancez `make dictionnaire`"


def test_every_column_is_described_and_listed():
    text = render_dictionary()
    for model in TABLES.values():
        for name, spec in column_specs(model).items():
            assert spec["description"] and len(spec["description"]) > 10, name
            assert f"| `{name}` |" in text
