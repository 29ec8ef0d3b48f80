"""The typed model of config.toml: every problem at once, in French, with the nearest known name."""

from __future__ import annotations

import os
import re
import tomllib

import pytest
from config_factories import TEST_SALT, config_toml, make_config, make_subsidy, raw_config

from relief_analytics import paths
from relief_analytics.dictionary import CONFIGURATION_DOC_PATH
from relief_analytics.load import DataError, read_config
from relief_analytics.load.config_doc import render_configuration_doc
from relief_analytics.load.config_model import SAMPLE_IDENTITY, SAMPLE_SALT, SubsidySettings


def write_config(folder, text: str):
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


def problems_of(folder) -> str:
    with pytest.raises(DataError) as exc:
        read_config(folder)
    return str(exc.value)


# --- unknown names ------------------------------------------------------------------------------
def test_unknown_key_is_named_with_the_nearest_known_one(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={'code_region = "84"': 'code_region = "84"\ncode_regoin = "84"'}))
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'}, [reseau] code_regoin : clé inconnue : "
        "vouliez-vous dire code_region ?"
    )


def test_unknown_section_is_named_with_the_nearest_known_one(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={"[rapports]": "[rapport]"}))
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'}, [rapport] : section inconnue : vouliez-vous dire "
        "rapports ? (sections : reseau, fichiers, listes, taux_horaire_benevolat, subvention, rapports, "
        "contexte, site, colonnes, importation)."
    )


@pytest.mark.parametrize(("edit", "line"), [
    ({"[subvention.association]": "[subvention.asociation]"},
     "[subvention.asociation] : section inconnue : vouliez-vous dire association ?"),
    ({"lieu_signature = ": "lieu_signatur = "}, "[subvention] lieu_signatur : clé inconnue : vouliez-vous dire lieu_signature ?"),
    ({"[importation.lieux]\n": "[importation.lieu]\n"},
     "[importation.lieu] : section inconnue : vouliez-vous dire lieux ?"),
    ({"navigateur = ": "navigatuer = "}, "[rapports] navigatuer : clé inconnue : vouliez-vous dire navigateur ?"),
])
def test_unknown_names_in_every_section_are_reported(tmp_path, edit, line):
    folder = write_config(tmp_path / "d", config_toml(replace=edit))
    assert problems_of(folder) == f"Configuration {folder / 'config.toml'}, {line}"


def test_unknown_table_of_colonnes_is_reported(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(append='\n[colonnes.lieu]\n"Nom du lieu" = "nom"\n'))
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'}, [colonnes] : table « lieu » inconnue : vouliez-vous dire "
        "lieux ? ; tables : lieux, adhesions, evenements, contributions, budget, gouvernance, explications_ecarts."
    )


# --- types and ranges, all at once --------------------------------------------------------------
def test_every_problem_is_listed_at_once(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={
        "premiere_annee = 2021": 'premiere_annee = "deux mille"',
        "2025 = 11.88": "2025 = -11.88",
        "commissions = [": "commissions = []\nanciennes_commissions = [",
        "seuil_ecart_eur = 500": 'seuil_ecart_eur = "cinq cents"',
        "part_region = 0.13": "part_region = 13",
        "[rapports]": "[rapport]",
    }))
    assert problems_of(folder) == "\n".join([
        f"Configuration {folder / 'config.toml'} : 7 problèmes, à corriger tous avant de relancer :",
        '  - [reseau] premiere_annee = "deux mille" : un nombre entier est attendu.',
        "  - [listes] commissions = [] : la liste est vide : indiquez au moins une valeur (une liste "
        "vide désactiverait le contrôle).",
        "  - [listes] anciennes_commissions : clé inconnue : vouliez-vous dire commissions ?",
        "  - [taux_horaire_benevolat] 2025 = -11.88 : valeur attendue > 0.",
        '  - [subvention] seuil_ecart_eur = "cinq cents" : un nombre est attendu (ex. 11.88, sans guillemets).',
        "  - [contexte.national] part_region = 13 : valeur attendue ≤ 1.",
        "  - [rapport] : section inconnue : vouliez-vous dire rapports ? (sections : reseau, fichiers, "
        "listes, taux_horaire_benevolat, subvention, rapports, contexte, site, colonnes, importation).",
    ])


