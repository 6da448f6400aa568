// A place for a form (accounts/_place_pick.html): choose an address of the city's register from
// the suggestions (an htmx fragment as one types) or click the map to mark a point. The form sends
// address_id, or latitude and longitude; typing again forgets the chosen address.
// Each change of the place (a map click, a suggestion chosen, the address forgotten by typing) is
// told to the page as a "gorod:place" event on the picker's box (it bubbles), detail
// {lat, lon, addressId} as the form will send them ("" when unset): the report form checks for
// open reports nearby with it. Without the hidden address_id (the form's own choice of addresses
// after a post without JavaScript) the picker still sets the point.
(function () {
  "use strict";
  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var address = box.querySelector("[data-place-address]");
    var addressId = box.querySelector("[data-place-address-id]");
    var lat = box.querySelector("[data-place-lat]");
    var lon = box.querySelector("[data-place-lon]");
    var suggestions = box.querySelector("[data-place-suggestions]");
    var el = box.querySelector("[data-place-pick-map]");
    var map = null, marker = null;
    function changed() {
      box.dispatchEvent(new CustomEvent("gorod:place", {
        bubbles: true,
        detail: { lat: lat.value, lon: lon.value, addressId: addressId ? addressId.value : "" }
      }));
    }
    function place(zoom) {
      if (!map || !lat.value || !lon.value) return;
      var at = [parseFloat(lat.value), parseFloat(lon.value)];
      if (marker) marker.setLatLng(at); else marker = L.marker(at).addTo(map);
      if (zoom) map.setView(at, 17);
    }
    if (el && window.L) {
      var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [55.755, 37.6];
      map = L.map(el, { scrollWheelZoom: false }).setView(start, lat.value ? 16 : 11);
      window.gorodTiles(map, el);
      map.on("click", function (e) {
        if (addressId) addressId.value = "";  // a point on the map, not a register address
        lat.value = e.latlng.lat.toFixed(6);
        lon.value = e.latlng.lng.toFixed(6);
        el.dataset.picked = lat.value + "," + lon.value;
        place(false);
        changed();
      });
      place(false);
    }
    address.addEventListener("input", function () {
      if (addressId && addressId.value) { addressId.value = ""; lat.value = ""; lon.value = ""; changed(); }
    });
    suggestions.addEventListener("click", function (event) {
      var chosen = event.target.closest("button.suggestion");
      if (!chosen) return;
      if (addressId) addressId.value = chosen.dataset.id;
      lat.value = chosen.dataset.lat;
      lon.value = chosen.dataset.lon;
      address.value = chosen.dataset.text;
      suggestions.textContent = "";
      place(true);
      changed();
      address.focus();
    });
  }
  function setUpAll() { document.querySelectorAll("[data-place-pick]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
  window.addEventListener("load", setUpAll);
})();
