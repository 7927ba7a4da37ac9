/* The keyboard-shortcut sheet (window.PitchLab.shortcuts): "?" opens a dialog listing the page's keys, Escape
 * closes it. Each page registers its keys once, in groups; the sheet is built when first opened.
 *
 *   window.PitchLab.shortcuts.register(gettext("Slides"), [["→ / Space", gettext("Next slide")], …]);
 *
 * The "?" key is ignored while typing in a field or an editable text.
 */
(function () {
  "use strict";
  const groups = [];
  let dialog = null;

  function register(title, keys) { groups.push({ title, keys }); dialog = null; }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function build() {
    const { h } = window.PitchLab.dom;
    const close = h("button", { type: "button", class: "shortcut-close", "aria-label": gettext("Close"), text: "×" });
    const body = groups.map((group) => h("section", {},
      h("h3", { text: group.title }),
      h("dl", {}, group.keys.map(([keys, what]) => [
        h("dt", {}, keys.split(" / ").map((key, index) => [index ? " / " : "", h("kbd", { text: key })])),
        h("dd", { text: what }),
      ]))));
    const node = h("dialog", { class: "shortcut-sheet", "aria-labelledby": "shortcut-sheet-title" },
      h("div", { class: "shortcut-head" }, h("h2", { id: "shortcut-sheet-title", text: gettext("Keyboard shortcuts") }), close),
      body);
    close.addEventListener("click", () => node.close());
    node.addEventListener("click", (event) => { if (event.target === node) node.close(); });
    document.body.append(node);
    return node;
  }

  function open() {
    if (!groups.length) return;
    if (!dialog) dialog = build();
    if (!dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", (event) => {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    event.preventDefault();
    open();
  });

  window.PitchLab = Object.assign(window.PitchLab || {}, { shortcuts: { register, open } });
})();
