/*
 * coursehost SCORM run-time: SCORM 2004 4th edition value types (plain ES2020, no dependencies, no build step).
 *
 * Load order in the browser: values.js, engine.js, common.js, this file, scorm2004-datamodel.js, scorm2004.js.
 * Attaches `CoursehostRuntime.scorm2004Types`; in Node it is the module's exports.
 *
 * Every validator takes the value (a string) and returns null when it is valid or {kind, message} with kind
 * "type" (-> 406), "range" (-> 407) or "unique" (-> 351).
 *
 * Covered here: real(10,7) with ranges, characterstring SPMs (reported, not enforced: an SPM is the smallest
 * maximum an LMS must store), long/short identifiers (URIs: non-empty, no white space, a well-formed "urn:" when
 * they start with one), language_type, localized_string_type ("{lang=xx}text"), and the response formats of
 * cmi.interactions.n.correct_responses.n.pattern and cmi.interactions.n.learner_response for every interaction
 * type (true-false, choice, fill-in, long-fill-in, likert, matching, performance, sequencing, numeric, other),
 * and adl.nav.request values.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./common.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.scorm2004Types = factory(root.CoursehostRuntime.common);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common) {
  "use strict";
  if (!common) throw new Error("coursehost runtime: load common.js before scorm2004-validators.js");

  var fail = common.fail;

  function typeError(message) {
    return fail("type", message);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Scalars
  // ---------------------------------------------------------------------------------------------------------------

  /** real(10,7), optionally bounded: real(-1, 1) for scaled scores, real(0) for >= 0, real() unbounded. */
  function real(min, max) {
    return function (value) {
      if (!common.isDecimal(value)) return typeError("value is not a real number");
      var n = Number(value);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        return fail("range", "value " + value + " is outside " + (min === undefined ? "" : min) + ".." +
          (max === undefined ? "" : max));
      }
      return null;
    };
  }

  function vocabulary(values, what) {
    return function (value) {
      return values.indexOf(value) >= 0 ? null
        : typeError("value is not a valid " + what + " (one of: " + values.map(JSON.stringify).join(", ") + ")");
    };
  }

  /** characterstring: any text; the SPM is only reported through `warn` (the LMS stores longer values). */
  function characterstring(spm, warn) {
    return function (value, ctx) {
      if (value.length > spm && warn) warn(ctx, value.length, spm);
      return null;
    };
  }

  function timeinterval(value) {
    return common.parseDuration(value) !== null ? null
      : typeError("value is not a timeinterval (ISO 8601 duration such as PT1H30M5.25S)");
  }

  function time(value) {
    return common.isTimestamp(value) ? null
      : typeError("value is not a time(second,10,0) (ISO 8601 such as 2024-05-01T10:30:00Z, years 1970-2038)");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Identifiers, languages, localized strings
  // ---------------------------------------------------------------------------------------------------------------

  var URN_RE = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i;

  /**
   * long_identifier_type (SPM 4000) / short_identifier_type (SPM 250): a URI, so at least one character, no white
   * space, and "urn:<NID>:<NSS>" when it starts with "urn:". With strict false any non-empty string passes.
   */
  function isIdentifierValue(value, strict) {
    if (typeof value !== "string" || value.length === 0) return false;
    if (strict === false) return true;
    if (!/^[^\s\u0000-\u001f\u007f]+$/u.test(value)) return false;
    if (/^urn:/i.test(value)) return URN_RE.test(value);
    return true;
  }

  function identifier(strict) {
    return function (value) {
      return isIdentifierValue(value, strict) ? null
        : typeError("value is not an identifier (a URI: not empty, no white space, urn:<NID>:<NSS> for URNs)");
    };
  }

  function language(value) {
    return value === "" || common.isLanguage(value) ? null
      : typeError("value is not a language_type (RFC 3066 tag such as en, en-US, fr-CA)");
  }

  var LANG_DELIMITER_RE = /^\{lang=([^}]*)\}/;

  /** Split "{lang=xx}text" -> {lang, text}, or null when the delimiter holds an invalid language. */
  function parseLocalized(value) {
    var m = LANG_DELIMITER_RE.exec(value);
    if (!m) return { lang: null, text: value };
    if (!common.isLanguage(m[1])) return null;
    return { lang: m[1], text: value.slice(m[0].length) };
  }

  function localizedString(spm, warn) {
    return function (value, ctx) {
      var parsed = parseLocalized(value);
      if (!parsed) return typeError("the {lang=...} delimiter does not hold a valid language_type");
      if (parsed.text.length > spm && warn) warn(ctx, parsed.text.length, spm);
      return null;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Interaction responses (RTE 4.2.9: correct_responses.n.pattern and learner_response formats)
  // ---------------------------------------------------------------------------------------------------------------

  var INTERACTION_TYPES = ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance",
    "sequencing", "numeric", "other"];

  /** How many correct response patterns an interaction type can hold (the others have an SPM, not a limit). */
  var SINGLE_PATTERN_TYPES = ["true-false", "likert", "numeric", "other"];

  var DELIMITER_RE = /\[[,.:]\]/;

  /** A short_identifier_type inside a response: also free of the "[,]", "[.]" and "[:]" delimiters. */
  function shortId(value, strict) {
    return isIdentifierValue(value, strict) && value.length <= 250 && !DELIMITER_RE.test(value);
  }

  /** Leading "{name=true|false}" delimiters among `allowed`; returns {rest} or {error}. */
  function takeFlags(value, allowed) {
    var rest = value;
    var seen = {};
    var re = /^\{(case_matters|order_matters)=([^}]*)\}/;
    var m;
    while ((m = re.exec(rest)) && allowed.indexOf(m[1]) >= 0 && !seen[m[1]]) {
      if (m[2] !== "true" && m[2] !== "false") return { error: "{" + m[1] + "=...} must be true or false" };
      seen[m[1]] = true;
      rest = rest.slice(m[0].length);
    }
    return { rest: rest };
  }

  function idList(value, strict, what, unique) {
    if (value === "") return typeError(what + " needs at least one identifier");
    var ids = value.split("[,]");
    for (var i = 0; i < ids.length; i++) {
      if (!shortId(ids[i], strict)) return typeError(what + ": \"" + ids[i] + "\" is not a short_identifier_type");
    }
    if (unique) {
      for (var j = 0; j < ids.length; j++) {
        if (ids.indexOf(ids[j]) !== j) return fail("unique", what + ": \"" + ids[j] + "\" appears more than once");
      }
    }
    return null;
  }

  function localizedList(value, what) {
    var parts = value.split("[,]");
    for (var i = 0; i < parts.length; i++) {
      if (!parseLocalized(parts[i])) return typeError(what + ": invalid {lang=...} delimiter in \"" + parts[i] + "\"");
    }
    return null;
  }

  function numericRange(value) {
    var bounds = value.split("[:]");
    if (bounds.length !== 2) return false;
    if (bounds[0] !== "" && !common.isDecimal(bounds[0])) return false;
    if (bounds[1] !== "" && !common.isDecimal(bounds[1])) return false;
    return !(bounds[0] !== "" && bounds[1] !== "" && Number(bounds[0]) > Number(bounds[1]));
  }

  function matching(value, strict, what) {
    if (value === "") return typeError(what + " needs at least one source[.]target pair");
    var pairs = value.split("[,]");
    for (var i = 0; i < pairs.length; i++) {
      var sides = pairs[i].split("[.]");
      if (sides.length !== 2 || !shortId(sides[0], strict) || !shortId(sides[1], strict)) {
        return typeError(what + ": \"" + pairs[i] + "\" is not a source[.]target pair of short identifiers");
      }
    }
    return null;
  }

  function performance(value, strict, isPattern, what) {
    var rest = value;
    if (isPattern) {
      var flags = takeFlags(value, ["order_matters"]);
      if (flags.error) return typeError(flags.error);
      rest = flags.rest;
    }
    if (rest === "") return typeError(what + " needs at least one step_name[.]step_answer");
    var steps = rest.split("[,]");
    for (var i = 0; i < steps.length; i++) {
      var parts = steps[i].split("[.]");
      if (parts.length !== 2) return typeError(what + ": \"" + steps[i] + "\" is not step_name[.]step_answer");
      if (parts[0] === "" && parts[1] === "") return typeError(what + ": a step needs a name or an answer");
      if (parts[0] !== "" && !shortId(parts[0], strict)) {
        return typeError(what + ": step name \"" + parts[0] + "\" is not a short_identifier_type");
      }
      if (isPattern && parts[1].indexOf("[:]") >= 0 && !numericRange(parts[1])) {
        return typeError(what + ": step answer \"" + parts[1] + "\" is not a numeric range min[:]max");
      }
    }
    return null;
  }

  /**
   * Validate a correct response pattern (isPattern true) or a learner response for an interaction type.
   * options.strictIdentifiers false relaxes identifier checks.
   */
  function response(type, value, isPattern, strict) {
    var what = isPattern ? "correct response pattern (" + type + ")" : "learner response (" + type + ")";
    switch (type) {
      case "true-false":
        return value === "true" || value === "false" ? null : typeError(what + " must be \"true\" or \"false\"");
      case "choice":
        // The empty set is allowed: no choice selected / no choice is correct.
        return value === "" ? null : idList(value, strict, what, true);
      case "sequencing":
        return idList(value, strict, what, false);
      case "likert":
        return shortId(value, strict) ? null : typeError(what + " must be one short_identifier_type");
      case "matching":
        return matching(value, strict, what);
      case "performance":
        return performance(value, strict, isPattern, what);
      case "fill-in": {
        var rest = value;
        if (isPattern) {
          var flags = takeFlags(value, ["case_matters", "order_matters"]);
          if (flags.error) return typeError(flags.error);
          rest = flags.rest;
        }
        return localizedList(rest, what);
      }
      case "long-fill-in": {
        var text = value;
        if (isPattern) {
          var caseFlag = takeFlags(value, ["case_matters"]);
          if (caseFlag.error) return typeError(caseFlag.error);
          text = caseFlag.rest;
        }
        return parseLocalized(text) ? null : typeError(what + ": invalid {lang=...} delimiter");
      }
      case "numeric":
        if (isPattern) {
          // "min[:]max" with either bound optional; a single number is accepted as an exact answer.
          return numericRange(value) || common.isDecimal(value) ? null
            : typeError(what + " must be min[:]max (reals, min <= max) or a real");
        }
        return common.isDecimal(value) ? null : typeError(what + " must be a real number");
      case "other":
        return null;
      default:
        return typeError("unknown interaction type " + type);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Navigation
  // ---------------------------------------------------------------------------------------------------------------

  var NAV_REQUESTS = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"];
  var TARGET_RE = /^\{target=([^}]*)\}(choice|jump)$/;

  /** adl.nav.request value -> {request, target} or null when invalid. */
  function parseNavRequest(value, strict) {
    if (NAV_REQUESTS.indexOf(value) >= 0) return { request: value, target: null };
    var m = TARGET_RE.exec(value);
    if (m && shortId(m[1], strict)) return { request: m[2], target: m[1] };
    return null;
  }

  return {
    real: real,
    vocabulary: vocabulary,
    characterstring: characterstring,
    timeinterval: timeinterval,
    time: time,
    identifier: identifier,
    isIdentifier: isIdentifierValue,
    language: language,
    parseLocalized: parseLocalized,
    localizedString: localizedString,
    INTERACTION_TYPES: INTERACTION_TYPES,
    SINGLE_PATTERN_TYPES: SINGLE_PATTERN_TYPES,
    response: response,
    NAV_REQUESTS: NAV_REQUESTS,
    parseNavRequest: parseNavRequest,
  };
});
