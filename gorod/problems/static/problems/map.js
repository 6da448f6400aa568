// Public map of reports: loads markers for the visible box from the API (no personal data).
(function () {
  "use strict";
  var el = document.getElementById("reports-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el).setView([55.755, 37.6], 12);
  window.gorodTiles(map, el);
  var layer = L.layerGroup().addTo(map);
  var base = el.dataset.detail;
  function load() {
    var b = map.getBounds();
    var params = new URLSearchParams(el.dataset.query || "");
    params.delete("page");
    params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); }).join(","));
    fetch(el.dataset.endpoint + "?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (points) {
        layer.clearLayers();
        points.forEach(function (p) {
          var link = document.createElement("a");
          link.href = base + p.id + "/";
          link.textContent = "#" + p.id + " " + p.topic_name;
          L.circleMarker([p.lat, p.lon], {
            radius: 7, color: p.overdue ? "#b00020" : (p.status === "closed" ? "#1b7f3b" : "#0b4f9e")
          }).bindPopup(link).addTo(layer);
        });
      });
  }
  map.on("moveend", load);
  load();
})();
