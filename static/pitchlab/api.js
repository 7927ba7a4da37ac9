/* The app's one way to talk to the server: every request of every page script goes through here.
 *
 *   const api = window.PitchLab.api;
 *   const answer = await api.send("PATCH", url, { json: { name } });   // never rejects
 *   if (!answer.ok) show(answer.message);          // one sentence for the founder, in the page's language
 *   answer.error                                   // an ApiError: status, reason (the API's own words), data
 *   const data = await api.json("GET", url);       // the same, but rejects with the ApiError
 *   const done = await api.upload(url, form, { onProgress: (fraction) => … });
 *   const stop = api.poll({ url, onData, done: (data) => …, onGiveUp: (reason) => … });
 *   const stop = api.stream({ url: eventsUrl, fallback: url, onData, done, onGiveUp });  // polls if it must
 *
 * What it does once for everyone: the CSRF token, JSON in and out, a time-out on every request (AbortController),
 * a typed error carrying the status and the API's reason, uploads with progress (XMLHttpRequest: fetch cannot
 * report how much has been sent), polling that backs off on failures and always stops, and progress streams
 * (server-sent events) that fall back to that polling.
 * Its sentences come from Django's JavaScript catalogue (gettext, loaded by the page before this script).
 * Classic script on the ``window.PitchLab`` namespace, like the other page scripts: there is no build step.
 */
