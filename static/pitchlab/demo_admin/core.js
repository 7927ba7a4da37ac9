/* The founder's demo-models page: add, try, check and share demo models, all through the JSON API.
 *
 * - The server renders each model's card (name, status, failure reason) so the page reads without
 *   JavaScript; these scripts then load the list from the API and take over the cards.
 * - Every answer that is not a success is shown in words next to the control that sent it; what
 *   the founder typed stays in the form.
 * - Every wait has an end: requests time out, and polling stops after repeated failures or when
 *   nothing moves for too long, saying so and offering to check again. No spinner spins forever.
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by the page first).
 *
 * The page's scripts, in order: api.js and dom.js (the app's core), this file (the page's state, words and
 * helpers on window.PitchLab.demoAdmin), one file per panel (demo_admin/*.js), and demo_admin.js, which starts it.
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("demo-page-state");
  if (!stateNode || !window.PitchLab || !window.PitchLab.api) return;
  const api = window.PitchLab.api;
  const { h, rich } = window.PitchLab.dom;
  const state = JSON.parse(stateNode.textContent);
  const budgetMs = state.budgetMs || 2000;
  const capacityLimits = state.capacity || { users: 30, seconds: 20, max_users: 100, max_seconds: 60 };
  // What this member's role allows (access.py's table, from the server): the templates leave out the controls
  // it does not, and these scripts never make them, so a viewer is not offered what the API would refuse.
  const may = state.can || {};

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

  // ---------- small helpers ----------
  const part = (root, name) => root.querySelector(`[data-role="${name}"]`);
  const slotFor = (root, name) => root.querySelector(`[data-error-for="${name}"]`);

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


  /** One API call through api.js, in this page's words. Resolves to {ok, status, data, message, calm}; never
   * rejects, never waits past its time-out. */
  function call(method, url, { json, form, timeoutMs } = {}) {
    return api.send(method, url, { json, form, timeoutMs, explain });
  }

  /** A multipart upload with progress (a large zip takes a while to send). */
  function upload(url, form, onProgress) {
    return api.upload(url, form, { onProgress, explain, timeoutMs: UPLOAD_TIMEOUT_MS });
  }

  /** Ask ``url`` every second until ``done``; stop after repeated failures, at ``maxMs``, or when ``progressOf``
   * has not changed for ``stallMs``, and call ``onGiveUp`` with the reason (api.poll, in this page's words). */
  function poll(options) {
    return api.poll({ intervalMs: POLL_MS, failures: POLL_FAILURES, explain, ...options });
  }

  /** Follow ``url``'s progress stream (server-sent events), with ``fallback`` polled as ``poll`` does when the
   * stream cannot be had: the same callbacks and limits either way (api.stream, in this page's words). */
  function stream(options) {
    return api.stream({ intervalMs: POLL_MS, failures: POLL_FAILURES, explain, ...options });
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

  window.PitchLab.demoAdmin = {
    state, budgetMs, capacityLimits, may, PREFLIGHT_TIMEOUT_MS, MINUTE, list, emptyNote, countNode, pageError, cardTemplate,
    panelTemplate, KIND, SOURCE, STATUS, STAGE, fmt, rich, h, part, slotFor, say, tell, clearErrors, percent,
    duration, megabytes, tooBig, isNumber, metricsNote, when, busy, fieldText, fieldsOf, explain, call, upload, poll, stream,
    setProgress,
  };
})();
