/* The rehearsals list and a rehearsal's report (templates/rehearsals/list.html, report.html).
 *
 * The server renders everything that can be read; this script adds what needs a browser:
 * - durations written as m:ss ([data-clock]) and dates in the founder's own time zone ([data-local-time]);
 * - bar widths, set through the CSSOM (no style attributes: a CSP is coming);
 * - Discard (DELETE /api/rehearsals/{id}/), after a confirm; the row goes, or the report returns to the list;
 * - the transcript: saved with PATCH; the analysis block is then re-rendered by the server (the page is
 *   fetched again and its #transcript-analysis swapped in), so it is written once, in the template.
 * Every failure is said next to the control that caused it, and what was typed stays in the field.
 * Its words come from Django's JavaScript catalogue (gettext, loaded by the page first); the page's language
 * ([data-page-lang]) only picks how dates are written.
 */
(function () {
  "use strict";
  const langNode = document.querySelector("[data-page-lang]");
  const zh = Boolean(langNode && langNode.dataset.pageLang === "zh");

  // ---------- small helpers ----------
  function clock(seconds) {
    const whole = Math.max(0, Math.round(Number(seconds) || 0));
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = String(whole % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  const { call, showError } = window.PitchLabApi.client();

  // ---------- read-only upgrades ----------
  function upgrade(root) {
    root.querySelectorAll("[data-clock]").forEach((node) => { node.textContent = clock(node.dataset.clock); });
    root.querySelectorAll("time[data-local-time]").forEach((node) => {
      const when = new Date(node.getAttribute("datetime"));
      if (Number.isNaN(when.getTime())) return;
      const options = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };
      if (when.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
      node.textContent = when.toLocaleString(window.PitchLabFormat.locale(zh ? "zh" : "en"), options);
      node.title = when.toString();
    });
  }

  /** Bars in ``root`` scaled against the largest ``data-bar`` value (so the longest fills the column). */
  function scaleBars(nodes) {
    const values = nodes.map((node) => Math.max(0, Number(node.dataset.bar || node.dataset.value) || 0));
    const most = Math.max(...values, 0);
    nodes.forEach((node, i) => {
      node.style.setProperty("width", most > 0 ? `${(values[i] / most) * 100}%` : "0");
    });
  }

  upgrade(document);
  scaleBars([...document.querySelectorAll(".rh-slides [data-bar]")]);
  scaleBars([...document.querySelectorAll('[data-fraction-of="long"]')]);

  const printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", () => window.print());

  // ---------- discard ----------
  function afterRowGone() {
    const rows = document.querySelectorAll("tr[data-rehearsal]");
    const count = document.getElementById("rh-count");
    if (count) count.textContent = String(rows.length);
    if (!rows.length) {
      const page = document.getElementById("rh-list-page");
      const empty = document.getElementById("rh-empty");
      if (page) page.hidden = true;
      if (empty) empty.hidden = false;
    }
  }

  document.querySelectorAll("[data-discard]").forEach((button) => {
    button.addEventListener("click", async () => {
      const slot = button.parentElement.querySelector('[data-error-for="discard"]');
      showError(slot, "");
      if (!window.confirm(button.dataset.confirm || gettext("Discard this rehearsal?"))) return;
      const idle = button.textContent;
      button.disabled = true;
      button.textContent = gettext("Discarding…");
      const answer = await call("DELETE", button.dataset.discard);
      // 404: it is already gone (another tab); the page catches up rather than insisting.
      if (answer.ok || answer.status === 404) {
        if (button.dataset.after) {
          window.location.assign(button.dataset.after);
          return;
        }
        const row = button.closest("tr[data-rehearsal]");
        if (row) row.remove();
        afterRowGone();
        // the trend and the long runners were drawn with this rehearsal: redraw them from the server
        refreshPart(["rh-trend-section", "rh-long-section"]);
        return;
      }
      button.disabled = false;
      button.textContent = idle;
      showError(slot, answer.message);
    });
  });

  /** Fetch this page again and swap in the server's current version of the elements with these ``ids``. */
  async function refreshPart(ids) {
    const answer = await window.PitchLab.api.send("GET", window.location.pathname + window.location.search, { accept: "text/html", as: "text" });
    if (!answer.ok) return false;
    const html = answer.data;
    const fresh = new DOMParser().parseFromString(html, "text/html");
    let all = true;
    for (const id of ids) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(document.importNode(next, true));
      else all = false;
    }
    upgrade(document);
    scaleBars([...document.querySelectorAll('[data-fraction-of="long"]')]);
    return all;
  }

  // ---------- the transcript ----------
  const stateNode = document.getElementById("report-state");
  const state = stateNode ? JSON.parse(stateNode.textContent) || {} : {};
  const form = document.querySelector("[data-transcript-form]");
  if (form && state.rehearsalUrl) {
    const textarea = form.querySelector("[data-transcript]");
    const slot = form.querySelector('[data-error-for="transcript"]');
    const status = form.querySelector("[data-transcript-status]");
    const button = form.querySelector("[data-transcript-save]");
    let saved = textarea.value;

    textarea.addEventListener("input", () => {
      status.textContent = textarea.value === saved ? "" : gettext("Not saved yet");
    });
    window.addEventListener("beforeunload", (event) => {
      if (textarea.value !== saved) event.preventDefault();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      showError(slot, "");
      const text = textarea.value;
      button.disabled = true;
      status.textContent = gettext("Saving and analysing…");
      const answer = await call("PATCH", state.rehearsalUrl, { transcript: text });
      button.disabled = false;
      if (!answer.ok) {
        status.textContent = "";
        showError(slot, answer.message); // the text stays in the field
        textarea.focus();
        return;
      }
      saved = text;
      const swapped = await refreshPart(["transcript-analysis"]);
      status.textContent = swapped
        ? gettext("Saved.")
        : gettext("Saved. Reload the page to see the analysis.");
    });
  }
})();
