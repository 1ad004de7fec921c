// Assistant déclaration: the little JavaScript the pages need on top of DSFR
// and htmx. Everything works without it; it only makes things smoother.
(function () {
  "use strict";

  // htmx does not swap 4xx/5xx responses (except 422, see htmx-config): show
  // the server's DSFR alert fragment in the toast region instead.
  document.addEventListener("htmx:responseError", function (event) {
    var toasts = document.getElementById("toasts");
    var xhr = event.detail.xhr;
    if (!toasts || !xhr) { return; }
    var wrapper = document.createElement("div");
    if (xhr.getResponseHeader("Content-Type") && xhr.getResponseHeader("Content-Type").indexOf("text/html") === 0 && xhr.responseText.indexOf("fr-alert") !== -1) {
      wrapper.innerHTML = xhr.responseText;
    } else {
      wrapper.innerHTML = '<div class="fr-alert fr-alert--error fr-alert--sm" role="alert"><p></p></div>';
      wrapper.querySelector("p").textContent = document.documentElement.lang === "en" ? "Something went wrong, please try again." : "Une erreur est survenue, veuillez réessayer.";
    }
    toasts.appendChild(wrapper);
  });

  // DSFR's documented close button uses an inline onclick, which our CSP forbids.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".fr-alert .fr-btn--close");
    if (button) {
      var alert = button.closest(".fr-alert");
      alert.parentNode.removeChild(alert);
    }
  });

  // Live password rules: each rule item carries the regexp it checks.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-password-rules]")) { return; }
    var list = document.getElementById(input.getAttribute("data-password-rules"));
    if (!list) { return; }
    list.querySelectorAll("[data-rule]").forEach(function (item) {
      var ok = false;
      switch (item.getAttribute("data-rule")) {
        case "length": ok = Array.from(input.value).length >= 12; break;
        case "case": ok = /\p{Ll}/u.test(input.value) && /\p{Lu}/u.test(input.value); break;
        case "digit": ok = /[0-9]/.test(input.value); break;
        case "special": ok = /[^\p{L}0-9]/u.test(input.value); break;
      }
      item.classList.toggle("fr-message--valid", ok);
      item.classList.toggle("fr-message--info", !ok);
    });
  });

  // A form sent back with errors: focus moves to the summary of its errors
  // (each a link to its field), on a page load as after an htmx swap of a
  // submitted form. A live filter (htmx on input or change) refreshes its
  // summary without taking the focus from the field being typed in.
  function focusErrorSummary(root) {
    var summary = root.querySelector && root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !config.triggeringEvent || config.triggeringEvent.type !== "submit") { return; }
    var elt = event.detail.elt;
    focusErrorSummary(elt && elt.isConnected && elt.parentNode ? elt.parentNode : document);
  });
  // A link of the summary moves the focus to its field, not only the view
  // (a fragment link alone scrolls without focusing in some browsers).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus();
  });

  // Confirmation dialogs for dangerous buttons, without inline handlers.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
})();
