// Verify a ballot receipt in the browser: fetch the inclusion proof, recompute the leaf from the
// receipt code and the recorded choices, fold the proof with SHA-256 and compare with the root
// published on this page (RFC 6962 style: leaf = H(0x00 || data), node = H(0x01 || left || right)).
(function () {
  "use strict";
  var box = document.getElementById("verify");
  if (!box) return;
  var form = document.getElementById("verify-form");
  var out = document.getElementById("verify-result");
  var enc = new TextEncoder();

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function unhex(text) {
    var bytes = new Uint8Array(text.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes;
  }
  function sha256(parts) {
    var size = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var buf = new Uint8Array(size);
    var offset = 0;
    parts.forEach(function (p) { buf.set(p, offset); offset += p.length; });
    return crypto.subtle.digest("SHA-256", buf).then(function (d) { return new Uint8Array(d); });
  }
  function show(text, kind) {
    out.textContent = text;
    out.className = kind ? "badge " + kind : "";
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!window.crypto || !crypto.subtle) { show(box.dataset.msgNocrypto, "warn"); return; }
    var code = form.elements.code.value.toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (!code) return;
    show(box.dataset.msgChecking, "");
    var response = await fetch(box.dataset.api + encodeURIComponent(code), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    });
    if (!response.ok) { show(box.dataset.msgMissing, "bad"); return; }
    var proof = await response.json();
    var receiptHash = hex(await sha256([enc.encode(code)]));
    var node = await sha256([new Uint8Array([0]), enc.encode(receiptHash + "|" + proof.choices)]);
    for (var i = 0; i < proof.steps.length; i++) {
      var sibling = unhex(proof.steps[i].sibling);
      node = proof.steps[i].sibling_is_left
        ? await sha256([new Uint8Array([1]), sibling, node])
        : await sha256([new Uint8Array([1]), node, sibling]);
    }
    if (receiptHash === proof.receipt_hash && hex(node) === box.dataset.root) {
      show(box.dataset.msgOk + " " + proof.choices, "ok");
      out.dataset.verified = "true";
    } else {
      show(box.dataset.msgBad, "bad");
      out.dataset.verified = "false";
    }
  });
})();
