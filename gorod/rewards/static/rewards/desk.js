// Pickup desk: where the browser can read QR codes from the camera (BarcodeDetector), offer a
// scan button that fills in the code and submits; hand-held scanners simply type into the field.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("scan-button");
    var video = document.getElementById("scan-video");
    var form = document.getElementById("desk-form");
    if (!button || !video || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        function scan() {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              form.querySelector("input[name=code]").value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(scan);
            }
          }).catch(function () { window.requestAnimationFrame(scan); });
        }
        scan();
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
