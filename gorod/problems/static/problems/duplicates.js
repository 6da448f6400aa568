// Filing a report: open reports of the chosen topic within 250 m of the chosen place, shown before
// sending (the resident may join one with "Me too" instead of filing a duplicate). The place comes
// from the shared picker (accounts/place_pick.js) as its "gorod:place" event; the topic's select
// asks again with the place already chosen.
(function () {
  "use strict";
  var box = document.getElementById("duplicates");
  var picker = document.querySelector("#report-form [data-place-pick]");
  var topic = document.getElementById("id_topic");
  if (!box || !picker || !topic) { return; }
  var lat = picker.querySelector("[data-place-lat]");
  var lon = picker.querySelector("[data-place-lon]");
  function check() {
    if (!topic.value || !lat.value || !lon.value) { return; }
    var params = new URLSearchParams({ topic: topic.value, latitude: lat.value, longitude: lon.value });
    fetch(box.dataset.url + "?" + params.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        box.textContent = "";
        if (!found.length) { return; }
        var title = document.createElement("h2");
        title.textContent = box.dataset.title;
        box.appendChild(title);
        var list = document.createElement("ul");
        found.forEach(function (d) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = "../" + d.id + "/";
          link.textContent = "#" + d.id + " " + d.topic;
          item.appendChild(link);
          // as the page writes it without JavaScript: the distance in the page's language
          var away = (box.dataset.distance || "{m} m").replace("{m}", d.distance_m);
          item.appendChild(document.createTextNode(", " + away + ": " + d.text));
          list.appendChild(item);
        });
        box.appendChild(list);
      });
  }
  picker.addEventListener("gorod:place", check);
  topic.addEventListener("change", check);
})();
