/* The web deck: one slide at a time; arrows, space, Page Up/Down and Home/End move; the URL keeps the place.
 *
 * A live demo slide holds a try panel (demo.js, stage mode). There, 1–9 pick an example and Enter runs the
 * current input. While the presenter types in the panel's text box the deck keeps its hands off the keys,
 * except Escape, which leaves the box so the arrows move slides again.
 *
 * F switches full screen; E switches Edit mode where the page has it (deck_edit/core.js), whose redraws replace
 * slides: the slide on show stays the same one ("pitchlab:deck-redrawn").
 *
 * The presenter view (present.js) drives the same slides with the same keys: it uses the helpers this file
 * puts on window.PitchLabDeck (keyAction, mountDemos), so the two can never read a key differently.
 *
 * The audience window (?audience=1, <main data-audience>) has no controls of its own: it follows the presenter
 * view over BroadcastChannel("pitchlab-present-<pitch id>"):
 *   presenter -> audience  {type: "state", slide: <number>, blank: bool, paused: bool}
 *                          {type: "demo", slide: <number>, input: {text} | {image: Blob} | null, result: {...} | null,
 *                           how: {cached, explained, running, error, example: index | null}}   (a try panel's run)
 *   audience -> presenter  {type: "hello"}   (just opened: "send me your state")
 *                          {type: "command", action: "next" | "prev" | "first" | "last" | "blank" | "pause"}
 *                                                 (a key pressed here)
 * Keys pressed in the audience window (it may have the focus after being dragged to the projector) go to the
 * presenter, so the presenter's place stays the one truth; with no presenter view open they move it locally.
 */
