"""The HTML of every page of the site: French, accessible, small, no script but the map's.

Every text that comes from data (lieu names, communes, websites, config sentences) goes through
:func:`esc` (``html.escape`` with quotes), so a hostile name stays text. Links to a lieu's website
are written only for a web address (:func:`relief_analytics.site.data.public_website`), with
``rel="noopener noreferrer nofollow"``. Pages link each other with relative paths: the folder
works from ``file://`` and from any static host, under any sub-path.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from relief_analytics import formatting
from relief_analytics.site.data import (
    Chart,
    DepartementSummary,
    KeyFigure,
    public_website,
    split_typologies,
)

#: The pages of the navigation: (file at the site's root, label).
NAVIGATION: tuple[tuple[str, str], ...] = (
    ("index.html", "Accueil"),
    ("carte.html", "Carte des lieux"),
    ("departements/index.html", "Départements"),
    ("donnees.html", "Données"),
    ("rapports.html", "Rapports"),
    ("mentions.html", "Mentions"),
)


def esc(value: object) -> str:
    """``value`` as HTML text (``<``, ``>``, ``&`` and both quotes escaped); missing → « — »."""
    if value is None or formatting.is_missing(value):
        return formatting.MISSING
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class SiteInfo:
    """What every page repeats: the network's name, the site's year, the date of the data."""

    network: str
    region: str
    year: int
    data_date: str
    licence: str


def layout(info: SiteInfo, *, title: str, body: str, current: str, depth: int = 0,
           head: str = "", scripts: Sequence[str] = ()) -> str:
    """A whole page: head, skip link, navigation (``current`` marked), ``body`` in ``<main>``, footer.

    ``depth`` is how many folders below the site's root the page sits (``departements/01.html``: 1).
    """
    root = "../" * depth
    items = []
    for target, label in NAVIGATION:
        here = ' aria-current="page"' if target == current else ""
        items.append(f'<li><a href="{root}{target}"{here}>{esc(label)}</a></li>')
    script_tags = "".join(f'<script src="{root}{src}"></script>' for src in scripts)
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · Observatoire {esc(info.network)}</title>
<link rel="stylesheet" href="{root}static/site.css">
{head}</head>
<body>
<a class="evitement" href="#contenu">Aller au contenu</a>
<header class="entete">
<p class="marque"><a href="{root}index.html">Observatoire {esc(info.network)}</a>
<span class="region">{esc(info.region)}</span></p>
<nav aria-label="Navigation principale"><ul>{"".join(items)}</ul></nav>
</header>
<main id="contenu" tabindex="-1">
{body}
</main>
<footer class="pied">
<p>Observatoire {esc(info.network)} · données {info.year} ({esc(info.data_date)}) ·
{esc(info.licence)} · <a href="{root}mentions.html">Mentions et confidentialité</a></p>
</footer>
{script_tags}</body>
</html>
"""


# --- pieces ----------------------------------------------------------------------------------
def tiles_html(figures: Sequence[KeyFigure]) -> str:
    """The key figures as the reports write them (``.chiffre-cle`` → ``.valeur`` + ``.libelle``)."""
    cells = []
    for figure in figures:
        change = (f'<span class="evolution">{esc(figure.change)} par rapport à {figure.previous_year}</span>'
                  if figure.change != formatting.MISSING else
                  f'<span class="evolution">pas de comparaison avec {figure.previous_year}</span>')
        cells.append(f'<li class="chiffre-cle"><span class="valeur">{esc(figure.value)}</span> '
                     f'<span class="libelle">{esc(figure.label)}</span>{change}</li>')
    return f'<ul class="chiffres-cles">{"".join(cells)}</ul>'


