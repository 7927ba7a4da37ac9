/* The canvas editor: every unit saves itself as the founder types, under the version rule.
 *
 * - Each unit keeps the pitch version its content is based on (`base`). A save sends that base;
 *   the server answers 409 when someone else changed the same unit since, and the editor shows
 *   both texts and lets the founder keep theirs or take the other. Nothing is overwritten silently.
 * - Edits not yet confirmed by the server live in localStorage, so a closed tab, a reload or a lost
 *   connection loses nothing; they are sent again when the server is reachable.
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by the page first); the findings pick their
 *   Chinese or English text by the page's language.
 *
 * The page's scripts, in order: dom.js and api.js (the app's core), this file (the editor's state, storage and
 * small helpers on window.PitchLab.editor), editor/fields.js (reading and drawing the fields and tables),
 * editor/save.js (saving, conflicts, errors, the status line), editor/panels.js (findings, growth, completeness,
 * traction paste, revisions), editor/slides.js (the slide list's layouts and custom slides), editor/undo.js (undo,
 * redo, on history.js and shortcuts.js), and editor.js, which starts it. Functions a later file defines are called as E.name()
 * so that each file may call the others at run time whatever the load order.
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("editor-state");
  if (!stateNode) return;
  const state = JSON.parse(stateNode.textContent);
  const pitchId = state.pitchId;
  const api = `/api/pitches/${pitchId}`;
  const storeKey = `pitchlab:pitch:${pitchId}:pending`;
  const zh = state.lang === "zh";
  const fmt = (text, values) => interpolate(text, values, true);
  const DEBOUNCE_MS = 700;
  const RETRY_MS = 3000;

  const base = {};          // path -> version the editor's content is based on
  const pending = loadPending(); // path -> {value, base, invalid?}
  const inflight = new Set();
  const timers = {};
  for (const path of Object.keys(state.units)) base[path] = state.version;

  // ---------- storage ----------
  function loadPending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
  }

  // ---------- reading and writing editors ----------
  const units = {};
  document.querySelectorAll("[data-unit]").forEach((node) => { units[node.dataset.unit] = node; });

  // Text areas grow with what is typed, so a founder sees the whole paragraph.
  function fit(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 600)}px`;
  }
  document.addEventListener("input", (event) => { if (event.target.tagName === "TEXTAREA") fit(event.target); });
  function fitWithin(node) { node.querySelectorAll("textarea").forEach(fit); }
  // A table turns into cards (and back) with its width, and its text cells wrap anew: fit them again then.
  const tableWidths = new WeakMap();
  const tableResized = "ResizeObserver" in window ? new ResizeObserver((entries) => {
    for (const entry of entries) {
      const width = Math.round(entry.contentRect.width);
      if (tableWidths.get(entry.target) !== width) { tableWidths.set(entry.target, width); fitWithin(entry.target); }
    }
  }) : null;

  // ---------- the network ----------
  /** A request through api.js, answered in the shape this editor reads (ok, status, json()); it rejects when no
   * answer came (offline, or past api.js's time-out), as the callers treat that as being offline. */
  async function request(method, url, body) {
    const answer = await window.PitchLab.api.send(method, url, body === undefined ? {} : { json: body });
    if (answer.status === 0) throw answer.error;
    return {
      ok: answer.ok,
      status: answer.status,
      json: async () => {
        if (answer.data === null) throw new SyntaxError("no JSON in the answer");
        return answer.data;
      },
    };
  }

  function item(text) { const li = document.createElement("li"); li.textContent = text; return li; }
  function button(text, cls) { const b = document.createElement("button"); b.type = "button"; b.className = cls; b.textContent = text; return b; }

  const E = {
    state, api, zh, fmt, DEBOUNCE_MS, RETRY_MS, base, pending, inflight, timers, persist, units,
    fit, fitWithin, tableResized, request, item, button,
  };
  window.PitchLab = Object.assign(window.PitchLab || {}, { editor: E });
})();
