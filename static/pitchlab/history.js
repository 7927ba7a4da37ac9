/* Undo and redo for a page's edits (window.PitchLab.history): the last 50 edits of the session, each a pair of
 * functions the page gives (undo, redo); Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (and Ctrl+Y) redoes, except while a
 * text field has its own undo (the browser's, for the letters typed in it since it was focused).
 *
 *   const history = window.PitchLab.history.create({ limit: 50, onChange: (h) => … });
 *   history.record({ label: "Title", undo: async () => …, redo: async () => … });  // after the edit is made
 *   await history.undo();   // runs the newest entry's undo; false when it refused (e.g. a co-founder's newer edit)
 *
 * An entry's undo/redo is itself a normal versioned write made by the page: it returns false (or throws) to say it
 * did not happen (the page asked, and the founder kept the newer text), and the entry stays where it was.
 */
(function () {
  "use strict";
  const LIMIT = 50;

  function create(options) {
    const limit = (options && options.limit) || LIMIT;
    const onChange = (options && options.onChange) || (() => {});
    const done = [];
    const undone = [];
    let busy = false;

    function record(entry) {
      done.push(entry);
      if (done.length > limit) done.shift();
      undone.length = 0;
      onChange(api);
    }

    async function step(from, to, action) {
      if (busy || !from.length) return false;
      busy = true;
      const entry = from.pop();
      let ok = false;
      try { ok = (await entry[action]()) !== false; } catch (e) { ok = false; }
      (ok ? to : from).push(entry);
      busy = false;
      onChange(api);
      return ok;
    }

    const api = {
      record,
      undo: () => step(done, undone, "undo"),
      redo: () => step(undone, done, "redo"),
      canUndo: () => done.length > 0,
      canRedo: () => undone.length > 0,
      size: () => done.length,
      clear() { done.length = 0; undone.length = 0; onChange(api); },
    };
    return api;
  }

  /** Whether ``event`` is the undo (-1) or redo (+1) shortcut, else 0. */
  function shortcut(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return 0;
    const key = event.key.toLowerCase();
    if (key === "z") return event.shiftKey ? 1 : -1;
    if (key === "y" && !event.shiftKey) return 1;
    return 0;
  }

  /** Bind the page's undo/redo keys to ``history``. ``ownUndo(target)`` says whether the focused element keeps its
   * own undo for now (a field being typed in): those keys are left to the browser there. */
  function bindKeys(history, ownUndo) {
    document.addEventListener("keydown", (event) => {
      const direction = shortcut(event);
      if (!direction || (ownUndo && ownUndo(event.target))) return;
      event.preventDefault();
      if (direction < 0) history.undo(); else history.redo();
    });
  }

  window.PitchLab = Object.assign(window.PitchLab || {}, { history: { create, shortcut, bindKeys, LIMIT } });
})();
