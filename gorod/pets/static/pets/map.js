// Lost and found pets: the notices map, and picking a point on the notice form.
(function () {
  "use strict";
  var CENTRE = [55.755, 37.6];
  var list = document.getElementById("pets-map");
  if (list && window.L) {
    var map = L.map(list).setView(CENTRE, 11);
    window.gorodTiles(map, list);
    fetch(list.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          onEachFeature: function (feature, layer) {
            var a = document.createElement("a");
            a.href = feature.properties.url;
            a.textContent = feature.properties.label;
            layer.bindPopup(a);
          },
        }).addTo(map);
      });
  }
  var picker = document.getElementById("pets-picker");
  if (picker && window.L) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : CENTRE;
    var pickMap = L.map(picker).setView(start, 12);
    window.gorodTiles(pickMap, picker);
    var marker = lat.value ? L.marker(start).addTo(pickMap) : null;
    pickMap.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(pickMap); }
    });
  }
})();
