/* The canvas editor — the panels beside the fields: findings (the checker), growth fits, completeness, the traction
 * paste, and revisions (compare, restore, save by hand).
 * Part of the editor's scripts (editor/core.js first, editor.js last); shared state and helpers on
 * window.PitchLab.editor. */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.editor;
  if (!E) return;
  const { state, api, zh, fmt, base, pending, persist, units, request, item, button } = E;
  const { setUnitValue, readRows, getPath, refreshStatus, edited } = E;

  // ---------- findings, growth, completeness ----------
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
    const PART_LABELS = { pictures: gettext("Pictures") };
    for (const count of body.parts_since || []) {
      const line = document.createElement("p");
      line.className = "diff-part";
      line.textContent = fmt(gettext("%(part)s: %(before)s → %(after)s"), {
        part: PART_LABELS[count.part] || count.part, before: count.before, after: count.after,
      });
      box.append(line);
    }
    if (!body.changes_since.length && !(body.parts_since || []).length) {
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
    // Panels outside the canvas units follow: the Pictures panel shows the pictures the restore brought back.
    document.dispatchEvent(new CustomEvent("pitchlab:revision-restored", { detail: { version: body.version, content: body.content } }));
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

  Object.assign(E, { scheduleFindings, loadFindings, loadGrowth, updateCompleteness, refreshRevisionsSoon, loadRevisions });
})();
