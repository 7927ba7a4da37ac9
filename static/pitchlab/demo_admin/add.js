/* Demo models page — Adding a model: from a sample, trained from examples (a rows table that takes pasted cells), or an uploaded zip.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { state, MINUTE, fmt, h, part, slotFor, say, tell, clearErrors, percent, megabytes, tooBig, busy, fieldText, fieldsOf, call, upload, setProgress } = A;
  // ---------- adding a model ----------
  function setupTabs() {
    const tabs = Array.from(document.querySelectorAll('#demo-add [role="tab"]'));
    const select = (tab, focus) => {
      tabs.forEach((other) => {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
      });
      if (focus) tab.focus();
    };
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => select(tab, false));
      tab.addEventListener("keydown", (event) => {
        const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (step) { event.preventDefault(); select(tabs[(index + step + tabs.length) % tabs.length], true); }
      });
    });
  }

  function created(form, model, note) {
    const entry = A.addCard(model, { highlight: true });
    say(slotFor(form, "form"), "");
    const done = slotFor(form, "form");
    done.hidden = false;
    done.replaceChildren(h("span", { class: "ok-text", text: note }));
    setTimeout(() => { if (done.querySelector(".ok-text")) say(done, ""); }, 6000);
    return entry;
  }

  /** Show a refused answer at the field it is about: the field the API names, each field of a validation
   * error at its own control, and the rest at ``primary``. */
  function refuse(form, answer, primary) {
    const data = answer.data || {};
    const extra = data.extra || {};
    const fields = fieldsOf(data);
    if (fields) {
      const loose = {};
      for (const [key, value] of Object.entries(fields)) {
        const slot = slotFor(form, key);
        if (slot) say(slot, fieldText(value));
        else loose[key] = value;
      }
      const rest = fieldText(loose);
      if (rest) say(slotFor(form, primary) || slotFor(form, "form"), rest);
      return;
    }
    const named = typeof extra.field === "string" && slotFor(form, extra.field) ? extra.field : primary;
    tell(slotFor(form, named) || slotFor(form, "form"), answer);
  }

  function setupSample() {
    const form = document.getElementById("add-sample");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const kind = form.querySelector('[name="kind"]:checked').value;
      const typed = form.querySelector('[name="name"]').value.trim();
      const name = typed || (kind === "image" ? gettext("Chart reader (sample)") : gettext("Feedback triage (sample)"));
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Adding…"));
      const answer = await call("POST", state.listUrl, { json: { source: "sample", kind, name }, timeoutMs: 60000 });
      busy(button, "");
      if (!answer.ok) { refuse(form, answer, "form"); return; }
      form.querySelector('[name="name"]').value = "";
      created(form, answer.data, fmt(gettext("“%(name)s” added."), { name: answer.data.name }));
    });
  }

  // ----- train from examples: the rows table -----
  function exampleRow(label, text) {
    const remove = h("button", { type: "button", class: "row-remove", title: gettext("Remove this row"), "aria-label": gettext("Remove this row"), text: "×" });
    const row = h("tr", {},
      h("td", {}, h("input", { type: "text", name: "row-label", maxlength: "200", "aria-label": gettext("Label"), placeholder: gettext("label") })),
      h("td", {}, h("textarea", { name: "row-text", rows: "1", "aria-label": gettext("Text"), placeholder: gettext("an example of that label") })),
      h("td", {}, remove));
    row.querySelector("input").value = label || "";
    row.querySelector("textarea").value = text || "";
    remove.addEventListener("click", () => { const body = row.parentElement; row.remove(); if (!body.children.length) body.append(exampleRow()); summarise(); });
    return row;
  }

  const rowsBody = () => document.querySelector('#add-examples [data-role="example-rows"]');

  function readRows() {
    return Array.from(rowsBody().children).map((row) => ({
      row,
      label: row.querySelector('[name="row-label"]').value.trim(),
      text: row.querySelector('[name="row-text"]').value.trim(),
    }));
  }

  function summarise() {
    const rows = readRows().filter((row) => row.label && row.text);
    const counts = {};
    rows.forEach((row) => { counts[row.label] = (counts[row.label] || 0) + 1; });
    const labels = Object.keys(counts);
    const node = document.querySelector('#add-examples [data-role="rows-summary"]');
    node.textContent = rows.length
      ? fmt(gettext("%(examples)s · %(labels)s: %(counts)s"), {
        examples: fmt(ngettext("%(n)s example", "%(n)s examples", rows.length), { n: rows.length }),
        labels: fmt(ngettext("%(n)s label", "%(n)s labels", labels.length), { n: labels.length }),
        counts: labels.map((label) => `${label} ${counts[label]}`).join(", "),
      })
      : "";
  }

  /** Lines as "label<TAB>text" or "label,text" → rows; a header line and blank lines are skipped. */
  function parseLines(text) {
    const rows = [];
    const skipped = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (!line.trim()) return;
      const separator = line.includes("\t") ? "\t" : line.includes(",") ? "," : null;
      if (!separator) { skipped.push(index + 1); return; }
      const at = line.indexOf(separator);
      const unquote = (value) => value.trim().replace(/^"(.*)"$/s, "$1").replace(/""/g, '"');
      const label = unquote(line.slice(0, at));
      const body = unquote(line.slice(at + 1));
      if (index === 0 && label.toLowerCase() === "label" && body.toLowerCase() === "text") return;
      if (!label || !body) { skipped.push(index + 1); return; }
      rows.push({ label, text: body });
    });
    return { rows, skipped };
  }

  function fillRows(parsed, from) {
    const body = rowsBody();
    let row = from || null;
    for (const item of parsed) {
      while (row && (row.querySelector('[name="row-label"]').value.trim() || row.querySelector('[name="row-text"]').value.trim()) && row !== from) row = row.nextElementSibling;
      if (!row) { row = exampleRow(); body.append(row); }
      row.querySelector('[name="row-label"]').value = item.label;
      row.querySelector('[name="row-text"]').value = item.text;
      from = null;
      row = row.nextElementSibling;
    }
    summarise();
  }

  function pasteReport(parsed) {
    const note = document.querySelector('#add-examples [data-role="paste-result"]');
    let text = fmt(ngettext("%(n)s row filled.", "%(n)s rows filled.", parsed.rows.length), { n: parsed.rows.length });
    if (parsed.skipped.length) {
      const skipped = ngettext("Skipped line %(lines)s: no label, or no tab or comma after it.", "Skipped lines %(lines)s: no label, or no tab or comma after it.", parsed.skipped.length);
      text += ` ${fmt(skipped, { lines: parsed.skipped.join(", ") })}`;
    }
    note.textContent = text;
  }

  function setupExamplesForm() {
    const form = document.getElementById("add-examples");
    const body = rowsBody();
    for (let i = 0; i < 3; i += 1) body.append(exampleRow());
    form.querySelector('[data-action="add-row"]').addEventListener("click", () => {
      const row = exampleRow();
      body.append(row);
      row.querySelector("input").focus();
    });
    form.querySelector('[data-action="paste-rows"]').addEventListener("click", () => {
      const area = form.querySelector('[name="paste"]');
      const parsed = parseLines(area.value);
      if (!parsed.rows.length) {
        say(slotFor(form, "examples"), gettext("No line could be read: write the label, then a tab or a comma, then the text."));
        return;
      }
      say(slotFor(form, "examples"), "");
      const firstEmpty = Array.from(body.children).find((row) => !row.querySelector('[name="row-label"]').value.trim() && !row.querySelector('[name="row-text"]').value.trim());
      fillRows(parsed.rows, firstEmpty);
      pasteReport(parsed);
      area.value = ""; // now in the rows, where it can be edited
    });
    // Cells copied from a spreadsheet and pasted into a row fill that row and the ones below it.
    body.addEventListener("paste", (event) => {
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      if (!text.includes("\n") && !text.includes("\t")) return;
      const parsed = parseLines(text);
      if (!parsed.rows.length) return;
      event.preventDefault();
      fillRows(parsed.rows, event.target.closest("tr"));
      pasteReport(parsed);
    });
    body.addEventListener("input", summarise);

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      body.querySelectorAll("tr.has-error").forEach((row) => row.classList.remove("has-error"));
      const name = form.querySelector('[name="name"]').value.trim();
      const csv = form.querySelector('[name="csv"]').files[0];
      if (!name) { say(slotFor(form, "name"), gettext("Give the model a name.")); form.querySelector('[name="name"]').focus(); return; }
      let options;
      if (csv && state.datasetLimitBytes && csv.size > state.datasetLimitBytes) {
        say(slotFor(form, "csv"), tooBig(csv, state.datasetLimitBytes)); return;
      }
      if (csv) {
        const data = new FormData();
        data.append("source", "examples");
        data.append("name", name);
        data.append("csv", csv);
        options = { form: data, timeoutMs: 2 * MINUTE };
      } else {
        const rows = readRows();
        const half = rows.filter((row) => Boolean(row.label) !== Boolean(row.text));
        if (half.length) {
          half.forEach((row) => row.row.classList.add("has-error"));
          const index = rows.indexOf(half[0]) + 1;
          const more = half.length - 1;
          let what;
          if (!more) what = half[0].label ? gettext("Row %(row)s has a label but no text.") : gettext("Row %(row)s has text but no label.");
          else if (half[0].label) what = ngettext("Row %(row)s has a label but no text, and %(n)s more row is half filled.", "Row %(row)s has a label but no text, and %(n)s more rows are half filled.", more);
          else what = ngettext("Row %(row)s has text but no label, and %(n)s more row is half filled.", "Row %(row)s has text but no label, and %(n)s more rows are half filled.", more);
          say(slotFor(form, "examples"), fmt(what, { row: index, n: more }));
          return;
        }
        const examples = rows.filter((row) => row.label && row.text).map((row) => ({ text: row.text, label: row.label }));
        if (!examples.length) { say(slotFor(form, "examples"), gettext("Add a few examples (a label and a text on each row), or choose a CSV file.")); return; }
        if (new Set(examples.map((example) => example.label)).size < 2) { say(slotFor(form, "examples"), gettext("A classifier needs at least two different labels.")); return; }
        options = { json: { source: "examples", name, examples }, timeoutMs: 60000 };
      }
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Sending…"));
      const answer = await call("POST", state.listUrl, options);
      busy(button, "");
      if (!answer.ok) { refuse(form, answer, csv ? "csv" : "examples"); return; } // rows, name and file stay as typed
      created(form, answer.data, fmt(gettext("Training “%(name)s”: its progress shows on its card above."), { name: answer.data.name }));
    });
  }

  function setupUpload() {
    const form = document.getElementById("add-upload");
    const limit = state.uploadLimitBytes;
    const progress = part(form, "upload-progress");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const name = form.querySelector('[name="name"]').value.trim();
      const file = form.querySelector('[name="file"]').files[0];
      if (!name) { say(slotFor(form, "name"), gettext("Give the model a name.")); return; }
      if (!file) { say(slotFor(form, "file"), gettext("Choose the zip of your model's folder.")); return; }
      if (!/\.zip$/i.test(file.name)) { say(slotFor(form, "file"), fmt(gettext("%(file)s is not a zip: zip the model's folder first."), { file: file.name })); return; }
      if (limit && file.size > limit) { say(slotFor(form, "file"), tooBig(file, limit)); return; }
      const data = new FormData();
      data.append("source", "upload");
      data.append("name", name);
      data.append("file", file);
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Uploading…"));
      setProgress(progress, 0, fmt(gettext("Uploading %(size)s…"), { size: megabytes(file.size) }));
      const answer = await upload(state.listUrl, data, (fraction) => {
        if (fraction < 1) setProgress(progress, fraction, fmt(gettext("Uploading · %(percent)s"), { percent: `${Math.round(fraction * 100)}%` }));
        else setProgress(progress, null, gettext("Uploaded: checking the files…"));
      });
      busy(button, "");
      progress.hidden = true;
      if (!answer.ok) { refuse(form, answer, "file"); return; } // the name and the chosen file stay
      form.querySelector('[name="name"]').value = "";
      form.querySelector('[name="file"]').value = "";
      created(form, answer.data, fmt(gettext("“%(name)s” uploaded and checked."), { name: answer.data.name }));
    });
  }


  Object.assign(A, { setupTabs, created, refuse, setupSample, exampleRow, readRows, summarise, parseLines, fillRows, pasteReport, setupExamplesForm, setupUpload, rowsBody });
})();
