/* The founder's demo-models page: add, try, check and share demo models, all through the JSON API.
 *
 * - The server renders each model's card (name, status, failure reason) so the page reads without
 *   JavaScript; this script then loads the list from the API and takes over the cards.
 * - Every answer that is not a success is shown in words next to the control that sent it; what
 *   the founder typed stays in the form.
 * - Every wait has an end: requests time out, and polling stops after repeated failures or when
 *   nothing moves for too long, saying so and offering to check again. No spinner spins forever.
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by the page first).
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("demo-page-state");
  if (!stateNode) return;
  const state = JSON.parse(stateNode.textContent);
  const budgetMs = state.budgetMs || 2000;
  const capacityLimits = state.capacity || { users: 30, seconds: 20, max_users: 100, max_seconds: 60 };
  // What this member's role allows (access.py's table, from the server): the templates leave out the controls
  // it does not, and this script never makes them, so a viewer is not offered what the API would refuse.
  const may = state.can || {};

  const REQUEST_TIMEOUT_MS = 20000;
  const PREFLIGHT_TIMEOUT_MS = 90000; // every example once, each up to the budget, plus the web round trips
  const UPLOAD_TIMEOUT_MS = 15 * 60 * 1000;
  const POLL_MS = 1000;
  const POLL_FAILURES = 5; // consecutive failed polls before the page stops and says so
  const MINUTE = 60 * 1000;

  const list = document.getElementById("demo-list");
  const emptyNote = document.getElementById("demo-empty");
  const countNode = document.getElementById("demo-model-count");
  const pageError = document.getElementById("demo-page-error");
  const cardTemplate = document.getElementById("demo-card-template");
  const panelTemplate = document.getElementById("demo-panel-template");

  const KIND = { text: gettext("Text classifier"), image: gettext("Image classifier") };
  const SOURCE = { sample: gettext("Sample"), examples: gettext("Trained from examples"), upload: gettext("Uploaded") };
  const STATUS = { preparing: gettext("Preparing"), ready: gettext("Ready"), failed: gettext("Failed") };
  // A preparing model's stage as the worker reports it (others are shown as they come, capitalised).
  const STAGE = {
    queued: gettext("Queued"), started: gettext("Started"), training: gettext("Training"), evaluating: gettext("Evaluating"),
    saving: gettext("Saving"), skipped: gettext("Skipped"),
  };
  const fmt = (text, values) => interpolate(text, values, true);

  /** A translated sentence with nodes in it: "%(name)s" placeholders are replaced by ``values[name]`` (text or a node). */
  function rich(text, values) {
    return text.split(/%\((\w+)\)s/).map((piece, i) => (i % 2 ? values[piece] : piece)).filter((piece) => piece !== "");
  }

  // ---------- small helpers ----------
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      // through the CSSOM, never a style attribute: a CSP without 'unsafe-inline' is coming
      else if (key === "style") Object.entries(value).forEach(([name, v]) => node.style.setProperty(name, v));
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const part = (root, name) => root.querySelector(`[data-role="${name}"]`);
  const slotFor = (root, name) => root.querySelector(`[data-error-for="${name}"]`);

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /** Show ``message`` in an error slot (or clear it); ``action`` adds one button, e.g. "Check again";
   * ``calm`` is for what passes by itself (busy, rate-limited, offline): amber, not red. */
  function say(slot, message, action, calm) {
    if (!slot) return;
    slot.replaceChildren();
    slot.classList.toggle("calm", Boolean(message && calm));
    if (message) {
      slot.append(message);
      if (action) slot.append(" ", h("button", { type: "button", class: "link-button", onclick: action.run, text: action.label }));
    }
    slot.hidden = !message;
    // a field with one control is marked red; a group (the examples table) only gets the message
    const field = slot.closest(".field, .stack");
    if (field && field.querySelectorAll("input, textarea, select").length === 1) field.classList.toggle("has-error", Boolean(message));
  }

  /** Say what a failed call answered, calmly when it is the kind that passes. */
  function tell(slot, answer, action, prefix) {
    say(slot, `${prefix || ""}${answer.message}`, action, answer.calm);
  }

  function clearErrors(root) {
    root.querySelectorAll("[data-error-for]").forEach((slot) => say(slot, ""));
  }

  const percent = (x) => `${Math.round(x * 1000) / 10}%`;
  const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1).replace(/\.0$/, "")} s`);
  const megabytes = (bytes) => `${Math.round(bytes / 1e6)} MB`;
  const tooBig = (file, limit) => fmt(gettext("%(file)s is %(size)s; the limit is %(limit)s."), { file: file.name, size: megabytes(file.size), limit: megabytes(limit) });
  const isNumber = (x) => typeof x === "number" && Number.isFinite(x);

  // The worker's note comes in English; the page says it in its own language (older rows have only ``note``).
  function metricsNote(metrics) {
    if (!metrics || !(metrics.note_code || (typeof metrics.note === "string" && metrics.note))) return "";
    const n = metrics.trained_examples;
    if (!isNumber(n)) return gettext("Too few examples per label to hold some out for testing: trained on all of them, so its accuracy was not measured.");
    return fmt(ngettext(
      "Too few examples per label to hold some out for testing: trained on all %(n)s example, so its accuracy was not measured.",
      "Too few examples per label to hold some out for testing: trained on all %(n)s examples, so its accuracy was not measured.",
      n,
    ), { n });
  }

  function when(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const minutes = Math.round((Date.now() - date.getTime()) / MINUTE);
    if (minutes < 1) return gettext("just now");
    if (minutes < 60) return fmt(gettext("%(n)s min ago"), { n: minutes });
    return window.PitchLabFormat.dateTime(date);
  }

  function busy(button, text) {
    if (!button) return; // a control this role is not offered
    if (!button.dataset.idleText) button.dataset.idleText = button.textContent;
    button.disabled = Boolean(text);
    button.textContent = text || button.dataset.idleText;
    button.classList.toggle("busy", Boolean(text));
  }

  // ---------- the network ----------
  const FIELD_WORDS = {
    name: gettext("Name"), kind: gettext("Kind"), source: gettext("Source"), examples: gettext("Examples"), csv: gettext("CSV file"),
    file: gettext("File"), text: gettext("Text"), image: gettext("Picture"), expected_label: gettext("Expected label"),
    expires_in_minutes: gettext("Expiry"), users: gettext("People"), seconds: gettext("Seconds"), capacity: gettext("Rehearsal"),
    on_slide: gettext("On a slide"),
  };

  /** DRF's field errors ({field: ["…"]}, possibly nested) as sentences. */
  function fieldText(value) {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(fieldText).filter(Boolean).join(" ");
    if (value && typeof value === "object") return Object.entries(value).map(([key, inner]) => `${FIELD_WORDS[key] || key}: ${fieldText(inner)}`).join(" ");
    return "";
  }

  const fieldsOf = (data) => (data && data.extra && data.extra.fields && typeof data.extra.fields === "object" ? data.extra.fields : null);

  function explain(status, data, retryAfter) {
    let said = data && typeof data.message === "string" ? data.message.trim() : "";
    if (fieldsOf(data) && (!said || said === "Validation error")) said = fieldText(fieldsOf(data));
    if (status === 429) {
      if (retryAfter) {
        const what = (said || gettext("Too many requests in a short time")).replace(/[.。]$/, "");
        return fmt(gettext("%(message)s (about %(seconds)s s)."), { message: what, seconds: retryAfter });
      }
      return said || gettext("Too many requests in a short time: wait a few seconds, then try again.");
    }
    if (status === 503) {
      return fmt(gettext("%(message)s Nothing is lost: it may be starting up or busy with another job — try again in a moment."), {
        message: said || gettext("The model worker is not answering right now."),
      });
    }
    if (status === 401) return gettext("Your session has ended: log in again (in another tab), then retry.");
    if (status === 403) return said && !said.startsWith("CSRF") ? said : gettext("This page's security token has expired: reload the page, then retry.");
    if (status === 404) return said || gettext("Not found: it may have been deleted in another tab. Reload the page.");
    if (status === 413) return said || gettext("The file is too large.");
    if (status >= 500) return gettext("PitchLab hit an error on its side. Try again; if it keeps happening, tell us what you did.");
    return said || fmt(gettext("The request was refused (%(status)s)."), { status });
  }

  function parse(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  /** One API call. Resolves to {ok, status, data, message}; never rejects, never waits past its time-out. */
  async function call(method, url, { json, form, timeoutMs } = {}) {
    const limit = timeoutMs || REQUEST_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form) {
      body = form; // the browser sets the multipart boundary
    }
    try {
      const response = await fetch(url, { method, credentials: "same-origin", headers, body, signal: controller.signal });
      const data = parse(await response.text());
      if (response.ok) return { ok: true, status: response.status, data };
      const calm = response.status === 429 || response.status === 503;
      return { ok: false, status: response.status, data, calm, message: explain(response.status, data, response.headers.get("Retry-After")) };
    } catch (e) {
      const message = e.name === "AbortError"
        ? fmt(gettext("No answer within %(seconds)s s. Nothing was lost — try again in a moment."), { seconds: Math.round(limit / 1000) })
        : gettext("PitchLab could not be reached. Check the connection, then try again.");
      return { ok: false, status: 0, data: null, calm: true, message };
    } finally {
      clearTimeout(timer);
    }
  }

  /** A multipart upload with progress: fetch cannot report how much of a large zip has been sent. */
  function upload(url, form, onProgress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.timeout = UPLOAD_TIMEOUT_MS;
      xhr.upload.addEventListener("progress", (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
      xhr.upload.addEventListener("load", () => onProgress(1));
      xhr.addEventListener("load", () => {
        const data = parse(xhr.responseText);
        const ok = xhr.status >= 200 && xhr.status < 300;
        const calm = xhr.status === 429 || xhr.status === 503;
        resolve({ ok, status: xhr.status, data, calm, message: ok ? "" : explain(xhr.status, data, xhr.getResponseHeader("Retry-After")) });
      });
      xhr.addEventListener("error", () => resolve({ ok: false, status: 0, data: null, calm: true, message: gettext("The upload was interrupted. Check the connection, then try again.") }));
      xhr.addEventListener("timeout", () => resolve({ ok: false, status: 0, data: null, calm: true, message: gettext("The upload did not finish within 15 minutes. Try again on a faster connection.") }));
      xhr.send(form);
    });
  }

  /** Ask ``url`` every second until ``done``; stop after repeated failures, at ``maxMs``, or when
   * ``progressOf`` has not changed for ``stallMs``, and call ``onGiveUp`` with the reason. */
  function poll({ url, onData, done, progressOf, stallMs, maxMs, onGiveUp, delay }) {
    let stopped = false;
    let failures = 0;
    let timer = null;
    const started = Date.now();
    let lastProgress = null;
    let lastChange = started;
    async function tick() {
      if (stopped) return;
      const answer = await call("GET", url, { timeoutMs: 10000 });
      if (stopped) return;
      if (answer.ok) {
        failures = 0;
        onData(answer.data);
        if (done(answer.data)) { stopped = true; return; }
        const progress = progressOf ? JSON.stringify(progressOf(answer.data)) : null;
        if (progress !== lastProgress) { lastProgress = progress; lastChange = Date.now(); }
      } else {
        failures += answer.status === 404 ? POLL_FAILURES : 1;
        if (failures >= POLL_FAILURES) { stopped = true; onGiveUp(fmt(gettext("The page stopped checking. %(reason)s"), { reason: answer.message })); return; }
      }
      const now = Date.now();
      if (now - started > maxMs || (stallMs && now - lastChange > stallMs)) {
        stopped = true;
        onGiveUp(gettext("This is taking longer than expected, so the page stopped checking."));
        return;
      }
      timer = setTimeout(tick, POLL_MS);
    }
    timer = setTimeout(tick, delay === undefined ? POLL_MS : delay);
    return () => { stopped = true; clearTimeout(timer); };
  }

  function setProgress(box, fraction, label) {
    box.hidden = false;
    const bar = box.querySelector(".demo-progress-bar");
    const fill = bar.querySelector("span");
    const known = isNumber(fraction);
    bar.classList.toggle("indeterminate", !known);
    fill.style.width = known ? `${Math.max(2, Math.min(100, fraction * 100))}%` : "";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    if (known) bar.setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
    else bar.removeAttribute("aria-valuenow");
    box.querySelector(".demo-progress-label").textContent = label || "";
  }

  // ---------- the models list ----------
  const cards = new Map(); // model id -> {model, el, stopPoll, panel}

  function urls(model) {
    const base = `/api/demo-models/${model.id}/`;
    const given = model.urls || {};
    return {
      detail: base,
      predict: given.predict || `${base}predict/`,
      explain: given.explain || `${base}explain/`,
      examples: given.examples || `${base}examples/`,
      preflight: given.preflight || `${base}preflight/`,
      evaluate: given.evaluate || `${base}evaluate/`,
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
    if (entry.panel) paintLink(entry, model.audience_link || null);
    if (model.status === "preparing" && !entry.stopPoll) watch(entry);
  }

  function watch(entry) {
    const errorSlot = part(entry.el, "error");
    say(errorSlot, "");
    entry.stopPoll = poll({
      url: urls(entry.model).detail,
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
    panel.addEventListener("toggle", () => { if (panel.open && !entry.panel) buildPanel(entry); });
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

  // ---------- one ready model's panel ----------
  function buildPanel(entry) {
    const body = part(entry.el, "panel-body");
    body.append(panelTemplate.content.cloneNode(true));
    const kind = entry.model.kind;
    body.querySelectorAll("[data-kind]").forEach((node) => { node.hidden = node.dataset.kind !== kind; });
    part(body, "budget").textContent = duration(budgetMs);
    entry.panel = { root: body, examples: [], stops: [] };
    setupExamples(entry);
    setupPreflight(entry);
    setupAudience(entry);
    setupEvaluate(entry);
    paintLink(entry, entry.model.audience_link || null);
    // the pre-flight report names its examples, so it is drawn once they are known
    loadExamples(entry).then(() => loadPreflight(entry));
    loadEvaluation(entry);
  }

  function mountTry(entry) {
    const root = part(entry.panel.root, "try");
    const component = window.PitchLabDemo;
    if (!component || typeof component.mount !== "function") {
      root.replaceChildren(h("p", { class: "field-error", text: gettext("The try panel did not load. Reload the page to try again.") }));
      return;
    }
    if (!entry.panel.tryHolder) {
      entry.panel.tryHolder = h("div", { class: "try-mount" });
      root.replaceChildren(entry.panel.tryHolder);
    }
    const links = urls(entry.model);
    try {
      // mounting again on the same element replaces the previous panel (and its listeners)
      component.mount(entry.panel.tryHolder, {
        kind: entry.model.kind,
        predictUrl: links.predict,
        explainUrl: links.explain,
        labels: entry.model.labels || [],
        trainedOn: entry.model.trained_on_text || "",
        examples: entry.panel.examples,
        budgetMs,
        stage: false,
        csrfToken: csrfToken(),
      });
    } catch (e) {
      root.replaceChildren(h("p", { class: "field-error", text: fmt(gettext("The try panel could not start: %(error)s"), { error: e.message }) }));
      entry.panel.tryHolder = null;
    }
  }

  // ----- curated examples -----
  function setupExamples(entry) {
    const root = entry.panel.root;
    const form = part(root, "example-form");
    if (!form) return;
    const select = form.querySelector('[name="expected_label"]');
    (entry.model.labels || []).forEach((label) => select.append(h("option", { value: label, text: label })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const slot = slotFor(form, "form");
      const expected = select.value;
      let options;
      if (entry.model.kind === "image") {
        const file = form.querySelector('[name="image"]').files[0];
        if (!file) { say(slot, gettext("Choose a PNG or JPEG picture first.")); return; }
        const data = new FormData();
        data.append("image", file);
        data.append("expected_label", expected);
        options = { form: data, timeoutMs: 60000 };
      } else {
        const text = form.querySelector('[name="text"]').value.trim();
        if (!text) { say(slot, gettext("Type the example's text first.")); return; }
        options = { json: { text, expected_label: expected } };
      }
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Adding…"));
      const answer = await call("POST", urls(entry.model).examples, options);
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      form.reset(); // only after success: on an error the text and picture stay
      entry.panel.examples.push(answer.data);
      renderExamples(entry);
      mountTry(entry);
    });
  }

  async function loadExamples(entry) {
    const slot = slotFor(entry.panel.root, "examples");
    const answer = await call("GET", urls(entry.model).examples);
    if (!answer.ok) {
      tell(slot, answer, { label: gettext("Try again"), run: () => loadExamples(entry) }, `${gettext("The examples could not be loaded.")} `);
    } else {
      say(slot, "");
      entry.panel.examples = Array.isArray(answer.data) ? answer.data : (answer.data && answer.data.results) || [];
      renderExamples(entry);
    }
    mountTry(entry);
  }

  function topLabel(output) {
    const labels = output && Array.isArray(output.labels) ? output.labels : [];
    return labels.length ? labels[0] : null;
  }

  function renderExamples(entry) {
    const root = entry.panel.root;
    const listNode = part(root, "examples");
    const examples = entry.panel.examples;
    part(root, "examples-count").textContent = String(examples.length);
    if (entry.model.examples_count !== examples.length) paint(entry, { ...entry.model, examples_count: examples.length });
    if (!examples.length) {
      listNode.replaceChildren(h("li", { class: "example-empty", text: gettext("No curated example yet. Add the three or four inputs you will show on stage.") }));
      return;
    }
    listNode.replaceChildren(...examples.map((example, index) => {
      const top = topLabel(example.cached_output);
      const content = example.image_url
        ? h("img", { class: "example-thumb", src: example.image_url, alt: fmt(gettext("Example %(n)s"), { n: index + 1 }), loading: "lazy" })
        : h("p", { class: "example-text", text: example.text });
      const cached = top
        ? h("span", { class: `example-cached${example.expected_label && top.label !== example.expected_label ? " mismatch" : ""}` },
          fmt(gettext("last answer: %(label)s %(score)s"), { label: top.label, score: percent(top.score) }),
          isNumber(example.cached_output.latency_ms) ? ` · ${duration(example.cached_output.latency_ms)}` : "")
        : h("span", { class: "example-cached none", text: gettext("no answer kept yet: run pre-flight") });
      const remove = may.edit ? h("button", {
        type: "button", class: "row-remove", title: gettext("Delete this example"), "aria-label": fmt(gettext("Delete example %(n)s"), { n: index + 1 }), text: "×",
      }) : null;
      const errorSlot = h("p", { class: "field-error", role: "alert", hidden: true });
      if (remove) remove.addEventListener("click", async () => {
        remove.disabled = true;
        const answer = await call("DELETE", `${urls(entry.model).examples}${example.id}/`);
        remove.disabled = false;
        if (!answer.ok && answer.status !== 404) { tell(errorSlot, answer); return; }
        entry.panel.examples = entry.panel.examples.filter((other) => other.id !== example.id);
        renderExamples(entry);
        mountTry(entry);
      });
      return h("li", { class: "example" },
        h("span", { class: "example-key", text: index < 9 ? String(index + 1) : "" }),
        h("div", { class: "example-body" },
          content,
          h("div", { class: "example-meta" },
            example.expected_label ? h("span", { class: "chip small", text: fmt(gettext("expected: %(label)s"), { label: example.expected_label }) }) : null,
            cached),
          errorSlot),
        remove);
    }));
  }

  // ----- pre-flight and the capacity rehearsal -----
  function setupPreflight(entry) {
    const root = entry.panel.root;
    const button = root.querySelector('[data-action="preflight"]');
    if (button) button.addEventListener("click", async () => {
      const slot = slotFor(root, "preflight");
      say(slot, "");
      const count = entry.panel.examples.length;
      busy(button, count ? fmt(ngettext("Running %(n)s example…", "Running %(n)s examples…", count), { n: count }) : gettext("Running…"));
      const answer = await call("POST", urls(entry.model).preflight, { json: {}, timeoutMs: PREFLIGHT_TIMEOUT_MS });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      renderPreflight(entry, answer.data && answer.data.examples ? answer.data : (answer.data || {}).preflight);
      refreshCachedOutputs(entry);
    });

    const form = part(root, "capacity-form");
    if (!form) return;
    const users = form.querySelector('[name="users"]');
    const seconds = form.querySelector('[name="seconds"]');
    users.value = capacityLimits.users;
    users.max = capacityLimits.max_users;
    seconds.value = capacityLimits.seconds;
    seconds.max = capacityLimits.max_seconds;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slot = slotFor(root, "capacity");
      const u = Number(users.value);
      const s = Number(seconds.value);
      if (!Number.isInteger(u) || u < 1 || u > capacityLimits.max_users) {
        say(slot, fmt(gettext("People: a whole number from 1 to %(max)s."), { max: capacityLimits.max_users })); users.focus(); return;
      }
      if (!Number.isInteger(s) || s < 1 || s > capacityLimits.max_seconds) {
        say(slot, fmt(gettext("Seconds: a whole number from 1 to %(max)s."), { max: capacityLimits.max_seconds })); seconds.focus(); return;
      }
      say(slot, "");
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Starting…"));
      const answer = await call("POST", urls(entry.model).preflight, { json: { capacity: { users: u, seconds: s } }, timeoutMs: PREFLIGHT_TIMEOUT_MS });
      if (!answer.ok) { busy(button, ""); tell(slot, answer); return; }
      const data = answer.data || {};
      const report = data.preflight || (data.examples ? data : null);
      if (report) renderPreflight(entry, report);
      watchCapacity(entry, { users: u, seconds: s, started: Date.now() });
    });
  }

  async function loadPreflight(entry) {
    const answer = await call("GET", urls(entry.model).preflight);
    if (!answer.ok || !answer.data) return; // nothing run yet reads the same as nothing to show
    if (answer.data.preflight && answer.data.preflight.checked_at) renderPreflight(entry, answer.data.preflight);
    const capacity = answer.data.capacity;
    if (capacity && capacity.status === "running") {
      const started = Date.parse(capacity.started_at || "");
      watchCapacity(entry, { users: capacity.users, seconds: capacity.seconds, started: Number.isNaN(started) ? Date.now() : started });
    }
    else if (capacity && capacity.status) renderCapacity(entry, capacity);
  }

  async function refreshCachedOutputs(entry) {
    const answer = await call("GET", urls(entry.model).examples);
    if (!answer.ok) return;
    entry.panel.examples = Array.isArray(answer.data) ? answer.data : (answer.data && answer.data.results) || [];
    renderExamples(entry);
    mountTry(entry);
  }

  function mark(ok, yes, no) {
    return h("span", { class: ok ? "mark ok" : "mark bad", title: ok ? yes : no }, ok ? "✓" : "✗", h("span", { class: "visually-hidden", text: ok ? yes : no }));
  }

  function renderPreflight(entry, report) {
    const root = entry.panel.root;
    const box = part(root, "preflight-report");
    if (!report) { box.replaceChildren(); return; }
    part(root, "preflight-when").textContent = report.checked_at ? fmt(gettext("Last run %(when)s"), { when: when(report.checked_at) }) : "";
    const rows = Array.isArray(report.examples) ? report.examples : [];
    const budget = isNumber(report.budget_ms) ? report.budget_ms : budgetMs;
    if (!rows.length) {
      box.replaceChildren(h("p", { class: "muted", text: gettext("There was no curated example to check: add a few above, then run pre-flight.") }));
      return;
    }
    const byId = new Map(entry.panel.examples.map((example, index) => [example.id, { example, index }]));
    const slowest = isNumber(report.slowest_ms) ? report.slowest_ms : Math.max(...rows.map((row) => row.latency_ms || 0));
    const failed = rows.filter((row) => !row.ok).length;
    const slow = rows.filter((row) => row.ok && isNumber(row.latency_ms) && row.latency_ms > budget).length;
    const wrong = rows.filter((row) => row.matches === false).length;
    const problems = [];
    if (failed) {
      problems.push(fmt(ngettext("%(n)s got no answer (on stage it falls back to the kept answer)", "%(n)s got no answer (on stage they fall back to the kept answer)", failed), { n: failed }));
    }
    if (slow) problems.push(fmt(gettext("%(n)s took longer than the %(budget)s budget"), { n: slow, budget: duration(budget) }));
    if (wrong) problems.push(fmt(gettext("%(n)s gave another label than the expected one"), { n: wrong }));
    const verdict = problems.length
      // Translators: %(problems)s lists what went wrong, joined by the separator "; " (translated on its own).
      ? fmt(gettext("Of %(count)s examples, %(problems)s."), { count: rows.length, problems: problems.join(gettext("; ")) })
      : fmt(gettext("All %(count)s examples answered in time with the expected label."), { count: rows.length });
    const good = !failed && !slow && !wrong;
    const ratio = budget ? Math.min(1, slowest / budget) : 0;
    const table = h("table", { class: "rows report-table" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "#" }), h("th", { scope: "col", class: "clip", text: gettext("Example") }), h("th", { scope: "col", text: gettext("Answer") }),
        h("th", { scope: "col", text: gettext("Expected") }), h("th", { scope: "col", class: "num", text: gettext("Time") }), h("th", { scope: "col", text: gettext("OK") }))),
      h("tbody", {}, rows.map((row, position) => {
        const known = byId.get(row.id);
        const example = known ? known.example : null;
        const top = row.labels && row.labels.length ? row.labels[0] : null;
        const what = example ? (example.text || (example.image_url ? gettext("picture") : "")) : "";
        const isSlow = isNumber(row.latency_ms) && row.latency_ms > budget;
        return h("tr", { class: row.ok ? "" : "failed" },
          h("td", { text: String(known ? known.index + 1 : position + 1) }),
          h("td", { class: "clip", title: what, text: what || "—" }),
          h("td", {}, row.ok && top ? `${top.label} ${percent(top.score)}` : h("span", { class: "error-text", text: row.error || gettext("no answer") })),
          h("td", { class: "nowrap" }, row.expected_label ? [row.expected_label, " ", row.matches === null || row.matches === undefined ? "" : mark(row.matches, gettext("matches"), gettext("does not match"))] : "—"),
          h("td", { class: `num${isSlow ? " slow" : ""}${isNumber(row.latency_ms) && row.latency_ms === slowest ? " slowest" : ""}`, text: isNumber(row.latency_ms) ? duration(row.latency_ms) : "—" }),
          h("td", {}, mark(row.ok && !isSlow, gettext("answered in time"), isSlow ? gettext("slower than the budget") : gettext("failed"))));
      })));
    box.replaceChildren(
      h("p", { class: `verdict ${good ? "good" : "warn"}`, text: verdict }),
      h("div", { class: "budget-line" },
        h("span", { text: fmt(gettext("Slowest %(slowest)s of the %(budget)s budget"), { slowest: duration(slowest), budget: duration(budget) }) }),
        h("div", { class: `budget-bar${slowest > budget ? " over" : ""}` }, h("span", { style: { width: `${Math.max(2, ratio * 100)}%` } }))),
      h("div", { class: "table-scroll" }, table));
  }

  function watchCapacity(entry, run) {
    const root = entry.panel.root;
    const progress = part(root, "capacity-progress");
    const slot = slotFor(root, "capacity");
    const capacityForm = part(root, "capacity-form");
    const button = capacityForm && capacityForm.querySelector('[type="submit"]');
    busy(button, gettext("Rehearsing…"));
    part(root, "capacity").open = true;
    part(root, "capacity-report").replaceChildren();
    const showTime = () => {
      const elapsed = Math.min(run.seconds, Math.round((Date.now() - run.started) / 1000));
      setProgress(progress, run.seconds ? elapsed / run.seconds : null,
        elapsed < run.seconds
          ? fmt(gettext("%(users)s people trying for %(seconds)s s: %(elapsed)s s so far"), { users: run.users, seconds: run.seconds, elapsed })
          : gettext("Adding up the answers…"));
    };
    showTime();
    const stop = poll({
      url: urls(entry.model).preflight,
      onData: (data) => {
        const capacity = data && data.capacity;
        if (capacity && capacity.status === "running") { showTime(); return; }
        busy(button, "");
        progress.hidden = true;
        renderCapacity(entry, capacity);
      },
      done: (data) => !data || !data.capacity || data.capacity.status !== "running",
      maxMs: (run.seconds + 120) * 1000, // the run's own length, then time to add up the answers
      onGiveUp: (reason) => {
        busy(button, "");
        progress.hidden = true;
        say(slot, reason, { label: gettext("Check again"), run: () => { say(slot, ""); loadPreflight(entry); } }, true);
      },
    });
    entry.panel.stops.push(stop);
  }

  function capacityVerdict(capacity) {
    const requests = capacity.requests || 0;
    const errors = capacity.errors || 0;
    const p95 = capacity.p95_ms;
    if (capacity.status === "failed") {
      return { good: false, text: fmt(gettext("The rehearsal did not finish: %(reason)s."), { reason: capacity.error || gettext("no reason was given") }) };
    }
    if (!requests) return { good: false, text: gettext("No request was sent, so there is nothing to judge: try again with more seconds.") };
    if (errors >= requests) return { good: false, text: gettext("Nobody in the room would get an answer: every request failed. Run pre-flight to see why.") };
    const failedShare = errors / requests;
    let text;
    let good = true;
    if (isNumber(p95) && p95 <= budgetMs) text = fmt(gettext("The room will get answers in about %(seconds)s s (p95)."), { seconds: (p95 / 1000).toFixed(1) });
    else if (isNumber(p95)) {
      good = false;
      text = fmt(
        gettext("With %(users)s people at once, answers slow to about %(seconds)s s (p95), over the %(budget)s budget: some will wait. A GPU, or fewer people trying at once, helps."),
        { users: capacity.users, seconds: (p95 / 1000).toFixed(1), budget: duration(budgetMs) },
      );
    } else text = gettext("The answers' timing was not recorded.");
    if (errors) {
      good = good && failedShare < 0.02;
      text += ` ${fmt(gettext("%(errors)s of %(requests)s requests (%(share)s) got no answer."), { errors, requests, share: percent(failedShare) })}`;
    }
    return { good, text };
  }

  function renderCapacity(entry, capacity) {
    const box = part(entry.panel.root, "capacity-report");
    if (!capacity || !capacity.status || capacity.status === "running") { box.replaceChildren(); return; }
    const verdict = capacityVerdict(capacity);
    const figures = [
      [gettext("Requests"), capacity.requests], [gettext("Errors"), capacity.errors],
      ["p50", isNumber(capacity.p50_ms) ? duration(capacity.p50_ms) : null], ["p95", isNumber(capacity.p95_ms) ? duration(capacity.p95_ms) : null],
      [gettext("Per second"), isNumber(capacity.per_second) ? capacity.per_second.toFixed(1) : null],
    ].filter(([, value]) => value !== null && value !== undefined);
    box.replaceChildren(
      h("p", { class: `verdict ${verdict.good ? "good" : "warn"}`, text: verdict.text }),
      isNumber(capacity.users) ? h("p", { class: "muted", text: fmt(gettext("%(users)s simulated people for %(seconds)s s."), { users: capacity.users, seconds: capacity.seconds }) }) : null,
      capacity.status === "done" ? h("dl", { class: "figures" }, figures.map(([term, value]) => h("div", {}, h("dt", { text: term }), h("dd", { text: String(value) })))) : null);
  }

  // ----- the audience link -----
  function setupAudience(entry) {
    const root = entry.panel.root;
    const form = part(root, "link-form");
    const slot = slotFor(root, "link");
    if (form) form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const raw = form.querySelector('[name="expires_in_minutes"]').value.trim();
      const minutes = raw === "" ? null : Number(raw);
      if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1)) {
        say(slot, gettext("Expiry: a whole number of minutes, or empty for no expiry.")); return;
      }
      if (entry.model.audience_link && !window.confirm(gettext("Open a new link? The current one stops working."))) return;
      say(slot, "");
      const button = part(root, "link-submit");
      busy(button, gettext("Opening…"));
      const answer = await call("POST", urls(entry.model).link, { json: { expires_in_minutes: minutes } });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      entry.model.audience_link = answer.data;
      paintLink(entry, answer.data);
    });
    root.querySelector('[data-action="link-copy"]').addEventListener("click", async () => {
      const input = part(root, "link-url");
      const note = part(root, "link-copied");
      try {
        await navigator.clipboard.writeText(input.value);
        note.textContent = gettext("Copied.");
      } catch (e) {
        // the clipboard API needs a secure context; selecting the text still lets the founder copy it
        input.focus();
        input.select();
        note.textContent = document.execCommand && document.execCommand("copy") ? gettext("Copied.") : gettext("Selected: press Ctrl+C (⌘C) to copy.");
      }
      setTimeout(() => { note.textContent = ""; }, 4000);
    });
    const revoke = root.querySelector('[data-action="link-revoke"]');
    if (revoke) revoke.addEventListener("click", async (event) => {
      if (!window.confirm(gettext("Revoke the audience link? Anyone who opens it from now on is told it no longer exists."))) return;
      const button = event.currentTarget;
      busy(button, gettext("Revoking…"));
      const answer = await call("DELETE", urls(entry.model).link);
      busy(button, "");
      if (!answer.ok && answer.status !== 404) { tell(slot, answer); return; }
      say(slot, "");
      entry.model.audience_link = null;
      paintLink(entry, null);
    });
  }

  function paintLink(entry, link) {
    const root = entry.panel.root;
    const open = part(root, "link-open");
    open.hidden = !link;
    const none = part(root, "link-none"); // a role that cannot open one reads that none is open
    if (none) none.hidden = Boolean(link);
    if (part(root, "link-submit")) {
      part(root, "link-submit").textContent = link ? gettext("Open a new link") : gettext("Open an audience link");
      part(root, "link-submit").dataset.idleText = part(root, "link-submit").textContent;
    }
    if (part(root, "link-form-help")) part(root, "link-form-help").textContent = link
      ? gettext("A new link replaces this one: the old address stops working.")
      : gettext("Leave the expiry empty to keep the link until you revoke it.");
    if (!link) return;
    part(root, "link-url").value = link.url;
    // A loopback link is dead for every phone: the server says so (and what to do) in the page's language.
    part(root, "link-warning").textContent = link.warning || "";
    part(root, "link-warning").hidden = !link.warning;
    part(root, "link-visit").href = link.url;
    const qr = part(root, "qr");
    const src = `${link.qr_svg_url}${link.qr_svg_url.includes("?") ? "&" : "?"}v=${encodeURIComponent(link.token || "")}`;
    if (qr.getAttribute("src") !== src) qr.src = src;
    let expiry = gettext("No expiry: it works until you revoke it.");
    if (link.expires_at) {
      const at = new Date(link.expires_at);
      const minutes = Math.round((at.getTime() - Date.now()) / MINUTE);
      expiry = minutes > 0
        ? fmt(gettext("Expires in %(minutes)s min (%(time)s)."), { minutes, time: window.PitchLabFormat.time(at) })
        : gettext("Expired: open a new link.");
    }
    part(root, "link-expiry").textContent = expiry;
  }

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
      const answer = await call("POST", urls(entry.model).evaluate, { form: data, timeoutMs: 5 * MINUTE });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; } // the name and the chosen file stay
      watchEvaluation(entry);
    });
  }

  async function loadEvaluation(entry) {
    const answer = await call("GET", urls(entry.model).evaluate);
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
    const stop = poll({
      url: urls(entry.model).evaluate,
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
      const answer = await call("POST", urls(entry.model).evaluationAccept, { json: { metrics } });
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
      const answer = await call("POST", urls(entry.model).evaluationDiscard, {});
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
    const entry = addCard(model, { highlight: true });
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

  setupTabs();
  setupSample();
  setupExamplesForm();
  setupUpload();
  loadModels();
})();
