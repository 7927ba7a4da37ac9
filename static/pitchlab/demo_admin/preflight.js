/* Demo models page — Pre-flight (every curated example once, against the latency budget) and the capacity rehearsal.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { budgetMs, capacityLimits, PREFLIGHT_TIMEOUT_MS, fmt, h, part, slotFor, say, tell, percent, duration, isNumber, when, busy, call, poll, setProgress } = A;
  // ----- pre-flight and the capacity rehearsal -----
  function setupPreflight(entry) {
    const root = entry.panel.root;
    const button = root.querySelector('[data-action="preflight"]');
    if (button) button.addEventListener("click", async () => {
      const slot = slotFor(root, "preflight");
      say(slot, "");
      const count = entry.panel.examples.length;
      busy(button, count ? fmt(ngettext("Running %(n)s example…", "Running %(n)s examples…", count), { n: count }) : gettext("Running…"));
      const answer = await call("POST", A.urls(entry.model).preflight, { json: {}, timeoutMs: PREFLIGHT_TIMEOUT_MS });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      renderPreflight(entry, answer.data && answer.data.examples ? answer.data : (answer.data || {}).preflight);
      refreshCachedOutputs(entry);
    });

    const form = part(root, "capacity-form");
    if (!form) return;
    const users = form.querySelector('[name="users"]');
    const seconds = form.querySelector('[name="seconds"]');
    users.value = capacityLimits.users;
    users.max = capacityLimits.max_users;
    seconds.value = capacityLimits.seconds;
    seconds.max = capacityLimits.max_seconds;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const slot = slotFor(root, "capacity");
      const u = Number(users.value);
      const s = Number(seconds.value);
      if (!Number.isInteger(u) || u < 1 || u > capacityLimits.max_users) {
        say(slot, fmt(gettext("People: a whole number from 1 to %(max)s."), { max: capacityLimits.max_users })); users.focus(); return;
      }
      if (!Number.isInteger(s) || s < 1 || s > capacityLimits.max_seconds) {
        say(slot, fmt(gettext("Seconds: a whole number from 1 to %(max)s."), { max: capacityLimits.max_seconds })); seconds.focus(); return;
      }
      say(slot, "");
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Starting…"));
      const answer = await call("POST", A.urls(entry.model).preflight, { json: { capacity: { users: u, seconds: s } }, timeoutMs: PREFLIGHT_TIMEOUT_MS });
      if (!answer.ok) { busy(button, ""); tell(slot, answer); return; }
      const data = answer.data || {};
      const report = data.preflight || (data.examples ? data : null);
      if (report) renderPreflight(entry, report);
      watchCapacity(entry, { users: u, seconds: s, started: Date.now() });
    });
  }

  async function loadPreflight(entry) {
    const answer = await call("GET", A.urls(entry.model).preflight);
    if (!answer.ok || !answer.data) return; // nothing run yet reads the same as nothing to show
    if (answer.data.preflight && answer.data.preflight.checked_at) renderPreflight(entry, answer.data.preflight);
    const capacity = answer.data.capacity;
    if (capacity && capacity.status === "running") {
      const started = Date.parse(capacity.started_at || "");
      watchCapacity(entry, { users: capacity.users, seconds: capacity.seconds, started: Number.isNaN(started) ? Date.now() : started });
    }
    else if (capacity && capacity.status) renderCapacity(entry, capacity);
  }

  async function refreshCachedOutputs(entry) {
    const answer = await call("GET", A.urls(entry.model).examples);
    if (!answer.ok) return;
    entry.panel.examples = Array.isArray(answer.data) ? answer.data : (answer.data && answer.data.results) || [];
    A.renderExamples(entry);
    A.mountTry(entry);
  }

  function mark(ok, yes, no) {
    return h("span", { class: ok ? "mark ok" : "mark bad", title: ok ? yes : no }, ok ? "✓" : "✗", h("span", { class: "visually-hidden", text: ok ? yes : no }));
  }

  function renderPreflight(entry, report) {
    const root = entry.panel.root;
    const box = part(root, "preflight-report");
    if (!report) { box.replaceChildren(); return; }
    part(root, "preflight-when").textContent = report.checked_at ? fmt(gettext("Last run %(when)s"), { when: when(report.checked_at) }) : "";
    const rows = Array.isArray(report.examples) ? report.examples : [];
    const budget = isNumber(report.budget_ms) ? report.budget_ms : budgetMs;
    if (!rows.length) {
      box.replaceChildren(h("p", { class: "muted", text: gettext("There was no curated example to check: add a few above, then run pre-flight.") }));
      return;
    }
    const byId = new Map(entry.panel.examples.map((example, index) => [example.id, { example, index }]));
    const slowest = isNumber(report.slowest_ms) ? report.slowest_ms : Math.max(...rows.map((row) => row.latency_ms || 0));
    const failed = rows.filter((row) => !row.ok).length;
    const slow = rows.filter((row) => row.ok && isNumber(row.latency_ms) && row.latency_ms > budget).length;
    const wrong = rows.filter((row) => row.matches === false).length;
    const problems = [];
    if (failed) {
      problems.push(fmt(ngettext("%(n)s got no answer (on stage it falls back to the kept answer)", "%(n)s got no answer (on stage they fall back to the kept answer)", failed), { n: failed }));
    }
    if (slow) problems.push(fmt(gettext("%(n)s took longer than the %(budget)s budget"), { n: slow, budget: duration(budget) }));
    if (wrong) problems.push(fmt(gettext("%(n)s gave another label than the expected one"), { n: wrong }));
    const verdict = problems.length
      // Translators: %(problems)s lists what went wrong, joined by the separator "; " (translated on its own).
      ? fmt(gettext("Of %(count)s examples, %(problems)s."), { count: rows.length, problems: problems.join(gettext("; ")) })
      : fmt(gettext("All %(count)s examples answered in time with the expected label."), { count: rows.length });
    const good = !failed && !slow && !wrong;
    const ratio = budget ? Math.min(1, slowest / budget) : 0;
    const table = h("table", { class: "rows report-table" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "#" }), h("th", { scope: "col", class: "clip", text: gettext("Example") }), h("th", { scope: "col", text: gettext("Answer") }),
        h("th", { scope: "col", text: gettext("Expected") }), h("th", { scope: "col", class: "num", text: gettext("Time") }), h("th", { scope: "col", text: gettext("OK") }))),
      h("tbody", {}, rows.map((row, position) => {
        const known = byId.get(row.id);
        const example = known ? known.example : null;
        const top = row.labels && row.labels.length ? row.labels[0] : null;
        const what = example ? (example.text || (example.image_url ? gettext("picture") : "")) : "";
        const isSlow = isNumber(row.latency_ms) && row.latency_ms > budget;
        return h("tr", { class: row.ok ? "" : "failed" },
          h("td", { text: String(known ? known.index + 1 : position + 1) }),
          h("td", { class: "clip", title: what, text: what || "—" }),
          h("td", {}, row.ok && top ? `${top.label} ${percent(top.score)}` : h("span", { class: "error-text", text: row.error || gettext("no answer") })),
          h("td", { class: "nowrap" }, row.expected_label ? [row.expected_label, " ", row.matches === null || row.matches === undefined ? "" : mark(row.matches, gettext("matches"), gettext("does not match"))] : "—"),
          h("td", { class: `num${isSlow ? " slow" : ""}${isNumber(row.latency_ms) && row.latency_ms === slowest ? " slowest" : ""}`, text: isNumber(row.latency_ms) ? duration(row.latency_ms) : "—" }),
          h("td", {}, mark(row.ok && !isSlow, gettext("answered in time"), isSlow ? gettext("slower than the budget") : gettext("failed"))));
      })));
    box.replaceChildren(
      h("p", { class: `verdict ${good ? "good" : "warn"}`, text: verdict }),
      h("div", { class: "budget-line" },
        h("span", { text: fmt(gettext("Slowest %(slowest)s of the %(budget)s budget"), { slowest: duration(slowest), budget: duration(budget) }) }),
        h("div", { class: `budget-bar${slowest > budget ? " over" : ""}` }, h("span", { style: { width: `${Math.max(2, ratio * 100)}%` } }))),
      h("div", { class: "table-scroll" }, table));
  }

  function watchCapacity(entry, run) {
    const root = entry.panel.root;
    const progress = part(root, "capacity-progress");
    const slot = slotFor(root, "capacity");
    const capacityForm = part(root, "capacity-form");
    const button = capacityForm && capacityForm.querySelector('[type="submit"]');
    busy(button, gettext("Rehearsing…"));
    part(root, "capacity").open = true;
    part(root, "capacity-report").replaceChildren();
    const showTime = () => {
      const elapsed = Math.min(run.seconds, Math.round((Date.now() - run.started) / 1000));
      setProgress(progress, run.seconds ? elapsed / run.seconds : null,
        elapsed < run.seconds
          ? fmt(gettext("%(users)s people trying for %(seconds)s s: %(elapsed)s s so far"), { users: run.users, seconds: run.seconds, elapsed })
          : gettext("Adding up the answers…"));
    };
    showTime();
    const stop = poll({
      url: A.urls(entry.model).preflight,
      onData: (data) => {
        const capacity = data && data.capacity;
        if (capacity && capacity.status === "running") { showTime(); return; }
        busy(button, "");
        progress.hidden = true;
        renderCapacity(entry, capacity);
      },
      done: (data) => !data || !data.capacity || data.capacity.status !== "running",
      maxMs: (run.seconds + 120) * 1000, // the run's own length, then time to add up the answers
      onGiveUp: (reason) => {
        busy(button, "");
        progress.hidden = true;
        say(slot, reason, { label: gettext("Check again"), run: () => { say(slot, ""); loadPreflight(entry); } }, true);
      },
    });
    entry.panel.stops.push(stop);
  }

  function capacityVerdict(capacity) {
    const requests = capacity.requests || 0;
    const errors = capacity.errors || 0;
    const p95 = capacity.p95_ms;
    if (capacity.status === "failed") {
      return { good: false, text: fmt(gettext("The rehearsal did not finish: %(reason)s."), { reason: capacity.error || gettext("no reason was given") }) };
    }
    if (!requests) return { good: false, text: gettext("No request was sent, so there is nothing to judge: try again with more seconds.") };
    if (errors >= requests) return { good: false, text: gettext("Nobody in the room would get an answer: every request failed. Run pre-flight to see why.") };
    const failedShare = errors / requests;
    let text;
    let good = true;
    if (isNumber(p95) && p95 <= budgetMs) text = fmt(gettext("The room will get answers in about %(seconds)s s (p95)."), { seconds: (p95 / 1000).toFixed(1) });
    else if (isNumber(p95)) {
      good = false;
      text = fmt(
        gettext("With %(users)s people at once, answers slow to about %(seconds)s s (p95), over the %(budget)s budget: some will wait. A GPU, or fewer people trying at once, helps."),
        { users: capacity.users, seconds: (p95 / 1000).toFixed(1), budget: duration(budgetMs) },
      );
    } else text = gettext("The answers' timing was not recorded.");
    if (errors) {
      good = good && failedShare < 0.02;
      text += ` ${fmt(gettext("%(errors)s of %(requests)s requests (%(share)s) got no answer."), { errors, requests, share: percent(failedShare) })}`;
    }
    return { good, text };
  }

  function renderCapacity(entry, capacity) {
    const box = part(entry.panel.root, "capacity-report");
    if (!capacity || !capacity.status || capacity.status === "running") { box.replaceChildren(); return; }
    const verdict = capacityVerdict(capacity);
    const figures = [
      [gettext("Requests"), capacity.requests], [gettext("Errors"), capacity.errors],
      ["p50", isNumber(capacity.p50_ms) ? duration(capacity.p50_ms) : null], ["p95", isNumber(capacity.p95_ms) ? duration(capacity.p95_ms) : null],
      [gettext("Per second"), isNumber(capacity.per_second) ? capacity.per_second.toFixed(1) : null],
    ].filter(([, value]) => value !== null && value !== undefined);
    box.replaceChildren(
      h("p", { class: `verdict ${verdict.good ? "good" : "warn"}`, text: verdict.text }),
      isNumber(capacity.users) ? h("p", { class: "muted", text: fmt(gettext("%(users)s simulated people for %(seconds)s s."), { users: capacity.users, seconds: capacity.seconds }) }) : null,
      capacity.status === "done" ? h("dl", { class: "figures" }, figures.map(([term, value]) => h("div", {}, h("dt", { text: term }), h("dd", { text: String(value) })))) : null);
  }


  Object.assign(A, { setupPreflight, loadPreflight, refreshCachedOutputs, mark, renderPreflight, watchCapacity, capacityVerdict, renderCapacity });
})();
