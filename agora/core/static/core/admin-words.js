// Words of /gestion/ that Wagtail writes in its scripts rather than its catalogues: the date
// picker's "Save Selected" button. Their French (or English) comes from Agora's catalogue,
// through this script's data attributes (core/wagtail_hooks.py, admin_words_js).
(function () {
  "use strict";
  var words = document.currentScript && document.currentScript.dataset;
  if (!words) return;
  function translate(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll(".xdsoft_save_selected") : [];
    for (var index = 0; index < buttons.length; index += 1) {
      if (buttons[index].textContent !== words.saveSelected) {
        buttons[index].textContent = words.saveSelected;
      }
    }
  }
  // The picker draws itself when a date field is first used, anywhere on the page.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) translate(node);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { translate(document); });
})();
