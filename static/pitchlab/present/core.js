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
 *
 * The page's scripts, in order: dom.js and api.js (the app's core), deck.js, this file (the view's state, timers and
 * the rehearsal's record on window.PitchLab.present), present/stage.js (moving and showing), present/rehearsal.js
 * (recording and saving, the transcript), present/room.js (the audience window, the phone remote, the live demos),
 * and present.js (keys, buttons, start). A function a later file defines is called as P.name().
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
  // The slide shown (0-based), the veil, the pause: one object, as every part reads and changes them.
  const view = { current: 0, blank: false, paused: false };

  // Active (unpaused) time since the timers were last reset: in all, and per slide key (a slide shown twice adds up).
  const timer = { total: 0, perSlide: new Map(), mark: performance.now() };

  function account() {
    const now = performance.now();
    if (!view.paused) {
      const spent = now - timer.mark;
      const key = plan[view.current].key;
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
    const running = view.paused ? 0 : performance.now() - timer.mark;
    return { total: timer.total + running, slide: (timer.perSlide.get(plan[view.current].key) || 0) + running };
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
    if (rec.on && !view.paused && !rec.open) rec.open = { slide: plan[view.current].key, start_ms: recNow() };
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

  function banner(line) {
    ui.banner.textContent = line;
    ui.banner.hidden = !line;
  }

  const P = {
    config, Deck, MAX_MS, SAVE_EVERY_MS, STATE_DEBOUNCE_MS, STATE_HEARTBEAT_MS, LONG_POLL_S, fmt, ACTION_WORDS, $,
    stage, slides, plan, target, ui, clock, level, view, timer, account, resetTimers, elapsed, rec, recNow,
    openSegment, closeSegment, segmentsNow, send, banner,
  };
  window.PitchLab = Object.assign(window.PitchLab || {}, { present: P });
})();
