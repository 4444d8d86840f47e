// Sharing without a third party. Without JavaScript the share links are plain links; with it,
// the phone's own share sheet appears where the browser has one, and "Copier" buttons put an
// address or a snippet on the clipboard and say so to screen readers.
(function () {
  if (window.agoraShareReady) {
    return;
  }
  window.agoraShareReady = true;

  function announce(element, message) {
    var section = element.closest("section");
    var status = section && section.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function copy(element, text) {
    navigator.clipboard.writeText(text).then(function () {
      announce(element, element.getAttribute("data-copied-message") || "");
    }).catch(function () {});
  }

  if (navigator.share) {
    document.querySelectorAll("[data-web-share]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          title: button.getAttribute("data-share-title") || document.title,
          text: button.getAttribute("data-share-text") || "",
          url: button.getAttribute("data-share-url") || window.location.href
        }).catch(function () {});
      });
    });
  }

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        copy(link, link.href);
      });
    });
    document.querySelectorAll("[data-copy-from]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-from"));
      if (!source) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button, source.value);
      });
    });
  }
})();
