/* The presenter view — what follows it in the room: the audience window (BroadcastChannel), the phone remote
 * (state PUT, commands long-polled) and the live demo panels, mirrored on the audience window.
 * Part of the presenter's scripts (present/core.js first, present.js last); shared state and helpers on
 * window.PitchLab.present. */
(function () {
  "use strict";
  const P = window.PitchLab && window.PitchLab.present;
  if (!P) return;
  const { config, Deck, STATE_DEBOUNCE_MS, LONG_POLL_S, fmt, ACTION_WORDS, stage, slides, plan, target, ui, view } = P;
  const { elapsed, rec, command } = P;

  // ---------- the audience window ----------
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(`pitchlab-present-${config.pitchId}`) : null;
  const demoShown = new Map(); // slide number -> the last demo message, for a window that opens later

  function broadcast() {
    if (channel) channel.postMessage({ type: "state", slide: view.current + 1, blank: view.blank, paused: view.paused });
  }

  if (channel) {
    channel.addEventListener("message", (event) => {
      const message = event.data || {};
      if (message.type === "hello") {
        broadcast();
        demoShown.forEach((shown) => channel.postMessage(shown));
      } else if (message.type === "command") {
        command(message.action, message.slide);
      }
    });
  }

  // ---------- the phone remote ----------
  let stateTimer = 0;
  function changed() {
    broadcast();
    clearTimeout(stateTimer);
    stateTimer = setTimeout(putState, STATE_DEBOUNCE_MS);
  }

  async function putState() {
    clearTimeout(stateTimer);
    const now = elapsed();
    const row = plan[view.current];
    const state = {
      slide: view.current + 1,
      count: slides.length,
      key: row.key,
      title: row.title,
      notes: row.notes.slice(0, 8000),
      next_title: view.current + 1 < plan.length ? plan[view.current + 1].title : "",
      paused: view.paused,
      blank: view.blank,
      slide_elapsed: Math.round(now.slide / 100) / 10,
      slide_planned: row.seconds,
      total_elapsed: Math.round(now.total / 100) / 10,
      target,
      recording: rec.on,
      listening: phone.listening,
    };
    // a failure is let go: the remote shows slightly old timers; the next change or heartbeat sends them again
    await window.PitchLab.api.send("PUT", config.stateUrl, { json: state });
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // The view listens for a phone only once "Phone remote" was opened in this tab: each waiting long-poll holds a
  // web server thread, and a view nobody drives from a phone should not hold one (the flag outlives a reload).
  const phone = { listening: false, flag: `pitchlab-remote-${config.pitchId}` };

  function listenForPhone() {
    if (phone.listening) return;
    phone.listening = true;
    try { sessionStorage.setItem(phone.flag, "1"); } catch (error) { /* private mode: this page only */ }
    pollCommands();
    changed();
  }

  async function pollCommands() {
    let after = "";
    let delay = 1000;
    for (;;) {
      try {
        const url = new URL(config.commandsUrl, location.href);
        url.searchParams.set("wait", String(LONG_POLL_S));
        if (after) url.searchParams.set("after", after);
        // the server holds the request up to LONG_POLL_S: api.js's time-out must outlast it
        const answer = await window.PitchLab.api.send("GET", url, { timeoutMs: (LONG_POLL_S + 15) * 1000 });
        if (!answer.ok || !answer.data) throw new Error(String(answer.status));
        const data = answer.data;
        if (data.last) after = String(data.last);
        (data.commands || []).forEach((entry) => {
          command(entry.action, Number(entry.slide) || undefined);
          ui.remoteSeen.textContent = fmt(gettext("Last command from a phone: %(action)s, at %(time)s."), { action: ACTION_WORDS[entry.action] || entry.action, time: window.PitchLabFormat.time(new Date()) });
        });
        delay = 1000;
      } catch (error) {
        await sleep(delay);
        delay = Math.min(delay * 2, 15000);
      }
    }
  }

  // The phone remote learns that this view is gone (and stops showing its last slide as if it were live).
  window.addEventListener("pagehide", () => {
    window.PitchLab.api.send("PUT", config.stateUrl, { json: { closed: true }, keepalive: true });
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) putState();
  });

  // ---------- live demos: the panels here, mirrored on the audience window ----------
  const panels = Deck.mountDemos(stage, (slide) => {
    const number = Number(slide.dataset.slide);
    function post(message) {
      const full = Object.assign({ type: "demo", slide: number }, message);
      demoShown.set(number, full);
      if (channel) channel.postMessage(full);
    }
    return {
      onInput: (input, example, how) => post({ input, result: null, how: { running: how.running, example } }),
      onResult: (result, how) => post({ input: how.input, result, how: { cached: how.cached, explained: how.explained, example: how.example } }),
      onError: (line) => post({ input: null, result: null, how: { error: line } }),
    };
  });

  Object.assign(P, { changed, putState, listenForPhone, phone, panels });
})();
