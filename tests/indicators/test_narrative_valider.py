"""`relief valider` lists the bilan's figures that the data contradict, quoting both."""

from __future__ import annotations

from pathlib import Path

from sample_copy import copy_sample

from relief_analytics import cli

RIGHT = "- Une cartographie qui recense plus de 150 lieux, mise à jour par les lieux eux-mêmes."


def _plant(folder: Path, old: str, new: str) -> None:
    bilan = folder / "bilan_qualitatif_2025.md"
    text = bilan.read_text(encoding="utf-8")
    assert old in text
    bilan.write_text(text.replace(old, new), encoding="utf-8")


def test_valider_flags_a_bilan_quoting_plus_de_999_lieux(tmp_path, capsys):
    folder = copy_sample(tmp_path / "donnees")
    _plant(folder, RIGHT, RIGHT.replace("150", "999"))
    assert cli.main(["valider", "--donnees", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("Bilan qualitatif 2025 : 1 chiffre cité contredit les données ; corrigez le bilan ou "
                   "les données (le compte rendu financier n'est pas produit en version à envoyer tant "
                   "que le bilan contredit les données) :")
    assert out[at + 1:] == [
        "  Bilan qualitatif 2025, ligne 41 : le bilan dit « plus de 999 lieux », les données en comptent "
        "151 (lieux ouverts fin 2025 placés dans la région)."]


def test_valider_says_the_sample_bilan_agrees_with_the_data(tmp_path, capsys):
    folder = copy_sample(tmp_path / "donnees")
    assert cli.main(["valider", "--donnees", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Bilan qualitatif 2025 : aucun chiffre cité ne contredit les données.")


def test_valider_checks_the_bilan_of_the_year_asked(tmp_path, capsys):
    folder = copy_sample(tmp_path / "donnees")
    bilan = folder / "bilan_qualitatif_2024.md"
    bilan.write_text(bilan.read_text(encoding="utf-8").replace("290 membres", "300 membres"),
                     encoding="utf-8")
    assert cli.main(["valider", "--donnees", str(folder), "--annee", "2024"]) == 0
    out = capsys.readouterr().out
    assert ("le bilan dit « 300 membres », les données en comptent 290 (membres 2024, adhésion "
            "validée dans l'année).") in out
