/* Edit mode's slide strip: the deck's slides as small numbered titles in a row (scrolling sideways), the one on show
 * marked. A click shows that slide; dragging an item onto another, or Alt+←/→ (Alt+↑/↓) on a focused item, moves its
 * slide there: each move is one change of the whole ``deck.slides`` list (one undo step), then a redraw.
 * Every slide of a row moves together (the live demo slides all come from the "demo" row).
 */
(function () {
  "use strict";
  const slides = () => window.PitchLab.deckSlides;
  const EARLIER = ["ArrowLeft", "ArrowUp"];
  const LATER = ["ArrowRight", "ArrowDown"];
  let dragged = "";
  let drawn = "";

  /** The rows in the order their slides are on show (a row with several slides once). */
  const shownRows = () => Array.from(new Set(slides().sections().map(slides().rowOf)));

  /** ``rows`` with the row keyed ``key`` moved just before (or after) the row keyed ``target``. */
  function moved(rows, key, target, after) {
    const keyOf = slides().keyOf;
    const row = rows.find((item) => keyOf(item) === key);
    if (!row || key === target) return rows;
    const rest = rows.filter((item) => item !== row);
    const index = rest.findIndex((item) => keyOf(item) === target);
    rest.splice(index < 0 ? rest.length : index + (after ? 1 : 0), 0, row);
    return rest;
  }

  async function move(key, target, after) {
    const ok = await slides().write((rows) => moved(rows, key, target, after), { label: gettext("Move slide") });
    const item = ok && document.querySelector(`[data-strip-row="${CSS.escape(key)}"]`);
    if (item) item.focus();
  }

  function onKey(event, key) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const step = EARLIER.includes(event.key) ? -1 : LATER.includes(event.key) ? 1 : 0;
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const rows = shownRows();
    const target = rows[rows.indexOf(key) + step];
    if (target) move(key, target, step > 0);
  }

  function item(section, on) {
    const { h } = window.PitchLab.dom;
    const key = slides().rowOf(section);
    const title = section.getAttribute("aria-label") || "";
    const node = h("button", {
      type: "button", class: "strip-item", draggable: "true", "data-strip-row": key, "data-strip-key": section.dataset.key,
      "aria-current": on ? "true" : null, title,
    }, h("span", { class: "strip-number", text: section.dataset.slide }), h("span", { class: "strip-title", text: title || "—" }));
    node.addEventListener("click", () => slides().goTo(section.dataset.key));
    node.addEventListener("keydown", (event) => onKey(event, key));
    node.addEventListener("dragstart", (event) => {
      dragged = key;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", key);
    });
    node.addEventListener("dragover", (event) => { if (dragged && dragged !== key) event.preventDefault(); });
    node.addEventListener("drop", (event) => {
      event.preventDefault();
      const from = dragged;
      dragged = "";
      if (!from || from === key) return;
      const rows = shownRows();
      move(from, key, rows.indexOf(from) < rows.indexOf(key));
    });
    node.addEventListener("dragend", () => { dragged = ""; });
    return node;
  }

  /** The strip drawn again only when its slides changed (a drag under way keeps its items), else marked. */
  function render(current) {
    const place = document.querySelector("[data-slides-strip]");
    if (!place) return;
    const sections = slides().sections();
    const shape = JSON.stringify(sections.map((section) => [section.dataset.key, section.dataset.slide, section.getAttribute("aria-label")]));
    if (shape === drawn && place.firstChild) {
      Array.from(place.children).forEach((node) => {
        const on = Boolean(current) && node.dataset.stripKey === current.dataset.key;
        if (on) node.setAttribute("aria-current", "true");
        else node.removeAttribute("aria-current");
        if (on) node.scrollIntoView({ block: "nearest", inline: "nearest" });
      });
      return;
    }
    drawn = shape;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.stripKey : "";
    const items = sections.map((section) => item(section, section === current));
    place.replaceChildren(...items);
    const again = focused && items.find((node) => node.dataset.stripKey === focused);
    if (again) again.focus();
    const on = items.find((node) => node.hasAttribute("aria-current"));
    if (on) on.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  document.addEventListener("pitchlab:deck-slides-update", (event) => render(event.detail.section));
  if (window.PitchLab && window.PitchLab.shortcuts) {
    window.PitchLab.shortcuts.register(gettext("Slide strip (Edit mode)"), [
      ["Alt+← / Alt+→", gettext("Move the focused slide earlier or later")],
    ]);
  }
})();
