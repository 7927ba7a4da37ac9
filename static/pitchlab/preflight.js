/* The pre-flight dialog (templates/decks/_exports.html, templates/sharing/page.html): the server renders it open
 * with the findings; this script makes it modal, closes it on Cancel or Escape, and closes it when a "fix" link is
 * followed (on the editor page that link only changes the hash: editor.js then focuses the field).
 */
(function () {
  "use strict";

  function mount(root) {
    root.querySelectorAll("dialog[data-preflight]").forEach((dialog) => {
      if (dialog.dataset.mounted) return;
      dialog.dataset.mounted = "1";
      if (dialog.open && typeof dialog.showModal === "function") {
        dialog.close();
        dialog.showModal();
      }
      dialog.querySelectorAll("[data-preflight-close]").forEach((button) => {
        button.addEventListener("click", () => dialog.close());
      });
      dialog.querySelectorAll("[data-preflight-fix]").forEach((link) => {
        link.addEventListener("click", () => dialog.close());
      });
      const anyway = dialog.querySelector("[data-export-anyway], [data-share-anyway]");
      if (anyway) anyway.focus();
    });
  }

  mount(document);
  // The export panel's dialog arrives by an HTMX swap.
  document.body.addEventListener("htmx:load", (event) => mount(event.target.parentNode || document));
})();
