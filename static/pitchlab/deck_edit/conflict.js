/* The web deck's Edit mode — notes at a text: a conflict (a co-founder changed the same text: both texts,
 * "Keep mine" / "Take theirs", the canvas editor's words) and a refusal (the server's reason).
 * Part of the Edit mode's scripts (deck_edit/core.js first); adds askConflict, askLocal, showError, noteAt and
 * textFor to window.PitchLab.deckEdit. A note sits under its text, fixed on the page, so the slide keeps its layout.
 */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.deckEdit;
  if (!E) return;
  const { h } = window.PitchLab.dom;
  const show = (value) => (typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value, null, 2));

  /** The text on the slide written to ``pointer`` of ``unit``: the one on show first. */
  function textFor(unit, pointer) {
    const all = Array.from(document.querySelectorAll("main [data-edit-unit]"))
      .filter((node) => node.dataset.editUnit === unit && node.dataset.editPointer === pointer);
    return all.find((node) => !node.closest("[hidden]")) || all[0] || null;
  }

  /** A note placed under ``anchor`` (or above the status line without one); replaces the anchor's earlier note. */
  function noteAt(anchor, cls, children) {
    const key = anchor ? `${anchor.dataset.editUnit} ${anchor.dataset.editPointer}` : "";
    document.querySelectorAll(".deck-edit-note").forEach((note) => { if (note.dataset.for === key) note.remove(); });
    const note = h("div", { class: `deck-edit-note ${cls}`, "data-for": key, role: "group" }, children);
    document.body.append(note);
    place(note, anchor);
    return note;
  }

  function place(note, anchor) {
    const rect = anchor && !anchor.closest("[hidden]") ? anchor.getBoundingClientRect() : null;
    const width = Math.min(420, window.innerWidth - 16);
    note.style.setProperty("width", `${width}px`);
    const left = rect ? Math.max(8, Math.min(rect.left, window.innerWidth - width - 8)) : (window.innerWidth - width) / 2;
    note.style.setProperty("left", `${left}px`);
    const below = rect ? rect.bottom + 8 : window.innerHeight / 3;
    note.style.setProperty("top", `${Math.max(8, Math.min(below, window.innerHeight - note.offsetHeight - 8))}px`);
  }

  /** Both texts at the text, and the founder's choice: resolves "mine" or "theirs". */
  function askConflict(unit, pointer, mine, theirs) {
    return new Promise((resolve) => {
      const anchor = textFor(unit, pointer);
      const keep = h("button", { type: "button", class: "button small", "data-resolve": "mine", text: gettext("Keep mine") });
      const take = h("button", { type: "button", class: "button ghost small", "data-resolve": "theirs", text: gettext("Take theirs") });
      const note = noteAt(anchor, "is-conflict", [
        h("p", { class: "conflict-title", text: gettext("Someone changed this since you opened it. Their version:") }),
        h("pre", { class: "theirs", text: show(theirs) }),
        h("p", { class: "conflict-title", text: gettext("Your version:") }),
        h("pre", { class: "mine", text: show(mine) }),
        h("div", { class: "deck-edit-actions" }, keep, take),
      ]);
      E.emit("conflict", { unit, pointers: [pointer], open: true });
      const choose = (choice) => {
        note.remove();
        if (choice === "theirs" && anchor && anchor.isConnected && typeof theirs === "string" && theirs) anchor.textContent = theirs;
        resolve(choice);
      };
      keep.addEventListener("click", () => choose("mine"));
      take.addEventListener("click", () => choose("theirs"));
      keep.focus({ preventScroll: true });
    });
  }

  /** An undo or redo over a text that changed since it was made: the founder chooses before it is written. */
  async function askLocal(unit, pointers, options, mutate) {
    E.setConflicts(1);
    let mine = true;
    const after = mutate(E.unit(unit));
    for (const pointer of pointers) {
      if (E.same(E.get(E.unit(unit), pointer), options.expect[pointer])) continue;
      const choice = await askConflict(unit, pointer, E.get(after, pointer), E.get(E.unit(unit), pointer));
      if (choice !== "mine") mine = false;
    }
    E.setConflicts(-1);
    if (!mine) return false;
    return E.change(unit, mutate, Object.assign({}, options, { expect: null }));
  }

  /** The server's reason a write was refused, at the text. */
  function showError(unit, pointers, message) {
    const anchor = pointers.map((pointer) => textFor(unit, pointer)).find(Boolean) || null;
    const close = h("button", { type: "button", class: "deck-edit-close", "aria-label": gettext("Close"), text: "×" });
    const note = noteAt(anchor, "is-error", [h("p", { text: message || gettext("PitchLab hit an error on its side. Try again in a moment.") }), close]);
    close.addEventListener("click", () => note.remove());
  }

  // A note follows its text no further than the slide it is on: leaving the slide or Edit mode closes error notes.
  const closeErrors = () => document.querySelectorAll(".deck-edit-note.is-error, .deck-edit-note.is-long").forEach((note) => note.remove());
  document.addEventListener("pitchlab:slide", closeErrors);
  E.on("mode", closeErrors);
  E.on("saved", () => document.querySelectorAll(".deck-edit-note.is-error").forEach((note) => note.remove()));

  Object.assign(E, { askConflict, askLocal, showError, noteAt, textFor });
})();
