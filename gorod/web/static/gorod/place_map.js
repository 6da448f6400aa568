// A map of one place on a page that has one (a report, a decision, a lost pet, a pickup point,
// the projects of a budget round):
// the vendored Leaflet with OpenStreetMap tiles, a marker or the decision's shape. Several
// includes on a page load the scripts once each (the browser caches them) and each element is
// drawn once.
(function () {
  "use strict";
  function draw(el) {
    if (el.dataset.drawn || !window.L) return;
    el.dataset.drawn = "1";
    var map = L.map(el, { scrollWheelZoom: false });
    window.gorodTiles(map, el);
    if (el.dataset.geometry) {
      // a FeatureCollection (a budget round's projects) labels each point with its properties.label
      var shape = L.geoJSON(JSON.parse(el.dataset.geometry), {
        onEachFeature: function (feature, layer) {
          var label = feature.properties && feature.properties.label;
          if (label) { layer.bindPopup(label); layer.bindTooltip(label); }
        }
      }).addTo(map);
      var bounds = shape.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 17, padding: [16, 16] }); return; }
    }
    if (el.dataset.lat && el.dataset.lon) {
      var at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
      var marker = L.marker(at, { title: el.dataset.label || "", alt: el.dataset.label || "" }).addTo(map);
      if (el.dataset.label) marker.bindPopup(el.dataset.label);
      map.setView(at, 16);
    }
  }
  function drawAll() { document.querySelectorAll("[data-place-map]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
  window.addEventListener("load", drawAll);
})();
