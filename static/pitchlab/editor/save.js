/* The canvas editor — saving: the debounced PATCH under the version rule, offline and retry, conflicts (keep mine /
 * take theirs), the field's errors, and the status line.
 * Part of the editor's scripts (editor/core.js first, editor.js last); shared state and helpers on
 * window.PitchLab.editor. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  if (!E) return;
  const { state, api, DEBOUNCE_MS, RETRY_MS, base, pending, inflight, timers, persist, units, request, item, button } = E;
  const { unitValue, setUnitValue } = E;
  let offline = false;
  let retryTimer = null;

  // ---------- status ----------
  const statusNode = document.getElementById("save-status");
  function refreshStatus() {
    const conflicts = document.querySelectorAll(".unit.has-conflict").length;
    const invalid = Object.values(pending).filter((p) => p.invalid).length;
    const waiting = Object.keys(pending).length - invalid;
    let cls = "saved", text = gettext("All changes saved");
    if (conflicts) { cls = "conflict"; text = gettext("Conflict: choose which text to keep"); }
    else if (offline && waiting) { cls = "offline"; text = gettext("Offline: your edits are kept in this browser and will be sent when the connection returns"); }
    else if (waiting || inflight.size) { cls = "saving"; text = gettext("Saving…"); }
    else if (invalid) { cls = "invalid"; text = gettext("Not saved: fix the highlighted field"); }
    statusNode.className = `save-status ${cls}`;
    statusNode.textContent = text;
  }

  function edited(path) {
    pending[path] = { value: unitValue(path), base: base[path] };
    clearErrors(path);
    persist();
    clearTimeout(timers[path]);
    timers[path] = setTimeout(() => send(path), DEBOUNCE_MS);
    refreshStatus();
  }

  // ---------- the network ----------
  async function send(path) {
    const edit = pending[path];
    if (!edit || edit.invalid || inflight.has(path) || units[path].classList.contains("has-conflict")) return;
    inflight.add(path);
    refreshStatus();
    if (E.saving) E.saving(path, edit.value); // editor/undo.js: one undo step per pause in typing
    let response;
    try {
      response = await request("PATCH", `${api}/canvas/`, { base_version: edit.base, changes: { [path]: edit.value } });
    } catch (e) {
      response = null;
    }
    inflight.delete(path);
    if (!response || response.status >= 500 || response.status === 0) {
      goOffline();
      refreshStatus();
      return;
    }
    offline = false;
    const body = await response.json().catch(() => ({}));
    const current = pending[path];
    const changedMeanwhile = current && JSON.stringify(current.value) !== JSON.stringify(edit.value);
    if (response.ok) {
      base[path] = body.unit_versions[path];
      if (changedMeanwhile) { current.base = base[path]; send(path); }
      else delete pending[path];
      E.updateCompleteness(body.completeness);
      E.scheduleFindings();
      E.refreshRevisionsSoon();
      if (path === "data.traction") E.loadGrowth();
    } else if (response.status === 409) {
      const theirs = body.extra && body.extra.conflicts && body.extra.conflicts[path];
      if (theirs) showConflict(path, theirs);
    } else if (response.status === 400) {
      if (current) current.invalid = true;
      showErrors(path, body);
    } else if (response.status === 403 || response.status === 401) {
      if (current) current.invalid = true;
      showErrors(path, { message: gettext("Your session has ended: log in again in another tab; your edit is kept here.") });
    }
    persist();
    refreshStatus();
  }

  function goOffline() {
    offline = true;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flushAll, RETRY_MS);
  }

  function flushAll() {
    for (const path of Object.keys(pending)) if (units[path]) send(path);
  }

  window.addEventListener("online", flushAll);

  // ---------- conflicts ----------
  function showConflict(path, theirs) {
    const node = units[path];
    const box = node.querySelector("[data-conflict]");
    node.classList.add("has-conflict");
    box.hidden = false;
    box.replaceChildren();
    const title = document.createElement("p");
    title.className = "conflict-title";
    title.textContent = gettext("Someone changed this since you opened it. Their version:");
    const other = document.createElement("pre");
    other.className = "theirs";
    other.textContent = typeof theirs.value === "string" ? theirs.value : JSON.stringify(theirs.value, null, 2);
    const keep = button(gettext("Keep mine"), "button small");
    const take = button(gettext("Take theirs"), "button ghost small");
    keep.dataset.resolve = "mine";
    take.dataset.resolve = "theirs";
    keep.addEventListener("click", () => resolve(path, "mine", theirs));
    take.addEventListener("click", () => resolve(path, "theirs", theirs));
    const actions = document.createElement("div");
    actions.className = "paste-actions";
    actions.append(keep, take);
    box.append(title, other, actions);
  }

  function resolve(path, choice, theirs) {
    const node = units[path];
    node.classList.remove("has-conflict");
    node.querySelector("[data-conflict]").hidden = true;
    base[path] = theirs.version;
    if (choice === "mine") {
      pending[path] = { value: unitValue(path), base: theirs.version };
      persist();
      send(path);
    } else {
      delete pending[path];
      persist();
      setUnitValue(path, theirs.value);
    }
    refreshStatus();
  }

  // ---------- errors and findings ----------
  function clearErrors(path) {
    const list = units[path] && units[path].querySelector("[data-errors]");
    if (list) list.replaceChildren();
    if (units[path]) units[path].classList.remove("has-error");
  }

  function flatten(detail, prefix, out) {
    if (typeof detail === "string") { out.push(prefix ? `${prefix}: ${detail}` : detail); return out; }
    if (Array.isArray(detail)) { detail.forEach((d) => flatten(d, prefix, out)); return out; }
    if (detail && typeof detail === "object") {
      for (const [key, value] of Object.entries(detail)) {
        const label = /^\d+$/.test(key) ? fmt(gettext("row %(n)s"), { n: Number(key) + 1 }) : key;
        flatten(value, prefix ? `${prefix}, ${label}` : label, out);
      }
    }
    return out;
  }

  function showErrors(path, body) {
    const node = units[path];
    const fields = body.extra && body.extra.fields;
    const detail = fields ? (fields[path] || fields) : body.message;
    const list = node.querySelector("[data-errors]");
    list.replaceChildren(...flatten(detail, "", []).map((text) => item(text)));
    node.classList.add("has-error");
  }

  Object.assign(E, { refreshStatus, edited, send, flushAll, clearErrors, showErrors });
})();
