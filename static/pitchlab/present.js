/* The presenter view: the current slide, the next one, notes, timers; the audience window and the phone remote
 * follow it; a rehearsal records how long each slide took.
 *
 * - The slides are the web deck's own markup (decks/_slide.html) and keys (deck.js: PitchLabDeck.keyAction), so a
 *   live demo slide works here exactly as in the web deck: 1–9 pick, Enter runs, Esc leaves the text box.
 * - Timers count active time only: P (pause, for questions from the room) stops them; B (blank) does not.
 * - The audience window (deck page, ?audience=1) follows over BroadcastChannel("pitchlab-present-<pitch id>");
 *   the messages are listed at the top of deck.js.
 * - The phone remote talks through the server: this page long-polls its commands and PUTs its state (debounced)
 *   on every change, so the remote shows the slide, the notes and the timers.
 * - A rehearsal's segments live in memory first and are saved progressively (every slide change and every
 *   10 s); a failed save shows a small banner and the next save carries everything again. A tab closed while
 *   recording sends what it has as "incomplete" (fetch keepalive outlives the page).
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by the page first), in the founder's language;
 *   the deck's own language (config.lang) picks the slides' text and the speech recogniser's language.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("present-state").textContent);
  const Deck = window.PitchLabDeck;
  const MAX_MS = 4 * 3600 * 1000;
  const SAVE_EVERY_MS = 10000;
  const STATE_DEBOUNCE_MS = 150;
  const STATE_HEARTBEAT_MS = 10000;
  const LONG_POLL_S = Number(config.remoteWaitSeconds) || 20;
  const fmt = (text, values) => interpolate(text, values, true);
  // What a phone's command is called on screen (its key in the API stays as it is).
  const ACTION_WORDS = {
    next: gettext("next"), prev: gettext("prev"), first: gettext("first"), last: gettext("last"),
    goto: gettext("goto"), blank: gettext("blank"), pause: gettext("pause"),
  };

  const $ = (selector) => document.querySelector(selector);
  const stage = $("[data-current]");
  const slides = Array.from(stage.querySelectorAll("[data-slide]"));
  const plan = slides.map((slide, i) => {
    const row = config.slides[i] || {};
    return {
      number: i + 1,
      key: row.key || slide.dataset.key || slide.dataset.kind,
      title: row.title || slide.getAttribute("aria-label") || "",
      notes: row.notes || "",
      seconds: Number(row.planned) || 0,
    };
  });
  const target = Number(config.targetSeconds) || plan.reduce((sum, row) => sum + row.seconds, 0);
  const ui = {
    clock: $("[data-clock]"),
    recPill: $("[data-rec-pill]"),
    pausedPill: $("[data-paused-pill]"),
    blankPill: $("[data-blank-pill]"),
    rehearse: $("[data-rehearse]"),
    finish: $("[data-finish]"),
    audienceOpen: $("[data-audience-open]"),
    popupBlocked: $("[data-popup-blocked]"),
    audienceLink: $("[data-audience-link]"),
    blank: $("[data-blank]"),
    pause: $("[data-pause]"),
    veil: $("[data-veil]"),
    notes: $("[data-notes]"),
    position: $("[data-position]"),
    slideTimer: $("[data-slide-timer]"),
    slideElapsed: $("[data-slide-elapsed]"),
    slidePlanned: $("[data-slide-planned]"),
    slideMeter: $("[data-slide-meter]"),
    totalTimer: $("[data-total-timer]"),
    totalElapsed: $("[data-total-elapsed]"),
    totalTarget: $("[data-total-target]"),
    totalLeft: $("[data-total-left]"),
    totalMeter: $("[data-total-meter]"),
    pausedLine: $("[data-paused-line]"),
    nextTitle: $("[data-next-title]"),
    next: $("[data-next]"),
    prevButton: $("[data-prev]"),
    nextButton: $("[data-next-button]"),
    recLine: $("[data-rec-line]"),
    summary: $("[data-summary]"),
    summaryLine: $("[data-summary-line]"),
    reportLink: $("[data-report-link]"),
    banner: $("[data-banner]"),
    remoteSeen: $("[data-remote-seen]"),
    transcribeOffer: $("[data-transcribe-offer]"),
    transcribe: $("[data-transcribe]"),
    transcribeNote: $("[data-transcribe-note]"),
    transcribeStatus: $("[data-transcribe-status]"),
  };

  function clock(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
  }

  /** green below 75 % of the plan, amber from 75 % to 100 %, red past it */
  function level(ms, plannedSeconds) {
    if (!(plannedSeconds > 0)) return "green";
    const share = ms / (plannedSeconds * 1000);
    return share < 0.75 ? "green" : share <= 1 ? "amber" : "red";
  }

  // ---------- where we are ----------
  let current = 0;
  let blank = false;
  let paused = false;

  // Active (unpaused) time since the timers were last reset: in all, and per slide key (a slide shown twice adds up).
  const timer = { total: 0, perSlide: new Map(), mark: performance.now() };

  function account() {
    const now = performance.now();
    if (!paused) {
      const spent = now - timer.mark;
      const key = plan[current].key;
      timer.total += spent;
      timer.perSlide.set(key, (timer.perSlide.get(key) || 0) + spent);
    }
    timer.mark = now;
  }

  function resetTimers() {
    timer.total = 0;
    timer.perSlide.clear();
    timer.mark = performance.now();
  }

  function elapsed() {
    const running = paused ? 0 : performance.now() - timer.mark;
    return { total: timer.total + running, slide: (timer.perSlide.get(plan[current].key) || 0) + running };
  }

  // ---------- the rehearsal being recorded ----------
  const rec = {
    on: false, // recording now
    t0: 0, // performance.now() at its start
    segments: [], // closed segments: {slide, start_ms, end_ms}
    open: null, // the segment running now: {slide, start_ms}
    id: null, // the server's id, once created
    transcript: "",
    saving: null, // the save in flight (a promise)
    again: false, // another save was asked for while one was in flight
    unsaved: null, // "complete" when Finish could not be saved yet
    left: false, // saved as incomplete when the page was hidden
  };

  function recNow() {
    return Math.min(MAX_MS, Math.round(performance.now() - rec.t0));
  }

  function openSegment() {
    if (rec.on && !paused && !rec.open) rec.open = { slide: plan[current].key, start_ms: recNow() };
  }

  function closeSegment() {
    if (!rec.open) return;
    const end = recNow();
    if (end > rec.open.start_ms) rec.segments.push({ slide: rec.open.slide, start_ms: rec.open.start_ms, end_ms: end });
    rec.open = null;
  }

  /** The closed segments and the running one up to now: what a save sends (the server keeps the latest list). */
  function segmentsNow() {
    const list = rec.segments.slice();
    if (rec.open) {
      const end = recNow();
      if (end > rec.open.start_ms) list.push({ slide: rec.open.slide, start_ms: rec.open.start_ms, end_ms: end });
    }
    return list;
  }

  function rehearsalUrl(id) {
    return config.rehearsalUrl.replace(/\/0\/$/, `/${id}/`);
  }

  function reportPageUrl(id) {
    return config.reportPageUrl.replace(/\/0\/$/, `/${id}/`);
  }

  /** Send JSON through api.js; resolves to the answer's data, rejects with an Error in this view's words. */
  async function send(method, url, body) {
    const answer = await window.PitchLab.api.send(method, url, { json: body });
    if (answer.ok) return answer.data;
    if (answer.status === 0) throw new Error(gettext("the server cannot be reached"));
    const data = answer.data;
    const message = data && typeof data.message === "string" ? data.message : fmt(gettext("the server answered %(status)s"), { status: answer.status });
    const failure = new Error(message);
    failure.status = answer.status;
    throw failure;
  }

  function body(status) {
    const data = { segments: segmentsNow() };
    if (rec.transcript) data.transcript = rec.transcript.trim();
    if (status) data.status = status;
    return data;
  }

  /** Send the segments so far; one save at a time, a save asked for meanwhile runs right after. */
  async function save() {
    if (!rec.on) return;
    if (rec.saving) {
      rec.again = true;
      return;
    }
    rec.saving = (async () => {
      try {
        if (rec.id === null) {
          const first = { status: "recording", lang: config.lang === "zh" ? "zh" : "en" };
          const segments = segmentsNow();
          if (segments.length) first.segments = segments;
          const created = await send("POST", config.rehearsalsUrl, first);
          rec.id = created.id;
        } else {
          await send("PATCH", rehearsalUrl(rec.id), body());
        }
        banner("");
      } catch (error) {
        banner(fmt(gettext("Could not save the rehearsal: %(error)s. The timings are kept here and sent again with the next save."), { error: error.message }));
      }
    })();
    await rec.saving;
    rec.saving = null;
    if (rec.again) {
      rec.again = false;
      await save();
    }
  }

  function startRehearsal() {
    if (rec.on || rec.unsaved) return;
    paused = false;
    account();
    current = 0;
    resetTimers();
    Object.assign(rec, { on: true, t0: performance.now(), segments: [], open: null, id: null, transcript: "", left: false });
    openSegment();
    ui.summary.hidden = true;
    showSlide();
    changed();
    transcription.sync();
    save();
  }

  async function finish() {
    if (!rec.on && rec.unsaved !== "complete") return;
    if (rec.on) {
      account();
      closeSegment();
      rec.on = false;
      rec.unsaved = "complete";
      transcription.sync();
    }
    ui.finish.disabled = true;
    ui.finish.textContent = gettext("Saving…");
    render();
    if (rec.saving) await rec.saving;
    try {
      const final = body("complete");
      const saved = rec.id === null
        ? await send("POST", config.rehearsalsUrl, final)
        : await send("PATCH", rehearsalUrl(rec.id), final);
      rec.id = saved.id || rec.id;
      rec.unsaved = null;
      banner("");
      summarise(saved);
    } catch (error) {
      const refused = error.status >= 400 && error.status < 500;
      if (refused && rec.id !== null) {
        // The server no longer takes this one (say it was cut off as incomplete after a long silence):
        // keep the timings as a new, complete rehearsal instead.
        rec.id = null;
        await finish();
        return;
      }
      if (refused) {
        rec.unsaved = null;
        banner(fmt(gettext("The rehearsal could not be saved: %(error)s"), { error: error.message }));
      } else {
        banner(fmt(gettext("Could not save the rehearsal: %(error)s. Nothing is lost: press “Save again”."), { error: error.message }));
        ui.finish.textContent = gettext("Save again");
      }
    }
    ui.finish.disabled = false;
    render();
    changed();
  }

  function summarise(saved) {
    const total = rec.segments.reduce((sum, s) => sum + s.end_ms - s.start_ms, 0);
    const first = rec.segments.length ? rec.segments[0].start_ms : 0;
    const last = rec.segments.length ? rec.segments[rec.segments.length - 1].end_ms : 0;
    const pausedMs = Math.max(0, last - first - total);
    const shown = new Set(rec.segments.map((s) => s.slide)).size;
    const totalMs = saved && Number.isFinite(Number(saved.total_seconds)) ? Number(saved.total_seconds) * 1000 : total;
    const delta = totalMs - target * 1000;
    const side = Math.abs(delta) < 1000
      ? gettext("on the target")
      : fmt(delta > 0 ? gettext("%(time)s over") : gettext("%(time)s under"), { time: clock(Math.abs(delta)) });
    const parts = [
      fmt(gettext("Rehearsal saved: %(spoken)s spoken against a %(target)s target (%(side)s)"), { spoken: clock(totalMs), target: clock(target * 1000), side }),
      fmt(ngettext("%(shown)s of %(count)s slide shown", "%(shown)s of %(count)s slides shown", plan.length), { shown, count: plan.length }),
    ];
    if (pausedMs >= 1000) parts.push(fmt(gettext("%(time)s paused"), { time: clock(pausedMs) }));
    // Translators: the end of the summary line after a rehearsal; %(summary)s is its parts joined by " · ".
    ui.summaryLine.textContent = fmt(gettext("%(summary)s."), { summary: parts.join(" · ") });
    ui.reportLink.href = reportPageUrl(rec.id);
    ui.summary.hidden = false;
  }

  // A closed tab (or a reload) keeps what was recorded, marked incomplete; keepalive lets the request outlive the page.
  window.addEventListener("pagehide", () => {
    if (rec.id === null || !(rec.on || rec.unsaved)) return;
    const status = rec.on ? "incomplete" : "complete";
    // A keepalive request may carry 64 kB at most: past that the transcript stays with the last regular save.
    let last = JSON.stringify(body(status));
    if (last.length > 60000) last = JSON.stringify({ segments: segmentsNow(), status });
    window.PitchLab.api.send("PATCH", rehearsalUrl(rec.id), { body: last, headers: { "Content-Type": "application/json" }, keepalive: true });
    if (rec.on) {
      closeSegment();
      rec.on = false;
      rec.left = true;
    }
    rec.unsaved = null;
  });
  // The phone remote learns that this view is gone (and stops showing its last slide as if it were live).
  window.addEventListener("pagehide", () => {
    window.PitchLab.api.send("PUT", config.stateUrl, { json: { closed: true }, keepalive: true });
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) putState();
  });
  // Back from the back/forward cache: that rehearsal was already saved as incomplete.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted || !rec.left) return;
    rec.left = false;
    banner(gettext("This rehearsal was saved as incomplete when you left the page. Start a new one to record again."));
    transcription.sync();
    render();
  });

  // ---------- moving ----------
  function go(index) {
    const next = Math.max(0, Math.min(slides.length - 1, index));
    if (next === current) return;
    account();
    closeSegment();
    current = next;
    openSegment();
    showSlide();
    changed();
    save();
  }

  function setPaused(on) {
    if (paused === on) return;
    account();
    paused = on;
    if (paused) closeSegment();
    else openSegment();
    render();
    changed();
    save();
  }

  function setBlank(on) {
    blank = on;
    render();
    changed();
  }

  /** One vocabulary for keys, buttons, the audience window and the phone remote. */
  function command(action, slide) {
    if (action === "next") go(current + 1);
    else if (action === "prev") go(current - 1);
    else if (action === "first") go(0);
    else if (action === "last") go(slides.length - 1);
    else if (action === "goto" && Number.isInteger(slide)) go(slide - 1);
    else if (action === "blank") setBlank(!blank);
    else if (action === "pause") setPaused(!paused);
  }

  // ---------- showing ----------
  function showSlide() {
    slides.forEach((slide, i) => { slide.hidden = i !== current; });
    const row = plan[current];
    ui.notes.textContent = row.notes || gettext("No notes for this slide.");
    ui.notes.classList.toggle("is-empty", !row.notes);
    ui.notes.scrollTop = 0;
    ui.position.textContent = `${current + 1} / ${slides.length}`;
    ui.slidePlanned.textContent = clock(row.seconds * 1000);
    const after = slides[current + 1];
    ui.nextTitle.textContent = after ? plan[current + 1].title : gettext("End of the deck");
    if (after) {
      // A copy of the next slide's own markup; inert, so nothing in it takes the focus or a click.
      const copy = after.cloneNode(true);
      copy.removeAttribute("id");
      copy.removeAttribute("data-slide");
      copy.hidden = false;
      copy.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
      ui.next.replaceChildren(copy);
    } else {
      ui.next.replaceChildren();
    }
    ui.prevButton.disabled = current === 0;
    ui.nextButton.disabled = current === slides.length - 1;
    history.replaceState(null, "", `#${current + 1}`);
    render();
  }

  function render() {
    ui.veil.hidden = !blank;
    stage.classList.toggle("is-blank", blank);
    ui.blankPill.hidden = !blank;
    ui.blank.setAttribute("aria-pressed", String(blank));
    ui.pausedPill.hidden = !paused;
    ui.pausedLine.hidden = !paused;
    ui.pause.setAttribute("aria-pressed", String(paused));
    ui.pause.firstChild.textContent = `${paused ? gettext("Resume") : gettext("Pause")} `;
    document.body.classList.toggle("is-paused", paused);
    document.body.classList.toggle("is-recording", rec.on);
    ui.recPill.hidden = !rec.on;
    // A viewer presents but does not record (their role lacks it: the API would refuse).
    ui.rehearse.hidden = rec.on || Boolean(rec.unsaved) || config.canRecord === false;
    ui.finish.hidden = !(rec.on || rec.unsaved);
    if (rec.on) {
      ui.finish.textContent = gettext("Finish");
      ui.finish.disabled = false;
    }
    tick();
  }

  function tick() {
    const now = elapsed();
    const row = plan[current];
    ui.slideElapsed.textContent = clock(now.slide);
    ui.slideTimer.dataset.level = level(now.slide, row.seconds);
    ui.slideMeter.style.width = `${row.seconds > 0 ? Math.min(100, (now.slide / (row.seconds * 10))) : 0}%`;
    ui.totalElapsed.textContent = clock(now.total);
    ui.totalTarget.textContent = clock(target * 1000);
    ui.totalTimer.dataset.level = level(now.total, target);
    ui.totalMeter.style.width = `${target > 0 ? Math.min(100, now.total / (target * 10)) : 0}%`;
    const left = target * 1000 - now.total;
    ui.totalLeft.textContent = target > 0 ? `· ${fmt(left >= 0 ? gettext("%(time)s left") : gettext("%(time)s over"), { time: clock(Math.abs(left)) })}` : "";
    ui.clock.textContent = window.PitchLabFormat.time(new Date());
    if (rec.on) {
      const count = rec.segments.length + (rec.open ? 1 : 0);
      ui.recLine.textContent = fmt(ngettext("Recording · %(time)s since the start · %(n)s segment", "Recording · %(time)s since the start · %(n)s segments", count), { time: clock(recNow()), n: count });
    } else if (rec.unsaved) {
      ui.recLine.textContent = gettext("Finished — saving the rehearsal…");
    } else if (!ui.summary.hidden) {
      ui.recLine.textContent = gettext("Rehearsal saved. Start another one any time.");
    } else if (config.canRecord === false) {
      ui.recLine.textContent = gettext("As a viewer you can present; recording rehearsals needs the editor role.");
    } else {
      ui.recLine.textContent = gettext("Start rehearsal to time each slide and keep a report.");
    }
  }

  function banner(line) {
    ui.banner.textContent = line;
    ui.banner.hidden = !line;
  }

  // ---------- the audience window ----------
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(`pitchlab-present-${config.pitchId}`) : null;
  const demoShown = new Map(); // slide number -> the last demo message, for a window that opens later

  function broadcast() {
    if (channel) channel.postMessage({ type: "state", slide: current + 1, blank, paused });
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
    const row = plan[current];
    const state = {
      slide: current + 1,
      count: slides.length,
      key: row.key,
      title: row.title,
      notes: row.notes.slice(0, 8000),
      next_title: current + 1 < plan.length ? plan[current + 1].title : "",
      paused,
      blank,
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

  // ---------- transcript (on-device speech recognition only) ----------
  const transcription = (() => {
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    const lang = config.lang === "zh" ? "zh-CN" : "en-US";
    let recognition = null;
    let listening = false;

    async function onDevice() {
      // Only a recogniser that promises to stay on this machine; never the cloud one.
      if (!Recognition || typeof Recognition.available !== "function" || !("processLocally" in Recognition.prototype)) return false;
      try {
        return (await Recognition.available({ langs: [lang], processLocally: true })) === "available";
      } catch (error) {
        return false;
      }
    }

    function start() {
      if (listening) return;
      recognition = new Recognition();
      recognition.lang = lang;
      recognition.processLocally = true;
      recognition.continuous = true;
      recognition.interimResults = false;
      recognition.addEventListener("result", (event) => {
        for (let i = event.resultIndex; i < event.results.length; i += 1) {
          if (event.results[i].isFinal) rec.transcript += `${event.results[i][0].transcript.trim()} `;
        }
        const words = rec.transcript.trim() ? rec.transcript.trim().split(/\s+/).length : 0;
        ui.transcribeStatus.textContent = fmt(ngettext("Transcript: %(n)s word so far.", "Transcript: %(n)s words so far.", words), { n: words });
        ui.transcribeStatus.hidden = false;
      });
      recognition.addEventListener("error", (event) => {
        if (event.error === "not-allowed" || event.error === "service-not-allowed" || event.error === "language-not-supported") {
          ui.transcribe.checked = false;
          ui.transcribeStatus.textContent = fmt(gettext("Transcription stopped: %(error)s."), { error: event.error });
          ui.transcribeStatus.hidden = false;
        }
      });
      // The recogniser stops by itself after a silence; keep it going for as long as the rehearsal runs.
      recognition.addEventListener("end", () => {
        listening = false;
        if (rec.on && ui.transcribe.checked) setTimeout(start, 250);
      });
      try {
        recognition.start();
        listening = true;
      } catch (error) {
        listening = false;
      }
    }

    function stop() {
      if (recognition && listening) recognition.stop();
      listening = false;
    }

    function sync() {
      if (rec.on && ui.transcribe.checked) start();
      else stop();
    }

    onDevice().then((ok) => {
      ui.transcribeOffer.hidden = !ok;
      ui.transcribeNote.hidden = ok;
    });
    ui.transcribe.addEventListener("change", sync);
    return { sync };
  })();

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

  // ---------- input ----------
  document.addEventListener("keydown", (event) => {
    const action = Deck.keyAction(event, panels.get(slides[current]));
    if (["next", "prev", "first", "last"].includes(action)) {
      command(action);
      return;
    }
    if (action || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    // B (or ".", what clickers send for "black screen") blanks; P pauses.
    if (key === "b" || key === ".") {
      event.preventDefault();
      command("blank");
    } else if (key === "p") {
      event.preventDefault();
      command("pause");
    }
  });

  // A click on the current slide moves on, unless it is on something that answers clicks itself (a try panel).
  stage.addEventListener("click", (event) => {
    if (event.target.closest("a, button, input, textarea, select, label, summary, .pl-demo, [data-demo-panel]")) return;
    command("next");
  });

  // Toolbar buttons give the focus back, so Space and Enter keep moving slides instead of pressing them again.
  function button(node, handler) {
    node.addEventListener("click", (event) => {
      handler(event);
      node.blur();
    });
  }
  button(ui.prevButton, () => command("prev"));
  button(ui.nextButton, () => command("next"));
  button(ui.blank, () => command("blank"));
  button(ui.pause, () => command("pause"));
  button(ui.rehearse, startRehearsal);
  button(ui.finish, finish);
  // The audience sees the deck as the presenter does: the same theme and language as this page asked for.
  const audienceUrl = (() => {
    const url = new URL(config.audienceUrl, location.href);
    const here = new URLSearchParams(location.search);
    ["theme", "lang"].forEach((name) => { if (here.get(name)) url.searchParams.set(name, here.get(name)); });
    return `${url.pathname}${url.search}`;
  })();
  ui.audienceLink.href = audienceUrl;
  button(ui.audienceOpen, () => {
    const opened = window.open(audienceUrl, `pitchlab-audience-${config.pitchId}`, "popup,width=1280,height=720");
    // A blocked pop-up returns null: say so in words and offer a plain link (a click on it is never blocked).
    ui.popupBlocked.hidden = Boolean(opened);
  });
  button($("[data-remote-open]"), listenForPhone);
  ui.transcribe.addEventListener("change", () => ui.transcribe.blur());

  // ---------- start ----------
  const start = parseInt(location.hash.slice(1), 10);
  current = Number.isFinite(start) ? Math.max(0, Math.min(slides.length - 1, start - 1)) : 0;
  timer.mark = performance.now();
  showSlide();
  changed();
  setInterval(tick, 250);
  setInterval(() => {
    if (rec.on) save();
  }, SAVE_EVERY_MS);
  setInterval(putState, STATE_HEARTBEAT_MS);
  let remembered = false;
  try { remembered = sessionStorage.getItem(phone.flag) === "1"; } catch (error) { remembered = false; }
  if (remembered) listenForPhone();
})();
