/* The canvas editor: every unit saves itself as the founder types, under the version rule.
 *
 * - Each unit keeps the pitch version its content is based on (`base`). A save sends that base;
 *   the server answers 409 when someone else changed the same unit since, and the editor shows
 *   both texts and lets the founder keep theirs or take the other. Nothing is overwritten silently.
 * - Edits not yet confirmed by the server live in localStorage, so a closed tab, a reload or a lost
 *   connection loses nothing; they are sent again when the server is reachable.
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by the page first); the findings pick their
 *   Chinese or English text by the page's language.
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
  let offline = false;
  let retryTimer = null;

  for (const path of Object.keys(state.units)) base[path] = state.version;

  // ---------- storage ----------
  function loadPending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
  }

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

  // ---------- reading and writing editors ----------
  const units = {};
  document.querySelectorAll("[data-unit]").forEach((node) => { units[node.dataset.unit] = node; });

  function unitValue(path) {
    const node = units[path];
    const spec = state.units[path];
    if (spec.kind === "list") return readRows(node.querySelector("[data-structured]"), spec.columns);
    if (spec.kind === "object") return readObject(node.querySelector("[data-structured]"), spec);
    const input = node.querySelector("[data-input]");
    if (spec.kind === "number") return input.value === "" ? null : Number(input.value);
    if (spec.kind === "choice") return Number(input.value);
    if (spec.kind === "checkbox") return input.checked;
    return input.value;
  }

  function setUnitValue(path, value) {
    const node = units[path];
    const spec = state.units[path];
    spec.value = value;
    if (spec.kind === "list" || spec.kind === "object") {
      const container = node.querySelector("[data-structured]");
      if (spec.kind === "list") renderRows(container, spec.columns, value || [], path);
      else renderObject(container, spec, value || {}, path);
      fitWithin(container);
      return;
    }
    const input = node.querySelector("[data-input]");
    if (spec.kind === "checkbox") input.checked = Boolean(value);
    else input.value = value === null || value === undefined ? "" : value;
    updateCount(node);
  }

  function updateCount(node) {
    const counter = node.querySelector("[data-count]");
    const input = node.querySelector("[data-input]");
    if (counter && input) {
      // No maxlength on purpose: the browser would cut a long paste silently. Say it instead.
      const over = input.value.length - Number(input.dataset.limit || Infinity);
      counter.textContent = input.value.length;
      counter.parentElement.classList.toggle("over", over > 0);
      counter.parentElement.title = over > 0 ? fmt(ngettext("Shorten by %(n)s character to save", "Shorten by %(n)s characters to save", over), { n: over }) : "";
    }
    if (input && input.tagName === "TEXTAREA") fit(input);
  }

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

  function edited(path) {
    pending[path] = { value: unitValue(path), base: base[path] };
    clearErrors(path);
    persist();
    clearTimeout(timers[path]);
    timers[path] = setTimeout(() => send(path), DEBOUNCE_MS);
    refreshStatus();
  }

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

  async function send(path) {
    const edit = pending[path];
    if (!edit || edit.invalid || inflight.has(path) || units[path].classList.contains("has-conflict")) return;
    inflight.add(path);
    refreshStatus();
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
      updateCompleteness(body.completeness);
      scheduleFindings();
      refreshRevisionsSoon();
      if (path === "data.traction") loadGrowth();
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

  let findingsTimer = null;
  function scheduleFindings() {
    clearTimeout(findingsTimer);
    findingsTimer = setTimeout(loadFindings, 400);
  }

  async function loadFindings() {
    let response;
    try { response = await request("GET", `${api}/checks/`); } catch (e) { return; }
    if (!response.ok) return;
    const body = await response.json();
    document.querySelectorAll("[data-findings]").forEach((list) => list.replaceChildren());
    for (const finding of body.findings || []) {
      const node = units[finding.path];
      if (!node) continue;
      const li = item(zh ? finding.message_zh : finding.message_en);
      li.className = `finding ${finding.severity}`;
      li.dataset.code = finding.code;
      node.querySelector("[data-findings]").append(li);
    }
  }

  const number = (value) => window.PitchLabFormat.number(Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3)), state.lang);
  const percent = (rate) => `${rate >= 0 ? "+" : ""}${(rate * 100).toFixed(1)}%`;

  async function loadGrowth() {
    const box = document.querySelector("[data-growth]");
    if (!box) return;
    let response;
    try { response = await request("GET", `${api}/growth/?periods_ahead=3`); } catch (e) { return; }
    if (!response.ok) return;
    const body = await response.json();
    box.replaceChildren(...Object.entries(body.metrics).map(([metric, report]) => {
      const div = document.createElement("div");
      div.className = "growth-metric";
      const name = document.createElement("strong");
      name.textContent = metric;
      div.append(name);
      if (report.error) { div.append(document.createTextNode(report.error)); return div; }
      const fit = report.chosen_fit === "exponential" ? report.exponential_fit : report.linear_fit;
      const parts = [];
      if (report.compound_growth_per_period !== null) parts.push(fmt(gettext("compound growth %(rate)s per period"), { rate: percent(report.compound_growth_per_period) }));
      const fitName = { exponential: gettext("exponential"), linear: gettext("linear") }[report.chosen_fit] || report.chosen_fit;
      parts.push(fmt(gettext("best fit %(fit)s (RMSE %(rmse)s)"), { fit: fitName, rmse: number(fit.rmse) }));
      div.append(document.createTextNode(parts.join(" · ")));
      const projection = document.createElement("div");
      projection.className = "projection";
      projection.textContent = fmt(gettext("Projection, not data: %(values)s"), { values: report.projections.map((p) => `${p.period} ≈ ${number(p.value)}`).join(", ") });
      div.append(projection);
      return div;
    }));
  }

  function updateCompleteness(score) {
    if (!score) return;
    document.getElementById("overall-percent").textContent = `${score.overall}%`;
    document.getElementById("overall-bar").style.width = `${score.overall}%`;
    for (const [key, section] of Object.entries(score.sections)) {
      const pill = document.querySelector(`[data-section-percent="${key}"]`);
      if (pill) pill.textContent = `${section.percent}%`;
    }
  }

  // ---------- structured editors (lists of rows, objects) ----------
  function item(text) { const li = document.createElement("li"); li.textContent = text; return li; }
  function button(text, cls) { const b = document.createElement("button"); b.type = "button"; b.className = cls; b.textContent = text; return b; }

  // A one-line text cell is a textarea that takes no line break: it wraps, so a long title or source is read in
  // full instead of scrolling out of a narrow input, and Enter and pasted newlines add nothing.
  function lineInput() {
    const input = document.createElement("textarea");
    input.rows = 1;
    input.className = "cell-line";
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    input.addEventListener("input", () => {
      if (/[\r\n]/.test(input.value)) input.value = input.value.replace(/\s*[\r\n]+\s*/g, " ");
    });
    return input;
  }

  function cellInput(column, value) {
    let input;
    if (column.type === "textarea") { input = document.createElement("textarea"); input.rows = 2; }
    else if (column.type === "text") input = lineInput();
    else if (column.type === "select") {
      input = document.createElement("select");
      for (const option of column.options) { const o = document.createElement("option"); o.value = option; o.textContent = (column.option_labels && column.option_labels[option]) || option; input.append(o); }
    } else if (column.type === "readonly_text") {
      input = document.createElement("span");
      input.className = "cell-label";
      input.textContent = (column.labels && column.labels[value]) || value;
      input.dataset.key = column.key;
      input.dataset.type = column.type;
      input.dataset.value = value;
      return input;
    } else if (column.type === "bool") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = Boolean(value);
      input.dataset.key = column.key;
      input.dataset.type = column.type;
      input.setAttribute("aria-label", column.label);
      return input;
    } else if (column.type === "readonly_bool") {
      input = document.createElement("span");
      input.className = "badge";
      input.textContent = value ? gettext("measured") : "—";
      input.dataset.value = value ? "true" : "false";
      return input;
    } else if (state.readonly) {
      return readonlyValue(column, value);
    } else {
      input = document.createElement("input");
      input.type = column.type === "number" || column.type === "int" ? "number" : column.type === "date" ? "date" : "text";
      if (column.type === "number") input.step = "any";
      if (column.min !== undefined) input.min = column.min;
      if (column.max !== undefined) input.max = column.max;
      if (column.placeholder) input.placeholder = column.placeholder;
    }
    input.value = value === null || value === undefined ? "" : value;
    input.dataset.key = column.key;
    input.dataset.type = column.type;
    input.setAttribute("aria-label", column.label);
    return input;
  }

  // A viewer reads a number, a date or a short text as text: it wraps and is never cut at the edge of a disabled
  // input, and a number is grouped the page's way (2,000). The stored value stays on the span for cellValue.
  function readonlyValue(column, value) {
    const span = document.createElement("span");
    const raw = value === null || value === undefined ? "" : String(value);
    const numeric = column.type === "number" || column.type === "int";
    span.className = "readonly-value";
    span.textContent = numeric && raw !== "" ? window.PitchLabFormat.number(Number(raw), state.lang) : raw;
    span.dataset.key = column.key;
    span.dataset.type = column.type;
    span.dataset.value = raw;
    span.setAttribute("aria-label", column.label);
    return span;
  }

  function cellValue(input) {
    const type = input.dataset.type;
    if (input.classList.contains("readonly-value")) {
      const raw = input.dataset.value;
      return (type === "number" || type === "int") ? (raw === "" ? null : Number(raw)) : raw;
    }
    if (type === "readonly_bool") return input.dataset.value === "true";
    if (type === "readonly_text") return input.dataset.value;
    if (type === "bool") return input.checked;
    const raw = input.value;
    if (type === "number" || type === "int") {
      if (raw.trim() === "") return null;
      return input.validity && input.validity.badInput ? raw : Number(raw);
    }
    if (type === "date") return raw || null;
    return raw;
  }

  function renderRows(container, columns, rows, path) {
    const spec = state.units[path] || {};
    container.replaceChildren();
    const table = document.createElement("table");
    // A table on a wide card, a card per row on a narrow one: app.css, "data tables".
    table.className = `rows data-table${spec.reorder ? " reorder" : ""}`;
    const head = document.createElement("tr");
    for (const column of columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.className = `cell-${column.type}`;
      th.textContent = column.label;
      head.append(th);
    }
    const actions = document.createElement("th");
    actions.className = "cell-actions";
    head.append(actions);
    const thead = document.createElement("thead"); thead.append(head);
    const tbody = document.createElement("tbody");
    rows.forEach((row) => tbody.append(rowNode(columns, row, path)));
    table.append(thead, tbody);
    if (spec.fixed && container.closest("[data-unit]").dataset.unit === path) { container.append(table); return; }
    const add = button(gettext("+ Add row"), "button ghost small");
    add.dataset.addRow = "";
    add.addEventListener("click", () => {
      const blank = {};
      for (const column of columns) blank[column.key] = column.type === "select" ? column.options[0] : column.type === "readonly_bool" ? false : "";
      tbody.append(rowNode(columns, blank, path));
      fitWithin(tbody.lastChild);
      tbody.lastChild.querySelector("input, textarea, select").focus();
    });
    container.append(table, ...(state.readonly ? [] : [add])); // a viewer reads the rows, adds none
  }

  function rowNode(columns, row, path) {
    const tr = document.createElement("tr");
    const measured = columns.some((c) => c.type === "readonly_bool") && row.measured;
    for (const column of columns) {
      const td = document.createElement("td");
      td.className = `cell-${column.type}`;
      td.dataset.col = column.key;
      td.dataset.label = column.label; // the field's caption when the row is a card
      const input = cellInput(column, row[column.key]);
      if (measured && input.tagName !== "SPAN") input.disabled = true;  // measured by PitchLab: read-only
      td.append(input);
      tr.append(td);
    }
    const td = document.createElement("td");
    td.className = "cell-actions";
    const spec = state.units[path] || {};
    if (spec.reorder && !state.readonly) {
      const up = button("↑", "row-move");
      up.title = gettext("Move up");
      up.setAttribute("aria-label", up.title);
      up.addEventListener("click", () => { if (tr.previousElementSibling) { tr.parentNode.insertBefore(tr, tr.previousElementSibling); edited(path); } });
      const down = button("↓", "row-move");
      down.title = gettext("Move down");
      down.setAttribute("aria-label", down.title);
      down.addEventListener("click", () => { if (tr.nextElementSibling) { tr.parentNode.insertBefore(tr.nextElementSibling, tr); edited(path); } });
      td.append(up, down);
    }
    if (!measured && !spec.fixed && !state.readonly) {
      const remove = button("×", "row-remove");
      remove.title = gettext("Delete row");
      remove.setAttribute("aria-label", remove.title);
      remove.addEventListener("click", () => { tr.remove(); edited(path); });
      td.append(remove);
    }
    tr.append(td);
    tr.addEventListener("input", () => edited(path));
    tr.addEventListener("change", () => edited(path));
    return tr;
  }

  function readRows(container, columns) {
    return Array.from(container.querySelectorAll("tbody tr")).map((tr) => {
      const row = {};
      tr.querySelectorAll("[data-key]").forEach((input) => { row[input.dataset.key] = cellValue(input); });
      return row;
    });
  }

  function getPath(object, dotted) { return dotted.split(".").reduce((node, key) => (node == null ? undefined : node[key]), object); }
  function setPath(object, dotted, value) {
    const keys = dotted.split(".");
    let node = object;
    keys.slice(0, -1).forEach((key) => { node[key] = node[key] && typeof node[key] === "object" ? node[key] : {}; node = node[key]; });
    node[keys[keys.length - 1]] = value;
  }

  function renderObject(container, spec, value, path) {
    container.replaceChildren();
    const grid = document.createElement("div");
    grid.className = "object-grid";
    for (const field of spec.fields) {
      const label = document.createElement("label");
      label.className = "object-field";
      const caption = document.createElement("span");
      caption.textContent = field.label;
      const input = cellInput(field, getPath(value, field.key));
      label.append(caption, input);
      grid.append(label);
    }
    grid.addEventListener("input", () => edited(path));
    grid.addEventListener("change", () => edited(path));
    container.append(grid);
    if (spec.list_key) {
      const list = document.createElement("div");
      list.dataset.objectList = spec.list_key;
      renderRows(list, spec.list_columns, value[spec.list_key] || [], path);
      container.append(list);
    }
  }

  function readObject(container, spec) {
    const value = JSON.parse(JSON.stringify(spec.value || {}));
    container.querySelectorAll(".object-grid [data-key]").forEach((input) => setPath(value, input.dataset.key, cellValue(input)));
    if (spec.list_key) value[spec.list_key] = readRows(container.querySelector("[data-object-list]"), spec.list_columns);
    return value;
  }

  // ---------- traction paste ----------
  const pasteButton = document.querySelector("[data-paste-parse]");
  if (pasteButton) {
    pasteButton.addEventListener("click", async () => {
      const text = document.getElementById("paste-traction").value;
      const result = document.querySelector("[data-paste-result]");
      let response;
      try { response = await request("POST", `${api}/traction/parse/`, { text }); } catch (e) { response = null; }
      if (!response) { result.textContent = gettext("Cannot reach the server; try again."); return; }
      const body = await response.json();
      result.replaceChildren();
      if (!response.ok) { result.append(item(body.message)); return; }
      const errors = document.createElement("ul");
      errors.className = "errors";
      body.errors.forEach((e) => errors.append(item(e.message)));
      const addRows = () => {
        const spec = state.units["data.traction"];
        const rows = readRows(units["data.traction"].querySelector("[data-structured]"), spec.columns).concat(body.rows);
        setUnitValue("data.traction", rows);
        edited("data.traction");
        document.getElementById("paste-traction").value = "";
        result.replaceChildren(item(fmt(ngettext("%(n)s row added.", "%(n)s rows added.", body.rows.length), { n: body.rows.length })));
      };
      // Counted in rows, not messages: a note about the header (an ignored column) makes no row bad, and one bad
      // row may have several messages.
      const bad = typeof body.bad_rows === "number" ? body.bad_rows : body.errors.length;
      if (bad === 0 && body.rows.length) {
        addRows();
        if (body.errors.length) result.append(errors);
        return;
      }
      const summary = document.createElement("p");
      summary.dataset.pasteSummary = "";
      summary.textContent = fmt(ngettext("%(good)s row can be read; %(bad)s cannot:", "%(good)s rows can be read; %(bad)s cannot:", body.rows.length), { good: body.rows.length, bad });
      result.append(summary, errors);
      if (body.rows.length) {
        const confirm = button(fmt(ngettext("Add the %(n)s good row only", "Add the %(n)s good rows only", body.rows.length), { n: body.rows.length }), "button small");
        confirm.dataset.confirmRows = "";
        confirm.addEventListener("click", addRows);
        result.append(confirm);
      }
    });
  }

  // ---------- revisions ----------
  const revisionList = document.getElementById("revision-list");
  const REVISION_REASONS = {
    autosave: gettext("while editing"),
    manual: gettext("saved by hand"),
    restore: gettext("restored"),
    created: gettext("created"),
    import: gettext("imported"),
  };
  let revisionsTimer = null;
  function refreshRevisionsSoon() { clearTimeout(revisionsTimer); revisionsTimer = setTimeout(loadRevisions, 1500); }

  async function loadRevisions() {
    let response;
    try { response = await request("GET", `${api}/revisions/`); } catch (e) { return; }
    if (!response.ok) return;
    const revisions = await response.json();
    revisionList.replaceChildren(...revisions.map((revision) => {
      const li = document.createElement("li");
      const when = window.PitchLabFormat.dateTime(revision.created_at, state.lang);
      const text = document.createElement("span");
      text.textContent = `v${revision.version} · ${when} · ${REVISION_REASONS[revision.reason] || revision.reason}${revision.note ? ` — ${revision.note}` : ""}`;
      const diff = button(gettext("Compare"), "button ghost small");
      diff.addEventListener("click", () => showDiff(revision));
      const restore = button(gettext("Restore"), "button ghost small");
      restore.addEventListener("click", () => restoreRevision(revision));
      li.append(text, diff, ...(state.readonly ? [] : [restore]));
      return li;
    }));
  }

  async function showDiff(revision) {
    const response = await request("GET", `${api}/revisions/${revision.id}/`);
    const body = await response.json();
    const box = document.getElementById("revision-diff");
    box.hidden = false;
    box.replaceChildren();
    const title = document.createElement("h3");
    title.textContent = fmt(gettext("Changes since v%(version)s"), { version: revision.version });
    box.append(title);
    if (!body.changes_since.length) {
      const none = document.createElement("p");
      none.textContent = gettext("No differences: the pitch is as it was then.");
      box.append(none);
    }
    for (const change of body.changes_since) {
      const row = document.createElement("div");
      row.className = "diff-row";
      const name = document.createElement("strong");
      name.textContent = state.units[change.path] ? state.units[change.path].label : change.path;
      const before = document.createElement("pre"); before.className = "before";
      before.textContent = typeof change.before === "string" ? change.before : JSON.stringify(change.before, null, 1);
      const after = document.createElement("pre"); after.className = "after";
      after.textContent = typeof change.after === "string" ? change.after : JSON.stringify(change.after, null, 1);
      row.append(name, before, after);
      box.append(row);
    }
  }

  async function restoreRevision(revision) {
    if (Object.keys(pending).length && !window.confirm(gettext("You have unsaved edits. Restore anyway?"))) return;
    const response = await request("POST", `${api}/revisions/${revision.id}/restore/`);
    if (!response.ok) return;
    const body = await response.json();
    for (const path of Object.keys(state.units)) {
      const value = getPath(body.content, path);
      setUnitValue(path, value);
      base[path] = body.version;
      delete pending[path];
    }
    persist();
    updateCompleteness(body.completeness);
    scheduleFindings();
    loadRevisions();
    refreshStatus();
  }

  const revisionSave = document.getElementById("revision-save"); // not offered to a viewer
  if (revisionSave) revisionSave.addEventListener("click", async () => {
    const note = document.getElementById("revision-note").value;
    const response = await request("POST", `${api}/revisions/`, { note });
    if (response.ok) { document.getElementById("revision-note").value = ""; loadRevisions(); }
  });

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
