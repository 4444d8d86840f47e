// ALTCHA proof of work: finds the number whose SHA-256 (with the challenge's salt) matches
// the signed challenge, and puts the answer in the form's hidden field. Forms work without
// this script; the server then applies a tighter limit.
(function () {
  if (!window.crypto || !crypto.subtle || !window.TextEncoder) return;
  var encoder = new TextEncoder();
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function solve(challenge) {
    var n = 0;
    function next() {
      if (n > challenge.maxnumber) return Promise.resolve(null);
      return crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)).then(function (d) {
        if (hex(d) === challenge.challenge) return n;
        n += 1;
        return next();
      });
    }
    return next();
  }
  document.querySelectorAll("[data-altcha-challenge]").forEach(function (holder) {
    var form = holder.closest("form");
    var field = form && form.querySelector("input[name=altcha]");
    if (!field) return;
    var challenge = JSON.parse(holder.getAttribute("data-altcha-challenge"));
    solve(challenge).then(function (number) {
      if (number === null) return;
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature
      }));
    });
  });
})();