def test_missing_key_and_missing_section_are_named(tmp_path):
    text = re.sub(r"\[listes\].*?(?=\n# Valorisation)", "", config_toml(), flags=re.S)
    folder = write_config(tmp_path / "d", text.replace('nom = "RELIEF"\n', "", 1))
    assert problems_of(folder).splitlines()[1:] == [
        "  - [reseau] nom : clé obligatoire absente : ajoutez-la (voir data/sample/config.toml pour un exemple).",
        "  - [listes] : section obligatoire absente : ajoutez-la (voir data/sample/config.toml pour un exemple).",
    ]


def test_default_year_before_the_first_is_refused(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={"annee_par_defaut = 2025": "annee_par_defaut = 2019"}))
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'}, [reseau] : annee_par_defaut (2019) précède premiere_annee (2021)."
    )


@pytest.mark.parametrize(("code", "rule"), [
    ('"99"', "code de région inconnu ; codes INSEE des régions : 01, 02, 03, 04, 06, 11, 24, 27, 28, "
             "32, 44, 52, 53, 75, 76, 84, 93, 94."),
    ('"11"', "aucun référentiel géographique pour la région 11 (dossier data/reference/11/ absent) ; "
             "construisez-le (voir data/README.md) ou vérifiez le code."),
])
def test_unknown_region_or_region_without_reference_is_refused(tmp_path, code, rule):
    folder = write_config(tmp_path / "d", config_toml(replace={'code_region = "84"': f"code_region = {code}"}))
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'}, [reseau] code_region = {code} : {rule}"
    )


# --- salts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("salt", "start"), [
    ("a" * 40, "le sel est trop répétitif (1 caractère(s) différent(s), il en faut au moins 8) : il se devine."),
    ("ab" * 20, "le sel est trop répétitif (2 caractère(s) différent(s), il en faut au moins 8) : il se devine."),
    (SAMPLE_SALT.upper(), "c'est le sel public des données d'exemple (data/sample), connu de tous ;"),
    (" " + SAMPLE_SALT + " ", "c'est le sel public des données d'exemple (data/sample), connu de tous ;"),
])
def test_weak_salts_are_refused_and_never_echoed(tmp_path, salt, start):
    folder = write_config(tmp_path / "d", config_toml(salt=salt))
    message = problems_of(folder)
    assert message.startswith(f"Configuration {folder / 'config.toml'}, [reseau] sel_pseudonymisation : {start}")
    assert salt.strip() not in message


def test_the_sample_salt_is_accepted_on_the_sample_only():
    assert read_config(paths.SAMPLE_DATASET_DIR).pseudonymisation_salt == SAMPLE_SALT


# --- files --------------------------------------------------------------------------------------
def test_file_reached_through_a_symlink_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "ailleurs.csv"
    outside.write_text("nom\n", encoding="utf-8")
    folder = write_config(tmp_path / "d", config_toml())
    os.symlink(outside, folder / "lieux.csv")
    os.symlink(tmp_path, folder / "exports")
    folder2 = write_config(tmp_path / "d2", config_toml(replace={'lieux = "lieux.csv"': 'lieux = "exports/ailleurs.csv"'}))
    os.symlink(tmp_path, folder2 / "exports")
    rule = ("ce nom mène, par un lien symbolique, à un fichier hors du dossier de données ; les liens vers "
            "l'extérieur sont refusés. Copiez le fichier lui-même dans le dossier de données.")
    assert problems_of(folder) == f'Configuration {folder / "config.toml"}, [fichiers] lieux = "lieux.csv" : {rule}'
    assert problems_of(folder2) == (
        f'Configuration {folder2 / "config.toml"}, [fichiers] lieux = "exports/ailleurs.csv" : {rule}')


def test_symlink_inside_the_folder_is_allowed(tmp_path):
    folder = write_config(tmp_path / "d", config_toml())
    (folder / "vrai.csv").write_text("nom\n", encoding="utf-8")
    os.symlink(folder / "vrai.csv", folder / "lieux.csv")
    assert read_config(folder).files["lieux"] == "lieux.csv"


