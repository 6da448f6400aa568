// The public decisions map: Leaflet with OpenStreetMap tiles; data from the GeoJSON endpoint with
// the page's filters. Without tiles (offline) the markers still show on a blank background.
(function () {
  "use strict";
  var el = document.getElementById("decision-map");
  if (!el || !window.L) return;
  var colours = { planned: "#6b7280", in_progress: "#b45309", done: "#15803d", cancelled: "#b91c1c" };
  var map = L.map(el).setView([55.751, 37.618], 11);
  window.gorodTiles(map, el);
  var params = new URLSearchParams(window.location.search);
  params.delete("page");
  ["district", "year", "status"].forEach(function (k) { if (!params.get(k)) params.delete(k); });
  fetch(el.dataset.geojson + (params.toString() ? "?" + params.toString() : ""), { headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 9, weight: 2, color: "#fff", fillOpacity: 0.9,
            fillColor: colours[feature.properties.status] || "#1d4ed8" });
        },
        style: function (feature) { return { color: colours[feature.properties.status] || "#1d4ed8" }; },
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          var box = document.createElement("div");
          var title = document.createElement("strong");
          var page = document.createElement("a");
          page.href = feature.id + "/";  // the decision's own page, under this map's address
          page.textContent = p.title;
          title.appendChild(page);
          box.appendChild(title);
          var status = document.createElement("div");
          status.textContent = p.status_label + (p.district ? " · " + p.district : "");
          box.appendChild(status);
          if (p.status !== "cancelled") {
            var progress = document.createElement("div");
            progress.textContent = el.dataset.msgProgress + ": " + p.progress_percent + "\u00a0%";
            box.appendChild(progress);
          }
          var org = document.createElement("div");
          org.textContent = p.organisation;
          box.appendChild(org);
          if (p.poll_id) {
            var link = document.createElement("a");
            link.href = "../polls/" + p.poll_id + "/";
            link.textContent = el.dataset.msgPoll + ": " + p.poll_title;
            box.appendChild(link);
          }
          if (p.links && p.links.length) {
            var stories = document.createElement("div");
            stories.textContent = el.dataset.msgStories + " ";
            p.links.forEach(function (l, i) {
              var a = document.createElement("a");
              a.href = l.url;
              a.textContent = l.title;
              if (i) stories.appendChild(document.createTextNode(", "));
              stories.appendChild(a);
            });
            box.appendChild(stories);
          }
          lyr.bindPopup(box);
        }
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
      el.dataset.loaded = String(data.features.length);
    });
})();
