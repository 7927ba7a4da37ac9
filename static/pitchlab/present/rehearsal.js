/* The presenter view — the rehearsal being recorded: progressive saves, Finish, the summary, a tab closed while
 * recording; and the on-device transcript.
 * Part of the presenter's scripts (present/core.js first, present.js last); shared state and helpers on
 * window.PitchLab.present. */
(function () {
  "use strict";
  const P = window.PitchLab && window.PitchLab.present;
  if (!P) return;
  const { config, fmt, plan, target, ui, clock, view, account, resetTimers, rec, openSegment, closeSegment, segmentsNow } = P;
  const { send, banner, showSlide, render } = P;

  function rehearsalUrl(id) {
    return config.rehearsalUrl.replace(/\/0\/$/, `/${id}/`);
  }

  function reportPageUrl(id) {
    return config.reportPageUrl.replace(/\/0\/$/, `/${id}/`);
  }

  function body(status) {
    const data = { segments: segmentsNow() };
    if (rec.transcript) data.transcript = rec.transcript.trim();
    if (status) data.status = status;
    return data;
  }

  /** Send the segments so far; one save at a time, a save asked for meanwhile runs right after. */
  async function save() {
    if (!rec.on) return;
    if (rec.saving) {
      rec.again = true;
      return;
    }
    rec.saving = (async () => {
      try {
        if (rec.id === null) {
          const first = { status: "recording", lang: config.lang === "zh" ? "zh" : "en" };
          const segments = segmentsNow();
          if (segments.length) first.segments = segments;
          const created = await send("POST", config.rehearsalsUrl, first);
          rec.id = created.id;
        } else {
          await send("PATCH", rehearsalUrl(rec.id), body());
        }
        banner("");
      } catch (error) {
        banner(fmt(gettext("Could not save the rehearsal: %(error)s. The timings are kept here and sent again with the next save."), { error: error.message }));
      }
    })();
    await rec.saving;
    rec.saving = null;
    if (rec.again) {
      rec.again = false;
      await save();
    }
  }

  function startRehearsal() {
    if (rec.on || rec.unsaved) return;
    view.paused = false;
    account();
    view.current = 0;
    resetTimers();
    Object.assign(rec, { on: true, t0: performance.now(), segments: [], open: null, id: null, transcript: "", left: false });
    openSegment();
    ui.summary.hidden = true;
    showSlide();
    P.changed();
    transcription.sync();
    save();
  }

  async function finish() {
    if (!rec.on && rec.unsaved !== "complete") return;
    if (rec.on) {
      account();
      closeSegment();
      rec.on = false;
      rec.unsaved = "complete";
      transcription.sync();
    }
    ui.finish.disabled = true;
    ui.finish.textContent = gettext("Saving…");
    render();
    if (rec.saving) await rec.saving;
    try {
      const final = body("complete");
      const saved = rec.id === null
        ? await send("POST", config.rehearsalsUrl, final)
        : await send("PATCH", rehearsalUrl(rec.id), final);
      rec.id = saved.id || rec.id;
      rec.unsaved = null;
      banner("");
      summarise(saved);
    } catch (error) {
      const refused = error.status >= 400 && error.status < 500;
      if (refused && rec.id !== null) {
        // The server no longer takes this one (say it was cut off as incomplete after a long silence):
        // keep the timings as a new, complete rehearsal instead.
        rec.id = null;
        await finish();
        return;
      }
      if (refused) {
        rec.unsaved = null;
        banner(fmt(gettext("The rehearsal could not be saved: %(error)s"), { error: error.message }));
      } else {
        banner(fmt(gettext("Could not save the rehearsal: %(error)s. Nothing is lost: press “Save again”."), { error: error.message }));
        ui.finish.textContent = gettext("Save again");
      }
    }
    ui.finish.disabled = false;
    render();
    P.changed();
  }

  function summarise(saved) {
    const total = rec.segments.reduce((sum, s) => sum + s.end_ms - s.start_ms, 0);
    const first = rec.segments.length ? rec.segments[0].start_ms : 0;
    const last = rec.segments.length ? rec.segments[rec.segments.length - 1].end_ms : 0;
    const pausedMs = Math.max(0, last - first - total);
    const shown = new Set(rec.segments.map((s) => s.slide)).size;
    const totalMs = saved && Number.isFinite(Number(saved.total_seconds)) ? Number(saved.total_seconds) * 1000 : total;
    const delta = totalMs - target * 1000;
    const side = Math.abs(delta) < 1000
      ? gettext("on the target")
      : fmt(delta > 0 ? gettext("%(time)s over") : gettext("%(time)s under"), { time: clock(Math.abs(delta)) });
    const parts = [
      fmt(gettext("Rehearsal saved: %(spoken)s spoken against a %(target)s target (%(side)s)"), { spoken: clock(totalMs), target: clock(target * 1000), side }),
      fmt(ngettext("%(shown)s of %(count)s slide shown", "%(shown)s of %(count)s slides shown", plan.length), { shown, count: plan.length }),
    ];
    if (pausedMs >= 1000) parts.push(fmt(gettext("%(time)s paused"), { time: clock(pausedMs) }));
    // Translators: the end of the summary line after a rehearsal; %(summary)s is its parts joined by " · ".
    ui.summaryLine.textContent = fmt(gettext("%(summary)s."), { summary: parts.join(" · ") });
    ui.reportLink.href = reportPageUrl(rec.id);
    ui.summary.hidden = false;
  }

  // A closed tab (or a reload) keeps what was recorded, marked incomplete; keepalive lets the request outlive the page.
  window.addEventListener("pagehide", () => {
    if (rec.id === null || !(rec.on || rec.unsaved)) return;
    const status = rec.on ? "incomplete" : "complete";
    // A keepalive request may carry 64 kB at most: past that the transcript stays with the last regular save.
    let last = JSON.stringify(body(status));
    if (last.length > 60000) last = JSON.stringify({ segments: segmentsNow(), status });
    window.PitchLab.api.send("PATCH", rehearsalUrl(rec.id), { body: last, headers: { "Content-Type": "application/json" }, keepalive: true });
    if (rec.on) {
      closeSegment();
      rec.on = false;
      rec.left = true;
    }
    rec.unsaved = null;
  });
  // Back from the back/forward cache: that rehearsal was already saved as incomplete.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted || !rec.left) return;
    rec.left = false;
    banner(gettext("This rehearsal was saved as incomplete when you left the page. Start a new one to record again."));
    transcription.sync();
    render();
  });

  // ---------- transcript (on-device speech recognition only) ----------
  const transcription = (() => {
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    const lang = config.lang === "zh" ? "zh-CN" : "en-US";
    let recognition = null;
    let listening = false;

    async function onDevice() {
      // Only a recogniser that promises to stay on this machine; never the cloud one.
      if (!Recognition || typeof Recognition.available !== "function" || !("processLocally" in Recognition.prototype)) return false;
      try {
        return (await Recognition.available({ langs: [lang], processLocally: true })) === "available";
      } catch (error) {
        return false;
      }
    }

    function start() {
      if (listening) return;
      recognition = new Recognition();
      recognition.lang = lang;
      recognition.processLocally = true;
      recognition.continuous = true;
      recognition.interimResults = false;
      recognition.addEventListener("result", (event) => {
        for (let i = event.resultIndex; i < event.results.length; i += 1) {
          if (event.results[i].isFinal) rec.transcript += `${event.results[i][0].transcript.trim()} `;
        }
        const words = rec.transcript.trim() ? rec.transcript.trim().split(/\s+/).length : 0;
        ui.transcribeStatus.textContent = fmt(ngettext("Transcript: %(n)s word so far.", "Transcript: %(n)s words so far.", words), { n: words });
        ui.transcribeStatus.hidden = false;
      });
      recognition.addEventListener("error", (event) => {
        if (event.error === "not-allowed" || event.error === "service-not-allowed" || event.error === "language-not-supported") {
          ui.transcribe.checked = false;
          ui.transcribeStatus.textContent = fmt(gettext("Transcription stopped: %(error)s."), { error: event.error });
          ui.transcribeStatus.hidden = false;
        }
      });
      // The recogniser stops by itself after a silence; keep it going for as long as the rehearsal runs.
      recognition.addEventListener("end", () => {
        listening = false;
        if (rec.on && ui.transcribe.checked) setTimeout(start, 250);
      });
      try {
        recognition.start();
        listening = true;
      } catch (error) {
        listening = false;
      }
    }

    function stop() {
      if (recognition && listening) recognition.stop();
      listening = false;
    }

    function sync() {
      if (rec.on && ui.transcribe.checked) start();
      else stop();
    }

    onDevice().then((ok) => {
      ui.transcribeOffer.hidden = !ok;
      ui.transcribeNote.hidden = ok;
    });
    ui.transcribe.addEventListener("change", sync);
    return { sync };
  })();

  Object.assign(P, { save, startRehearsal, finish });
})();
