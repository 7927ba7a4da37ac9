/* Numbers, amounts and dates as a reader of the page's (or the pitch's) language writes them.
 *
 *   const f = window.PitchLabFormat;
 *   f.number(1234.5)            // "1,234.5"; in Chinese pages too (zh-CN groups by thousands as well)
 *   f.compact(2500000, "zh")    // "250万"; "2.5M" in English (the twin of pitchlab/core/numbers.py)
 *   f.money(2500000, "USD")     // "2.5M USD" / "250万 USD": one amount, written once in the language
 *   f.dateTime(iso)             // "2026年12月7日 09:30" / "Dec 7, 2026, 9:30 AM"
 *   f.date(iso)                 // "2026年12月7日" / "Dec 7, 2026"
 *   f.time(iso)                 // "09:30" / "09:30 AM"
 *
 * ``lang`` is optional: the page's <html lang> ("zh-hans" → Chinese) when it is left out. Intl does the work,
 * so the browser's own locale never decides (a Chinese page on an English browser shows Chinese dates).
 */
(function () {
  "use strict";

  function locale(lang) {
    const code = String(lang || document.documentElement.lang || "en").toLowerCase();
    return code.startsWith("zh") ? "zh-CN" : "en";
  }

  function toDate(value) {
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  const api = {
    locale,
    number(value, lang, options) {
      if (typeof value !== "number" || !Number.isFinite(value)) return "";
      return new Intl.NumberFormat(locale(lang), options || { maximumFractionDigits: 3 }).format(value);
    },
    compact(value, lang) {
      if (typeof value !== "number" || !Number.isFinite(value)) return "";
      return new Intl.NumberFormat(locale(lang), { notation: "compact", maximumSignificantDigits: 3 }).format(value);
    },
    money(value, currency, lang) {
      const figure = api.compact(value, lang);
      return figure ? `${figure} ${currency || ""}`.trim() : "";
    },
    dateTime(value, lang) {
      const date = toDate(value);
      return date ? new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short" }).format(date) : "";
    },
    time(value, lang) {
      const date = toDate(value);
      return date ? new Intl.DateTimeFormat(locale(lang), { hour: "2-digit", minute: "2-digit" }).format(date) : "";
    },
    date(value, lang) {
      const date = toDate(value);
      return date ? new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium" }).format(date) : "";
    },
  };

  window.PitchLabFormat = api;
})();