def table_html(caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
               numeric: Sequence[int] = (), raw: Sequence[int] = ()) -> str:
    """A captioned data table; cells are escaped, except the columns in ``raw`` (already HTML)."""
    head = "".join(f'<th scope="col"{" class=nombre" if i in numeric else ""}>{esc(h)}</th>'
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = cell if i in raw else esc(cell)
            tag = "th scope=\"row\"" if i == 0 else "td"
            klass = ' class="nombre"' if i in numeric else ""
            cells.append(f"<{tag}{klass}>{text}</{tag.split()[0]}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="tableau"><table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def chart_html(chart: Chart, *, index: int) -> str:
    """A small bar chart (inline SVG, hidden from screen readers) and its data table."""
    width, height, bottom = 320, 140, 22
    values = [v for _, v in chart.points]
    top = max(max(values), 1.0)
    slot = width / max(len(chart.points), 1)
    bars = []
    for i, (year, value) in enumerate(chart.points):
        bar_height = (height - bottom - 18) * value / top
        x = i * slot + slot * 0.15
        y = height - bottom - bar_height
        label = formatting.format_value(value, chart.unit, compact=True)
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}"></rect>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" class="etiquette">{esc(label)}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 6}" class="annee">{year}</text>')
    rows = [(str(year), formatting.format_value(value, chart.unit)) for year, value in chart.points]
    table = table_html(f"{chart.title} par année", ["Année", chart.title], rows, numeric=(1,))
    return (f'<figure class="graphique" aria-labelledby="graphique-{index}">'
            f'<figcaption id="graphique-{index}">{esc(chart.title)}, '
            f'{chart.points[0][0]}–{chart.points[-1][0]}</figcaption>'
            f'<svg viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">{"".join(bars)}</svg>'
            f"<details><summary>Données du graphique « {esc(chart.title)} »</summary>{table}</details>"
            "</figure>")


def website_link(value: object) -> str:
    """A lieu's website as a link (web addresses only), else « — »."""
    url = public_website(value)
    if url is None:
        return formatting.MISSING
    return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'


# --- pages -----------------------------------------------------------------------------------
def home_page(info: SiteInfo, *, presentation: str, figures: Sequence[KeyFigure],
              charts: Sequence[Chart], first_year: int) -> str:
    """Accueil: the network in two sentences, the key figures of N, the series since the first year."""
    intro = f'<p class="presentation">{esc(presentation)}</p>' if presentation.strip() else ""
    tiles = (f'<section aria-labelledby="titre-chiffres"><h2 id="titre-chiffres">Chiffres clés {info.year}</h2>'
             f"{tiles_html(figures)}</section>") if figures else ""
    evolution = (f'<section aria-labelledby="titre-evolution"><h2 id="titre-evolution">Évolution depuis '
                 f'{first_year}</h2><div class="graphiques">'
                 f'{"".join(chart_html(c, index=i) for i, c in enumerate(charts, start=1))}</div></section>'
                 ) if charts else ""
    body = f"""<h1>Observatoire des lieux du réseau {esc(info.network)}</h1>
{intro}
<p class="date-donnees">Chiffres de l'année {info.year} ; {esc(info.data_date)}.</p>
{tiles}
{evolution}
<section aria-labelledby="titre-explorer"><h2 id="titre-explorer">Explorer</h2><ul class="liens">
<li><a href="carte.html">La carte des lieux, avec recherche et filtres</a></li>
<li><a href="departements/index.html">Les lieux département par département</a></li>
<li><a href="donnees.html">Les données ouvertes à télécharger</a></li>
<li><a href="rapports.html">Les rapports annuels</a></li></ul></section>"""
    return layout(info, title="Accueil", body=body, current="index.html")


def _options(values: Sequence[tuple[str, str]], *, selected: str = "") -> str:
    return "".join(f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(label)}</option>'
                   for v, label in values)


