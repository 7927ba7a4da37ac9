/* The export panel (templates/decks/_exports.html) while an export is queued or rendering: instead of re-fetching
 * itself every second, the panel follows the pitch's export stream (server-sent events,
 * GET /api/pitches/{id}/exports/events/) and asks htmx to render it again ("exports-changed") only when what it
 * shows has changed. Without EventSource, or when the stream cannot be had, api.stream polls the exports' JSON
 * (GET /api/pitches/{id}/exports/) instead, with the same effect. The panel's own "every 5s" is the net for a page
 * where this script did not run; it is dropped once the panel is followed.
 *
 * The panel brings this script with it, so htmx runs it again with each swap: it starts once.
 */
(function () {
  "use strict";
  const api = window.PitchLab && window.PitchLab.api;
  if (!api || !window.htmx || window.PitchLab.exportsPanel) return;
  const SHOWN = 5; // the exports the panel lists (decks/views.py)
  const ACTIVE = new Set(["queued", "rendering"]);
  let following = null; // {url, stop}
  let latest = null; // the exports as the stream (or the fallback's polling) last gave them
  let asked = 0; // when the panel's own refresh was asked for (0: none in flight)
  let stale = false; // the stream moved on while that refresh was in flight

  /** What the panel shows, as its data-exports-key writes it: "id:status:progress" of each listed export. */
  const keyOf = (exports) => exports.slice(0, SHOWN).map((e) => `${e.id}:${e.status}:${e.progress}`).join(",");

  function refresh() {
    const panel = document.getElementById("exports");
    if (!latest || !panel || !panel.dataset.eventsUrl || keyOf(latest) === panel.dataset.exportsKey) return;
    // One refresh at a time (a second would be dropped by htmx): what changes meanwhile is asked for after it.
    if (asked && Date.now() - asked < 10000) { stale = true; return; }
    asked = Date.now();
    window.htmx.trigger(panel, "exports-changed");
  }

  /** Whether every export the panel lists is one the stream already saw finish: the panel is an older render
   * (a refresh that left before the last event), and the refresh asked for since brings the final one. */
  function settled(panel) {
    if (!latest) return false;
    const known = new Map(latest.map((e) => [String(e.id), e.status]));
    const ids = (panel.dataset.exportsKey || "").split(",").filter(Boolean).map((part) => part.split(":")[0]);
    return ids.length > 0 && ids.every((id) => known.has(id) && !ACTIVE.has(known.get(id)));
  }

  function changed(exports) {
    latest = exports;
    refresh();
  }

  function mount() {
    const panel = document.getElementById("exports");
    asked = 0;
    if (stale) { stale = false; refresh(); } // at most once: the panel may already be newer than ``latest``
    const url = panel && panel.dataset.eventsUrl;
    if (!url) return; // nothing runs: the panel does not listen
    if (panel.getAttribute("hx-trigger") !== "exports-changed") {
      panel.setAttribute("hx-trigger", "exports-changed"); // this script follows it now: no timer
      window.htmx.process(panel);
    }
    if (following && following.url === url) return;
    if (following) following.stop();
    if (!following && settled(panel)) return;
    const current = { url, stop: () => {} };
    following = current;
    current.stop = api.stream({
      url,
      fallback: panel.dataset.pollUrl,
      onData: changed,
      done: (exports) => {
        const over = !exports.some((e) => ACTIVE.has(e.status));
        if (over && following === current) following = null;
        return over;
      },
      onGiveUp: () => {
        if (following === current) following = null;
        const now = document.getElementById("exports");
        if (now) window.htmx.trigger(now, "exports-changed"); // one last look: the panel then says where it stands
      },
    });
  }

  window.PitchLab.exportsPanel = { mount };
  // htmx:load comes for every swap on the page: only the panel's own concerns this script.
  document.body.addEventListener("htmx:load", (event) => { if (event.target && event.target.id === "exports") mount(); });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail && event.detail.failed && event.detail.elt && event.detail.elt.id === "exports") asked = 0;
  });
  mount();
})();
