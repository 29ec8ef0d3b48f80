"""The site of the sample, opened from disk in headless Chromium with the network blocked.

What a visitor sees is compared with what the reports of the same build show: the map's list is
the reports' « lieux ouverts recensés » tile, a département filter gives the reports' row of that
département, the département pages and the home tiles give the reports' figures. axe-core runs
on every page; the privacy canary reads every file of the site.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from devtools import DevTools
from e2e_helpers import fr_number, html_table, pdf_text, tiles
from site_factories import YEAR

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = Path(__file__).resolve().parents[1] / "assets" / "axe-core" / "axe.min.js"
READY = "document.body && document.body.dataset.carte === 'prete'"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def reports(sample_site):
    year_dir = sample_site.parent / str(YEAR)
    return {name: soup(year_dir / f"{name}_{YEAR}.html") for name in ("rapport_activite",)}


@pytest.fixture(scope="module")
def departement_rows(reports):
    return {r["Département"]: int(fr_number(r["Lieux"]))
            for r in html_table(reports["rapport_activite"], "Lieux par département")}


class RecordingDevTools(DevTools):
    """:class:`DevTools` that keeps the URL of every request the page makes."""

    def __init__(self, *args, **kwargs) -> None:
        self.requested: list[str] = []
        super().__init__(*args, **kwargs)
        self.call("Network.enable")

    def call(self, method: str, **params) -> dict:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("method") == "Network.requestWillBeSent":
                self.requested.append(message["params"]["request"]["url"])
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})


@pytest.fixture(scope="module")
def page(site_browser):
    with RecordingDevTools(site_browser, width=1280, height=800) as devtools:
        yield devtools


def open_map(page: DevTools, site: Path, hash_: str = "") -> None:
    page.open("about:blank")
    page.requested.clear()
    page.open(site.joinpath("carte.html").as_uri() + (f"#{hash_}" if hash_ else ""), ready=READY)


def listed(page: DevTools) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#liste li')].map(li => li.textContent)")


def wait_for(page: DevTools, condition: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(f"Boolean({condition})"):
        assert time.monotonic() < deadline, condition
        time.sleep(0.1)


def test_the_map_draws_and_lists_exactly_the_open_lieux_of_the_reports_tile(page, sample_site, reports):
    open_map(page, sample_site)
    tile = int(fr_number(tiles(reports["rapport_activite"])["lieux ouverts recensés"]))
    assert len(listed(page)) == tile
    drawn = page.evaluate("({outlines: document.querySelectorAll('.leaflet-overlay-pane path:not(.leaflet-interactive)').length,"
                          " markers: document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length})")
    assert drawn["outlines"] >= 12 + 100  # the 12 départements and the EPCI
    lieux = page.evaluate("window.RELIEF_LIEUX.lieux.filter(l => l.etat === 'ouvert' && l.lat !== null).length")
    assert drawn["markers"] == lieux == tile
    assert page.evaluate("document.getElementById('compte').textContent") == f"{tile}\u00a0lieux"
    assert page.requested and all(url.startswith("file://") for url in page.requested), page.requested


def test_a_departement_filter_gives_the_reports_row_and_stays_in_the_url(page, sample_site, departement_rows):
    open_map(page, sample_site)
    shown = {}
    for code in departement_rows:  # every département, its map view fitted around its lieux
        page.evaluate(f"(() => {{ const s = document.getElementById('f-departement'); s.value = '{code}';"
                      " s.dispatchEvent(new Event('change', {bubbles: true})); })()")
        wait_for(page, f"location.hash === '#departement={code}'")
        shown[code] = len(listed(page))
    assert shown == departement_rows
    assert departement_rows["26"] < departement_rows["69"]
    open_map(page, sample_site, "departement=26")  # the shared address gives the same view
    assert page.evaluate("document.getElementById('f-departement').value") == "26"
    assert len(listed(page)) == departement_rows["26"]


def test_a_search_by_name_narrows_the_list(page, sample_site):
    open_map(page, sample_site)
    everything = listed(page)
    name = page.evaluate("window.RELIEF_LIEUX.lieux.find(l => l.etat === 'ouvert').nom")
    page.evaluate(f"(() => {{ const i = document.getElementById('f-recherche'); i.value = {json.dumps(name.upper())};"
                  " i.dispatchEvent(new Event('input', {bubbles: true})); })()")
    found = listed(page)
    assert found and len(found) < len(everything)
    assert all(name in item for item in found)
    page.evaluate("document.querySelector('#liste li button').click()")
    card = page.evaluate("document.getElementById('fiche').innerText")
    assert card.startswith(name) and "Typologies" in card and "Statut juridique" in card
    labels = page.evaluate("[...document.querySelectorAll('.leaflet-control a, .leaflet-popup a')]"
                           ".map(a => a.getAttribute('aria-label') || a.textContent)")
    assert sorted(labels) == ["Dézoomer", "Fermer", "Leaflet", "Zoomer"]  # French, the map library's own too


def test_communes_are_drawn_when_zoomed_in(page, sample_site):
    open_map(page, sample_site)
    assert page.evaluate("document.body.dataset.communes") == "masquees"
    for _ in range(4):
        page.evaluate("document.querySelector('.leaflet-control-zoom-in').click()")
        time.sleep(0.4)
    wait_for(page, "document.body.dataset.communes === 'affichees'")


def test_the_departement_pages_give_the_reports_counts(sample_site, reports, departement_rows):
    table = html_table(reports["rapport_activite"], "Lieux par département")
    expected = {r["Département"]: (r["Lieux pour 100 000 hab."], r["Lieux adhérents"]) for r in table}
    shown = {}
    for path in sorted((sample_site / "departements").glob("[0-9]*.html")):
        page = soup(path)
        code = page.h1.get_text().rsplit(" (", 1)[1].rstrip(")")
        facts = {r.th.get_text(): r.td.get_text() for r in page.select("table")[0].select("tbody tr")}
        shown[code] = int(fr_number(facts["Lieux ouverts"]))
        assert (facts["Lieux pour 100 000 habitants"], facts["Lieux adhérents du réseau"]) == expected[code]
        assert len(page.select("table")[-1].select("tbody tr")) == shown[code]  # its list of lieux
    assert shown == departement_rows
    table = soup(sample_site / "departements" / "index.html").select_one("table")
    assert table.caption.get_text() == f"Lieux par département, fin {YEAR}"
    headers = [th.get_text() for th in table.select("thead th")]
    rows = [dict(zip(headers, [c.get_text() for c in tr.select("th, td")], strict=True))
            for tr in table.select("tbody tr")]
    index = {r["Département"].split(" ", 1)[0]: int(fr_number(r["Lieux"])) for r in rows}
    assert index == departement_rows


def test_the_home_tiles_are_the_reports_tiles(sample_site, reports):
    home = tiles(soup(sample_site / "index.html"))
    activity = tiles(reports["rapport_activite"])
    assert len(home) == 7
    assert {label: activity[label] for label in home} == home


HOSTILE = '<img src=x onerror="window.pirate = 1">'


def test_a_hostile_name_and_website_stay_inert_on_the_map(page, tmp_path):
    from site_factories import (
        by_departement,
        open_data_frame,
        open_data_row,
        write_dataset,
        write_year,
    )

    from relief_analytics.site.build import build_site

    rows = [open_data_row("H1", HOSTILE, site_web="javascript:window.pirate=2"),
            open_data_row("H2", "</script><script>window.pirate=3</script>", site_web="https://exemple.org/?a=1&b=<i>")]
    write_year(tmp_path / "r", YEAR, tables={"lieux_open_data": open_data_frame(rows),
                                            "lieux_by_departement": by_departement({"26": ("Drôme", 500_000, 2, 2)})})
    build_site(dataset_dir=write_dataset(tmp_path / "d"), reports_dir=tmp_path / "r", progress=lambda *_: None)
    open_map(page, tmp_path / "r" / "site")
    assert sorted(listed(page)) == sorted([f"{HOSTILE}Crest", "</script><script>window.pirate=3</script>Crest"])
    for index in range(2):
        page.evaluate(f"document.querySelectorAll('#liste li button')[{index}].click()")
        links = page.evaluate("[...document.querySelectorAll('#fiche a')].map(a => a.href)")
        assert all(link.startswith("https://") for link in links)
    assert page.evaluate("typeof window.pirate") == "undefined"
    assert page.evaluate("document.querySelectorAll('#liste img, #fiche img, .leaflet-popup img').length") == 0


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "rapports" not in p.relative_to(site).parts)


def serious_violations(page: DevTools, url: str, *, ready: str = "document.readyState === 'complete'") -> list[str]:
    """axe-core's serious and critical violations of the page at ``url``: « rule : nodes »."""
    page.open("about:blank")
    page.open(url, ready=ready)
    page.evaluate(AXE.read_text(encoding="utf-8") + ";0")
    return page.evaluate(
        "axe.run(document).then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ' : ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))")


