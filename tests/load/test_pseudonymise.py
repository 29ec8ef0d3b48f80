"""People are replaced by a pseudonym at read time; nothing of their identity travels further."""

from __future__ import annotations

import pandas as pd

from relief_analytics.load import load_table
from relief_analytics.load.pseudonymise import pseudonym

HELLOASSO = (
    "\ufeffRéférence commande;Date de la commande;Statut de la commande;Nom adhérent;Prénom adhérent;"
    "Nom payeur;Prénom payeur;Email payeur;Raison sociale;Moyen de paiement;Tarif; Montant tarif ;"
    "Code Promo;Montant code promo;Type d'adhérent;Téléphone\r\n"
    "10000001;14/01/2024 10:05;Validé;Dupont;Camille;Dupont;Camille;Camille.Dupont@Exemple.fr;;Carte bancaire;"
    "Prix libre;5,00;;;Personne physique;0601020304\r\n"
    "10000002;15/01/2024 11:00;Validé;Martin;Léa;Martin;Léa;lea.martin@exemple.fr;La Fabrique du Coin;Chèque;"
    "Prix libre;Gratuit;;;Personne morale;\r\n"
    "10000003;20/06/2024 09:00;En attente;Dupont;Camille;Dupont;Camille;camille.dupont@exemple.fr;;Carte bancaire;"
    "Prix libre;-5,00;;;Personne physique;0601020304\r\n"
    "10000004;21/06/2024 09:00;Validé;;;;;;;Carte bancaire;Prix libre;10,00;;;Personne physique;\r\n"
)


def test_helloasso_export_is_pseudonymised(write_bytes, sample_config):
    path = write_bytes("adhesions.csv", HELLOASSO.encode("utf-8"))
    result = load_table(path, table="adhesions", config=sample_config)
    salt = sample_config.pseudonymisation_salt
    camille = pseudonym("email:camille.dupont@exemple.fr", salt=salt)
    fabrique = pseudonym("org:la fabrique du coin", salt=salt, prefix="O")
    accepted = result.accepted
    assert list(accepted["member_id"]) == [camille, fabrique]
    assert list(accepted["member_kind"]) == ["physique", "morale"]
    assert list(accepted["amount_eur"]) == [5.0, 0.0]  # "Gratuit" counts as 0
    assert list(accepted["membership_year"]) == [2024, 2024]  # from the order date
    assert accepted.iloc[0]["order_date"] == pd.Timestamp(2024, 1, 14, 10, 5)
    assert accepted.iloc[1]["organisation_name"] == "La Fabrique du Coin"  # organisations are public
    # the identity never travels: not in accepted rows, not in issues
    everything = accepted.to_csv() + result.issues.to_csv()
    for personal in ("Dupont", "Camille", "Martin", "Léa", "exemple.fr", "0601020304"):
        assert personal not in everything
    assert "Téléphone" in result.ignored_headers or "Téléphone" not in accepted.columns


def test_missing_identity_and_negative_amount_are_rejected(write_bytes, sample_config):
    path = write_bytes("adhesions.csv", HELLOASSO.encode("utf-8"))
    issues = load_table(path, table="adhesions", config=sample_config).issues
    assert list(zip(issues["line_number"], issues["column_name"], issues["cell_value"], strict=True)) == [
        (4, "Montant tarif", "-5,00"),
        (5, "identité (e-mail, ou nom et prénom)", ""),
    ]


def test_same_email_same_pseudonym_across_tables(write_bytes, sample_config):
    adh = load_table(write_bytes("adhesions.csv", HELLOASSO.encode()), table="adhesions", config=sample_config)
    contrib = (
        "identifiant;nom;prenom;email;date;commission;activite;heures\n"
        "C1;Dupont;Camille;camille.dupont@exemple.fr;02/02/2024;Formation;Animation;2,5\n"
    )
    con = load_table(write_bytes("contributions.csv", contrib.encode("cp1252")), table="contributions", config=sample_config)
    assert con.accepted.iloc[0]["member_id"] == adh.accepted.iloc[0]["member_id"]
    assert con.accepted.iloc[0]["hours"] == 2.5


def test_the_pseudonyms_of_a_frame_are_the_documented_ones():
    # the salt is keyed once for the whole frame: each pseudonym is still pseudonym(key, salt)
    from relief_analytics.load.pseudonymise import pseudonymise_frame

    frame = pd.DataFrame({"Email": ["camille@exemple.fr", "Zoé@Exemple.fr", None],
                          "Nom": [None, None, "Lefèvre"], "Prénom": [None, None, "Zoé"]})
    _, ids = pseudonymise_frame(frame, salt="sel")
    assert ids.tolist() == ["P-8282905a315e", pseudonym("email:zoé@exemple.fr", salt="sel"),
                            pseudonym("nom:lefevre|zoe", salt="sel")]
    assert pseudonym("email:camille@exemple.fr", salt="sel") == "P-8282905a315e"
