/* One way for the app's pages (the rehearsal report and list, the Q&A drill) to call the JSON API.
 *
 *   const api = window.PitchLabApi.client();
 *   const { ok, status, data, message } = await api.call("PATCH", url, { transcript });  // never rejects
 *   api.showError(slot, message);  // the message next to the control, its .field marked
 *
 * A refusal comes back as one sentence for the founder, in the page's language: the API's own message (or
 * its field errors), or what to do about a lost session, an expired token, a server error or no answer.
 * The sentences written here come from Django's JavaScript catalogue (gettext, loaded by the page before this
 * script); ``options`` is kept for older callers and no longer changes the language.
 */
(function () {
  "use strict";
  const REQUEST_TIMEOUT_MS = 20000;

  function client(options) {

    function csrfToken() {
      const meta = document.querySelector('meta[name="csrf-token"]');
      if (meta && meta.content) return meta.content;
      const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (match) return decodeURIComponent(match[1]);
      try {
        return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
      } catch (e) {
        return "";
      }
    }

    function explain(status, data) {
      const said = data && typeof data.message === "string" ? data.message.trim() : "";
      const fields = data && data.extra && data.extra.fields;
      const detail = fields && typeof fields === "object"
        ? Object.values(fields).flat().filter((x) => typeof x === "string").join(" ")
        : "";
      if (status === 401) return gettext("Your session has ended: log in again (in another tab), then retry.");
      if (status === 403) return said && !said.startsWith("CSRF") ? said : gettext("This page's security token has expired: reload the page, then retry.");
      if (status === 404) return gettext("Not found: it may have been deleted in another tab. Reload the page.");
      if (status === 429) return said || gettext("Too many requests in a short time: wait a few seconds, then try again.");
      if (status >= 500) return gettext("PitchLab hit an error on its side. Try again in a moment.");
      if (detail && (!said || said === "Validation error")) return detail;
      return said || interpolate(gettext("The request was refused (%(status)s)."), { status }, true);
    }

    /** One API call; resolves to {ok, status, data, message} and never rejects. */
    async function call(method, url, json) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
      const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
      if (json !== undefined) headers["Content-Type"] = "application/json";
      try {
        const response = await fetch(url, {
          method, credentials: "same-origin", headers, signal: controller.signal,
          body: json === undefined ? undefined : JSON.stringify(json),
        });
        const text = await response.text();
        let data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return response.ok ? { ok: true, status: response.status, data } : { ok: false, status: response.status, data, message: explain(response.status, data) };
      } catch (e) {
        const message = e.name === "AbortError"
          ? interpolate(gettext("No answer within %(seconds)s s. Nothing was lost — try again in a moment."), { seconds: REQUEST_TIMEOUT_MS / 1000 }, true)
          : gettext("PitchLab could not be reached. Check the connection, then try again.");
        return { ok: false, status: 0, data: null, message };
      } finally {
        clearTimeout(timer);
      }
    }

    function showError(slot, message) {
      if (!slot) return;
      slot.textContent = message || "";
      slot.hidden = !message;
      const field = slot.closest(".field");
      if (field) field.classList.toggle("has-error", Boolean(message));
    }

    return { csrfToken, call, showError };
  }

  window.PitchLabApi = { client };
})();
