/* The phone remote: Back / Next, Blank and Pause for the presenter view, through the server.
 *
 * Buttons POST commands ({"action": "next" | "prev" | "blank" | "pause"}); the presenter view long-polls them and
 * PUTs its state on every change, which this page long-polls back: the slide, its notes and the timers. Between
 * two states the timers run on here from the last one (unless paused), so they tick without more requests.
 * Its words come from Django's JavaScript catalogue (gettext, loaded by the page first).
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("remote-state").textContent);
  const LONG_POLL_S = Number(config.remoteWaitSeconds) || 20;
  const $ = (selector) => document.querySelector(selector);
  const ui = {
    link: $("[data-link]"),
    waiting: $("[data-waiting]"),
    waitingLine: $("[data-waiting-line]"),
    live: $("[data-live]"),
    position: $("[data-position]"),
    rec: $("[data-rec]"),
    paused: $("[data-paused]"),
    blanked: $("[data-blanked]"),
    title: $("[data-title]"),
    slideTimer: $("[data-slide-timer]"),
    slidePlanned: $("[data-slide-planned]"),
    totalTimer: $("[data-total-timer]"),
    target: $("[data-target]"),
    nextTitle: $("[data-next-title]"),
    notes: $("[data-notes]"),
    error: $("[data-error]"),
    blank: $('[data-action="blank"]'),
    pause: $('[data-action="pause"]'),
  };
  const SILENT_S = 25; // the presenter view sends its state at least every 10 s: longer than this, it is gone
  let state = null;
  let receivedAt = 0;

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  function level(seconds, planned) {
    if (!(planned > 0)) return "green";
    const share = seconds / planned;
    return share < 0.75 ? "green" : share <= 1 ? "amber" : "red";
  }

  function connected(ok, line) {
    ui.link.dataset.ok = String(ok);
    ui.link.textContent = line;
  }

  function showError(line) {
    ui.error.textContent = line;
    ui.error.hidden = !line;
  }

  function render() {
    const gone = !state || state.closed;
    ui.waiting.hidden = !gone;
    ui.live.hidden = gone;
    if (gone) {
      ui.waitingLine.textContent = state && state.closed ? gettext("The presenter view was closed.") : gettext("No presenter view is open.");
      ui.position.textContent = "– / –";
      ui.title.textContent = "";
      ui.notes.textContent = "";
      ui.rec.hidden = ui.paused.hidden = ui.blanked.hidden = true;
      return;
    }
    ui.position.textContent = `${state.slide} / ${state.count}`;
    ui.title.textContent = state.title || "";
    ui.nextTitle.textContent = state.next_title || gettext("end of the deck");
    ui.notes.textContent = state.notes || gettext("No notes for this slide.");
    ui.notes.classList.toggle("is-empty", !state.notes);
    ui.slidePlanned.textContent = clock(state.slide_planned || 0);
    ui.target.textContent = clock(state.target || 0);
    ui.rec.hidden = !state.recording;
    ui.paused.hidden = !state.paused;
    ui.blanked.hidden = !state.blank;
    ui.blank.setAttribute("aria-pressed", String(Boolean(state.blank)));
    ui.pause.setAttribute("aria-pressed", String(Boolean(state.paused)));
    ui.pause.textContent = state.paused ? gettext("Resume") : gettext("Pause");
    tick();
  }

  function tick() {
    if (!state || state.closed) return;
    const since = (performance.now() - receivedAt) / 1000;
    if (since > SILENT_S) connected(false, gettext("Presenter view silent"));
    const running = state.paused ? 0 : Math.min(since, SILENT_S); // a silent presenter's timers are not guessed on
    const slide = (Number(state.slide_elapsed) || 0) + running;
    const total = (Number(state.total_elapsed) || 0) + running;
    ui.slideTimer.textContent = clock(slide);
    ui.slideTimer.dataset.level = level(slide, state.slide_planned);
    ui.totalTimer.textContent = clock(total);
    ui.totalTimer.dataset.level = level(total, state.target);
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function pollState() {
    let version = "";
    let delay = 1000;
    for (;;) {
      try {
        const url = new URL(config.stateUrl, location.href);
        url.searchParams.set("wait", version ? String(LONG_POLL_S) : "0");
        if (version) url.searchParams.set("after", version);
        // the server holds the request up to LONG_POLL_S: api.js's time-out must outlast it
        const answer = await window.PitchLab.api.send("GET", url, { timeoutMs: (LONG_POLL_S + 15) * 1000 });
        if (!answer.ok || !answer.data) throw new Error(String(answer.status));
        const data = answer.data;
        if (data.version && data.version !== version) {
          version = String(data.version);
          state = data.state && typeof data.state === "object" ? data.state : null;
          receivedAt = performance.now();
          render();
        } else if (!version) {
          render(); // no presenter view has said anything yet
          await sleep(2000);
        }
        if (state && state.listening === false) {
          // The presenter view listens for a phone only once its "Phone remote" panel was opened.
          connected(false, gettext("Open “Phone remote” on the laptop"));
        } else if ((performance.now() - receivedAt) / 1000 <= SILENT_S || !state) {
          connected(true, gettext("Connected"));
        }
        delay = 1000;
      } catch (error) {
        connected(false, gettext("Reconnecting…"));
        await sleep(delay);
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  async function send(action, buttonNode) {
    if (navigator.vibrate) navigator.vibrate(15);
    buttonNode.classList.add("is-sent");
    setTimeout(() => buttonNode.classList.remove("is-sent"), 250);
    try {
      const answer = await window.PitchLab.api.send("POST", config.commandsUrl, { json: { action } });
      if (answer.status === 0) throw new Error("");
      if (!answer.ok) throw new Error(interpolate(gettext("the server answered %(status)s"), { status: answer.status }, true));
      showError("");
    } catch (error) {
      showError(interpolate(gettext("That did not reach the presenter view (%(error)s). Try again."), { error: error.message || gettext("no connection") }, true));
    }
  }

  document.querySelectorAll("[data-action]").forEach((node) => {
    node.addEventListener("click", () => send(node.dataset.action, node));
  });

  // A remote whose screen goes dark mid-pitch is no remote: keep it awake while this page is on show.
  let wakeLock = null;
  async function stayAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
    } catch (error) {
      wakeLock = null;
    }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !wakeLock) stayAwake();
    if (document.visibilityState !== "visible") wakeLock = null;
  });
  stayAwake();

  render();
  setInterval(tick, 500);
  pollState();
})();
