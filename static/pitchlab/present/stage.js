/* The presenter view — moving between slides, pausing, blanking; showing the slide, the next one, notes and timers.
 * Part of the presenter's scripts (present/core.js first, present.js last); shared state and helpers on
 * window.PitchLab.present. */
(function () {
  "use strict";
  const P = window.PitchLab && window.PitchLab.present;
  if (!P) return;
  const { config, fmt, stage, slides, plan, target, ui, clock, level, view, account, elapsed, rec, recNow } = P;
  const { openSegment, closeSegment } = P;

  // ---------- moving ----------
  function go(index) {
    const next = Math.max(0, Math.min(slides.length - 1, index));
    if (next === view.current) return;
    account();
    closeSegment();
    view.current = next;
    openSegment();
    showSlide();
    P.changed();
    P.save();
  }

  function setPaused(on) {
    if (view.paused === on) return;
    account();
    view.paused = on;
    if (view.paused) closeSegment();
    else openSegment();
    render();
    P.changed();
    P.save();
  }

  function setBlank(on) {
    view.blank = on;
    render();
    P.changed();
  }

  /** One vocabulary for keys, buttons, the audience window and the phone remote. */
  function command(action, slide) {
    if (action === "next") go(view.current + 1);
    else if (action === "prev") go(view.current - 1);
    else if (action === "first") go(0);
    else if (action === "last") go(slides.length - 1);
    else if (action === "goto" && Number.isInteger(slide)) go(slide - 1);
    else if (action === "blank") setBlank(!view.blank);
    else if (action === "pause") setPaused(!view.paused);
  }

  // ---------- showing ----------
  function showSlide() {
    slides.forEach((slide, i) => { slide.hidden = i !== view.current; });
    const row = plan[view.current];
    ui.notes.textContent = row.notes || gettext("No notes for this slide.");
    ui.notes.classList.toggle("is-empty", !row.notes);
    ui.notes.scrollTop = 0;
    ui.position.textContent = `${view.current + 1} / ${slides.length}`;
    ui.slidePlanned.textContent = clock(row.seconds * 1000);
    const after = slides[view.current + 1];
    ui.nextTitle.textContent = after ? plan[view.current + 1].title : gettext("End of the deck");
    if (after) {
      // A copy of the next slide's own markup; inert, so nothing in it takes the focus or a click.
      const copy = after.cloneNode(true);
      copy.removeAttribute("id");
      copy.removeAttribute("data-slide");
      copy.hidden = false;
      copy.querySelectorAll("[id]").forEach((node) => node.removeAttribute("id"));
      ui.next.replaceChildren(copy);
    } else {
      ui.next.replaceChildren();
    }
    ui.prevButton.disabled = view.current === 0;
    ui.nextButton.disabled = view.current === slides.length - 1;
    history.replaceState(null, "", `#${view.current + 1}`);
    render();
  }

  function render() {
    ui.veil.hidden = !view.blank;
    stage.classList.toggle("is-blank", view.blank);
    ui.blankPill.hidden = !view.blank;
    ui.blank.setAttribute("aria-pressed", String(view.blank));
    ui.pausedPill.hidden = !view.paused;
    ui.pausedLine.hidden = !view.paused;
    ui.pause.setAttribute("aria-pressed", String(view.paused));
    ui.pause.firstChild.textContent = `${view.paused ? gettext("Resume") : gettext("Pause")} `;
    document.body.classList.toggle("is-paused", view.paused);
    document.body.classList.toggle("is-recording", rec.on);
    ui.recPill.hidden = !rec.on;
    // A viewer presents but does not record (their role lacks it: the API would refuse).
    ui.rehearse.hidden = rec.on || Boolean(rec.unsaved) || config.canRecord === false;
    ui.finish.hidden = !(rec.on || rec.unsaved);
    if (rec.on) {
      ui.finish.textContent = gettext("Finish");
      ui.finish.disabled = false;
    }
    tick();
  }

  function tick() {
    const now = elapsed();
    const row = plan[view.current];
    ui.slideElapsed.textContent = clock(now.slide);
    ui.slideTimer.dataset.level = level(now.slide, row.seconds);
    ui.slideMeter.style.width = `${row.seconds > 0 ? Math.min(100, (now.slide / (row.seconds * 10))) : 0}%`;
    ui.totalElapsed.textContent = clock(now.total);
    ui.totalTarget.textContent = clock(target * 1000);
    ui.totalTimer.dataset.level = level(now.total, target);
    ui.totalMeter.style.width = `${target > 0 ? Math.min(100, now.total / (target * 10)) : 0}%`;
    const left = target * 1000 - now.total;
    ui.totalLeft.textContent = target > 0 ? `· ${fmt(left >= 0 ? gettext("%(time)s left") : gettext("%(time)s over"), { time: clock(Math.abs(left)) })}` : "";
    ui.clock.textContent = window.PitchLabFormat.time(new Date());
    if (rec.on) {
      const count = rec.segments.length + (rec.open ? 1 : 0);
      ui.recLine.textContent = fmt(ngettext("Recording · %(time)s since the start · %(n)s segment", "Recording · %(time)s since the start · %(n)s segments", count), { time: clock(recNow()), n: count });
    } else if (rec.unsaved) {
      ui.recLine.textContent = gettext("Finished — saving the rehearsal…");
    } else if (!ui.summary.hidden) {
      ui.recLine.textContent = gettext("Rehearsal saved. Start another one any time.");
    } else if (config.canRecord === false) {
      ui.recLine.textContent = gettext("As a viewer you can present; recording rehearsals needs the editor role.");
    } else {
      ui.recLine.textContent = gettext("Start rehearsal to time each slide and keep a report.");
    }
  }

  Object.assign(P, { go, setPaused, setBlank, command, showSlide, render, tick });
})();
