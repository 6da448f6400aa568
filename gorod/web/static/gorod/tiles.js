// The site's tile layer (settings.GOROD_MAP_TILES) for every map: from the map element's
// data-tiles/data-attribution, else from the page's <meta name="gorod-map-tiles">; no layer when
// the setting is empty (the map still shows its markers and shapes on a blank background).
// Loaded before each map script, in the same way (defer or not); loading it twice is harmless.
(function () {
  "use strict";
  window.gorodTiles = function (map, el) {
    var url = el && el.dataset.tiles, attribution = el && el.dataset.attribution;
    if (!url) {
      var meta = document.querySelector('meta[name="gorod-map-tiles"]');
      url = meta && meta.content;
      attribution = meta && meta.dataset.attribution;
    }
    if (url) { L.tileLayer(url, { maxZoom: 19, attribution: attribution || "" }).addTo(map); }
  };
})();
