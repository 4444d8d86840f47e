// ALTCHA proof of work. When a form with an empty `altcha` field is sent, fetches a
// challenge (its cost depends on how much this visitor has contributed lately), finds the
// number whose SHA-256 (with the challenge's salt) matches it, puts the answer in the field
// and sends the form. Forms work without this script; the server then applies a tighter
// limit. Included once per form: it sets itself up once per page.
(function () {
  if (window.agoraAltcha) return;
  window.agoraAltcha = true;
  if (!window.crypto || !crypto.subtle || !window.TextEncoder || !window.fetch) return;
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
  function answer(challenge, number) {
    return btoa(JSON.stringify({
      algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
      salt: challenge.salt, signature: challenge.signature
    }));
  }
  function send(form, submitter) {
    if (submitter && form.requestSubmit) {
      form.requestSubmit(submitter);
      return;
    }
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    form.submit();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var field = form.querySelector && form.querySelector("input[name=altcha][data-altcha-url]");
    if (!field || field.value || form.getAttribute("data-altcha-done")) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    var submitter = event.submitter || null;
    function finish() {
      form.setAttribute("data-altcha-done", "true");
      form.removeAttribute("aria-busy");
      send(form, submitter);
    }
    fetch(field.getAttribute("data-altcha-url"), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (challenge) {
        if (!challenge) return null;
        return solve(challenge).then(function (number) {
          if (number !== null) field.value = answer(challenge, number);
        });
      })
      .then(finish, finish);
  }, true);
})();
