/* A shared deck (/s/<token>/) reports how long each slide was on screen, so its owner sees what was read.
 *
 * deck.js announces every slide change with document event "pitchlab:slide" ({detail: {index, key}}). Only
 * visible time counts: the clock stops while the tab is hidden. What was counted since the last report goes to
 * <main data-beacon> with navigator.sendBeacon as JSON {slide key: ms} on each slide change, every 15 s, and
 * when the page goes away (pagehide). The server checks the keys and the numbers; nothing here is trusted.
 */
(function () {
  "use strict";

  const deck = document.querySelector("main[data-deck][data-beacon]");
  if (!deck || !navigator.sendBeacon) return;
  const url = deck.dataset.beacon;
  const TICK_MS = 15000;
  const MAX_MS = 10 * 60 * 1000; // the server refuses more in one report

  const pending = {}; // slide key -> ms counted and not yet sent
  let current = null; // the key of the slide on screen
  let since = document.visibilityState === "visible" ? performance.now() : null; // null: the clock is stopped

  // Add the time since the last look to the slide on screen.
  function bank() {
    if (since === null) return;
    const now = performance.now();
    if (current) pending[current] = (pending[current] || 0) + Math.max(0, Math.round(now - since));
    since = now;
  }

  function send() {
    bank();
    const report = {};
    let total = 0;
    Object.keys(pending).forEach((key) => {
      const ms = Math.min(pending[key], MAX_MS - total);
      if (ms > 0) { report[key] = ms; total += ms; }
      delete pending[key];
    });
    if (!total) return;
    if (!navigator.sendBeacon(url, JSON.stringify(report))) {
      Object.keys(report).forEach((key) => { pending[key] = (pending[key] || 0) + report[key]; }); // try again later
    }
  }

  function onSlide(key) {
    if (!key || key === current) return;
    bank(); // the time so far belongs to the slide that is leaving
    current = key;
    send();
  }

  document.addEventListener("pitchlab:slide", (event) => onSlide(event.detail && event.detail.key));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      bank();
      since = null;
      send();
    } else if (since === null) {
      since = performance.now();
    }
  });
  window.addEventListener("pagehide", send);
  setInterval(send, TICK_MS);
  // A phone has no arrow keys: a horizontal swipe presses the deck's own ← / → buttons.
  let touch = null;
  deck.addEventListener("touchstart", (event) => {
    touch = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  deck.addEventListener("touchend", (event) => {
    if (!touch || !event.changedTouches.length) return;
    const dx = event.changedTouches[0].clientX - touch.x;
    const dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
    const button = document.querySelector(dx < 0 ? "[data-next]" : "[data-prev]");
    if (button) button.click();
  });
  // In case the deck showed its first slide before this script listened.
  document.addEventListener("DOMContentLoaded", () => {
    const shown = deck.querySelector("[data-slide]:not([hidden])");
    if (!current && shown) onSlide(shown.dataset.key);
  });
})();
