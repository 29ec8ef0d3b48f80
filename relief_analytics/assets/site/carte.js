/* Carte des lieux: Leaflet map, filters, list and card. Data come from data/lieux.js
   (window.RELIEF_LIEUX) and data/contours.js (window.RELIEF_CONTOURS), loaded as scripts so that
   the page works from file://. Every text from the data is set with textContent: never as HTML.
   The filters live in the URL's hash (#departement=01&typologie=…&etat=…&membre=…&q=…&zone=0). */
(function () {
  "use strict";
  var DATA = window.RELIEF_LIEUX;
  var CONTOURS = window.RELIEF_CONTOURS;
  var FIELDS = ["q", "departement", "typologie", "etat", "membre"];
  var DEFAULTS = { q: "", departement: "", typologie: "", etat: "ouvert", membre: "", zone: "1" };
  var COMMUNES_ZOOM = 10;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function plural(n, one, many) { return n + "\u00a0" + (n > 1 ? many : one); }

  var form = document.getElementById("filtres");
  var inputs = {
    q: document.getElementById("f-recherche"),
    departement: document.getElementById("f-departement"),
    typologie: document.getElementById("f-typologie"),
    etat: document.getElementById("f-etat"),
    membre: document.getElementById("f-membre")
  };
  var zone = document.getElementById("f-zone");
  var list = document.getElementById("liste");
  var count = document.getElementById("compte");
  var card = document.getElementById("fiche");

  var map = L.map("carte", { zoomSnap: 0.25, minZoom: 6, maxZoom: 15, keyboard: true, zoomControl: false });
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
  map.on("popupopen", function (event) {  // Leaflet's own label is English
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", "Fermer"); close.setAttribute("title", "Fermer"); }
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(DATA.attribution);
  var departements = L.geoJSON(CONTOURS.departements, {
    interactive: false, style: { color: "#3a3a3a", weight: 1.6, fill: false }
  }).addTo(map);
  L.geoJSON(CONTOURS.epci, {
    interactive: false, style: { color: "#8a8a8a", weight: 0.7, fill: false }
  }).addTo(map);
  var regionBounds = departements.getBounds();
  var depBounds = {};
  departements.eachLayer(function (layer) { depBounds[layer.feature.properties.code] = layer.getBounds(); });

  var communes = null;
  function drawCommunes() {
    var source = window.RELIEF_COMMUNES;
    var lines = source.lines.map(function (line) {
      var x = 0, y = 0, points = [];
      for (var i = 0; i < line.length; i += 2) {
        x += line[i]; y += line[i + 1];
        points.push([y / source.scale, x / source.scale]);
      }
      return points;
    });
    communes = L.polyline(lines, { interactive: false, color: "#b5b5b5", weight: 0.6 });
  }
  function toggleCommunes() {
    var wanted = map.getZoom() >= COMMUNES_ZOOM;
    if (wanted && !communes) {
      if (!window.RELIEF_COMMUNES) {
        if (!document.getElementById("script-communes")) {
          var script = el("script", { id: "script-communes", src: "data/communes.js" });
          script.onload = toggleCommunes;
          document.head.appendChild(script);
        }
        return;
      }
      drawCommunes();
    }
    if (communes) {
      if (wanted && !map.hasLayer(communes)) { communes.addTo(map); communes.bringToBack(); }
      if (!wanted && map.hasLayer(communes)) { map.removeLayer(communes); }
    }
    document.body.setAttribute("data-communes", wanted && communes ? "affichees" : "masquees");
  }

  var markers = L.layerGroup().addTo(map);
  var markerOf = {};
  DATA.lieux.forEach(function (lieu) {
    lieu.recherche = fold(lieu.nom) + " " + fold(lieu.commune);
    if (lieu.lat === null || lieu.lon === null) { return; }
    var marker = L.circleMarker([lieu.lat, lieu.lon], {
      radius: 6, weight: 1.5, color: "#ffffff",
      fillColor: lieu.membre ? "#8a1c4a" : "#1f5f8b", fillOpacity: 0.9
    });
    marker.on("click", function () { showCard(lieu, false); });
    markerOf[lieu.id] = marker;
    regionBounds.extend([lieu.lat, lieu.lon]);  // a point at the edge stays inside the view
    if (depBounds[lieu.dep]) { depBounds[lieu.dep].extend([lieu.lat, lieu.lon]); }
  });

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var state = {};
    Object.keys(DEFAULTS).forEach(function (k) {
      state[k] = params.has(k) ? params.get(k) : DEFAULTS[k];
    });
    return state;
  }
  function writeHash(state) {
    var params = new URLSearchParams();
    Object.keys(DEFAULTS).forEach(function (k) {
      if (state[k] !== DEFAULTS[k]) { params.set(k, state[k]); }
    });
    var hash = params.toString();
    var url = window.location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    try { window.history.replaceState(null, "", url); } catch (e) { /* some file:// settings */ }
  }
  function formState() {
    var state = {};
    FIELDS.forEach(function (k) { state[k] = inputs[k].value; });
    state.zone = zone.checked ? "1" : "0";
    return state;
  }
  function setForm(state) {
    FIELDS.forEach(function (k) {
      var input = inputs[k];
      input.value = state[k];
      if (input.tagName === "SELECT" && input.value !== state[k]) { input.value = DEFAULTS[k]; }
    });
    zone.checked = state.zone !== "0";
  }

  function matches(lieu, state) {
    if (state.departement && lieu.dep !== state.departement) { return false; }
    if (state.typologie && lieu.typologies.indexOf(state.typologie) < 0) { return false; }
    if (state.etat && state.etat !== "tous" && lieu.etat !== state.etat) { return false; }
    if (state.membre === "oui" && !lieu.membre) { return false; }
    if (state.membre === "non" && lieu.membre) { return false; }
    var words = fold(state.q).split(/\s+/).filter(Boolean);
    for (var i = 0; i < words.length; i++) {
      if (lieu.recherche.indexOf(words[i]) < 0) { return false; }
    }
    return true;
  }

  function showCard(lieu, focus) {
    card.textContent = "";
    card.appendChild(el("h2", { id: "titre-fiche" }, lieu.nom));
    var dl = el("dl");
    function row(term, value) {
      dl.appendChild(el("dt", {}, term));
      var dd = el("dd");
      if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value; }
      dl.appendChild(dd);
    }
    row("Commune", lieu.commune + " (" + lieu.dep + ")");
    row("Typologies", lieu.typologies.join(", ") || "—");
    row("Statut juridique", lieu.statut || "—");
    row("Année d'ouverture", lieu.annee === null ? "—" : String(lieu.annee));
    row("État", DATA.etats[lieu.etat] || lieu.etat);
    row("Adhérent du réseau", lieu.membre ? "oui" : "non");
    if (lieu.site && /^https?:\/\//i.test(lieu.site)) {
      row("Site web", el("a", { href: lieu.site, rel: "noopener noreferrer nofollow" }, lieu.site));
    } else {
      row("Site web", "—");
    }
    card.appendChild(dl);
    card.hidden = false;
    var marker = markerOf[lieu.id];
    if (marker) {
      var popup = el("div", { "class": "bulle" });
      popup.appendChild(el("strong", {}, lieu.nom));
      popup.appendChild(el("span", {}, " — " + lieu.commune));
      marker.bindPopup(popup).openPopup();
    }
    if (focus) { card.setAttribute("tabindex", "-1"); card.focus(); }
  }

  var current = null;
  function render() {
    var state = current;
    var visible = DATA.lieux.filter(function (lieu) { return matches(lieu, state); });
    markers.clearLayers();
    visible.forEach(function (lieu) { if (markerOf[lieu.id]) { markers.addLayer(markerOf[lieu.id]); } });
    var bounds = map.getBounds();
    var shown = state.zone === "0" ? visible : visible.filter(function (lieu) {
      return lieu.lat === null || bounds.contains([lieu.lat, lieu.lon]);
    });
    list.textContent = "";
    var fragment = document.createDocumentFragment();
    shown.forEach(function (lieu) {
      var item = el("li", { "data-id": lieu.id });
      var button = el("button", { type: "button", "class": "lieu" }, lieu.nom);
      button.addEventListener("click", function () { showCard(lieu, true); });
      item.appendChild(button);
      item.appendChild(el("span", { "class": "commune" }, lieu.commune));
      fragment.appendChild(item);
    });
    list.appendChild(fragment);
    var text = plural(shown.length, "lieu", "lieux");
    if (shown.length !== visible.length) { text += " dans la zone affichée, sur " + visible.length; }
    var filtered = FIELDS.some(function (k) { return state[k] !== DEFAULTS[k]; });
    count.textContent = text + (filtered ? " (filtres appliqués)" : "");
    document.body.setAttribute("data-lieux", String(shown.length));
  }

  function apply(fromHash) {
    var previous = current;
    current = fromHash ? readHash() : formState();
    if (fromHash) { setForm(current); current = formState(); } else { writeHash(current); }
    if (!previous || previous.departement !== current.departement) {
      departements.setStyle(function (feature) {
        var chosen = feature.properties.code === current.departement;
        return { color: chosen ? "#8a1c4a" : "#3a3a3a", weight: chosen ? 3.2 : 1.6, fill: false };
      });
      var target = current.departement && depBounds[current.departement];
      map.fitBounds(target || regionBounds, { padding: [8, 8], animate: false });
    }
    render();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", function () { apply(false); });
  form.addEventListener("change", function () { apply(false); });
  form.addEventListener("reset", function () { window.setTimeout(function () { apply(false); }, 0); });
  window.addEventListener("hashchange", function () { apply(true); });
  map.on("moveend", function () { if (current) { render(); } });
  map.on("zoomend", toggleCommunes);

  apply(true);
  toggleCommunes();
  document.body.setAttribute("data-pret-ms", String(Math.round(performance.now())));
  document.body.setAttribute("data-carte", "prete");
})();
