/* The investor Q&A drill (templates/rehearsals/drill.html).
 *
 * Choose where the questions come from (the pitch's own gaps, the bank, or both), a category and a language;
 * then one question at a time: an answer timer that counts down (amber in the last 15 s, red at 0, and on
 * counting over), a rating from 1 to 5 (buttons or keys 1–5), an optional better answer, Save & next or Skip.
 * A saved answer refreshes the history, which the server renders (the page is fetched again and its
 * #drill-history swapped in), so it is written once, in the template.
 * Every failure is said next to the control that caused it, and what was typed stays where it was.
 * The page's words come from Django's JavaScript catalogue (gettext, loaded by the page first); the questions'
 * language is the drill's own choice (drill.lang), which the founder may switch mid-drill.
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("drill-state");
  if (!stateNode) return;
  const state = JSON.parse(stateNode.textContent) || {};
  const AMBER_AT = 15;
  const fmt = (text, values) => interpolate(text, values, true);

  const CATEGORY = {
    market: gettext("Market"), product: gettext("Product"), technology: gettext("Technology"),
    team: gettext("Team"), finance: gettext("Finance"), risk: gettext("Risk"),
  };
  const categoryName = (key) => CATEGORY[key] || key;

  const setup = document.getElementById("drill-setup");
  const setupForm = setup.querySelector("[data-drill-setup]");
  const card = document.getElementById("drill-question");
  const done = document.getElementById("drill-done");
  const part = (root, name) => root.querySelector(`[data-${name}]`);
  const slotFor = (root, name) => root.querySelector(`[data-error-for="${name}"]`);

  // ---------- the network ----------
  const { call, showError } = window.PitchLabApi.client();

  function clearErrors(root) {
    root.querySelectorAll("[data-error-for]").forEach((slot) => showError(slot, ""));
  }

  /** DRF's field errors as one sentence per field ({"rating": ["…"]} -> "…"). */
  function fieldText(value) {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(fieldText).filter(Boolean).join(" ");
    if (value && typeof value === "object") return Object.values(value).map(fieldText).filter(Boolean).join(" ");
    return "";
  }

  // ---------- the drill ----------
  const drill = { questions: [], index: 0, lang: state.lang === "zh" ? "zh" : "en", rating: 0, saved: 0, skipped: 0 };

  function questionText(q) {
    const text = drill.lang === "zh" ? q.text_zh || q.text_en : q.text_en || q.text_zh;
    return text || q.text || "";
  }

  async function loadQuestions(source, lang) {
    const url = new URL(state.questionsUrl, window.location.origin);
    url.searchParams.set("lang", lang);
    url.searchParams.set("source", source);
    return call("GET", url.pathname + url.search);
  }

  setupForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const slot = slotFor(setupForm, "questions");
    const count = part(setupForm, "drill-count");
    const button = part(setupForm, "drill-start");
    showError(slot, "");
    const data = new FormData(setupForm);
    const source = String(data.get("source") || "all");
    const category = String(data.get("category") || "");
    drill.lang = data.get("lang") === "zh" ? "zh" : "en";
    button.disabled = true;
    count.textContent = gettext("Loading the questions…");
    const answer = await loadQuestions(source, drill.lang);
    button.disabled = false;
    count.textContent = "";
    if (!answer.ok) {
      showError(slot, answer.message);
      return;
    }
    const all = Array.isArray(answer.data) ? answer.data : [];
    const chosen = category ? all.filter((q) => q.category === category) : all;
    if (!chosen.length) {
      let why = gettext("No question matches this choice.");
      if (source === "generated") {
        why += " " + gettext("Your canvas raises none here — try the question bank, or another category.");
      }
      showError(slot, why);
      return;
    }
    drill.questions = chosen;
    drill.index = 0;
    drill.saved = 0;
    drill.skipped = 0;
    drill.source = source;
    setup.hidden = true;
    done.hidden = true;
    card.hidden = false;
    show();
    card.scrollIntoView({ behavior: "smooth", block: "start" });
  });

  function show() {
    const q = drill.questions[drill.index];
    clearErrors(card);
    part(card, "q-category").textContent = categoryName(q.category);
    part(card, "q-source").textContent = q.source === "generated" ? gettext("from your pitch") : gettext("question bank");
    part(card, "q-progress").textContent = fmt(gettext("Question %(index)s of %(count)s"), { index: drill.index + 1, count: drill.questions.length });
    part(card, "q-text").textContent = questionText(q);
    part(card, "q-text").lang = drill.lang === "zh" ? "zh-CN" : "en";
    const why = part(card, "q-why");
    why.hidden = !(q.why || q.field_url);
    part(card, "q-why-text").textContent = q.why || "";
    const fix = part(card, "q-fix");
    fix.hidden = !q.field_url;
    if (q.field_url) fix.href = q.field_url;
    part(card, "lang-toggle").textContent = drill.lang === "zh" ? "English" : "中文";
    setRating(0);
    part(card, "better").value = "";
    timerReset();
  }

  function next() {
    if (drill.index + 1 < drill.questions.length) {
      drill.index += 1;
      show();
      part(card, "q-text").focus({ preventScroll: true });
      return;
    }
    timerStop();
    card.hidden = true;
    done.hidden = false;
    part(done, "done-summary").textContent = fmt(
      gettext("%(saved)s answered and rated, %(skipped)s skipped. Your history below is up to date."),
      { saved: drill.saved, skipped: drill.skipped },
    );
  }

  function unsavedNoteOk() {
    const note = part(card, "better").value.trim();
    return !note || window.confirm(gettext("Leave this question without saving your note?"));
  }

  // ---------- the timer ----------
  const timerNode = part(card, "timer");
  const timerText = part(card, "timer-text");
  const timerNote = part(card, "timer-note");
  const toggle = part(card, "timer-toggle");
  const budget = Number(state.answerSeconds) > 0 ? Number(state.answerSeconds) : 60;
  const timer = { running: false, since: 0, spent: 0, tick: null };

  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  const elapsedMs = () => timer.spent + (timer.running ? performance.now() - timer.since : 0);

  function drawTimer() {
    const used = Math.floor(elapsedMs() / 1000);
    const left = budget - used;
    timerText.textContent = left >= 0 ? clock(left) : `+${clock(-left)}`;
    timerNode.classList.toggle("amber", left > 0 && left <= AMBER_AT);
    timerNode.classList.toggle("red", left <= 0);
    timerNote.textContent = left < 0 ? gettext("over time") : left === 0 ? gettext("time") : "";
    toggle.textContent = timer.running ? gettext("Stop") : timer.spent > 0 ? gettext("Resume") : gettext("Start");
  }

  function timerStart() {
    if (timer.running) return;
    timer.running = true;
    timer.since = performance.now();
    timer.tick = setInterval(drawTimer, 250);
    drawTimer();
  }

  function timerStop() {
    if (!timer.running) return;
    timer.spent += performance.now() - timer.since;
    timer.running = false;
    clearInterval(timer.tick);
    drawTimer();
  }

  function timerReset() {
    timerStop();
    timer.spent = 0;
    drawTimer();
  }

  toggle.addEventListener("click", () => (timer.running ? timerStop() : timerStart()));
  part(card, "timer-reset").addEventListener("click", timerReset);

  // ---------- the rating ----------
  const rateButtons = [...card.querySelectorAll("[data-rate]")];
  function setRating(value) {
    drill.rating = value;
    rateButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.rate) === value)));
    if (value) showError(slotFor(card, "rating"), "");
  }
  rateButtons.forEach((b) => b.addEventListener("click", () => setRating(Number(b.dataset.rate))));

  document.addEventListener("keydown", (event) => {
    if (card.hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (/^[1-5]$/.test(event.key)) {
      setRating(Number(event.key));
      event.preventDefault();
    }
  });

  // ---------- save, skip, change ----------
  const answerForm = part(card, "answer-form");
  const saveButton = part(card, "save");

  answerForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(card);
    if (!drill.rating) {
      showError(slotFor(card, "rating"), gettext("Rate your answer from 1 to 5 first (buttons or keys 1–5)."));
      rateButtons[0].focus();
      return;
    }
    const q = drill.questions[drill.index];
    const seconds = Math.round(elapsedMs() / 1000);
    const body = { question_key: q.key, rating: drill.rating, better_answer: part(card, "better").value, lang: drill.lang };
    if (seconds > 0) body.seconds = Math.min(3600, seconds);
    saveButton.disabled = true;
    const idle = saveButton.textContent;
    saveButton.textContent = gettext("Saving…");
    const answer = await call("POST", state.answersUrl, body);
    saveButton.disabled = false;
    saveButton.textContent = idle;
    if (!answer.ok) {
      const fields = answer.data && answer.data.extra && answer.data.extra.fields;
      let placed = false;
      for (const name of ["rating", "better_answer"]) {
        if (fields && fields[name]) {
          showError(slotFor(card, name), fieldText(fields[name]));
          placed = true;
        }
      }
      const field = answer.data && answer.data.extra && answer.data.extra.field;
      if (!placed && (field === "rating" || field === "better_answer")) {
        showError(slotFor(card, field), answer.message);
        placed = true;
      }
      if (!placed) showError(slotFor(card, "save"), fields && answer.message === "Validation error" ? fieldText(fields) : answer.message);
      return; // the rating, the note and the timer stay as they are
    }
    drill.saved += 1;
    refreshHistory();
    next();
  });

  part(card, "skip").addEventListener("click", () => {
    if (!unsavedNoteOk()) return;
    drill.skipped += 1;
    next();
  });

  document.querySelectorAll("[data-change]").forEach((button) => {
    button.addEventListener("click", () => {
      if (!card.hidden && !unsavedNoteOk()) return;
      timerStop();
      card.hidden = true;
      done.hidden = true;
      setup.hidden = false;
      setup.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });

  part(done, "restart").addEventListener("click", () => {
    drill.index = 0;
    drill.saved = 0;
    drill.skipped = 0;
    done.hidden = true;
    card.hidden = false;
    show();
  });

  // The language of the questions, switched mid-drill: the texts come in both languages; the "why" lines are
  // asked for again in the new language and matched by key.
  part(card, "lang-toggle").addEventListener("click", async () => {
    drill.lang = drill.lang === "zh" ? "en" : "zh";
    const radio = setupForm.querySelector(`input[name="lang"][value="${drill.lang}"]`);
    if (radio) radio.checked = true;
    const q = drill.questions[drill.index];
    part(card, "q-text").textContent = questionText(q);
    part(card, "q-text").lang = drill.lang === "zh" ? "zh-CN" : "en";
    part(card, "lang-toggle").textContent = drill.lang === "zh" ? "English" : "中文";
    const answer = await loadQuestions(drill.source || "all", drill.lang);
    if (!answer.ok || !Array.isArray(answer.data)) return; // the why lines stay in the other language
    const whys = new Map(answer.data.map((item) => [item.key, item.why]));
    drill.questions.forEach((item) => { if (whys.has(item.key)) item.why = whys.get(item.key); });
    part(card, "q-why-text").textContent = drill.questions[drill.index].why || "";
  });

  // ---------- the history ----------
  async function refreshHistory() {
    const answer = await window.PitchLab.api.send("GET", window.location.pathname, { accept: "text/html", as: "text" });
    if (!answer.ok) return; // the history catches up on the next save or reload; the drill itself goes on
    const fresh = new DOMParser().parseFromString(answer.data, "text/html").getElementById("drill-history");
    const now = document.getElementById("drill-history");
    if (fresh && now) now.replaceWith(document.importNode(fresh, true));
  }

  drawTimer();
})();