(function () {
  "use strict";

  const FORWARD = ["ArrowRight", "ArrowDown", "PageDown", " "];
  const BACK = ["ArrowLeft", "ArrowUp", "PageUp"];

  // Fields where keys are text; a checkbox or a file picker is not one (the arrows still move slides there).
  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.isContentEditable || target.closest("textarea, select")) return true; // a slide's text in Edit mode
    const input = target.closest("input");
    return Boolean(input) && !["checkbox", "radio", "button", "submit", "reset", "file", "color"].includes(input.type);
  }

  /**
   * What a key means on a deck: "next", "prev", "first", "last", "demo" (the slide's try panel took it),
   * "typing" (the key belongs to a text field; Escape has left it), "native" (a focused control answers it
   * itself), or "" (not a deck key). ``panel`` is the try panel of the slide on show, if it has one.
   * Slide moves and "demo" call event.preventDefault().
   */
  function keyAction(event, panel) {
    if (event.defaultPrevented) return "";
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return "typing";
    }
    const control = event.target.closest && event.target.closest("button, a, input, summary");
    if (panel) {
      // A focused button or link answers Enter itself (an example button runs its example), and a control in
      // the panel answers Space (the Explain switch); anywhere else on the slide, Enter runs.
      const inPanel = Boolean(control) && panel.root.contains(control);
      const native = Boolean(control) && (event.key === " " ? inPanel : event.key === "Enter" && !control.matches("input"));
      if (native) return "native";
      if (panel.key(event)) {
        event.preventDefault();
        return "demo";
      }
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return "";
    if (FORWARD.includes(event.key)) { event.preventDefault(); return "next"; }
    if (BACK.includes(event.key)) { event.preventDefault(); return "prev"; }
    if (event.key === "Home") return "first";
    if (event.key === "End") return "last";
    return "";
  }

  /**
   * Mount a stage try panel on every live demo slide under ``scope``; returns Map(slide element -> panel).
   * ``options(slide, model)`` may add mount options (hooks) per panel.
   */
  function mountDemos(scope, options) {
    const panels = new Map();
    const dataNode = document.getElementById("demo-data");
    if (!dataNode || !window.PitchLabDemo) return panels;
    const models = JSON.parse(dataNode.textContent);
    scope.querySelectorAll("[data-demo-model]").forEach((container) => {
      const model = models[container.dataset.demoModel];
      const target = container.querySelector("[data-demo-panel]");
      const slide = container.closest("[data-slide]");
      if (!model || !target || !slide) return;
      const extra = Object.assign({ stage: true }, options ? options(slide, model) : {});
      panels.set(slide, window.PitchLabDemo.mount(target, window.PitchLabDemo.fromStage(model, extra)));
    });
    return panels;
  }

  window.PitchLabDeck = { typing, keyAction, mountDemos };

  // ---------- the web deck page and the audience window ----------
  const deck = document.querySelector("main[data-deck]");
  if (!deck) return; // the presenter view: present.js drives the slides
  const audience = deck.hasAttribute("data-audience");
  let slides = Array.from(deck.querySelectorAll("[data-slide]"));
  const position = document.querySelector("[data-position]");
  let current = 0;

  function show(index) {
    const moved = current !== Math.max(0, Math.min(slides.length - 1, index));
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach((slide, i) => { slide.hidden = i !== current; });
    // On a phone a slide grows taller than the screen and the deck scrolls: a new slide starts at its top.
    if (moved) deck.scrollTop = 0;
    if (position) position.textContent = `${current + 1} / ${slides.length}`;
    history.replaceState(null, "", `${location.pathname}${location.search}#${current + 1}`);
    // Announce the slide on show (a shared deck's share.js times each slide with it).
    if (slides[current]) {
      document.dispatchEvent(new CustomEvent("pitchlab:slide", { detail: { index: current, key: slides[current].dataset.key } }));
    }
  }

  // The audience window's panels only mirror the presenter's: nobody clicks on a projector.
  const panels = mountDemos(deck);
  if (audience) panels.forEach((panel) => { panel.root.inert = true; });

  // Edit mode redraws slides (deck_edit/core.js): the sections are new, the slide on show stays the same one.
  document.addEventListener("pitchlab:deck-redrawn", (event) => {
    const { key, sections } = event.detail;
    slides = Array.from(deck.querySelectorAll("[data-slide]"));
    (sections || []).forEach((section) => mountDemos(section).forEach((panel, slide) => panels.set(slide, panel)));
    const index = slides.findIndex((slide) => slide.dataset.key === key);
    show(index < 0 ? current : index);
  });

  let channel = null;
  let presenterSeen = false;
  function move(action) {
    if (audience && presenterSeen && channel) {
      channel.postMessage({ type: "command", action });
      return;
    }
    if (action === "next") show(current + 1);
    else if (action === "prev") show(current - 1);
    else if (action === "first") show(0);
    else if (action === "last") show(slides.length - 1);
  }

  document.addEventListener("keydown", (event) => {
    const action = keyAction(event, audience ? null : panels.get(slides[current]));
    if (["next", "prev", "first", "last"].includes(action)) move(action);
    else if (!audience && !action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const key = event.key.toLowerCase();
      if (key === "f") fullscreen();
      else if (key === "e" && window.PitchLab && window.PitchLab.deckEdit) {
        event.preventDefault();
        window.PitchLab.deckEdit.setEnabled(!window.PitchLab.deckEdit.enabled());
      }
    } else if (audience && !action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const key = event.key.toLowerCase();
      if ((key === "b" || key === ".") && presenterSeen) move("blank");
      else if (key === "p" && presenterSeen) move("pause");
      else if (key === "f") fullscreen();
    }
  });

  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }

  if (audience) {
    const blank = document.querySelector("[data-blank]");
    const waiting = document.querySelector("[data-waiting]");
    deck.addEventListener("dblclick", fullscreen);
    if ("BroadcastChannel" in window) {
      channel = new BroadcastChannel(`pitchlab-present-${deck.dataset.pitch}`);
      channel.addEventListener("message", (event) => {
        const message = event.data || {};
        if (message.type === "state") {
          presenterSeen = true;
          if (waiting) waiting.hidden = true;
          if (Number.isInteger(message.slide)) show(message.slide - 1);
          if (blank) blank.hidden = !message.blank;
          document.body.classList.toggle("is-blank", Boolean(message.blank));
        } else if (message.type === "demo") {
          const panel = panels.get(slides[message.slide - 1]);
          if (panel && panel.display) panel.display(message.input || null, message.result || null, message.how || {});
        }
      });
      channel.postMessage({ type: "hello" });
    }
    // Opened on its own (no presenter view in this browser): say so, quietly, instead of looking stuck.
    setTimeout(() => { if (!presenterSeen && waiting) waiting.hidden = false; }, 2500);
  } else {
    document.querySelector("[data-prev]").addEventListener("click", () => show(current - 1));
    document.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
    const print = document.querySelector("[data-print]"); // a shared deck has no Print button
    if (print) print.addEventListener("click", () => window.print());
  }

  function fromHash() {
    const start = parseInt(location.hash.slice(1), 10);
    show(Number.isFinite(start) ? start - 1 : 0);
  }
  window.addEventListener("hashchange", fromHash); // a typed #7 jumps there (show's replaceState fires none)
  fromHash();
})();
