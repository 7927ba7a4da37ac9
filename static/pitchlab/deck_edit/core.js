/* The web deck's Edit mode — its core (window.PitchLab.deckEdit): the units a slide's texts come from, their
 * versioned writes through the canvas API, offline keeping, rebasing over a co-founder's edit of another text,
 * undo/redo, redrawing slides, and the status line.
 *
 *   const E = window.PitchLab.deckEdit;
 *   E.change("deck.slides", (slides) => { … }, { pointers: ["problem/title"], debounce: true });  // Promise<boolean>
 *   E.redraw({ row: "problem" });     // the row's slides again from the server
 *   E.on("saved", (detail) => …);     // also "conflict", "status", "mode"
 *
 * A write sends the whole unit with the version its value is based on. On a 409 the server says what the unit holds
 * now: when, at every pointer this edit touched, the server still has the text the edit started from, a
 * co-founder changed ANOTHER text of the unit, so the edit is made again on their value and sent (nothing of theirs
 * is lost, nothing asked); else the founder chooses at the text (deck_edit/conflict.js). Writes not yet confirmed
 * live in localStorage, so a reload or a lost connection loses nothing.
 *
 * Scripts, in order: history.js, this file, deck_edit/undo.js, deck_edit/view.js (the mode, redrawing), deck_edit/conflict.js (the conflict and error notes at a text),
 * deck_edit/text.js (typing on the slides), deck_edit/panel.js (notes and seconds), deck.js (keys).
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("deck-edit-state");
  if (!stateNode) return;
  const state = JSON.parse(stateNode.textContent);
  const api = window.PitchLab.api;
  const DEBOUNCE_MS = 700;
  const RETRY_MS = 3000;
  const SLIDES = "deck.slides";
  const storeKey = `pitchlab:deck-edit:${state.pitchId}:pending`;
  const canvasUrl = `/api/pitches/${state.pitchId}/canvas/`;

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  // A blank text, a missing key and null all read as "nothing there" (the server drops blank overrides).
  const plain = (value) => (value === undefined || value === null || value === "" ? null : value);
  const same = (a, b) => JSON.stringify(plain(a)) === JSON.stringify(plain(b));

  // ---------- pointers inside a unit ----------
  const rowKey = (row) => (row && row.kind === "custom" ? `custom-${row.id}` : row && row.kind);
  const steps = (pointer) => (pointer ? pointer.split("/") : []);

  function childIndex(node, step) {
    if (!Array.isArray(node)) return step;
    if (/^\d+$/.test(step)) return Number(step);
    const index = node.findIndex((row) => rowKey(row) === step);
    return index < 0 ? null : index;
  }

  /** The value at ``pointer`` ("" = the whole unit; in deck.slides the first step is a row key). */
  function get(value, pointer) {
    let node = value;
    for (const step of steps(pointer)) {
      if (node === null || typeof node !== "object") return undefined;
      const index = childIndex(node, step);
      if (index === null) return undefined;
      node = node[index];
    }
    return node;
  }

  /** ``value`` with ``next`` at ``pointer`` (undefined removes a key); a missing row leaves it as it is. */
  function set(value, pointer, next) {
    const path = steps(pointer);
    if (!path.length) return next;
    let node = value;
    for (const step of path.slice(0, -1)) {
      const index = childIndex(node, step);
      if (index === null || node[index] === undefined) return value;
      if (node[index] === null || typeof node[index] !== "object") node[index] = {};
      node = node[index];
    }
    const last = childIndex(node, path[path.length - 1]);
    if (last === null) return value;
    if (next === undefined && !Array.isArray(node)) delete node[last];
    else node[last] = next;
    return value;
  }

  /** deck.slides as the server completes it: the founder's rows (a key named twice counts once), then every kind
   * they never set, so a co-founder's value is read by row key the same way as ours. */
  function complete(unit, value) {
    if (unit !== SLIDES || !Array.isArray(value)) return value;
    const seen = new Set();
    const rows = [];
    for (const row of value) {
      const key = rowKey(row);
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(Object.assign({ title: "", notes: "", seconds: null, hidden: false, layout: "", overrides: {}, bullets: [] }, row));
    }
    for (const kind of state.kinds) {
      if (!seen.has(kind)) rows.push({ kind, title: "", notes: "", seconds: null, hidden: false, layout: "", overrides: {}, bullets: [] });
    }
    return rows;
  }

  // ---------- events ----------
  const listeners = {};
  function on(name, fn) { (listeners[name] = listeners[name] || []).push(fn); }
  function emit(name, detail) { (listeners[name] || []).forEach((fn) => fn(detail)); }

  // ---------- what is known ----------
  const units = state.units;           // unit -> the value shown (optimistic)
  const confirmed = {};                // unit -> the value the server holds, as far as we know
  const base = {};                     // unit -> the version that value is based on
  for (const unit of Object.keys(units)) {
    units[unit] = complete(unit, units[unit]);
    confirmed[unit] = clone(units[unit]);
    base[unit] = state.version;
  }
  const pending = {};                  // unit -> {value, base, starts: {pointer: text}, mutates, waiters, invalid}
  const inflight = new Set();
  const timers = {};
  let offline = false;
  let retryTimer = null;

  function persist() {
    const kept = {};
    for (const [unit, p] of Object.entries(pending)) kept[unit] = { value: p.value, base: p.base, starts: p.starts };
    try {
      if (Object.keys(kept).length) localStorage.setItem(storeKey, JSON.stringify(kept));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* private mode: memory only */ }
  }

  // ---------- the status line ----------
  const statusNode = window.PitchLab.dom.h("p", { class: "deck-edit-status saved", role: "status", "aria-live": "polite", hidden: true });
  document.body.append(statusNode);
  let conflicts = 0;
  function refreshStatus() {
    const all = Object.values(pending);
    const invalid = all.filter((p) => p.invalid);
    const waiting = all.length - invalid.length;
    let cls = "saved", text = gettext("All changes saved");
    if (conflicts) { cls = "conflict"; text = gettext("Conflict: choose which text to keep"); }
    else if (offline && waiting) { cls = "offline"; text = gettext("Offline: your edits are kept in this browser and will be sent when the connection returns"); }
    else if (waiting || inflight.size) { cls = "saving"; text = gettext("Saving…"); }
    else if (invalid.length) { cls = "invalid"; text = invalid[0].message || gettext("Not saved"); }
    statusNode.className = `deck-edit-status ${cls}`;
    statusNode.textContent = text;
    statusNode.hidden = !enabled() && cls === "saved";
    emit("status", { state: cls, text });
  }

  // ---------- writing ----------
  function settle(p, ok) {
    p.waiters.splice(0).forEach((resolve) => resolve(ok));
  }

  function schedule(unit, debounce) {
    clearTimeout(timers[unit]);
    if (debounce) timers[unit] = setTimeout(() => send(unit), DEBOUNCE_MS);
    else send(unit);
  }

  /** Change ``unit``: ``mutate(draft)`` edits a copy of its value (or returns a new one). See the file's head. */
  function change(unit, mutate, options = {}) {
    const pointers = options.pointers || [""];
    const before = clone(units[unit]);
    if (options.expect && pointers.some((pointer) => !same(get(before, pointer), options.expect[pointer]))) {
      // An undo or redo over a text changed since (a co-founder's, merged in): the founder chooses.
      return window.PitchLab.deckEdit.askLocal(unit, pointers, options, mutate);
    }
    let draft = clone(before);
    const result = mutate(draft);
    draft = complete(unit, result === undefined ? draft : result);
    units[unit] = draft;
    const p = pending[unit] || (pending[unit] = { base: base[unit], starts: {}, mutates: [], waiters: [] });
    p.value = clone(draft);
    p.invalid = false;
    for (const pointer of pointers) if (!(pointer in p.starts)) p.starts[pointer] = clone(get(confirmed[unit], pointer));
    p.mutates.push(mutate);
    if (options.record !== false) window.PitchLab.deckEdit.record(unit, pointers, before, draft, options);
    persist();
    const done = new Promise((resolve) => p.waiters.push(resolve));
    schedule(unit, options.debounce);
    refreshStatus();
    return done;
  }

  async function send(unit) {
    const p = pending[unit];
    if (!p || p.invalid || p.blocked || inflight.has(unit)) return;
    clearTimeout(timers[unit]);
    inflight.add(unit);
    refreshStatus();
    const sent = clone(p.value);
    const made = p.mutates.length;
    const answer = await api.send("PATCH", canvasUrl, { json: { base_version: p.base, changes: { [unit]: sent } } });
    inflight.delete(unit);
    if (answer.status === 0 || answer.status >= 500) {
      goOffline();
    } else {
      offline = false;
      if (answer.ok) saved(unit, p, sent, answer.data, made);
      else if (answer.status === 409) await stale(unit, p, answer.data);
      else refused(unit, p, answer.message);
    }
    persist();
    refreshStatus();
  }

  function saved(unit, p, sent, data, made) {
    base[unit] = data.unit_versions[unit];
    state.versions[unit] = base[unit];
    state.version = data.version;
    confirmed[unit] = sent;
    if (!same(p.value, sent)) {
      // Typed on while this was on its way: the rest goes next, based on what the server now holds (a rebase
      // makes only the edits it does not hold yet again: adding a slide twice would add two).
      p.base = base[unit];
      p.mutates.splice(0, made);
      for (const pointer of Object.keys(p.starts)) p.starts[pointer] = clone(get(sent, pointer));
      send(unit);
      return;
    }
    delete pending[unit];
    settle(p, true);
    emit("saved", { unit, version: data.version });
  }

  function refused(unit, p, message) {
    p.invalid = true;
    p.message = message;
    settle(p, false);
    window.PitchLab.deckEdit.showError(unit, Object.keys(p.starts), message);
  }

  /** A 409: rebase over a co-founder's edit of other texts, or ask at each text both changed. */
  async function stale(unit, p, data) {
    const theirs = data && data.extra && data.extra.conflicts && data.extra.conflicts[unit];
    if (!theirs) { refused(unit, p, data && data.message); return; }
    const value = complete(unit, theirs.value);
    const clashes = Object.keys(p.starts).filter((pointer) => !same(get(value, pointer), p.starts[pointer]));
    let rebased = clone(value);
    if (!clashes.length && p.mutates.length) {
      for (const mutate of p.mutates) {
        const result = mutate(rebased);
        rebased = complete(unit, result === undefined ? rebased : result);
      }
    } else {
      p.blocked = true;
      conflicts += clashes.length ? 1 : 0;
      refreshStatus();
      const taken = new Set();
      for (const pointer of clashes) {
        const choice = await window.PitchLab.deckEdit.askConflict(unit, pointer, get(units[unit], pointer), get(value, pointer));
        if (choice !== "mine") taken.add(pointer);
      }
      conflicts -= clashes.length ? 1 : 0;
      p.blocked = false;
      // Every text edited here, those typed while the founder chose included, except those where theirs was taken.
      for (const pointer of Object.keys(p.starts)) {
        if (!taken.has(pointer)) rebased = set(rebased, pointer, clone(get(units[unit], pointer)));
      }
      emit("conflict", { unit, pointers: clashes, kept: clashes.filter((pointer) => !taken.has(pointer)) });
      p.mutates = []; // made again they would undo a choice of theirs: from now on, the texts at the pointers
    }
    confirmed[unit] = clone(value);
    base[unit] = theirs.version;
    units[unit] = rebased;
    emit("rebased", { unit, value: clone(rebased) });
    if (same(rebased, value)) {
      delete pending[unit];
      settle(p, false);
      return;
    }
    p.value = clone(rebased);
    p.base = theirs.version;
    for (const pointer of Object.keys(p.starts)) p.starts[pointer] = clone(get(value, pointer));
    send(unit);
  }

  function goOffline() {
    offline = true;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flushAll, RETRY_MS);
  }

  function flushAll() {
    for (const unit of Object.keys(pending)) send(unit);
  }
  window.addEventListener("online", flushAll);

  const enabled = () => document.body.classList.contains("deck-editing");

  // ---------- a reload: what was not confirmed is applied again and sent ----------
  function restore() {
    let kept = {};
    try { kept = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { kept = {}; }
    const restored = Object.keys(kept).filter((unit) => unit in units);
    for (const unit of restored) {
      const p = kept[unit];
      units[unit] = complete(unit, p.value);
      pending[unit] = { value: p.value, base: p.base, starts: p.starts || {}, mutates: [], waiters: [] };
    }
    if (!restored.length) return;
    Promise.all(restored.map((unit) => new Promise((resolve) => { pending[unit].waiters.push(resolve); send(unit); })))
      .then(() => window.PitchLab.deckEdit.redraw());
  }

  window.PitchLab.deckEdit = {
    state, SLIDES, DEBOUNCE_MS,
    enabled, on, emit, change, refreshStatus, get, set, same, clone, steps,
    unit: (name) => clone(units[name]),
    row: (key) => clone((units[SLIDES] || []).find((row) => rowKey(row) === key)),
    hasConflict: () => conflicts > 0,
    setConflicts: (delta) => { conflicts += delta; refreshStatus(); },
  };
  refreshStatus();
  restore();
})();
