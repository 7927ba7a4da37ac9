/* The canvas editor starts here: editor/core.js holds its state, storage and helpers, editor/fields.js,
 * editor/save.js and editor/panels.js add their parts, all on api.js and dom.js; the page loads them in that order,
 * this file last. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  if (!E) return;
  const { state, units, pending, persist, tableResized, fit, setUnitValue, updateCount, edited, flushAll, refreshStatus } = E;
  const { loadFindings, loadRevisions, loadGrowth } = E;

  // ---------- start ----------
  for (const [path, node] of Object.entries(units)) {
    const spec = state.units[path];
    if (spec.kind === "list" || spec.kind === "object") {
      setUnitValue(path, spec.value);
      if (tableResized) tableResized.observe(node.querySelector("[data-structured]"));
    }
    const input = node.querySelector("[data-input]");
    if (input) {
      input.addEventListener("input", () => { updateCount(node); edited(path); });
      input.addEventListener("change", () => edited(path));
    }
  }
  // Edits this browser kept from an earlier visit (offline, closed tab): put them back and send them.
  for (const [path, edit] of Object.entries(pending)) {
    if (!units[path]) { delete pending[path]; continue; }
    setUnitValue(path, edit.value);
    edit.invalid = false;
  }
  persist();
  flushAll();
  window.addEventListener("beforeunload", (event) => {
    if (Object.keys(pending).length) { event.preventDefault(); event.returnValue = ""; }
  });
  // A pre-flight "fix" link (decks/preflight.py) lands on #unit-<path>: show that unit and focus its field. A
  // path naming a group ("business") lands on its first unit.
  function focusFromHash() {
    const hash = decodeURIComponent(window.location.hash || "");
    if (!hash.startsWith("#unit-")) return;
    const path = hash.slice("#unit-".length);
    const node = units[path] || Object.entries(units).find(([key]) => key.startsWith(`${path}.`))?.[1];
    if (!node) return;
    document.querySelectorAll(".unit.preflight-target").forEach((other) => other.classList.remove("preflight-target"));
    node.classList.add("preflight-target");
    node.scrollIntoView({ block: "center" });
    const field = node.querySelector("[data-input], [data-structured] textarea, [data-structured] input, [data-structured] select");
    if (field) field.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", focusFromHash);
  // Chromium scrolls to the fragment after "load" and clears the focus then (the unit itself is not focusable).
  window.addEventListener("load", () => setTimeout(focusFromHash, 0));
  loadFindings();
  loadRevisions();
  loadGrowth();
  document.querySelectorAll("textarea").forEach(fit);
  refreshStatus();
})();
