/* The web deck: one slide at a time; arrows, space, Page Up/Down and Home/End move; the URL keeps the place. */
(function () {
  "use strict";
  const slides = Array.from(document.querySelectorAll("[data-slide]"));
  const position = document.querySelector("[data-position]");
  let current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach((slide, i) => { slide.hidden = i !== current; });
    position.textContent = `${current + 1} / ${slides.length}`;
    history.replaceState(null, "", `#${current + 1}`);
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown", " "];
    const back = ["ArrowLeft", "ArrowUp", "PageUp"];
    if (forward.includes(event.key)) { show(current + 1); event.preventDefault(); }
    else if (back.includes(event.key)) { show(current - 1); event.preventDefault(); }
    else if (event.key === "Home") show(0);
    else if (event.key === "End") show(slides.length - 1);
  });
  document.querySelector("[data-prev]").addEventListener("click", () => show(current - 1));
  document.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
  const start = parseInt(location.hash.slice(1), 10);
  show(Number.isFinite(start) ? start - 1 : 0);
})();
