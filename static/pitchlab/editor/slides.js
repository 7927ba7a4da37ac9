/* The canvas editor — the deck's slide list ("deck.slides"): each row's layout, chosen in a picker of thumbnails
 * (the slide drawn in each layout it may take, from /pitches/<id>/deck/layouts/<row>/), and the founder's own
 * (custom) slides added to the list. A choice is a change of the row like any other: it saves through E.edited.
 * Part of the editor's scripts (editor/core.js first, editor.js last); shared state and helpers on
 * window.PitchLab.editor. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  if (!E) return;
  const { state, fmt, request, button } = E;
  const ID_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
  const THUMB_WIDTH = 960; // the thumbnail's document is drawn this wide, then scaled down (app.css)

  function rowKey(row) { return row.kind === "custom" ? `custom-${row.id}` : row.kind; }

  /** What the layout button says: the founder's layout, or "Automatic (<the one the content chooses>)". */
  function layoutText(column, value, key) {
    const labels = column.labels || {};
    if (value) return labels[value] || value;
    const automatic = (column.automatic || {})[key];
    return automatic ? fmt(gettext("Automatic (%(layout)s)"), { layout: labels[automatic] || automatic }) : gettext("Automatic");
  }

  function layoutCell(column, value, row) {
    const cell = button(layoutText(column, value || "", rowKey(row)), "button ghost small layout-button");
    cell.dataset.key = column.key;
    cell.dataset.type = column.type;
    cell.dataset.value = value || "";
    cell.dataset.row = rowKey(row);
    cell.setAttribute("aria-haspopup", "dialog");
    cell.setAttribute("aria-label", `${column.label}: ${cell.textContent}`);
    cell.addEventListener("click", () => openPicker(cell, column));
    return cell;
  }

  function relabel(cell, column) {
    cell.textContent = layoutText(column, cell.dataset.value, cell.dataset.row);
    cell.setAttribute("aria-label", `${column.label}: ${cell.textContent}`);
  }

  function choose(cell, column, name) {
    cell.dataset.value = name;
    relabel(cell, column);
    E.edited(cell.closest("[data-unit]").dataset.unit);
  }

  /** A sandboxed document showing one slide, scaled down: no script runs in it (no allow-scripts). */
  function thumbnail(body, html) {
    const frame = document.createElement("iframe");
    frame.className = "layout-thumb";
    frame.setAttribute("sandbox", "allow-same-origin");
    frame.setAttribute("tabindex", "-1");
    frame.setAttribute("aria-hidden", "true");
    frame.width = String(THUMB_WIDTH);
    frame.height = String(THUMB_WIDTH * 9 / 16);
    const fit = "<style>html,body{height:auto;overflow:hidden}.slide,.slide[hidden]{display:block;width:100vw;"
      + "border-radius:0;box-shadow:none}</style>";
    frame.srcdoc = `<!doctype html><html><head><meta charset="utf-8">${body.head}${fit}</head>`
      + `<body class="theme-${body.theme}">${html}</body></html>`;
    const box = document.createElement("span");
    box.className = "layout-thumb-box";
    box.append(frame);
    return box;
  }

  function option(label, current, thumb) {
    const choice = button("", "layout-option");
    choice.setAttribute("aria-pressed", current ? "true" : "false");
    const caption = document.createElement("span");
    caption.className = "layout-option-label";
    caption.textContent = label;
    if (thumb) choice.append(thumb);
    choice.append(caption);
    return choice;
  }

  async function openPicker(cell, column) {
    const dialog = document.createElement("dialog");
    dialog.className = "layout-picker";
    const head = document.createElement("div");
    head.className = "layout-picker-head";
    const title = document.createElement("h3");
    const kindCell = cell.closest("tr").querySelector('[data-key="kind"]');
    title.textContent = fmt(gettext("Layout of “%(slide)s”"), { slide: kindCell ? kindCell.textContent : cell.dataset.row });
    const close = button("×", "layout-picker-close");
    close.setAttribute("aria-label", gettext("Close"));
    close.addEventListener("click", () => dialog.close());
    head.append(title, close);
    const grid = document.createElement("div");
    grid.className = "layout-grid";
    grid.setAttribute("aria-busy", "true");
    grid.textContent = gettext("Drawing the layouts…");
    dialog.append(head, grid);
    dialog.addEventListener("close", () => { dialog.remove(); cell.focus(); });
    document.body.append(dialog);
    dialog.showModal();

    let body = null;
    try {
      const response = await request("GET", `/pitches/${state.pitchId}/deck/layouts/${encodeURIComponent(cell.dataset.row)}/`);
      body = await response.json();
      if (!response.ok) throw new Error(body.message || "");
    } catch (error) {
      grid.removeAttribute("aria-busy");
      grid.textContent = (body && body.message) || gettext("The layouts could not be drawn: save the slide first, or show it, then try again.");
      return;
    }
    grid.removeAttribute("aria-busy");
    const current = cell.dataset.value;
    if (!body.chosen) { // what the content chooses now (the page's word for it may be older than the last edits)
      column.automatic = { ...(column.automatic || {}), [cell.dataset.row]: body.layout };
      relabel(cell, column);
    }
    const automatic = (column.automatic || {})[cell.dataset.row];
    const drawn = Object.fromEntries(body.layouts.map((entry) => [entry.name, entry.html]));
    const choices = [
      ["", layoutText(column, "", cell.dataset.row), automatic && drawn[automatic]],
      ...body.layouts.map((entry) => [entry.name, entry.label, entry.html]),
    ];
    grid.replaceChildren(...choices.map(([name, label, html]) => {
      const choice = option(label, name === current, html ? thumbnail(body, html) : null);
      choice.dataset.layout = name;
      choice.addEventListener("click", () => {
        if (name !== cell.dataset.value) choose(cell, column, name);
        dialog.close();
      });
      return choice;
    }));
    const pressed = grid.querySelector('[aria-pressed="true"]');
    (pressed || grid.firstElementChild).focus();
  }

  // ---------- the founder's own slides ----------
  function randomId() {
    const bytes = window.crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (byte) => ID_LETTERS[byte % ID_LETTERS.length]).join("");
  }

  /** The button under a fixed list that appends the row its unit offers (``spec.new_row``: its label, the row's
   * value, and the key given a fresh random id), then saves. */
  function newRowButton(offer, tbody, columns, path) {
    const add = button(offer.label, "button ghost small");
    add.dataset.addRow = "";
    add.addEventListener("click", () => {
      const row = JSON.parse(JSON.stringify(offer.value));
      if (offer.random_id) row[offer.random_id] = randomId();
      const tr = E.rowNode(columns, row, path);
      tbody.append(tr);
      E.fitWithin(tr);
      E.edited(path);
      const first = tr.querySelector("textarea, input");
      if (first) first.focus();
    });
    return add;
  }

  Object.assign(E, { layoutCell, newRowButton });
})();