def map_page(info: SiteInfo, *, departements: Sequence[tuple[str, str]], typologies: Sequence[str],
             states: Sequence[tuple[str, str]], open_count: int) -> str:
    """Carte des lieux: filters, the map, the list that follows them, the card of a lieu.

    The data are scripts (``data/lieux.js``, ``data/contours.js``): no fetch, so the page works
    from ``file://``. The filters are written in the URL's hash (``#departement=01&q=…``).
    """
    body = f"""<h1>Carte des lieux</h1>
<p class="intro-carte">Les {open_count} lieux ouverts fin {info.year} dans la région, et ceux en projet ou fermés avec le
filtre « État ». Choisissez un lieu dans la liste pour voir sa fiche ; l'adresse de la page garde vos
filtres, pour partager une vue.</p>
<div class="carte-page">
<form id="filtres" class="filtres" role="search" aria-label="Filtrer les lieux">
<div class="champ"><label for="f-recherche">Nom ou commune</label>
<input type="search" id="f-recherche" name="q" autocomplete="off"></div>
<div class="champ"><label for="f-departement">Département</label>
<select id="f-departement" name="departement"><option value="">Tous les départements</option>
{_options([(code, f"{code} {name}") for code, name in departements])}</select></div>
<div class="champ"><label for="f-typologie">Typologie</label>
<select id="f-typologie" name="typologie"><option value="">Toutes les typologies</option>
{_options([(t, t) for t in typologies])}</select></div>
<div class="champ"><label for="f-etat">État</label>
<select id="f-etat" name="etat">{_options(states, selected="ouvert")}<option value="tous">Tous les états</option></select></div>
<div class="champ"><label for="f-membre">Adhésion au réseau</label>
<select id="f-membre" name="membre"><option value="">Adhérents ou non</option>
<option value="oui">Adhérents du réseau</option><option value="non">Non adhérents</option></select></div>
<div class="champ case"><input type="checkbox" id="f-zone" name="zone" checked>
<label for="f-zone">Seulement les lieux de la zone affichée</label></div>
<div class="champ"><button type="reset" id="f-effacer">Effacer les filtres</button></div>
</form>
<div class="carte-bloc"><div id="carte" class="carte" role="region"
aria-label="Carte des lieux (la liste donne les mêmes lieux)"></div>
<p class="legende"><span class="pastille adherent" aria-hidden="true"></span> lieu adhérent du réseau
<span class="pastille" aria-hidden="true"></span> lieu non adhérent · contours des départements et des
intercommunalités ; ceux des communes en zoomant.</p></div>
<section class="resultats" aria-labelledby="titre-liste"><h2 id="titre-liste">Liste des lieux</h2>
<p id="compte" role="status" aria-live="polite"></p>
<ul id="liste" class="liste-lieux"></ul></section>
<section id="fiche" class="fiche" aria-live="polite" aria-label="Fiche du lieu choisi" hidden></section>
</div>
<noscript><p>La carte et la liste demandent JavaScript. Les mêmes lieux sont listés sur les
<a href="departements/index.html">pages des départements</a> et dans les <a href="donnees.html">données
ouvertes</a>.</p></noscript>"""
    head = '<link rel="stylesheet" href="static/leaflet/leaflet.css">\n'
    scripts = ("static/leaflet/leaflet.js", "data/lieux.js", "data/contours.js", "static/carte.js")
    return layout(info, title="Carte des lieux", body=body, current="carte.html", head=head, scripts=scripts)


def _density(value: float | None) -> str:
    return formatting.format_value(value, "density")


def _change(now: int, before: int | None, previous_year: int) -> str:
    if before is None:
        return f"non disponible (rapports {previous_year} non construits)"
    return formatting.format_change(now - before, "count")


def departements_index_page(info: SiteInfo, summaries: Sequence[DepartementSummary]) -> str:
    """The list of the départements: the reports' « Lieux par département » table, with links."""
    rows = []
    for s in summaries:
        link = f'<a href="{esc(s.code)}.html">{esc(s.code)} {esc(s.name)}</a>'
        rows.append((link, formatting.format_value(s.lieux_count, "count"), _density(s.lieux_per_100k),
                     formatting.format_value(s.member_lieux_count, "count"),
                     _change(s.lieux_count, s.previous_lieux_count, info.year - 1)))
    total = sum(s.lieux_count for s in summaries)
    body = (f"<h1>Les lieux par département</h1><p>{formatting.format_value(total, 'count')} lieux ouverts "
            f"fin {info.year} dans les {len(summaries)} départements de la région.</p>"
            + table_html(f"Lieux par département, fin {info.year}",
                         ["Département", "Lieux", "Lieux pour 100 000 hab.", "Lieux adhérents",
                          f"Évolution depuis {info.year - 1}"], rows, numeric=(1, 2, 3, 4), raw=(0,)))
    return layout(info, title="Départements", body=body, current="departements/index.html", depth=1)


