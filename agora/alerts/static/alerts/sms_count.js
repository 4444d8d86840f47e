/* The alert form's text messages: how many characters and messages (segments) each takes,
   said while typing, as agora/alerts/sms_text.py counts them (the server checks again on
   every save). Without JavaScript the form works the same; the count shows after saving. */
(function () {
  "use strict";
  var form = document.querySelector("[data-alert-compose]");
  if (!form) {
    return;
  }
  var BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENSION = "\f^{}\\[~]|€";
  var maximum = parseInt(form.getAttribute("data-sms-max"), 10);
  var warnFrom = parseInt(form.getAttribute("data-sms-warn"), 10);
  var linkLength = parseInt(form.getAttribute("data-sms-link-length"), 10) || 0;

  function measure(text) {
    var characters = Array.from(text);
    var gsm = characters.every(function (c) {
      return BASIC.indexOf(c) !== -1 || EXTENSION.indexOf(c) !== -1;
    });
    var sizes = characters.map(function (c) {
      if (gsm) {
        return EXTENSION.indexOf(c) !== -1 ? 2 : 1;
      }
      return c.codePointAt(0) > 0xffff ? 2 : 1;
    });
    var single = gsm ? 160 : 70;
    var segment = gsm ? 153 : 67;
    var total = sizes.reduce(function (a, b) { return a + b; }, 0);
    var segments = 1;
    if (total > single) {
      var room = segment;
      sizes.forEach(function (size) {
        if (size > room) {
          segments += 1;
          room = segment;
        }
        room -= size;
      });
    }
    return { units: total, segments: segments, encoding: gsm ? "GSM-7" : "UCS-2" };
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) {
      return String(values[name]);
    });
  }

  document.querySelectorAll("[data-sms-count-for]").forEach(function (output) {
    var field = document.getElementById(output.getAttribute("data-sms-count-for"));
    if (!field) {
      return;
    }
    var language = field.getAttribute("data-sms-text");
    var headline = form.querySelector("[name='headline_" + language + "']");
    function update() {
      var text = field.value;
      if (!text.trim() && headline) {
        text = headline.value.trim() + "\n\n" + "x".repeat(linkLength);
      }
      var length = measure(text);
      var message = fill(form.getAttribute("data-sms-said"), length);
      if (length.segments > maximum) {
        message += " " + fill(form.getAttribute("data-sms-over"), { maximum: maximum });
      } else if (length.segments > warnFrom) {
        message += " " + form.getAttribute("data-sms-warning");
      }
      output.textContent = message;
      output.hidden = false;
    }
    field.addEventListener("input", update);
    if (headline) {
      headline.addEventListener("input", update);
    }
    update();
  });
})();
