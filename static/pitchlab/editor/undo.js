/* The canvas editor — undo and redo (history.js): one step per unit per pause in typing, recorded when its
 * debounced save is sent (the value before and after). Undoing sets the unit's field back and saves it the normal
 * way (E.edited): a versioned write, so a co-founder's newer edit of that unit brings up the conflict choice.
 *
 * Ctrl/Cmd+Z in a field being typed in is the browser's own undo (its letters) until the field's edit is saved;
 * after that, and anywhere else on the page, it is this one. The "?" sheet says so.
 * Part of the editor's scripts (editor/core.js first, editor.js last); shared state and helpers on
 * window.PitchLab.editor. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  const PL = window.PitchLab || {};
  if (!E || !PL.history || E.state.readonly) return; // a viewer makes no edits to undo
  const { state, units, fmt } = E;
  const last = {};   // path -> the unit's value (JSON) an edit starts from: as loaded, last saved or set back
  const typing = {}; // path -> letters typed in its field since its last save (the browser's undo has them)
  for (const [path, spec] of Object.entries(state.units)) last[path] = JSON.stringify(spec.value ?? null);

  function unitOf(target) {
    const node = target && target.closest ? target.closest("[data-unit]") : null;
    return node ? node.dataset.unit : null;
  }
  function textField(target) {
    return Boolean(target) && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && !/^(checkbox|radio|file|button)$/.test(target.type)));
  }

  function setBack(path, json) {
    const node = units[path];
    if (!node || node.classList.contains("has-conflict")) return false; // the founder chooses there first
    E.setUnitValue(path, JSON.parse(json));
    E.edited(path);
    node.scrollIntoView({ block: "nearest" });
    return true;
  }

  const undoButton = document.querySelector("[data-undo]");
  const redoButton = document.querySelector("[data-redo]");
  const history = PL.history.create({
    onChange(h) {
      if (undoButton) undoButton.disabled = !h.canUndo();
      if (redoButton) redoButton.disabled = !h.canRedo();
    },
  });

  // save.js calls this as a unit's save is sent; a resend or a set-back value changes nothing here.
  function saving(path, value) {
    typing[path] = false;
    const after = JSON.stringify(value ?? null);
    const before = last[path];
    if (after === before) return;
    last[path] = after;
    const label = (state.units[path] && state.units[path].label) || path;
    history.record({ label, undo: () => setBack(path, before), redo: () => setBack(path, after) });
  }
  function valueShown(path, value) { last[path] = JSON.stringify(value ?? null); }

  document.addEventListener("input", (event) => {
    const path = unitOf(event.target);
    if (path && textField(event.target)) typing[path] = true;
  });
  // A text field outside the canvas' units (a revision's note, the name) keeps the browser's undo always.
  PL.history.bindKeys(history, (target) => textField(target) && (!unitOf(target) || Boolean(typing[unitOf(target)])));
  if (undoButton) undoButton.addEventListener("click", () => history.undo());
  if (redoButton) redoButton.addEventListener("click", () => history.redo());

  if (PL.shortcuts) {
    PL.shortcuts.register(gettext("Editing"), [
      ["Ctrl+Z / ⌘Z", fmt(gettext("Undo the last saved edit (up to %(n)s); in a field you are typing in, its letters first"), { n: PL.history.LIMIT })],
      ["Shift+Ctrl+Z / Ctrl+Y / Shift+⌘Z", gettext("Redo")],
      ["?", gettext("Show these shortcuts")],
    ]);
  }

  Object.assign(E, { saving, valueShown, undoHistory: history });
})();
