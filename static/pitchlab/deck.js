/* The web deck: one slide at a time; arrows, space, Page Up/Down and Home/End move; the URL keeps the place.
 *
 * A live demo slide holds a try panel (demo.js, stage mode). There, 1–9 pick an example and Enter runs the
 * current input. While the presenter types in the panel's text box the deck keeps its hands off the keys,
 * except Escape, which leaves the box so the arrows move slides again.
 */
(function () {
  "use strict";
  const slides = Array.from(document.querySelectorAll("[data-slide]"));
  const position = document.querySelector("[data-position]");
  const panels = new Map(); // slide element -> mounted try panel
  let current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach((slide, i) => { slide.hidden = i !== current; });
    position.textContent = `${current + 1} / ${slides.length}`;
    history.replaceState(null, "", `#${current + 1}`);
  }

  function mountDemos() {
    const dataNode = document.getElementById("demo-data");
    if (!dataNode || !window.PitchLabDemo) return;
    const models = JSON.parse(dataNode.textContent);
    document.querySelectorAll("[data-demo-model]").forEach((container) => {
      const model = models[container.dataset.demoModel];
      const target = container.querySelector("[data-demo-panel]");
      if (!model || !target) return;
      const panel = window.PitchLabDemo.mount(target, window.PitchLabDemo.fromStage(model, { stage: true }));
      panels.set(container.closest("[data-slide]"), panel);
    });
  }

  // Fields where keys are text; a checkbox or a file picker is not one (the arrows still move slides there).
  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.closest("textarea, select, [contenteditable='true']")) return true;
    const input = target.closest("input");
    return Boolean(input) && !["checkbox", "radio", "button", "submit", "reset", "file", "color"].includes(input.type);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const panel = panels.get(slides[current]);
    const control = event.target.closest && event.target.closest("button, a, input, summary");
    if (panel) {
      // A focused button or link answers Enter itself (an example button runs its example), and a control in
      // the panel answers Space (the Explain switch); anywhere else on the slide, Enter runs.
      const inPanel = Boolean(control) && panel.root.contains(control);
      const native = Boolean(control) && (event.key === " " ? inPanel : event.key === "Enter" && !control.matches("input"));
      if (native) return;
      if (panel.key(event)) { event.preventDefault(); return; }
    }
    const forward = ["ArrowRight", "ArrowDown", "PageDown", " "];
    const back = ["ArrowLeft", "ArrowUp", "PageUp"];
    if (forward.includes(event.key)) { show(current + 1); event.preventDefault(); }
    else if (back.includes(event.key)) { show(current - 1); event.preventDefault(); }
    else if (event.key === "Home") show(0);
    else if (event.key === "End") show(slides.length - 1);
  });
  document.querySelector("[data-prev]").addEventListener("click", () => show(current - 1));
  document.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
  document.querySelector("[data-print]").addEventListener("click", () => window.print());
  mountDemos();
  function fromHash() {
    const start = parseInt(location.hash.slice(1), 10);
    show(Number.isFinite(start) ? start - 1 : 0);
  }
  window.addEventListener("hashchange", fromHash); // a typed #7 jumps there (show's replaceState fires none)
  fromHash();
})();
