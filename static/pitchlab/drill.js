/* The investor Q&A drill (templates/rehearsals/drill.html).
 *
 * Choose where the questions come from (the pitch's own gaps, the bank, or both), a category and a language;
 * then one question at a time: an answer timer that counts down (amber in the last 15 s, red at 0, and on
 * counting over), a rating from 1 to 5 (buttons or keys 1–5), an optional better answer, Save & next or Skip.
 * A saved answer refreshes the history, which the server renders (the page is fetched again and its
 * #drill-history swapped in), so it is written once, in the template.
 * Every failure is said next to the control that caused it, and what was typed stays where it was.
 */
(function () {
  "use strict";
  const stateNode = document.getElementById("drill-state");
  if (!stateNode) return;
  const state = JSON.parse(stateNode.textContent) || {};
  const AMBER_AT = 15;
  const uiZh = state.lang === "zh";
  const say = (en, cn) => (uiZh ? cn : en);

  const CATEGORY = {
    market: ["Market", "市场"], product: ["Product", "产品"], technology: ["Technology", "技术"],
    team: ["Team", "团队"], finance: ["Finance", "财务"], risk: ["Risk", "风险"],
  };
  const categoryName = (key) => (CATEGORY[key] ? CATEGORY[key][uiZh ? 1 : 0] : key);

  const setup = document.getElementById("drill-setup");
  const setupForm = setup.querySelector("[data-drill-setup]");
  const card = document.getElementById("drill-question");
  const done = document.getElementById("drill-done");
  const part = (root, name) => root.querySelector(`[data-${name}]`);
  const slotFor = (root, name) => root.querySelector(`[data-error-for="${name}"]`);

  // ---------- the network ----------
  const { call, showError } = window.PitchLabApi.client({ zh: uiZh });

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
    count.textContent = say("Loading the questions…", "正在载入问题…");
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
      let why = say("No question matches this choice.", "没有符合这个选择的问题。");
      if (source === "generated") {
        why += " " + say("Your canvas raises none here — try the question bank, or another category.", "你的计划在这里没有引出问题——试试问题库或其他类别。");
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
    part(card, "q-source").textContent = q.source === "generated" ? say("from your pitch", "来自你的计划") : say("question bank", "问题库");
    part(card, "q-progress").textContent = say(`Question ${drill.index + 1} of ${drill.questions.length}`, `第 ${drill.index + 1} / ${drill.questions.length} 题`);
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
    part(done, "done-summary").textContent = say(
      `${drill.saved} answered and rated, ${drill.skipped} skipped. Your history below is up to date.`,
      `已回答并打分 ${drill.saved} 题，跳过 ${drill.skipped} 题。下面的记录已更新。`,
    );
  }

  function unsavedNoteOk() {
    const note = part(card, "better").value.trim();
    return !note || window.confirm(say("Leave this question without saving your note?", "不保存笔记就离开这道题？"));
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
    timerNote.textContent = left < 0 ? say("over time", "超时") : left === 0 ? say("time", "时间到") : "";
    toggle.textContent = timer.running ? say("Stop", "停止") : timer.spent > 0 ? say("Resume", "继续") : say("Start", "开始计时");
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
      showError(slotFor(card, "rating"), say("Rate your answer from 1 to 5 first (buttons or keys 1–5).", "请先给回答打 1–5 分（按钮或键盘 1–5）。"));
      rateButtons[0].focus();
      return;
    }
    const q = drill.questions[drill.index];
    const seconds = Math.round(elapsedMs() / 1000);
    const body = { question_key: q.key, rating: drill.rating, better_answer: part(card, "better").value, lang: drill.lang };
    if (seconds > 0) body.seconds = Math.min(3600, seconds);
    saveButton.disabled = true;
    const idle = saveButton.textContent;
    saveButton.textContent = say("Saving…", "正在保存…");
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
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("drill-history");
      const now = document.getElementById("drill-history");
      if (fresh && now) now.replaceWith(document.importNode(fresh, true));
    } catch (e) {
      // the history catches up on the next save or reload; the drill itself goes on
    }
  }

  drawTimer();
})();
