/* The presenter view's keys on the "?" sheet (shortcuts.js): what present.js, deck.js (PitchLabDeck.keyAction) and a
 * live demo slide's try panel (demo/run.js) answer. Loaded after shortcuts.js. */
(function () {
  "use strict";
  const shortcuts = window.PitchLab && window.PitchLab.shortcuts;
  if (!shortcuts) return;
  shortcuts.register(gettext("Slides"), [
    ["→ / ↓ / Page Down / Space", gettext("Next slide")],
    ["← / ↑ / Page Up", gettext("Previous slide")],
    ["Home", gettext("First slide")],
    ["End", gettext("Last slide")],
  ]);
  shortcuts.register(gettext("Presenting"), [
    ["B / .", gettext("Black screen (again: back)")],
    ["P", gettext("Pause or resume the timer")],
    ["Esc", gettext("Leave a text field, so the keys move slides again")],
    ["?", gettext("Show these shortcuts")],
  ]);
  shortcuts.register(gettext("Live demo slide"), [
    ["1 … 9", gettext("Pick an example")],
    ["Enter", gettext("Run the demo")],
  ]);
})();
