/* The web deck's Edit mode — undo and redo (history.js, 50 entries; Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z). An entry holds
 * the texts before and after at the pointers a change touched; undoing writes the texts before back by the same rule
 * as any edit (deck_edit/core.js: ``expect``): a co-founder's newer text there is never overwritten silently, the
 * founder is asked. The letters typed in one text while it has the focus are one entry (``group``); until the text
 * loses the focus, Ctrl+Z is the browser's own undo of those letters.
 * Part of the Edit mode's scripts (deck_edit/core.js first); adds history and record to window.PitchLab.deckEdit.
 */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.deckEdit;
  if (!E) return;
  const history = window.PitchLab.history.create({ limit: 50, onChange: () => { lastGroup = null; } });
  let lastGroup = null;
  let lastEntry = null;

  function record(unit, pointers, before, after, options) {
    const at = (value) => Object.fromEntries(pointers.map((pointer) => [pointer, E.clone(E.get(value, pointer))]));
    if (options.group && options.group === lastGroup && lastEntry) {
      lastEntry.after = at(after);
      return;
    }
    const entry = { unit, pointers, before: at(before), after: at(after) };
    const back = async (from, to) => {
      const ok = await E.change(unit, (draft) => {
        let value = draft;
        for (const pointer of pointers) value = E.set(value, pointer, E.clone(to[pointer]));
        return value;
      }, { pointers, expect: from, record: false, label: options.label });
      if (ok) await E.redrawFor(unit, pointers);
      return ok;
    };
    history.record({ label: options.label || "", undo: () => back(entry.after, entry.before), redo: () => back(entry.before, entry.after) });
    lastGroup = options.group || null; // history's onChange (in record) cleared it: set after
    lastEntry = entry;
  }

  const ownUndo = (target) => Boolean(target) && (/^(INPUT|TEXTAREA)$/.test(target.tagName) || (target.isContentEditable && Boolean(target.dataset.typed)));
  window.PitchLab.history.bindKeys(history, ownUndo);

  Object.assign(E, { history, record });
})();
