"""No personal value in a message or a quality file (issue #15 §2).

A rejected cell that may be personal (any cell of a table about people) or that looks like a
phone or an e-mail (any table) is shown masked in the issue list, hence in ``relief valider``,
``qualite/rejets.csv`` and the quality report, which all read it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_bad_inputs import EVENTS_HEADER, LIEUX_HEADER, text_file, tiny_dataset

from relief_analytics.indicators.quality import issue_list
from relief_analytics.load import load_dataset
from relief_analytics.load.masking import mask_issues, mask_personal_value


@pytest.mark.parametrize(("value", "masked"), [
    ("06 12 34 56 78", "06 •• •• •• 78"),
    ("0612345678", "06••••••78"),
    ("06.12.34.56.78", "06.••.••.••.78"),
    ("06-12-34-56-78", "06-••-••-••-78"),
    ("+33 6 12 34 56 78", "+33 • •• •• •• 78"),
    ("+33612345678", "+33•••••••78"),
    ("+33 (0)4 72 00 00 01", "+33 (•)• •• •• •• 01"),
    ("0033 4 72 10 20 30", "00•• • •• •• •• 30"),
    ("jean.dupont@exemple.fr", "j•••@•••.fr"),
    ("camille+relief@mail.exemple.org", "c•••@•••.org"),
    ("Contact : 04 72 10 20 30, ou lefil@exemple.fr", "Contact : 04 •• •• •• 30, ou l•••@•••.fr"),
    ("tél.:0612345678", "tél.:06••••••78"),
    ("Appeler le 06 12 34 56 78.", "Appeler le 06 •• •• •• 78."),
])
def test_phones_and_emails_are_masked_in_any_column_of_any_table(value, masked):
    assert mask_personal_value(value, column="lieu_name", table="lieux") == masked
    assert mask_personal_value(value, column="participants_count", table="evenements") == masked


@pytest.mark.parametrize(("value", "column", "table", "masked"), [
    ("Camille Martin 06 12 34 56 78", "role", "gouvernance", "C•••••• M••••• 06 •• •• •• 78"),
    ("Élodie", "commission", "gouvernance", "É•••••"),
    ("6900", "postal_code", "adhesions", "6•••"),
    ("Saint-Étienne", "commune_name", "adhesions", "S••••-É••••••"),
    ("Parrain : Jean", "Parrain ou marraine", "adhesions", "P•••••• : J•••"),
    ("12,5O", "amount_eur", "adhesions", "12,5•"),
    ("31/02/2025", "contribution_date", "contributions", "31/02/2025"),
    ("deux heures", "hours", "contributions", "d••• h•••••"),
])
def test_every_word_of_a_cell_of_a_table_about_people_is_masked(value, column, table, masked):
    assert mask_personal_value(value, column=column, table=table) == masked


@pytest.mark.parametrize("value", [
    "La Fabrique", "31/02/2024", "-3", "1.500", "Salle des fêtes", "69003", "2024-13-01 10:00:00",
    "31/02/2024 18:30", "#REF!", "1 234,50 €",
])
def test_public_values_stay_as_typed(value):
    assert mask_personal_value(value, column="lieu_name", table="lieux") == value


@pytest.mark.parametrize(("value", "column", "masked"), [
    ("12345678", "membership_id", "12345678"),
    ("12345678", "Référence commande", "12345678"),
    ("C-2025-014", "contribution_id", "C-2025-014"),
    ("0612345678", "membership_id", "06••••••78"),
])
def test_references_in_a_table_about_people_stay_readable(value, column, masked):
    table = "contributions" if column == "contribution_id" else "adhesions"
    assert mask_personal_value(value, column=column, table=table) == masked


def test_rule_quoting_the_value_is_masked_too():
    import pandas as pd

    issues = pd.DataFrame([{
        "table": "gouvernance", "file_name": "g.csv", "line_number": 2, "column_name": "role",
        "cell_value": "Jean 0612345678",
        "rule": "valeur hors de la liste [listes].roles_gouvernance de config.toml (« Jean 0612345678 » inconnu)",
    }])
    row = mask_issues(issues).iloc[0]
    assert (row["cell_value"], row["rule"]) == (
        "J••• 06••••••78",
        "valeur hors de la liste [listes].roles_gouvernance de config.toml (« J••• 06••••••78 » inconnu)",
    )


def _hostile_dataset(tmp_path):
    folder = tiny_dataset(tmp_path / "d")
    helloasso = (folder / "adhesions_helloasso.csv").read_text(encoding="utf-8").splitlines()
    helloasso[0] += ";Code Postal"
    helloasso[1] += ";06 12 34 56 78"
    (folder / "adhesions_helloasso.csv").write_text("\n".join(helloasso) + "\n", encoding="utf-8")
    (folder / "gouvernance.csv").write_bytes(
        b"annee;email;role;commission\n2025;a@exemple.fr;Camille Martin 06 12 34 56 78;\n")
    lieu = "L1;La Fabrique;contact+relief@exemple.fr;Bourg-en-Bresse;01053;Tiers-lieu culturel;ouvert;oui;46,2;2019;"
    (folder / "lieux.csv").write_bytes(text_file(LIEUX_HEADER, [lieu]))
    event = "E1;Rencontre;14/03/2025 18:00;;Rencontre;Formation;sur place;06.12.34.56.78;2"
    (folder / "evenements.csv").write_bytes(text_file(EVENTS_HEADER, [event]))
    return folder


PERSONAL = ("12 34 56", "Camille", "Martin", "contact+relief", "relief@", "34.56")


def test_personal_values_are_masked_in_the_issues_the_quality_table_and_valider(tmp_path, capsys):
    from relief_analytics import cli

    folder = _hostile_dataset(tmp_path)
    ds = load_dataset(folder)
    shown = ds.issues[["file_name", "line_number", "column_name", "cell_value", "rule"]].values.tolist()
    assert shown == [
        ["lieux.csv", 2, "code_postal", "c•••@•••.fr", "code postal attendu sur 5 chiffres (ex. 69003)"],
        ["adhesions_helloasso.csv", 2, "Code Postal", "06 •• •• •• 78", "code postal attendu sur 5 chiffres (ex. 69003)"],
        ["evenements.csv", 2, "participants", "06.••.••.••.78", "nombre entier attendu"],
        ["gouvernance.csv", 2, "role", "C•••••• M••••• 06 •• •• •• 78",
         "valeur hors de la liste [listes].roles_gouvernance de config.toml (« C•••••• M••••• 06 •• •• •• 78 » inconnu)"],
    ]
    assert issue_list(ds.issues)["Valeur"].tolist() == [
        "06 •• •• •• 78", "06.••.••.••.78", "C•••••• M••••• 06 •• •• •• 78", "c•••@•••.fr"]
    assert ds.summary["read_count"].tolist() == (ds.summary["accepted_count"] + ds.summary["rejected_count"]).tolist()
    cli.main(["valider", "--donnees", str(folder)])
    out = capsys.readouterr().out
    assert "  ligne 2, colonne « Code Postal », valeur « 06 •• •• •• 78 » : code postal attendu sur 5 chiffres (ex. 69003)" in out
    for fragment in PERSONAL:
        assert fragment not in out
        assert not ds.issues.astype(str).apply(lambda col, f=fragment: col.str.contains(f, regex=False)).any().any()


def test_manifest_records_paths_relative_to_the_data_folder(tmp_path):
    import json
    import re

    from relief_analytics.report.manifest import build_manifest

    home = tmp_path / "home" / "camille"
    data = home / "relief-donnees"
    (data / "sous-dossier").mkdir(parents=True)
    (data / "lieux.csv").write_text("identifiant\n", encoding="utf-8")
    (data / "sous-dossier" / "budget.csv").write_text("annee\n", encoding="utf-8")
    manifest = build_manifest(
        year=2025, dataset_dir=data,
        parameters={"annee": 2025, "dossier_donnees": str(data), "contexte": str(home / ".cache" / "ctx.pickle")},
        reports={"rapport_activite": {"outputs": ["rapport_activite_2025.html"], "notebook": str(home / "nb.ipynb")}},
        browser={"path": "/usr/bin/chromium", "reason": None},
        outputs=[{"file": "rapport_activite_2025.html", "bytes": 10}],
        warnings=[f"PDF non produits : {home}/chrome introuvable.", f"lu dans {data}/lieux.csv."],
        elapsed_s=1.0, checksums=None,
    )
    text = json.dumps(manifest, ensure_ascii=False)
    assert manifest["dataset_dir"] == "."
    assert manifest["parameters"] == {"annee": 2025, "dossier_donnees": ".", "contexte": "ctx.pickle"}
    assert [item["file"] for item in manifest["inputs"]] == ["lieux.csv", "sous-dossier/budget.csv"]
    assert manifest["browser"]["path"] == "chromium"
    assert manifest["reports"]["rapport_activite"]["notebook"] == "nb.ipynb"
    assert manifest["warnings"] == ["PDF non produits : chrome introuvable.", "lu dans lieux.csv."]
    assert "camille" not in text and tmp_path.name not in text
    assert not re.search(r'"/|\s/\w', text)


_SEPARATORS = st.sampled_from(["", " ", ".", "-", "\u00a0"])
_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèà ,;:()", max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    digits=st.text(alphabet="0123456789", min_size=8, max_size=8),
    first=st.sampled_from("123456789"),
    international=st.booleans(),
    sep=_SEPARATORS,
    before=_TEXT,
    after=_TEXT,
)
def test_any_typed_french_phone_keeps_only_its_first_and_last_two_digits(digits, first, international, sep, before, after):
    number = ("33" if international else "0") + first + digits
    pairs = [digits[i:i + 2] for i in range(0, 8, 2)]
    groups = ["+33", first, *pairs] if international else [f"0{first}", *pairs]
    phone = sep.join(groups)
    masked = mask_personal_value(f"{before} {phone} {after}", column="lieu_name", table="lieux")
    shown_digits = "".join(ch for ch in masked if ch.isdigit())
    assert shown_digits == number[:2] + number[-2:]
    assert masked.count("•") == len(number) - 4


@settings(max_examples=200, deadline=None)
@given(
    local=st.from_regex(r"[a-z][a-z0-9._]{2,15}(\+[a-z0-9]{1,8})?", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9\-]{2,12}", fullmatch=True),
    tld=st.sampled_from(["fr", "org", "com", "eu"]),
    table=st.sampled_from(["lieux", "evenements", "budget", "adhesions", "gouvernance"]),
)
def test_any_email_keeps_only_its_first_character_and_top_level_domain(local, domain, tld, table):
    masked = mask_personal_value(f"{local}@{domain}.{tld}", column="website", table=table)
    assert masked == f"{local[0]}•••@•••.{tld}"


def test_a_huge_rejected_value_is_shown_cut_with_its_length_and_still_masked():
    # found by the fuzzer: a 2 MB cell made masking quadratic; a message needs only its start
    from relief_analytics.load.masking import mask_personal_value

    value = "06 12 34 56 78 " + "x" * 2_000_000
    shown = mask_personal_value(value, column="lieu_name", table="lieux")
    assert shown == "06 •• •• •• 78 " + "x" * 185 + "… (2\u202f000\u202f015 caractères)"
