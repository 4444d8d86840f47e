// Agora works without this file; it only adds offline support and the security-key panel
// where the browser has them.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  });
}

// Security keys need the browser's WebAuthn: the panel offering to add one shows only there.
if (window.PublicKeyCredential) {
  document.querySelectorAll("[data-requires-webauthn]").forEach(function (element) {
    element.hidden = false;
  });
}
