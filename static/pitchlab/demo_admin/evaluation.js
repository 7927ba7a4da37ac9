/* Demo models page — Evaluation on a labelled test set: progress, figures, the confusion table, and the rows it proposes for Data.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { state, MINUTE, fmt, rich, h, part, slotFor, say, tell, percent, tooBig, isNumber, busy, call, stream, setProgress } = A;
  // ----- evaluation on a test set -----
  function setupEvaluate(entry) {
    const root = entry.panel.root;
    const form = part(root, "evaluate-form");
    if (!form) return;
    const fileInput = form.querySelector('[name="file"]');
    const image = entry.model.kind === "image";
    fileInput.accept = image ? ".zip,application/zip" : ".csv,text/csv";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slot = slotFor(root, "evaluate");
      const name = form.querySelector('[name="name"]').value.trim();
      const file = fileInput.files[0];
      if (!name) { say(slot, gettext("Name the dataset: it is how the result is labelled in the Data section.")); return; }
      if (!file) { say(slot, image ? gettext("Choose a zip with one folder per label.") : gettext("Choose a CSV file with columns text,label.")); return; }
      if (state.datasetLimitBytes && file.size > state.datasetLimitBytes) {
        say(slot, tooBig(file, state.datasetLimitBytes)); return;
      }
      say(slot, "");
      const data = new FormData();
      data.append("file", file);
      data.append("name", name);
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Sending…"));
      const answer = await call("POST", A.urls(entry.model).evaluate, { form: data, timeoutMs: 5 * MINUTE });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; } // the name and the chosen file stay
      watchEvaluation(entry);
    });
  }

  async function loadEvaluation(entry) {
    const answer = await call("GET", A.urls(entry.model).evaluate);
    if (!answer.ok || !answer.data) return;
    if (answer.data.status === "running") watchEvaluation(entry);
    else renderEvaluation(entry, answer.data);
  }

  function watchEvaluation(entry) {
    const root = entry.panel.root;
    const progress = part(root, "evaluate-progress");
    const slot = slotFor(root, "evaluate");
    const evaluateForm = part(root, "evaluate-form");
    const button = evaluateForm && evaluateForm.querySelector('[type="submit"]');
    busy(button, gettext("Evaluating…"));
    part(root, "evaluate-result").replaceChildren();
    setProgress(progress, null, gettext("Starting…"));
    const stop = stream({
      url: A.urls(entry.model).evaluationEvents,
      fallback: A.urls(entry.model).evaluate,
      delay: 300,
      onData: (data) => {
        if (data.status === "running") {
          const fraction = data.progress && isNumber(data.progress.fraction) ? data.progress.fraction : null;
          setProgress(progress, fraction, fraction === null ? gettext("Evaluating…") : fmt(gettext("Evaluating · %(percent)s"), { percent: `${Math.round(fraction * 100)}%` }));
          return;
        }
        busy(button, "");
        progress.hidden = true;
        renderEvaluation(entry, data);
      },
      done: (data) => data.status !== "running",
      progressOf: (data) => data.progress,
      stallMs: 5 * MINUTE,
      maxMs: 60 * MINUTE,
      onGiveUp: (reason) => {
        busy(button, "");
        progress.hidden = true;
        say(slot, reason, { label: gettext("Check again"), run: () => { say(slot, ""); loadEvaluation(entry); } }, true);
      },
    });
    entry.panel.stops.push(stop);
  }

  function renderEvaluation(entry, data) {
    const root = entry.panel.root;
    const box = part(root, "evaluate-result");
    const slot = slotFor(root, "evaluate");
    if (data.status === "failed") {
      box.replaceChildren();
      say(slot, fmt(gettext("The evaluation did not finish: %(reason)s."), { reason: data.error || gettext("no reason was given") }));
      return;
    }
    if (data.status === "discarded") {
      box.replaceChildren(h("p", { class: "help", text: gettext("The last evaluation was discarded; nothing was added to Data.") }));
      return;
    }
    const result = data.result;
    if (data.status !== "done" || !result) { box.replaceChildren(); return; }
    const figures = [];
    if (isNumber(result.accuracy)) figures.push([gettext("Accuracy"), percent(result.accuracy)]);
    if (isNumber(result.macro_f1)) figures.push([gettext("Macro F1"), result.macro_f1.toFixed(2)]);
    if (isNumber(result.samples)) figures.push([gettext("Samples"), String(result.samples)]);
    box.replaceChildren(
      h("p", { class: "result-title" }, rich(gettext("On %(dataset)s"), { dataset: h("strong", { text: data.dataset || gettext("the test set") }) })),
      h("dl", { class: "figures" }, figures.map(([term, value]) => h("div", {}, h("dt", { text: term }), h("dd", { text: value })))),
      confusionTable(result.confusion),
      proposedRows(entry, data));
  }

  // ----- the rows an evaluation proposes for Data: the founder picks which go in -----
  const interval = (row) => {
    if (!isNumber(row.ci_low) || !isNumber(row.ci_high)) return "";
    const method = row.ci_method === "bootstrap" ? gettext("bootstrap") : gettext("Wilson");
    return fmt(gettext("95% CI %(low)s–%(high)s (%(method)s)"), { low: percent(row.ci_low), high: percent(row.ci_high), method });
  };
  const figure = (row) => (row.unit ? `${row.value.toFixed(1)} ${row.unit}` : percent(row.value));

  // The evaluation's metric keys, named in the page's language (the rows' own "metric" is the Data table's value).
  const METRIC_NAMES = {
    accuracy: () => gettext("accuracy"),
    macro_f1: () => gettext("F1 (macro)"),
    macro_precision: () => gettext("precision (macro)"),
    macro_recall: () => gettext("recall (macro)"),
    latency_p50: () => gettext("latency (p50)"),
  };

  function proposedRows(entry, data) {
    const rows = Array.isArray(data.proposed) ? data.proposed : [];
    if (!rows.length) return null;
    const accepted = new Set(data.accepted || []);
    const sample = Boolean(data.sample_model);
    const wrap = h("div", { class: "proposed", "data-role": "proposed" });
    const intro = sample
      ? gettext("Sample model — not your result. These figures show how evaluation works; they cannot go into Data.")
      : gettext("Nothing is in Data yet. Choose the figures to add; each keeps its sample size and 95% interval.");
    wrap.append(h("p", { class: sample ? "proposed-note sample" : "proposed-note", text: intro }));
    if (isNumber(data.overlap) && data.overlap > 0) {
      wrap.append(h("p", { class: "proposed-note warn", text: fmt(ngettext(
        "%(count)s evaluation input was also a training example: the figures overstate how the model does on new data.",
        "%(count)s evaluation inputs were also training examples: the figures overstate how the model does on new data.",
        data.overlap), { count: data.overlap }) }));
    }
    const list = h("ul", { class: "proposed-rows" });
    rows.forEach((row) => {
      const done = accepted.has(row.key);
      const marks = [];
      if (row.small_sample) marks.push(h("span", { class: "mark small", "data-role": "small-sample", text: gettext("small sample") }));
      if (row.sample_model) marks.push(h("span", { class: "mark sample", text: gettext("sample model — not your result") }));
      if (done) marks.push(h("span", { class: "mark done", text: gettext("in Data") }));
      const box = h("input", { type: "checkbox", name: "metric", value: row.key, disabled: sample || done, checked: !sample && !done });
      list.append(h("li", { "data-key": row.key },
        h("label", { class: "proposed-row" }, box,
          h("span", { class: "proposed-metric", text: METRIC_NAMES[row.key] ? METRIC_NAMES[row.key]() : row.metric }),
          h("strong", { class: "proposed-value", text: figure(row) }),
          h("span", { class: "proposed-ci", text: interval(row) }),
          h("span", { class: "proposed-n", text: fmt(gettext("n = %(n)s"), { n: row.samples }) }),
          marks)));
    });
    wrap.append(list);
    if (rows.some((row) => row.small_sample)) {
      wrap.append(h("p", { class: "help", text: gettext("Small sample: fewer than 100 samples, or a 95% interval wider than ±10 points. Slides mark it.") }));
    }
    const slot = h("p", { class: "field-error", role: "alert", hidden: true });
    const add = h("button", { type: "button", class: "button small", "data-role": "accept", disabled: sample, text: gettext("Add to Data") });
    const discard = h("button", { type: "button", class: "button small ghost", "data-role": "discard", text: gettext("Discard") });
    add.addEventListener("click", async () => {
      const metrics = Array.from(list.querySelectorAll('input[name="metric"]:checked:not(:disabled)')).map((input) => input.value);
      if (!metrics.length) { say(slot, gettext("Choose at least one figure to add to Data.")); return; }
      busy(add, gettext("Adding…"));
      const answer = await call("POST", A.urls(entry.model).evaluationAccept, { json: { metrics } });
      busy(add, "");
      if (!answer.ok) { tell(slot, answer); return; }
      renderEvaluation(entry, answer.data);
      const note = part(entry.panel.root, "evaluate-result").querySelector('[data-role="proposed"]');
      if (note) note.append(h("p", { class: "written" }, rich(gettext("✓ Added to the Data section as measured by PitchLab. %(link)s"), {
        link: h("a", { href: state.dataUrl, text: gettext("See it in the Data section") }),
      })));
    });
    discard.addEventListener("click", async () => {
      busy(discard, gettext("Discarding…"));
      const answer = await call("POST", A.urls(entry.model).evaluationDiscard, {});
      busy(discard, "");
      if (!answer.ok) { tell(slot, answer); return; }
      renderEvaluation(entry, answer.data);
    });
    wrap.append(h("div", { class: "proposed-actions" }, add, discard), slot);
    return wrap;
  }

  function confusionTable(confusion) {
    if (!confusion || !Array.isArray(confusion.labels) || !Array.isArray(confusion.matrix)) return null;
    const labels = confusion.labels;
    const table = h("table", { class: "confusion" },
      h("caption", { text: gettext("Rows: the true label · columns: what the model said") }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "corner" }, h("span", { class: "visually-hidden", text: gettext("True label") })), labels.map((label) => h("th", { scope: "col", text: label })))),
      h("tbody", {}, confusion.matrix.map((row, i) => {
        const total = row.reduce((sum, value) => sum + value, 0) || 1;
        return h("tr", {},
          h("th", { scope: "row", text: labels[i] }),
          row.map((value, j) => {
            const share = value / total;
            const cls = i === j ? "hit" : value ? "miss" : "zero";
            return h("td", { class: cls, style: value ? { "--share": share.toFixed(2) } : null, title: `${labels[i]} → ${labels[j]}: ${value}`, text: String(value) });
          }));
      })));
    return h("div", { class: "table-scroll" }, table);
  }


  Object.assign(A, { setupEvaluate, loadEvaluation, watchEvaluation, renderEvaluation, proposedRows, confusionTable, interval, figure, METRIC_NAMES });
})();