# --- the example association ---------------------------------------------------------------------
def test_sample_identity_constants_are_the_sample_files():
    raw = tomllib.loads((paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8"))
    for section, key, _, value in SAMPLE_IDENTITY:
        node = raw
        for part in section.split("."):
            node = node[part]
        assert node[key] == value


def test_example_identity_is_listed_outside_the_sample_only(tmp_path):
    folder = write_config(tmp_path / "d", config_toml())
    assert read_config(folder).subsidy.missing_items() == [
        "« Numéro RNA » est celui de l'association d'exemple (data/sample) : indiquez celui de votre association.",
        "« Numéro SIRET » est celui de l'association d'exemple (data/sample) : indiquez celui de votre association.",
        "« Numéro de la convention » est celui de l'association d'exemple (data/sample) : indiquez celui "
        "de votre association.",
    ]
    assert read_config(paths.SAMPLE_DATASET_DIR).subsidy.missing_items() == []


def test_example_identity_with_spaces_is_still_the_example(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={'siret = "12345678900017"': 'siret = "123 456 789 00017"'}))
    assert read_config(folder).subsidy.example_items == ("Numéro RNA", "Numéro SIRET", "Numéro de la convention")


# --- typed sections -----------------------------------------------------------------------------
def test_sections_are_typed_attributes():
    config = make_config()
    assert config.subsidy.gap_pct_threshold == 15.0 and config.subsidy.gap_eur_threshold == 500.0
    assert config.subsidy.association.rna == "W691234567"
    assert config.reports.configured_browser is None
    assert config.context.as_mapping()["tiers_lieux_france"] == 3500
    assert config.pseudonymisation_salt == TEST_SALT
    assert "sel" not in repr(config) and TEST_SALT not in repr(config)


def test_browser_setting_is_read_in_one_place():
    raw = raw_config()
    raw["rapports"]["navigateur"] = "  /usr/bin/chromium "
    assert make_config(raw).reports.configured_browser == "/usr/bin/chromium"


def test_subsidy_formats_live_in_the_model():
    subsidy = make_subsidy(association={"rna": "W12", "siret": "1234567890001"})
    assert subsidy.missing_items()[:3] == [
        "Identification de l'association : « Nom de l'association » manque.",
        "Identification de l'association : « Numéro RNA » vaut « W12 », attendu : W suivi de 9 chiffres.",
        "Identification de l'association : « Numéro SIRET » vaut « 1234567890001 », attendu : 14 chiffres.",
    ]
    assert isinstance(subsidy, SubsidySettings)


def test_committed_configuration_doc_is_up_to_date():
    assert CONFIGURATION_DOC_PATH.read_text(encoding="utf-8") == render_configuration_doc(), (
        "docs/configuration.md est périmé : lancez `make dictionnaire`")


def test_configuration_doc_lists_every_key_of_the_sample():
    doc = render_configuration_doc()
    raw = tomllib.loads((paths.SAMPLE_DATASET_DIR / "config.toml").read_text(encoding="utf-8"))
    for section, keys in raw.items():
        assert f"## `[{section}]`" in doc
        for key, value in keys.items():
            if section in ("reseau", "fichiers", "listes", "subvention", "rapports", "contexte") \
                    and not isinstance(value, dict):
                assert f"| `{key}` |" in doc, (section, key)


def test_qualitative_review_linked_from_outside_is_refused(tmp_path):
    from sample_copy import copy_sample

    from relief_analytics.load import load_dataset

    folder = copy_sample(tmp_path / "d")
    outside = tmp_path / "secret.md"
    outside.write_text("# Hors du dossier\n", encoding="utf-8")
    (folder / "bilan_qualitatif_2025.md").unlink()
    os.symlink(outside, folder / "bilan_qualitatif_2025.md")
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    assert str(exc.value) == (
        "Fichier bilan_qualitatif_2025.md : ce nom mène, par un lien symbolique, à un fichier hors du "
        "dossier de données ; les liens vers l'extérieur sont refusés. Copiez le fichier lui-même dans "
        "le dossier de données.")


def test_import_targets_are_checked_with_the_rest(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={
        '"Adhésion collectif (prix libre)" = "morale"': '"Adhésion collectif (prix libre)" = "collectif"',
        '"Fab lab" = "Fablab / Makerspace / Hackerspace"': '"Fab lab" = "Fablab"',
        "premiere_annee = 2021": "premiere_annee = 2021.5",
    }))
    assert problems_of(folder).splitlines()[1:] == [
        "  - [reseau] premiere_annee = 2021.5 : un nombre entier est attendu.",
        "  - [importation.tarifs_adhesion] « Adhésion collectif (prix libre) » = « collectif » : valeur "
        "attendue « physique » ou « morale ».",
        "  - [importation.typologies] « Fab lab » = « Fablab » : « Fablab » n'est pas dans [listes].typologies.",
    ]