def test_axe_sees_a_planted_violation(page, tmp_path):
    planted = tmp_path / "plante.html"
    planted.write_text('<!doctype html><html lang="fr"><head><title>x</title></head><body><main>'
                       '<img src="x.png"><input type="text"></main></body></html>', encoding="utf-8")
    found = serious_violations(page, planted.as_uri())
    assert {v.split(" : ")[0] for v in found} >= {"image-alt", "label"}


def test_axe_finds_no_serious_or_critical_violation_on_any_page(page, sample_site):
    found = {}
    pages = site_pages(sample_site)
    assert len(pages) == 6 + 12
    for path in pages:
        violations = serious_violations(page, path.as_uri(), **({"ready": READY} if path.name == "carte.html" else {}))
        if violations:
            found[path.relative_to(sample_site).as_posix()] = violations
    assert found == {}


def test_axe_finds_no_serious_or_critical_violation_on_a_phone(site_browser, sample_site):
    with DevTools(site_browser, width=390, height=844) as phone:
        found = {name: serious_violations(phone, (sample_site / name).as_uri(),
                                          **({"ready": READY} if name == "carte.html" else {}))
                 for name in ("index.html", "carte.html", "departements/69.html", "donnees.html")}
    assert found == dict.fromkeys(found, [])


def test_no_file_of_the_site_holds_a_person(sample_site, personal_values):
    files = [p for p in sample_site.rglob("*") if p.is_file()]
    assert len(files) > 40
    for path in files:
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8", errors="replace")
        leaked = sorted(v for v in personal_values if v in text)
        assert leaked == [], path


def press(page: DevTools, key: str, code: int) -> None:
    text = {"Enter": "\r"}.get(key)
    down = {"type": "keyDown", "text": text} if text else {"type": "rawKeyDown"}
    for event in (down, {"type": "keyUp"}):
        page.call("Input.dispatchKeyEvent", key=key, code=key, windowsVirtualKeyCode=code,
                  nativeVirtualKeyCode=code, **event)


def test_the_keyboard_reaches_the_filters_the_list_and_the_card(page, sample_site):
    open_map(page, sample_site)
    page.evaluate("document.getElementById('f-recherche').focus()")
    order = []
    for _ in range(6):
        press(page, "Tab", 9)
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["f-departement", "f-typologie", "f-etat", "f-membre", "f-zone", "f-effacer"]
    page.evaluate("document.querySelector('#liste li button').focus()")
    press(page, "Enter", 13)
    wait_for(page, "!document.getElementById('fiche').hidden")
    assert page.evaluate("document.activeElement.id") == "fiche"
