/* Demo models page — The models list: one card per model, painted from the API, watched while it prepares.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { state, MINUTE, list, emptyNote, countNode, pageError, cardTemplate, KIND, SOURCE, STATUS, STAGE, fmt, h, part, say, tell, percent, duration, isNumber, metricsNote, busy, call, stream, setProgress } = A;
  // ---------- the models list ----------
  const cards = new Map(); // model id -> {model, el, stopPoll, panel}

  function urls(model) {
    const base = `/api/demo-models/${model.id}/`;
    const given = model.urls || {};
    return {
      detail: base,
      events: given.events || `${base}events/`, // the detail's progress as server-sent events
      predict: given.predict || `${base}predict/`,
      explain: given.explain || `${base}explain/`,
      examples: given.examples || `${base}examples/`,
      preflight: given.preflight || `${base}preflight/`,
      evaluate: given.evaluate || `${base}evaluate/`,
      evaluationEvents: given.evaluation_events || `${base}evaluation/events/`,
      evaluationAccept: given.evaluation_accept || `${base}evaluation/accept/`,
      evaluationDiscard: given.evaluation_discard || `${base}evaluation/discard/`,
      link: given.audience_link || `${base}audience-link/`,
    };
  }

  function refreshCount() {
    countNode.textContent = String(cards.size);
    emptyNote.hidden = cards.size > 0;
  }

  function stageLabel(stage) {
    if (!stage) return gettext("Preparing");
    if (STAGE[stage]) return STAGE[stage];
    const words = String(stage).replace(/[_-]+/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function metricRows(metrics) {
    const rows = [];
    if (!metrics || typeof metrics !== "object") return rows;
    if (isNumber(metrics.accuracy)) rows.push([gettext("Accuracy"), percent(metrics.accuracy)]);
    if (isNumber(metrics.macro_f1)) rows.push([gettext("Macro F1"), metrics.macro_f1.toFixed(2)]);
    const held = metrics.samples ?? metrics.examples ?? metrics.held_out;
    if (isNumber(held)) rows.push([gettext("Held out"), fmt(ngettext("%(n)s example", "%(n)s examples", held), { n: held })]);
    if (isNumber(metrics.latency_ms_p95)) rows.push([gettext("p95 latency"), duration(metrics.latency_ms_p95)]);
    return rows;
  }

  function paint(entry, model) {
    entry.model = model;
    const el = entry.el;
    el.dataset.status = model.status;
    const nameNode = part(el, "name");
    nameNode.textContent = model.name;
    const meta = [KIND[model.kind] || model.kind, SOURCE[model.source] || model.source];
    if (model.device) meta.push(fmt(gettext("runs on %(device)s"), { device: model.device }));
    if (model.status === "ready" && model.examples_count > 0) {
      meta.push(fmt(ngettext("%(n)s curated example", "%(n)s curated examples", model.examples_count), { n: model.examples_count }));
    }
    part(el, "meta").textContent = meta.join(" · ");
    const badge = part(el, "badge");
    badge.className = `demo-badge ${model.status}`;
    badge.textContent = STATUS[model.status] || model.status;

    const status = part(el, "status");
    status.replaceChildren();
    if (model.status === "preparing") {
      const progress = model.progress || {};
      const box = h("div", { class: "demo-progress" },
        h("div", { class: "demo-progress-bar" }, h("span")),
        h("span", { class: "demo-progress-label" }));
      status.append(box);
      const fraction = isNumber(progress.fraction) ? progress.fraction : null;
      setProgress(box, fraction, fraction === null ? `${stageLabel(progress.stage)}…` : `${stageLabel(progress.stage)} · ${Math.round(fraction * 100)}%`);
    } else if (model.status === "failed") {
      status.append(h("p", { class: "demo-failure" }, h("strong", { text: gettext("It did not work:") }), " ", model.failure || gettext("no reason was recorded.")));
    }

    const labels = part(el, "labels");
    labels.replaceChildren(...(model.labels || []).map((label) => h("li", { class: "chip", text: label })));
    const trainedOn = part(el, "trained-on"); // what it was trained on: the server words it (demos/domain.py)
    if (trainedOn) {
      trainedOn.textContent = model.status === "ready" && typeof model.trained_on_text === "string" ? model.trained_on_text : "";
      trainedOn.hidden = !trainedOn.textContent;
    }

    const metrics = part(el, "metrics");
    const rows = metricRows(model.metrics);
    metrics.replaceChildren(...rows.map(([term, value]) => h("div", {}, h("dt", { text: term }), h("dd", { text: value }))));
    metrics.hidden = rows.length === 0;
    const note = part(el, "metrics-note");
    note.textContent = metricsNote(model.metrics);
    note.hidden = !note.textContent;

    const toggle = el.querySelector('[data-action="on-slide"]');
    if (toggle && !toggle.dataset.busy) toggle.checked = Boolean(model.on_slide);
    const onSlideNote = part(el, "on-slide-note"); // read-only, where the role cannot change it
    if (onSlideNote) onSlideNote.hidden = !model.on_slide;

    const panel = part(el, "panel");
    panel.hidden = model.status !== "ready";
    if (entry.panel) A.paintLink(entry, model.audience_link || null);
    if (model.status === "preparing" && !entry.stopPoll) watch(entry);
  }

  function watch(entry) {
    const errorSlot = part(entry.el, "error");
    say(errorSlot, "");
    entry.stopPoll = stream({
      url: urls(entry.model).events,
      fallback: urls(entry.model).detail,
      onData: (model) => {
        if (model.status !== "preparing") entry.stopPoll = null;
        paint(entry, model);
      },
      done: (model) => model.status !== "preparing",
      progressOf: (model) => model.progress,
      stallMs: 10 * MINUTE,
      maxMs: 60 * MINUTE,
      onGiveUp: (reason) => {
        entry.stopPoll = null;
        say(errorSlot, reason, { label: gettext("Check again"), run: () => watch(entry) }, true);
        const label = entry.el.querySelector(".demo-progress-label");
        if (label) label.textContent = gettext("Not checking any more");
        const bar = entry.el.querySelector(".demo-progress-bar");
        if (bar) bar.classList.remove("indeterminate");
      },
    });
  }

  function buildCard(model) {
    const el = cardTemplate.content.firstElementChild.cloneNode(true);
    el.dataset.modelId = String(model.id);
    el.id = `demo-model-${model.id}`;
    const entry = { model, el, stopPoll: null, panel: null };
    el.querySelectorAll("[data-action]").forEach((node) => { node.disabled = false; });
    const errorSlot = part(el, "error");

    const toggle = el.querySelector('[data-action="on-slide"]');
    if (toggle) toggle.addEventListener("change", async () => {
      const wanted = toggle.checked;
      toggle.dataset.busy = "1";
      toggle.disabled = true;
      say(errorSlot, "");
      const answer = await call("PATCH", urls(entry.model).detail, { json: { on_slide: wanted } });
      delete toggle.dataset.busy;
      toggle.disabled = false;
      if (answer.ok) paint(entry, answer.data);
      else { toggle.checked = !wanted; tell(errorSlot, answer); }
    });

    const renameForm = part(el, "rename-form");
    const nameNode = part(el, "name");
    const renameInput = renameForm.querySelector("input");
    const closeRename = () => { renameForm.hidden = true; nameNode.hidden = false; say(errorSlot, ""); };
    const renameButton = el.querySelector('[data-action="rename"]');
    if (renameButton) renameButton.addEventListener("click", () => {
      renameInput.value = entry.model.name;
      renameForm.hidden = false;
      nameNode.hidden = true;
      renameInput.focus();
      renameInput.select();
    });
    renameForm.querySelector('[data-action="rename-cancel"]').addEventListener("click", closeRename);
    renameInput.addEventListener("keydown", (event) => { if (event.key === "Escape") closeRename(); });
    renameForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = renameInput.value.trim();
      if (!name) { say(errorSlot, gettext("A model needs a name.")); renameInput.focus(); return; }
      const button = renameForm.querySelector('[type="submit"]');
      busy(button, gettext("Saving…"));
      const answer = await call("PATCH", urls(entry.model).detail, { json: { name } });
      busy(button, "");
      if (answer.ok) { closeRename(); paint(entry, answer.data); }
      else tell(errorSlot, answer); // the typed name stays in the box
    });

    const deleteButton = el.querySelector('[data-action="delete"]');
    if (deleteButton) deleteButton.addEventListener("click", async (event) => {
      const owned = entry.model.source !== "sample";
      const question = owned
        ? gettext("Delete “%(name)s”? Its curated examples and audience link go with it, and so do its trained files. This cannot be undone.")
        : gettext("Delete “%(name)s”? Its curated examples and audience link go with it. This cannot be undone.");
      if (!window.confirm(fmt(question, { name: entry.model.name }))) return;
      busy(event.currentTarget, gettext("Deleting…"));
      const button = event.currentTarget;
      const answer = await call("DELETE", urls(entry.model).detail);
      if (answer.ok || answer.status === 404) {
        if (entry.stopPoll) entry.stopPoll();
        if (entry.panel) {
          entry.panel.stops.forEach((stop) => stop());
          if (entry.panel.tryHolder && entry.panel.tryHolder.plDemo) entry.panel.tryHolder.plDemo.destroy();
        }
        el.remove();
        cards.delete(entry.model.id);
        refreshCount();
      } else {
        busy(button, "");
        tell(errorSlot, answer);
      }
    });

    const panel = part(el, "panel");
    panel.addEventListener("toggle", () => { if (panel.open && !entry.panel) A.buildPanel(entry); });
    return entry;
  }

  function addCard(model, { highlight } = {}) {
    const entry = buildCard(model);
    cards.set(model.id, entry);
    list.append(entry.el);
    paint(entry, model);
    refreshCount();
    if (highlight) {
      entry.el.classList.add("just-added");
      entry.el.scrollIntoView({ behavior: "smooth", block: "center" });
      setTimeout(() => entry.el.classList.remove("just-added"), 2500);
    }
    return entry;
  }

  async function loadModels() {
    const answer = await call("GET", state.listUrl);
    if (!answer.ok) {
      tell(pageError, answer, { label: gettext("Try again"), run: loadModels }, `${gettext("The models' details could not be loaded, so this page is read-only for now.")} `);
      return;
    }
    say(pageError, "");
    const models = Array.isArray(answer.data) ? answer.data : (answer.data && answer.data.results) || [];
    cards.forEach((entry) => { if (entry.stopPoll) entry.stopPoll(); });
    cards.clear();
    list.replaceChildren();
    models.forEach((model) => addCard(model));
    refreshCount();
    const target = location.hash && cards.get(Number(location.hash.replace("#demo-model-", "")));
    if (target) {
      const panel = part(target.el, "panel");
      if (!panel.hidden) panel.open = true;
      target.el.scrollIntoView({ block: "start" });
    }
  }


  Object.assign(A, { urls, refreshCount, stageLabel, metricRows, paint, watch, buildCard, addCard, loadModels, cards });
})();
