// A public discussion's project on the map: the GeoJSON geometry from the page's data attribute.
// Without tiles (offline) the shape still shows on a blank background.
(function () {
  "use strict";
  var el = document.getElementById("discussion-map");
  if (!el || !window.L) return;
  var geometry = JSON.parse(el.dataset.geometry);
  var map = L.map(el).setView([55.751, 37.618], 11);
  window.gorodTiles(map, el);
  var layer = L.geoJSON({ type: "Feature", geometry: geometry, properties: {} }, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 10, weight: 2, color: "#fff", fillColor: "#1d4ed8", fillOpacity: 0.9 });
    },
    style: function () { return { color: "#1d4ed8" }; }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
  el.dataset.loaded = "1";
})();
