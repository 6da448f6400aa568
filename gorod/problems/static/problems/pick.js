// Filing a report: choose the address from the city's register (suggestions come from the site
// as one types, through htmx) or pick the place on the map, and see open reports of the topic
// within 250 m before sending (the resident may join one with "Me too" instead of filing a duplicate).
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var topic = document.getElementById("id_topic");
  var box = document.getElementById("duplicates");
  var address = document.getElementById("id_address");
  var addressId = document.getElementById("id_address_id");
  var suggestions = document.getElementById("address-suggestions");
  if (!el || !lat || !lon) { return; }
  var marker = null;
  var map = null;
  if (typeof L !== "undefined") {
    var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [55.755, 37.6];
    map = L.map(el).setView(start, 14);
    // the site's tile layer (settings.GOROD_MAP_TILES, in the page's head); none when empty
    var tiles = document.querySelector('meta[name="gorod-map-tiles"]');
    if (tiles && tiles.content) {
      L.tileLayer(tiles.content, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
    }
    map.on("click", function (e) {
      if (addressId) { addressId.value = ""; }  // a point on the map, not a register address
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place();
      check();
    });
  }
  function place() {
    if (!map || !lat.value || !lon.value) { return; }
    var at = [parseFloat(lat.value), parseFloat(lon.value)];
    if (marker) { marker.setLatLng(at); } else { marker = L.marker(at).addTo(map); }
  }
  if (address && suggestions) {
    address.addEventListener("input", function () {
      // the text no longer names the chosen address: its coordinates go with it
      if (addressId && addressId.value) { addressId.value = ""; lat.value = ""; lon.value = ""; }
    });
    suggestions.addEventListener("click", function (event) {
      var chosen = event.target.closest("button.suggestion");
      if (!chosen) { return; }
      if (addressId) { addressId.value = chosen.dataset.id; }
      lat.value = chosen.dataset.lat;
      lon.value = chosen.dataset.lon;
      address.value = chosen.dataset.text;
      suggestions.textContent = "";
      place();
      if (map) { map.setView([parseFloat(lat.value), parseFloat(lon.value)], 17); }
      check();
      address.focus();
    });
  }
  function check() {
    if (!topic.value || !lat.value || !lon.value || !box) { return; }
    var params = new URLSearchParams({ topic: topic.value, latitude: lat.value, longitude: lon.value });
    fetch(el.dataset.duplicates + "?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        box.textContent = "";
        if (!found.length) { return; }
        var title = document.createElement("h2");
        title.textContent = box.dataset.title || "Open reports of this topic nearby";
        box.appendChild(title);
        var list = document.createElement("ul");
        found.forEach(function (d) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = "../" + d.id + "/";
          link.textContent = "#" + d.id + " " + d.topic + " (" + d.distance_m + " m)";
          item.appendChild(link);
          item.appendChild(document.createTextNode(": " + d.text));
          list.appendChild(item);
        });
        box.appendChild(list);
      });
  }
  [lat, lon, topic].forEach(function (input) {
    input.addEventListener("change", function () { place(); check(); });
  });
  place();
})();