def departement_page(info: SiteInfo, s: DepartementSummary) -> str:
    """One département: counts, density, change, typologies, EPCI with no lieu, its lieux."""
    count = formatting.format_value
    facts = table_html(
        f"{s.name} : chiffres clés, fin {info.year}", ["Indicateur", "Valeur"],
        [("Lieux ouverts", count(s.lieux_count, "count")),
         ("Lieux pour 100 000 habitants", _density(s.lieux_per_100k)),
         ("Lieux adhérents du réseau", count(s.member_lieux_count, "count")),
         ("Population", count(s.population, "count")),
         (f"Évolution du nombre de lieux depuis {info.year - 1}",
          _change(s.lieux_count, s.previous_lieux_count, info.year - 1))], numeric=(1,))
    typologies = (table_html(f"{s.name} : lieux par typologie (un lieu compte dans chacune des siennes)",
                             ["Typologie", "Lieux"], [(t, count(n, "count")) for t, n in s.typologies],
                             numeric=(1,))
                  if s.typologies else "<p>Aucun lieu ouvert.</p>")
    if s.epci_without_lieu:
        empty = (f"<p>{len(s.epci_without_lieu)} intercommunalité(s) sur {s.epci_count} sans lieu ouvert :</p>"
                 f'<ul class="colonnes">{"".join(f"<li>{esc(n)}</li>" for n in s.epci_without_lieu)}</ul>')
    else:
        empty = f"<p>Chacune des {s.epci_count} intercommunalités a au moins un lieu ouvert.</p>"
    rows = []
    for lieu in s.lieux.itertuples(index=False):
        rows.append((esc(lieu.nom), esc(lieu.commune), esc(", ".join(split_typologies(lieu.typologie))),
                     esc(lieu.statut_juridique),
                     esc(None if formatting.is_missing(lieu.annee_ouverture) else int(lieu.annee_ouverture)),
                     "oui" if lieu.membre_reseau is True else "non", website_link(lieu.site_web)))
    lieux = table_html(f"{s.name} : les {len(rows)} lieux ouverts fin {info.year}",
                       ["Nom", "Commune", "Typologies", "Statut juridique", "Ouverture", "Adhérent",
                        "Site web"], rows, raw=tuple(range(7)))
    body = f"""<p class="fil"><a href="index.html">Départements</a> › {esc(s.code)} {esc(s.name)}</p>
<h1>{esc(s.name)} ({esc(s.code)})</h1>
{facts}
<p><a href="../carte.html#departement={esc(s.code)}">Voir ces lieux sur la carte</a></p>
<h2>Typologies</h2>{typologies}
<h2>Intercommunalités sans lieu</h2>{empty}
<h2>Les lieux</h2>{lieux}"""
    return layout(info, title=f"{s.name} ({s.code})", body=body, current="departements/index.html", depth=1)


@dataclass(frozen=True)
class DataFile:
    """One downloadable file of the Données page."""

    path: str
    title: str
    description: str
    size: str
    rows: int | None = None


def data_page(info: SiteInfo, *, open_data: Sequence[DataFile], tables: Sequence[DataFile],
              updated: str) -> str:
    """Données: the open-data export and the year's public tables, with licence, date, rows."""
    def rows_of(files):
        return [(f'<a href="{esc(f.path)}">{esc(f.title)}</a>', esc(f.description),
                 esc("—" if f.rows is None else formatting.format_value(f.rows, "count")), esc(f.size))
                for f in files]
    headers = ["Fichier", "Contenu", "Lignes", "Taille"]
    body = f"""<h1>Données ouvertes</h1>
<p>Les lieux de la région connus du réseau, en données ouvertes : {esc(info.licence)}. Données de
l'année {info.year} ; {esc(updated)}. Aucune donnée de personne : les lieux et les structures sont
publics, les membres sont comptés, jamais nommés.</p>
{table_html(f"Données ouvertes des lieux ({info.year})", headers, rows_of(open_data), numeric=(2, 3),
            raw=(0, 1, 2, 3))}
<p>Le schéma suit le format Table Schema (frictionless) ; ses noms de champs reprennent ceux du schéma
national des lieux de médiation numérique quand ils existent. Le fichier LISEZMOI décrit chaque champ.</p>
<h2>Tables de l'année {info.year}</h2>
<p>Les tableaux que montrent les rapports, à ouvrir dans un tableur (séparateur « ; », virgule
décimale).</p>
{table_html(f"Tables publiques {info.year}", headers, rows_of(tables), numeric=(2, 3), raw=(0, 1, 2, 3))}"""
    return layout(info, title="Données", body=body, current="donnees.html")


