// Pickup point map: reads GeoJSON from the element's data-geojson URL. The list under the map
// carries the same information, so the page stays usable without tiles or JavaScript.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("pickup-map");
    if (!element || typeof L === "undefined") { return; }
    var map = L.map(element).setView([55.7558, 37.6173], 11);
    window.gorodTiles(map, element);
    fetch(element.dataset.geojson, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            var box = document.createElement("div");
            var title = document.createElement("strong");
            title.textContent = p.name + " (" + p.partner + ")";
            box.appendChild(title);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(p.address + (p.opening_hours ? ", " + p.opening_hours : "")));
            marker.bindPopup(box);
          }
        }).addTo(map);
        if (data.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] }); }
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
