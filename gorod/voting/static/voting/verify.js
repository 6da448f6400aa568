// Receipts in the browser (ADR 0003).
// 1. The receipt code shown after voting is kept in this browser's localStorage (only the code:
//    it says nothing about the choice), shown again on the poll's page and put in the form.
// 2. Verifying: the leaf of the receipt, SHA-256(0x00 || "receipt|" + SHA-256(code)), is computed
//    here; the server is asked only for a few hex digits of it and answers with the proofs of a
//    whole block of receipts, so neither the request nor a log names this one. Its proof is
//    folded (node = SHA-256(0x01 || left || right)) and compared with the root on this page.
(function () {
  "use strict";
  var enc = new TextEncoder();
  var STORE = "gorod:receipt:";

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
  function stored(pollId) {
    try { return window.localStorage.getItem(STORE + pollId) || ""; } catch (e) { return ""; }
  }

  function remember() {
    var shown = document.querySelector("[data-testid=receipt-code][data-poll]");
    if (shown) {
      try { window.localStorage.setItem(STORE + shown.dataset.poll, shown.textContent.trim()); } catch (e) { /* private mode */ }
    }
    var saved = document.getElementById("saved-receipt");
    if (saved && stored(saved.dataset.poll)) {
      saved.querySelector("[data-testid=saved-receipt-code]").textContent = stored(saved.dataset.poll);
      saved.hidden = false;
    }
  }

  function verifier() {
    var box = document.getElementById("verify");
    if (!box) return;
    var form = document.getElementById("verify-form");
    var out = document.getElementById("verify-result");
    var mine = stored(box.dataset.poll);
    if (mine && !form.elements.code.value) form.elements.code.value = mine;

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
      delete out.dataset.verified;
      var receiptHash = hex(await sha256([enc.encode(code)]));
      var leaf = hex(await sha256([new Uint8Array([0]), enc.encode("receipt|" + receiptHash)]));
      // about 16 receipts share a prefix of this length: enough company, a small answer
      var count = Math.max(parseInt(box.dataset.count, 10) || 1, 1);
      var digits = Math.min(16, Math.max(1, Math.ceil(Math.log(count / 16) / Math.log(16))));
      var response = await fetch(box.dataset.api + "?prefix=" + leaf.slice(0, digits), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      });
      var answer = response.ok ? await response.json() : { receipts: [] };
      var entry = answer.receipts.find(function (r) { return r.leaf === leaf; });
      if (!entry) { show(box.dataset.msgMissing, "bad"); out.dataset.verified = "false"; return; }
      var node = unhex(leaf);
      for (var i = 0; i < entry.steps.length; i++) {
        var sibling = unhex(entry.steps[i].sibling);
        node = entry.steps[i].sibling_is_left
          ? await sha256([new Uint8Array([1]), sibling, node])
          : await sha256([new Uint8Array([1]), node, sibling]);
      }
      if (hex(node) === box.dataset.root) {
        show(box.dataset.msgOk, "ok");
        out.dataset.verified = "true";
      } else {
        show(box.dataset.msgBad, "bad");
        out.dataset.verified = "false";
      }
    });
  }

  remember();
  verifier();
  document.body.addEventListener("htmx:afterSettle", remember);
})();