@dataclass(frozen=True)
class ReportLink:
    """One public document of a year."""

    path: str
    title: str
    kind: str
    size: str


def reports_page(info: SiteInfo, years: Sequence[tuple[int, Sequence[ReportLink]]]) -> str:
    """Rapports: every built year's public documents, latest first."""
    sections = []
    for year, links in years:
        items = "".join(f'<li><a href="{esc(link.path)}">{esc(link.title)}</a> ({esc(link.kind)}, '
                        f"{esc(link.size)})</li>" for link in links)
        sections.append(f'<section aria-labelledby="annee-{year}"><h2 id="annee-{year}">{year}</h2>'
                        f"<ul>{items}</ul></section>")
    body = f"""<h1>Rapports annuels</h1>
<p>Les documents publics de chaque année : le rapport d'activité et la présentation à l'assemblée
générale, en PDF ; ceux de {info.year} aussi en HTML interactif, qui s'ouvre sans internet.</p>
{"".join(sections)}"""
    return layout(info, title="Rapports", body=body, current="rapports.html")


def mentions_page(info: SiteInfo, *, reference_source: str, contact: str, leaflet_version: str) -> str:
    """Mentions: sources and licences (data, base map, Leaflet), corrections, privacy."""
    if contact.startswith(("http://", "https://")):
        ask = f'par le formulaire du réseau : <a href="{esc(contact)}">{esc(contact)}</a>'
    elif "@" in contact:
        ask = f'en écrivant à <a href="mailto:{esc(contact)}">{esc(contact)}</a>'
    else:
        ask = "en écrivant au réseau, ou lors de son assemblée générale"
    body = f"""<h1>Mentions, sources et confidentialité</h1>
<h2>Sources</h2>
<p>Les lieux, les adhésions, les événements et le temps bénévole viennent des fichiers que tient le
réseau {esc(info.network)}, vérifiés ligne à ligne avant chaque publication : une ligne incorrecte est
écartée et signalée, jamais comptée en silence. Un lieu est situé par sa commune (code INSEE) ;
les lieux qui n'ont pas pu être placés dans la région ne figurent pas sur la carte.</p>
<p>Fonds de carte : contours des départements, intercommunalités et communes, {esc(reference_source)}.
La carte est dessinée par Leaflet {esc(leaflet_version)} (licence BSD à 2 clauses), inclus dans le
site : aucune tuile ni aucun service extérieur n'est appelé.</p>
<h2>Licence</h2>
<p>Les données et les chiffres de ce site sont publiés sous {esc(info.licence)} : vous pouvez les
réutiliser en citant « Observatoire {esc(info.network)} » et la date des données ({esc(info.data_date)}).</p>
<h2>Demander une correction</h2>
<p>Un lieu manque, a fermé ou a changé de nom ? Demandez une correction {ask}, en indiquant le nom du
lieu et sa commune. La correction paraîtra à la prochaine publication.</p>
<h2>Données personnelles</h2>
<p>Ce site ne contient aucune donnée personnelle : aucun nom, e-mail, téléphone ni adresse d'une
personne. Les membres sont comptés, jamais nommés. Les lieux et les structures qui les portent sont
publics (nom, commune, typologies, statut, site web). Le site ne dépose aucun cookie, ne mesure pas
l'audience et n'appelle aucun service extérieur.</p>"""
    return layout(info, title="Mentions", body=body, current="mentions.html")
