/*
 * coursehost SCORM run-time: value types (no dependencies, ES2020, no build step).
 *
 * Loaded as a classic <script> it attaches itself to `globalThis.CoursehostRuntime.values`; required from Node
 * (`require("./values.js")`) it is the module's exports. Load it first: every other run-time file needs it.
 * common.js re-exports all of it, so the data models and APIs use it as `common.*`.
 *
 * What is here:
 *   - values as SCORM passes them (strings), and the helpers that read a snapshot back as initial data;
 *   - small validators shared by both data models (decimals, integers, identifiers, language tags);
 *   - time types: SCORM 1.2 CMITimespan / CMITime, SCORM 2004 timeinterval (ISO 8601 duration) and
 *     time(second,10,0) (ISO 8601 timestamp), parsed to and formatted from integer centiseconds.
 */
(function (root, factory) {
  "use strict";
  var exported = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = exported;
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.values = exported;
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------------------------------

  /** What a SCO passes to SetValue, as the string SCORM defines (numbers and booleans are stringified). */
  function toScormString(value) {
    if (value === undefined || value === null) return "";
    return String(value);
  }

  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading a snapshot back (initial data): whatever it holds, the data model gets values of the right shape
  // ---------------------------------------------------------------------------------------------------------------

  /** `value` as a string, or `fallback` when it is absent (undefined or null). */
  function str(value, fallback) {
    return value === undefined || value === null ? fallback : String(value);
  }

  /** `value` if it is one of `list`, else `fallback`. */
  function pick(list, value, fallback) {
    return list.indexOf(value) >= 0 ? value : fallback;
  }

  /** `value` if it is a plain object, else an empty one. */
  function obj(value) {
    return isPlainObject(value) ? value : {};
  }

  /** The plain objects of the array `value` (none when it is not an array), each through `restore`. */
  function plainList(value, restore) {
    return Array.isArray(value) ? value.filter(isPlainObject).map(restore) : [];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Numbers and identifiers
  // ---------------------------------------------------------------------------------------------------------------

  var DECIMAL_RE = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
  var INTEGER_RE = /^\d+$/;
  var SINTEGER_RE = /^[-+]?\d+$/;

  /** A decimal number written with digits, an optional sign and point (no exponent). */
  function isDecimal(value) {
    return typeof value === "string" && DECIMAL_RE.test(value);
  }

  function isInteger(value) {
    return typeof value === "string" && INTEGER_RE.test(value);
  }

  function isSignedInteger(value) {
    return typeof value === "string" && SINTEGER_RE.test(value);
  }

  // Whitespace or control characters anywhere make an identifier invalid.
  var NO_SPACE_RE = /^[^\s\u0000-\u001f\u007f]+$/u;

  /** A non-empty identifier without whitespace/control characters of at most `max` characters. */
  function isIdentifier(value, max) {
    return typeof value === "string" && value.length > 0 && value.length <= max && NO_SPACE_RE.test(value);
  }

  // RFC 3066 language tag as SCORM 2004 profiles it: a 2-3 letter ISO 639 code (or "i"/"x"), then subtags of 1-8
  // letters or digits.
  var LANGUAGE_RE = /^(?:[A-Za-z]{2,3}|[iIxX](?=-))(?:-[A-Za-z0-9]{1,8})*$/;

  function isLanguage(value) {
    return typeof value === "string" && value.length <= 250 && LANGUAGE_RE.test(value);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Time: SCORM 1.2
  // ---------------------------------------------------------------------------------------------------------------

  var TIMESPAN12_RE = /^(\d{2,4}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$/;
  var TIME12_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$/;

  function centis(fraction) {
    if (!fraction) return 0;
    return fraction.length === 1 ? Number(fraction) * 10 : Number(fraction);
  }

  /** CMITimespan "HHHH:MM:SS.SS" (hours 2-4 digits, optional 1-2 decimals) -> centiseconds, or null. */
  function parseTimespan12(value) {
    var m = typeof value === "string" ? TIMESPAN12_RE.exec(value) : null;
    if (!m) return null;
    var h = Number(m[1]), min = Number(m[2]), s = Number(m[3]);
    if (min > 59 || s > 59) return null;
    return ((h * 60 + min) * 60 + s) * 100 + centis(m[4]);
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  /** centiseconds -> CMITimespan "HHHH:MM:SS" or "HHHH:MM:SS.SS" (capped at 9999:59:59.99). */
  function formatTimespan12(cs) {
    var total = Math.max(0, Math.round(cs || 0));
    var max = ((9999 * 60 + 59) * 60 + 59) * 100 + 99;
    if (total > max) total = max;
    var fraction = total % 100;
    var seconds = Math.floor(total / 100);
    var h = Math.floor(seconds / 3600), min = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var text = pad(h, 4) + ":" + pad(min, 2) + ":" + pad(s, 2);
    return fraction ? text + "." + pad(fraction, 2) : text;
  }

  /** CMITime "HH:MM:SS(.SS)" on a 24 hour clock. */
  function isTime12(value) {
    var m = typeof value === "string" ? TIME12_RE.exec(value) : null;
    return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Time: SCORM 2004
  // ---------------------------------------------------------------------------------------------------------------

  var DURATION_RE = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?$/;
  var DAY_CS = 24 * 3600 * 100;

  /**
   * timeinterval(second,10,2): ISO 8601 duration "P[yY][mM][dD][T[hH][nM][s[.s]S]]" -> centiseconds, or null.
   * "P" alone and a "T" with no time component are invalid. Years count 365 days and months 30 days (the spec
   * leaves the conversion open; these durations are session lengths, years and months do not occur in practice).
   * Decimals beyond the second are accepted and rounded to centiseconds.
   */
  function parseDuration(value) {
    if (typeof value !== "string" || value === "P" || value.charAt(value.length - 1) === "T") return null;
    var m = DURATION_RE.exec(value);
    if (!m) return null;
    var n = function (i) { return m[i] ? Number(m[i]) : 0; };
    var fraction = m[7] ? Math.round(Number("0." + m[7]) * 100) : 0;
    return (n(1) * 365 + n(2) * 30 + n(3)) * DAY_CS + ((n(4) * 60 + n(5)) * 60 + n(6)) * 100 + fraction;
  }

  /** centiseconds -> "PT{h}H{m}M{s}S" (seconds with up to two decimals). */
  function formatDuration(cs) {
    var total = Math.max(0, Math.round(cs || 0));
    var fraction = total % 100;
    var seconds = Math.floor(total / 100);
    var h = Math.floor(seconds / 3600), min = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var sec = fraction ? s + "." + (fraction % 10 ? pad(fraction, 2) : String(fraction / 10)) : String(s);
    return "PT" + h + "H" + min + "M" + sec + "S";
  }

  var TIMESTAMP_RE =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,2}))?)?)?(Z|[+-]\d{2}(?::\d{2})?)?)?)?)?$/;

  function daysInMonth(year, month) {
    return [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31,
      30, 31][month - 1];
  }

  /**
   * time(second,10,0): "YYYY[-MM[-DD[Thh[:mm[:ss[.s]]][TZD]]]]" with year 1970..2038, real calendar dates and a
   * time zone designator "Z", "+hh", "+hh:mm" (or "-") after the time part.
   */
  function isTimestamp(value) {
    var m = typeof value === "string" ? TIMESTAMP_RE.exec(value) : null;
    if (!m) return false;
    var year = Number(m[1]);
    if (year < 1970 || year > 2038) return false;
    if (m[2] !== undefined) {
      var month = Number(m[2]);
      if (month < 1 || month > 12) return false;
      if (m[3] !== undefined) {
        var day = Number(m[3]);
        if (day < 1 || day > daysInMonth(year, month)) return false;
      }
    }
    if (m[4] !== undefined && Number(m[4]) > 23) return false;
    if (m[5] !== undefined && Number(m[5]) > 59) return false;
    if (m[6] !== undefined && Number(m[6]) > 59) return false;
    if (m[8] && m[8] !== "Z") {
      var tzH = Number(m[8].substr(1, 2)), tzM = m[8].length > 3 ? Number(m[8].substr(4, 2)) : 0;
      if (tzH > 23 || tzM > 59) return false;
    }
    return true;
  }

  return {
    toScormString: toScormString,
    clone: clone,
    isPlainObject: isPlainObject,
    str: str,
    pick: pick,
    obj: obj,
    plainList: plainList,
    isDecimal: isDecimal,
    isInteger: isInteger,
    isSignedInteger: isSignedInteger,
    isIdentifier: isIdentifier,
    isLanguage: isLanguage,
    parseTimespan12: parseTimespan12,
    formatTimespan12: formatTimespan12,
    isTime12: isTime12,
    parseDuration: parseDuration,
    formatDuration: formatDuration,
    isTimestamp: isTimestamp,
  };
});
