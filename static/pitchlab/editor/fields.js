/* The canvas editor — reading and drawing the fields: a unit's value, text counters, one-line cells, tables of
 * rows (a card per row when narrow) and objects.
 * Part of the editor's scripts (editor/core.js first, editor.js last); shared state and helpers on
 * window.PitchLab.editor. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  if (!E) return;
  const { state, fmt, units, fit, fitWithin, button } = E;

  // Each row as it came, so that a save (which writes the whole list) keeps the keys no column shows: a slide's
  // layout, overrides, bullets, a custom slide's id, text and picture. The columns' keys are overwritten on it.
  const rowData = new WeakMap();

  // ---------- reading and writing editors ----------
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
    if (E.valueShown) E.valueShown(path, value); // editor/undo.js: the value an edit of this unit starts from
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

  function cellInput(column, value, row) {
    let input;
    if (column.type === "layout") return E.layoutCell(column, value, row);  // editor/slides.js
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
    if (type === "readonly_text" || type === "layout") return input.dataset.value;
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
    if (spec.fixed && container.closest("[data-unit]").dataset.unit === path) {
      // A fixed list adds only the rows its unit offers (the deck's custom slides: ``new_row``), never a blank one.
      const offer = spec.new_row && !state.readonly ? [E.newRowButton(spec.new_row, tbody, columns, path)] : [];
      container.append(table, ...offer);
      return;
    }
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
      const input = cellInput(column, row[column.key], row);
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
      up.addEventListener("click", () => { if (tr.previousElementSibling) { tr.parentNode.insertBefore(tr, tr.previousElementSibling); E.edited(path); } });
      const down = button("↓", "row-move");
      down.title = gettext("Move down");
      down.setAttribute("aria-label", down.title);
      down.addEventListener("click", () => { if (tr.nextElementSibling) { tr.parentNode.insertBefore(tr.nextElementSibling, tr); E.edited(path); } });
      td.append(up, down);
    }
    const removable = !spec.fixed || (spec.removable_kind && row.kind === spec.removable_kind);
    if (!measured && removable && !state.readonly) {
      const remove = button("×", "row-remove");
      remove.title = gettext("Delete row");
      remove.setAttribute("aria-label", remove.title);
      remove.addEventListener("click", () => { tr.remove(); E.edited(path); });
      td.append(remove);
    }
    tr.append(td);
    tr.addEventListener("input", () => E.edited(path));
    tr.addEventListener("change", () => E.edited(path));
    rowData.set(tr, row);
    return tr;
  }

  function readRows(container, columns) {
    return Array.from(container.querySelectorAll("tbody tr")).map((tr) => {
      const row = JSON.parse(JSON.stringify(rowData.get(tr) || {}));
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
    grid.addEventListener("input", () => E.edited(path));
    grid.addEventListener("change", () => E.edited(path));
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

  Object.assign(E, { unitValue, setUnitValue, updateCount, cellInput, cellValue, renderRows, rowNode, readRows, getPath, setPath, renderObject, readObject });
})();
