/* The web deck's keys on the "?" sheet (shortcuts.js), for the deck page. Apart from deck.js, which the share page
 * and the presenter view load too without the JavaScript catalogue. Edit mode adds its own group (deck_edit/panel.js). */
(function () {
  "use strict";
  if (!window.PitchLab || !window.PitchLab.shortcuts) return;
  window.PitchLab.shortcuts.register(gettext("Slides"), [
    ["→ / Space / Page Down", gettext("Next slide")],
    ["← / Page Up", gettext("Previous slide")],
    ["Home / End", gettext("First slide / last slide")],
    ["F", gettext("Full screen on or off")],
    ["?", gettext("This list of keys")],
  ]);
})();