def test_keys_and_items_are_named_as_the_user_wrote_them(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(
        replace={"2024 = 11.65": "deux_mille = 11.65\n1999 = 3",
                 '"Adhésion structure (prix libre)" = "morale"': '"Adhésion structure (prix libre)" = 3',
                 "date_convention = 2025-03-14": 'date_convention = "14/03/2025"',
                 'etats_lieu = ["en projet", "ouvert", "fermé"]': 'etats_lieu = ["en projet", 2, ""]'},
        append='\n[colonnes.lieux]\n"Nom du lieu" = 4\n'))
    assert problems_of(folder).splitlines()[1:] == [
        "  - [listes] etats_lieu (élément 2) = 2 : un texte entre guillemets est attendu.",
        '  - [listes] etats_lieu (élément 3) = "" : la valeur est vide.',
        "  - [taux_horaire_benevolat] deux_mille : la clé doit être une année (ex. 2025 = 11.88).",
        "  - [taux_horaire_benevolat] 1999 : année attendue ≥ 2000.",
        '  - [subvention] date_convention = "14/03/2025" : une date TOML est attendue (ex. 2025-03-14, sans guillemets).',
        "  - [colonnes.lieux] « Nom du lieu » = 4 : un texte entre guillemets est attendu.",
        "  - [importation.tarifs_adhesion] « Adhésion structure (prix libre) » = 3 : un texte entre guillemets "
        "est attendu.",
    ]


def test_no_message_is_left_in_english(tmp_path):
    folder = write_config(tmp_path / "d", config_toml(replace={
        "premiere_annee = 2021": "premiere_annee = [2021]", "navigateur = \"\"": "navigateur = false",
        "part_region = 0.13": "part_region = nan", "periode_debut = 2025-01-01": "periode_debut = 2025-01-01T10:00:00"}))
    message = problems_of(folder)
    for english in ("Input should", "valid", "Field required", "Extra inputs"):
        assert english not in message
    assert len(message.splitlines()) == 5


def test_gap_thresholds_are_typed_ranged_and_required_where_used():
    assert make_config().subsidy.gap_thresholds() == (15.0, 500.0)
    with pytest.raises(DataError) as exc:
        make_subsidy(seuil_ecart_pct=15).gap_thresholds()
    assert str(exc.value) == ("Seuil d'écart significatif manquant : renseignez « seuil_ecart_eur » (un nombre) "
                              "dans la section [subvention] du fichier config.toml.")
    raw = raw_config()
    raw["subvention"]["seuil_ecart_pct"] = -5
    with pytest.raises(DataError, match=r"\[subvention\] seuil_ecart_pct = -5 : valeur attendue ≥ 0\.$"):
        make_config(raw)


def test_config_file_linked_from_outside_is_refused(tmp_path):
    outside = tmp_path / "autre.toml"
    outside.write_text(config_toml(), encoding="utf-8")
    folder = tmp_path / "d"
    folder.mkdir()
    os.symlink(outside, folder / "config.toml")
    assert problems_of(folder) == (
        f"Configuration {folder / 'config.toml'} : ce nom mène, par un lien symbolique, à un fichier hors du "
        "dossier de données ; les liens vers l'extérieur sont refusés. Copiez le fichier lui-même dans le "
        "dossier de données.")
