/* The web deck's Edit mode — the mode and the slides on show: the Edit toggle (E on the keyboard, deck.js), and
 * redrawing slides from the server after a change (GET /pitches/<id>/deck/slides/[?row=]) in place of those shown,
 * keeping the slide on show ("pitchlab:deck-redrawn" on document: deck.js and the Edit mode's scripts follow).
 * Part of the Edit mode's scripts (deck_edit/core.js first); adds setEnabled, redraw, redrawFor and rowOf to
 * window.PitchLab.deckEdit.
 */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.deckEdit;
  if (!E) return;
  const { state } = E;
  const deckNode = document.querySelector("main[data-deck]");

  /** The deck.slides row a slide comes from: its key, or "demo" for every live demo slide. */
  const rowOf = (section) => section.dataset.row || (section.dataset.key.startsWith("demo-") ? "demo" : section.dataset.key);

  /** Fetch the slides again (``row``: only that deck.slides row's) and put them in place of those shown. */
  async function redraw({ row } = {}) {
    const query = new URLSearchParams({ theme: state.theme, lang: state.lang });
    if (row) query.set("row", row);
    const answer = await window.PitchLab.api.send("GET", `/pitches/${state.pitchId}/deck/slides/?${query}`, { as: "text", accept: "text/html" });
    if (!answer.ok) return false;
    // Our own endpoint's HTML (the server escaped every founder's text), parsed inert, then moved in.
    const fresh = Array.from(new DOMParser().parseFromString(answer.data, "text/html").querySelectorAll("section.slide"));
    const shown = deckNode.querySelector("section.slide:not([hidden])");
    const key = shown ? shown.dataset.key : null;
    const old = Array.from(deckNode.querySelectorAll("section.slide")).filter((section) => !row || rowOf(section) === row);
    if (old.length) old[0].before(...fresh);
    else deckNode.append(...fresh);
    old.forEach((section) => section.remove());
    if (!row) deckNode.dataset.count = String(fresh.length);
    fresh.forEach((section) => { section.hidden = section.dataset.key !== key; });
    document.dispatchEvent(new CustomEvent("pitchlab:deck-redrawn", { detail: { key, row: row || null, sections: fresh } }));
    return true;
  }

  /** The slides showing ``pointers`` of ``unit`` again: one row of deck.slides, else the whole deck. */
  function redrawFor(unit, pointers) {
    const rows = new Set(pointers.map((pointer) => E.steps(pointer)[0]));
    if (unit === E.SLIDES && rows.size === 1 && !rows.has(undefined)) return redraw({ row: [...rows][0] });
    return redraw();
  }

  const toggle = document.querySelector("[data-edit-toggle]");
  function setEnabled(on) {
    document.body.classList.toggle("deck-editing", on);
    if (toggle) toggle.setAttribute("aria-pressed", String(on));
    if (!on && document.activeElement && document.activeElement.isContentEditable) document.activeElement.blur();
    E.refreshStatus();
    E.emit("mode", { enabled: on });
  }
  if (toggle) toggle.addEventListener("click", () => setEnabled(!E.enabled()));

  Object.assign(E, { setEnabled, redraw, redrawFor, rowOf });
})();
