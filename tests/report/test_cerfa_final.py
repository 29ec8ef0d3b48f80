"""The final compte rendu financier is refused while a significant gap, 86/87 included, is unexplained."""

from __future__ import annotations

import pytest
from sample_copy import copy_sample

from relief_analytics.load import DataError
from relief_analytics.report.build import build_reports


def test_an_unexplained_volunteer_gap_stops_the_final_build_before_any_notebook(tmp_path):
    dataset = copy_sample(tmp_path / "donnees")
    explanations = dataset / "explications_ecarts.csv"
    lines = explanations.read_text(encoding="utf-8").splitlines(keepends=True)
    explanations.write_text("".join(line for line in lines if not line.startswith("2025;864;")),
                            encoding="utf-8")
    steps: list[str] = []
    with pytest.raises(DataError) as exc:
        build_reports(dataset_dir=dataset, year=2025, reports_dir=tmp_path / "rapports",
                      progress=steps.append, only=["compte_rendu_financier"], browser=None,
                      warm_kernels=False)
    message = str(exc.value)
    assert message.startswith("le compte rendu financier 2025 ne peut pas être produit en version "
                              "à envoyer : il manque 2 élément(s).")
    assert "  - Écart significatif du compte 864 (Personnel bénévole) : aucune explication.\n" in message
    assert "  - Écart significatif du compte 870 (Bénévolat) : aucune explication.\n" in message
    assert not any("exécution du notebook" in step for step in steps)
