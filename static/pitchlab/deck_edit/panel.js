/* The web deck's Edit mode — the panel under the slide: the speaker notes and the seconds of the slide on show,
 * written to its deck.slides row (blank seconds: the slide takes its share of the pitch's time). Collapsible; in
 * Edit mode only. Also registers Edit mode's keys on the shortcut sheet.
 * Part of the Edit mode's scripts (deck_edit/core.js first).
 */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.deckEdit;
  if (!E) return;
  const { h } = window.PitchLab.dom;
  const deck = document.querySelector("main[data-deck]");

  const notes = h("textarea", { id: "deck-edit-notes", rows: 3, "data-edit-notes": true });
  const seconds = h("input", {
    id: "deck-edit-seconds", type: "number", min: 1, step: 1, inputmode: "numeric", "data-edit-seconds": true,
    placeholder: gettext("shared"),
  });
  const rowName = h("span", { class: "deck-edit-row" });
  const panel = h("details", { class: "deck-edit-panel", open: true, hidden: true },
    h("summary", {}, gettext("Notes and time"), " ", rowName),
    h("div", { class: "deck-edit-fields" },
      h("label", { class: "deck-edit-notes", for: "deck-edit-notes" }, gettext("Speaker notes"), notes),
      h("label", { class: "deck-edit-seconds", for: "deck-edit-seconds" }, gettext("Seconds (blank: a share of the pitch's time)"), seconds)));
  deck.after(panel);

  let row = null;
  let session = 0;

  function shownRow() {
    const section = deck.querySelector("section.slide:not([hidden])");
    return section ? E.rowOf(section) : null;
  }

  /** Fill the fields from the slide on show (not while the founder types in them). */
  function fill() {
    row = shownRow();
    const value = row ? E.row(row) : null;
    const section = deck.querySelector("section.slide:not([hidden])");
    const name = (value && value.title) || (section && section.getAttribute("aria-label")) || "";
    rowName.textContent = value && name ? `· ${name}` : "";
    if (document.activeElement !== notes) notes.value = value ? value.notes || "" : "";
    if (document.activeElement !== seconds) seconds.value = value && value.seconds ? String(value.seconds) : "";
    notes.disabled = seconds.disabled = !value;
  }

  function write(part, read) {
    if (!row) return;
    const pointer = `${row}/${part}`;
    const value = read();
    E.change(E.SLIDES, (draft) => E.set(draft, pointer, value), {
      pointers: [pointer], debounce: true, group: `${pointer} ${session}`, label: part,
    });
  }

  notes.addEventListener("focus", () => { session += 1; });
  seconds.addEventListener("focus", () => { session += 1; });
  notes.addEventListener("input", () => write("notes", () => notes.value));
  seconds.addEventListener("input", () => {
    const number = Number.parseInt(seconds.value, 10);
    write("seconds", () => (Number.isFinite(number) && number > 0 ? number : null));
  });

  // The slide's height leaves room for the panel (deck_edit.css reads --deck-edit-panel).
  const measure = () => document.body.style.setProperty("--deck-edit-panel", `${panel.hidden ? 0 : panel.offsetHeight}px`);
  if ("ResizeObserver" in window) new ResizeObserver(measure).observe(panel);
  panel.addEventListener("toggle", measure);

  E.on("mode", ({ enabled }) => { panel.hidden = !enabled; fill(); measure(); });
  E.on("rebased", fill);
  document.addEventListener("pitchlab:slide", fill);
  document.addEventListener("pitchlab:deck-redrawn", fill);

  if (window.PitchLab.shortcuts) {
    window.PitchLab.shortcuts.register(gettext("Edit mode"), [
      ["E", gettext("Edit mode on or off")],
      ["Ctrl+Z", gettext("Undo")],
      ["Shift+Ctrl+Z", gettext("Redo")],
      ["Enter", gettext("End editing a one-line text")],
      ["Esc", gettext("Stop typing (the arrows move slides again)")],
    ]);
  }
})();