(function () {
  "use strict";
  const REQUEST_TIMEOUT_MS = 20000;
  const UPLOAD_TIMEOUT_MS = 15 * 60 * 1000;
  const fmt = (text, values) => interpolate(text, values, true);

  /** A refused or failed request: ``status`` (0 when no answer came), ``reason`` (the API's own message or its
   * field errors, "" when it gave none), ``data`` (the parsed body), and what kind of failure it was. */
  class ApiError extends Error {
    constructor(message, { status = 0, reason = "", data = null, timedOut = false, aborted = false, retryAfter = null } = {}) {
      super(message);
      this.name = "ApiError";
      this.status = status;
      this.reason = reason;
      this.data = data;
      this.timedOut = timedOut;
      this.aborted = aborted;
      this.retryAfter = retryAfter;
      // what passes by itself (busy, rate-limited, offline) is said calmly, not in red
      this.calm = status === 0 || status === 429 || status === 503;
    }
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function parse(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  /** The API's own words: its ``message``, or its field errors when the message is only "Validation error". */
  function reasonOf(data) {
    const said = data && typeof data.message === "string" ? data.message.trim() : "";
    const fields = data && data.extra && data.extra.fields;
    const detail = fields && typeof fields === "object"
      ? Object.values(fields).flat().filter((x) => typeof x === "string").join(" ")
      : "";
    if (detail && (!said || said === "Validation error")) return detail;
    return said;
  }

  /** The default sentence for a refusal (a page may pass its own ``explain``). */
  function explain(status, data) {
    const said = data && typeof data.message === "string" ? data.message.trim() : "";
    if (status === 401) return gettext("Your session has ended: log in again (in another tab), then retry.");
    if (status === 403) return said && !said.startsWith("CSRF") ? said : gettext("This page's security token has expired: reload the page, then retry.");
    if (status === 404) return gettext("Not found: it may have been deleted in another tab. Reload the page.");
    if (status === 429) return said || gettext("Too many requests in a short time: wait a few seconds, then try again.");
    if (status >= 500) return gettext("PitchLab hit an error on its side. Try again in a moment.");
    return reasonOf(data) || fmt(gettext("The request was refused (%(status)s)."), { status });
  }

  function refused(status, data, retryAfter, options) {
    const words = (options.explain || explain)(status, data, retryAfter);
    return new ApiError(words, { status, data, reason: reasonOf(data), retryAfter });
  }

  function unreachable(options, { timedOut, aborted, limit }) {
    let message;
    if (aborted) message = "";
    else if (timedOut) message = fmt(gettext("No answer within %(seconds)s s. Nothing was lost — try again in a moment."), { seconds: Math.round(limit / 1000) });
    else message = options.offline || gettext("PitchLab could not be reached. Check the connection, then try again.");
    return new ApiError(message, { timedOut, aborted });
  }

  function answerOf(error, extra) {
    return Object.assign({ ok: false, status: error.status, data: error.data, message: error.message, calm: error.calm, error }, extra);
  }

  /** One request. Resolves to {ok, status, data, message, calm, error, response}; never rejects, never waits past
   * ``timeoutMs`` (0: no limit of its own). Options: ``json`` (sent as JSON) or ``form`` (FormData) or ``body``
   * (as is, with ``headers``); ``signal`` (the caller's own abort); ``keepalive``; ``accept`` (default JSON);
   * ``as``: "json" (default), "text" or "blob" for ``data``; ``explain(status, data, retryAfter)`` for the words. */
  async function send(method, url, options = {}) {
    const limit = options.timeoutMs === undefined ? REQUEST_TIMEOUT_MS : options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = limit ? setTimeout(() => { timedOut = true; controller.abort(); }, limit) : null;
    const outer = options.signal;
    const follow = () => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener("abort", follow);
    }
    const headers = { Accept: options.accept || "application/json" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
    let body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form; // the browser sets the multipart boundary
    }
    Object.assign(headers, options.headers || {});
    try {
      const response = await fetch(url, {
        method, credentials: "same-origin", headers, body, signal: controller.signal, keepalive: Boolean(options.keepalive),
      });
      const as = options.as || "json";
      let data;
      if (as === "blob" && response.ok) data = await response.blob();
      else {
        const text = await response.text();
        data = as === "text" && response.ok ? text : parse(text);
      }
      if (response.ok) return { ok: true, status: response.status, data, message: "", calm: false, error: null, response };
      return answerOf(refused(response.status, data, response.headers.get("Retry-After"), options), { response });
    } catch (e) {
      return answerOf(unreachable(options, { timedOut, aborted: !timedOut && e.name === "AbortError", limit }));
    } finally {
      if (timer) clearTimeout(timer);
      if (outer) outer.removeEventListener("abort", follow);
    }
  }

  /** ``send``, resolving to the answer's data and rejecting with its ApiError. */
  async function json(method, url, options = {}) {
    const answer = await send(method, url, options);
    if (!answer.ok) throw answer.error;
    return answer.data;
  }

  /** A multipart upload with progress: ``onProgress(fraction)`` as the bytes leave, 1 once all are sent.
   * Resolves like ``send`` (never rejects). */
  function upload(url, form, options = {}) {
    const limit = options.timeoutMs || UPLOAD_TIMEOUT_MS;
    const onProgress = options.onProgress || (() => {});
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const fail = (message, flags) => resolve(answerOf(new ApiError(message, flags)));
      xhr.open(options.method || "POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.timeout = limit;
      xhr.upload.addEventListener("progress", (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
      xhr.upload.addEventListener("load", () => onProgress(1));
      xhr.addEventListener("load", () => {
        const data = parse(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve({ ok: true, status: xhr.status, data, message: "", calm: false, error: null });
          return;
        }
        resolve(answerOf(refused(xhr.status, data, xhr.getResponseHeader("Retry-After"), options)));
      });
      xhr.addEventListener("error", () => fail(gettext("The upload was interrupted. Check the connection, then try again.")));
      xhr.addEventListener("abort", () => fail("", { aborted: true }));
      xhr.addEventListener("timeout", () => fail(gettext("The upload did not finish within 15 minutes. Try again on a faster connection."), { timedOut: true }));
      if (options.signal) options.signal.addEventListener("abort", () => xhr.abort());
      xhr.send(form);
    });
  }

  /** Ask ``url`` (a string, or a function giving one) until ``done(data)`` holds. After an answer it waits
   * ``intervalMs``; after a failure ``retryMs``, doubled (``backoff``) on each failure in a row up to
   * ``maxRetryMs``. It stops after ``failures`` failures in a row (a 404 at once: the thing is gone), at
   * ``maxMs``, or when ``progressOf(data)`` has not changed for ``stallMs``, and calls ``onGiveUp(reason)``;
   * ``onError(answer)`` hears each failure; ``explain`` words them. Returns ``stop()``, which ends it without a call. */
  function poll(options) {
    const {
      url, onData, done = () => false, progressOf = null, stallMs = 0, maxMs = Infinity, onGiveUp = () => {}, onError = () => {},
      delay, intervalMs = 1000, retryMs, backoff = 2, maxRetryMs = 15000, failures: maxFailures = 5, timeoutMs = 10000,
    } = options;
    let stopped = false;
    let failures = 0;
    let timer = null;
    const started = Date.now();
    let lastProgress = null;
    let lastChange = started;
    const firstRetry = retryMs === undefined ? intervalMs : retryMs;
    const giveUp = (reason) => { stopped = true; onGiveUp(reason); };
    async function tick() {
      if (stopped) return;
      const answer = await send("GET", typeof url === "function" ? url() : url, { timeoutMs, accept: options.accept, explain: options.explain });
      if (stopped) return;
      let wait = intervalMs;
      if (answer.ok) {
        failures = 0;
        onData(answer.data);
        if (stopped) return; // onData may stop it
        if (done(answer.data)) { stopped = true; return; }
        const progress = progressOf ? JSON.stringify(progressOf(answer.data)) : null;
        if (progress !== lastProgress) { lastProgress = progress; lastChange = Date.now(); }
      } else {
        failures += answer.status === 404 ? maxFailures : 1;
        onError(answer);
        if (failures >= maxFailures) { giveUp(fmt(gettext("The page stopped checking. %(reason)s"), { reason: answer.message })); return; }
        wait = Math.min(firstRetry * backoff ** (failures - 1), Math.max(maxRetryMs, firstRetry));
      }
      const now = Date.now();
      if (now - started > maxMs || (stallMs && now - lastChange > stallMs)) {
        giveUp(gettext("This is taking longer than expected, so the page stopped checking."));
        return;
      }
      timer = setTimeout(tick, wait);
    }
    timer = setTimeout(tick, delay === undefined ? intervalMs : delay);
    return () => { stopped = true; clearTimeout(timer); };
  }

  /** Follow ``url``, a stream of server-sent events (pitchlab/core/sse.py), instead of asking again and again:
   * ``onData(data)`` for each ``progress`` event (the JSON the polling endpoint answers), closed once ``done(data)``
   * holds. The server ends a stream now and then and EventSource reconnects by itself; but when EventSource is
   * missing, or the stream fails before its first event (a refusal: 404, 429…) or ``failures`` times in a row, it
   * falls back to ``poll`` on ``fallback`` (the polling endpoint's URL) with the same callbacks and the other
   * options (``intervalMs``, ``explain``…). ``progressOf``, ``stallMs`` and ``maxMs`` end a stream as they end a
   * poll, with ``onGiveUp(reason)``. Returns ``stop()``, which ends it (or its fallback) without a call. */
  function stream(options) {
    const { url, fallback = null, onData, done = () => false, onGiveUp = () => {}, progressOf = null, stallMs = 0, maxMs = Infinity, failures: maxFailures = 3 } = options;
    let stopped = false, source = null, stopFallback = null, watchdog = null, received = false, errors = 0;
    const started = Date.now();
    let lastProgress = null, lastChange = started;
    const close = () => {
      if (source) source.close();
      source = null;
      clearInterval(watchdog);
    };
    const giveUp = (reason) => { stopped = true; close(); onGiveUp(reason); };
    const stoppedChecking = (reason) => fmt(gettext("The page stopped checking. %(reason)s"), { reason });
    function fallBack() {
      close();
      if (stopped) return;
      if (!fallback) { giveUp(stoppedChecking(gettext("PitchLab could not be reached. Check the connection, then try again."))); return; }
      // The same callbacks, with what is left of the time allowed; at once when the stream never answered.
      stopFallback = poll({ ...options, url: fallback, maxMs: Math.max(0, maxMs - (Date.now() - started)), delay: received ? undefined : 0 });
    }
    if (typeof window.EventSource !== "function") {
      fallBack();
    } else {
      source = new EventSource(url); // same origin: the session cookie goes with it
      source.addEventListener("progress", (event) => {
        const data = parse(event.data);
        if (stopped || data === null) return;
        received = true;
        errors = 0;
        onData(data);
        if (stopped) return; // onData may stop it
        if (done(data)) { stopped = true; close(); return; }
        const progress = progressOf ? JSON.stringify(progressOf(data)) : null;
        if (progress !== lastProgress) { lastProgress = progress; lastChange = Date.now(); }
      });
      source.addEventListener("gone", () => { if (!stopped) giveUp(stoppedChecking((options.explain || explain)(404, null))); });
      source.addEventListener("error", () => {
        if (stopped) return;
        errors += 1;
        // CLOSED (2): an answer that is not a stream, the browser will not retry; CONNECTING: it reconnects by itself.
        if (!received || errors >= maxFailures || source.readyState === 2) fallBack();
      });
      watchdog = setInterval(() => {
        const now = Date.now();
        if (now - started > maxMs || (stallMs && now - lastChange > stallMs)) giveUp(gettext("This is taking longer than expected, so the page stopped checking."));
      }, 5000);
    }
    return () => { stopped = true; close(); if (stopFallback) stopFallback(); };
  }

  /** The older shape kept for the rehearsal pages: ``client().call(method, url, json)``. */
  function client() {
    return {
      csrfToken,
      call: (method, url, body) => send(method, url, body === undefined ? {} : { json: body }),
      showError: (slot, message) => window.PitchLab.dom.showError(slot, message),
    };
  }

  const api = { ApiError, csrfToken, explain, reasonOf, send, json, upload, poll, stream, client, REQUEST_TIMEOUT_MS };
  window.PitchLab = Object.assign(window.PitchLab || {}, { api });
  window.PitchLabApi = { client };
})();
