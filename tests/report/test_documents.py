"""The compte rendu financier as a funder reads it: identification, attestation, draft and final."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest
from sample_copy import TEST_IDENTITY, copy_sample

from relief_analytics import paths
from relief_analytics.display import cerfa
from relief_analytics.indicators.readiness import missing_items
from relief_analytics.load import DataError, read_config
from relief_analytics.load.config_model import SubsidySettings
from relief_analytics.report.build import build_reports
from relief_analytics.report.pdf import find_browser

NBSP, NNBSP = "\u00a0", "\u202f"
NO_GAP = pd.DataFrame({"account_code": [], "account_label": [], "is_explanation_missing": []})


def text_of(html: str) -> str:
    class Text(HTMLParser):
        parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(html)
    text = " ".join(parser.parts).replace(NNBSP, " ").replace(NBSP, " ")
    return re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", text)).strip()


@pytest.fixture
def subsidy() -> SubsidySettings:
    return read_config(paths.SAMPLE_DATASET_DIR).subsidy


def test_the_sample_configuration_lacks_nothing(subsidy):
    assert missing_items(subsidy, NO_GAP, qualitative_review="# Bilan", year=2025) == []


def test_each_missing_identity_field_and_reference_is_named(subsidy):
    subsidy = subsidy.model_copy(update={"agreement_number": "", "association": subsidy.association.model_copy(
        update={"siret": "123 456", "address": " "})})
    gaps = pd.DataFrame({"account_code": ["625", "706"],
                         "account_label": ["Déplacements", "Prestations"],
                         "is_explanation_missing": [True, False]})
    assert missing_items(subsidy, gaps, qualitative_review="", year=2025) == [
        "Identification de l'association : « Numéro SIRET » vaut « 123 456 », attendu : 14 chiffres.",
        "Identification de l'association : « Adresse du siège » manque.",
        "Références de la subvention : « Numéro de la convention » manque.",
        "Bilan qualitatif : le fichier bilan_qualitatif_2025.md manque ou est vide.",
        "Écart significatif du compte 625 (Déplacements) : aucune explication.",
    ]


def test_identification_shows_the_association_and_the_subsidy_references(subsidy):
    text = text_of(str(cerfa.identification_block(subsidy, year=2025)))
    for expected in ("Numéro RNA W691234567", "Numéro SIRET 12345678900017",
                     "Adresse du siège 12 rue des Tiers-Lieux, 69007 Lyon",
                     "Financeur Région Auvergne-Rhône-Alpes",
                     "Convention n° 2025-AURA-TL-00421 du 14 mars 2025",
                     "Montant accordé 60 000,00 €",
                     "Période couverte du 1er janvier 2025 au 31 décembre 2025"):
        assert expected in text


def test_attestation_reads_as_the_cerfa_sentence(subsidy):
    signed = subsidy.model_copy(update={"signature_date": dt.date(2026, 3, 2)})
    text = text_of(str(cerfa.attestation_block(signed)))
    assert text == (
        "Attestation Je soussigné(e), (nom et prénom), coprésident(e), représentant(e) légal(e) de "
        "l'association RELIEF — réseau des lieux effervescents d'Auvergne-Rhône-Alpes, certifie "
        "exactes les informations du présent compte rendu. Fait à Lyon, le 2 mars 2026 Signature"
    )


def test_final_texts_name_no_configuration_the_draft_points_to_it():
    final = str(cerfa.volunteer_valuation_text(hours=10, hourly_rate=11.88, year=2025)) + str(
        cerfa.gaps_with_explanations(NO_GAP, pct_threshold=15, eur_threshold=500))
    draft = str(cerfa.volunteer_valuation_text(hours=10, hourly_rate=11.88, year=2025, draft=True))
    assert "[" not in final and "configuration" not in final
    assert "voir la configuration" in draft


def test_draft_notice_carries_the_watermark_and_the_list():
    text = text_of(str(cerfa.draft_notice(["Références de la subvention : « Financeur » manque."])))
    assert text.startswith("BROUILLON Brouillon : ce document ne peut pas être envoyé. Il manque 1 élément(s)")
    assert text.endswith("Références de la subvention : « Financeur » manque.")


def _dataset_without_siret(tmp_path):
    dataset = tmp_path / "donnees"
    copy_sample(dataset)
    config = dataset / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f'siret = "{TEST_IDENTITY["siret"]}"\n', ""), encoding="utf-8")
    explanations = dataset / "explications_ecarts.csv"
    lines = explanations.read_text(encoding="utf-8").splitlines(keepends=True)
    explanations.write_text("".join(line for line in lines if not line.startswith("2025;625;")), encoding="utf-8")
    return dataset


def test_final_build_refuses_and_names_each_missing_item_before_any_notebook(tmp_path):
    dataset = _dataset_without_siret(tmp_path)
    steps = []
    with pytest.raises(DataError) as exc:
        build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports",
                      progress=steps.append, browser=None)
    message = str(exc.value)
    assert message.startswith("le compte rendu financier 2025 ne peut pas être produit en version "
                              "à envoyer : il manque 2 élément(s).")
    assert "  - Identification de l'association : « Numéro SIRET » manque." in message
    assert ("  - Écart significatif du compte 625 (Déplacements, missions et réceptions) : "
            "aucune explication.") in message
    assert "relief rapports --brouillon" in message
    assert not any("exécution du notebook" in step for step in steps)


def test_cli_final_build_exits_2_in_french(tmp_path):
    from relief_analytics.cli import main

    dataset = _dataset_without_siret(tmp_path)
    code = main(["rapports", "--donnees", str(dataset), "--sortie", str(tmp_path / "r"),
                 "--seulement", "compte_rendu_financier"])
    assert code == 2


@pytest.mark.slow
def test_draft_build_is_watermarked_on_every_page_and_lists_what_is_missing(tmp_path):
    dataset = _dataset_without_siret(tmp_path)
    browser = find_browser(None)
    result = build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports",
                           only=["compte_rendu_financier"], progress=lambda *_: None,
                           browser="auto" if browser else None, draft=True)
    assert result.ok, result
    html = (tmp_path / "rapports" / "2025" / "compte_rendu_financier_2025.html").read_text(encoding="utf-8")
    text = text_of(re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S))
    assert "BROUILLON Brouillon : ce document ne peut pas être envoyé. Il manque 2 élément(s)" in text
    assert "« Numéro SIRET » manque." in text
    assert "voir la configuration" in text
    pdf = tmp_path / "rapports" / "2025" / "compte_rendu_financier_2025.pdf"
    if not browser or not shutil.which("pdftoppm"):
        pytest.skip("Chromium ou pdftoppm absent : PDF non vérifié")
    subprocess.run(["pdftoppm", "-r", "20", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.ppm"))
    assert len(pages) >= 5
    # every page shows the pale orange « BROUILLON » (rgba(213, 94, 0, 0.2) over white)
    assert all(watermark_pixels(page) > 150 for page in pages), [watermark_pixels(p) for p in pages]


def watermark_pixels(ppm) -> int:
    """Pixels of a binary PPM (P6) in the watermark's colour, about (247, 223, 204)."""
    data = ppm.read_bytes()
    header = data.split(maxsplit=4)
    width, height = int(header[1]), int(header[2])
    pixels = data[len(data) - width * height * 3:]
    return sum(
        1 for i in range(0, len(pixels), 3)
        if abs(pixels[i] - 247) <= 6 and abs(pixels[i + 1] - 223) <= 8 and abs(pixels[i + 2] - 204) <= 8
    )
