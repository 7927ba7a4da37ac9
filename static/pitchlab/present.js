/* The presenter view starts here: present/core.js holds its state, present/stage.js, present/rehearsal.js and
 * present/room.js add their parts; the page loads them in that order, this file last. Keys, clicks and the toolbar. */
(function () {
  "use strict";
  const P = window.PitchLab && window.PitchLab.present;
  if (!P) return;
  const { config, Deck, SAVE_EVERY_MS, STATE_HEARTBEAT_MS, $, stage, slides, ui, view, timer, rec } = P;
  const { command, showSlide, tick, save, startRehearsal, finish, changed, putState, listenForPhone, phone, panels } = P;

  // ---------- input ----------
  document.addEventListener("keydown", (event) => {
    const action = Deck.keyAction(event, panels.get(slides[view.current]));
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
  view.current = Number.isFinite(start) ? Math.max(0, Math.min(slides.length - 1, start - 1)) : 0;
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
