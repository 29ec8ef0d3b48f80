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


def test_committed_architecture_figure_map_is_up_to_date():
    from relief_analytics.dictionary import ARCHITECTURE_PATH, render_architecture

    committed = ARCHITECTURE_PATH.read_text(encoding="utf-8")
    assert committed == render_architecture(committed), (
        "docs/architecture.md (« Where each figure comes from ») est périmé : lancez `make dictionnaire`")


def test_every_catalogue_table_and_column_is_in_the_dictionary_and_the_figure_map():
    from relief_analytics.context.catalogue import CATALOGUE
    from relief_analytics.dictionary import render_figure_map

    text, figure_map = render_dictionary(), render_figure_map()
    for spec in CATALOGUE:
        assert f"### {spec.title} (`{spec.name}`)" in text
        assert f'`ctx.table("{spec.name}")`' in figure_map
        for column in spec.columns:
            assert f"| `{column.name}` | {column.label} | `{column.dtype}` |" in text
    assert "- *Non publiée : peut contenir des données d'une personne.*" in text


def test_a_stale_figure_map_is_rewritten_and_missing_markers_are_named():
    import pytest

    from relief_analytics.dictionary import FIGURES_END, FIGURES_START, render_architecture

    stale = f"# Architecture\n\n{FIGURES_START}\n| old | table |\n{FIGURES_END}\nrest\n"
    rewritten = render_architecture(stale)
    assert "| old | table |" not in rewritten and rewritten.endswith(f"{FIGURES_END}\nrest\n")
    assert '`ctx.table("cerfa")`' in rewritten
    with pytest.raises(ValueError, match="marqueurs"):
        render_architecture("# Architecture sans marqueurs\n")
