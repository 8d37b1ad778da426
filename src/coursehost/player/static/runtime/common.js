/*
 * coursehost SCORM run-time: shared helpers (no dependencies, ES2020, no build step).
 *
 * Loaded as a classic <script> it attaches itself to `globalThis.CoursehostRuntime.common`; required from Node
 * (`require("./common.js")`) it is the module's exports. scorm12.js and scorm2004*.js need it loaded first.
 *
 * What is here:
 *   - time types: SCORM 1.2 CMITimespan / CMITime, SCORM 2004 timeinterval (ISO 8601 duration) and
 *     time(second,10,0) (ISO 8601 timestamp), parsed to and formatted from integer centiseconds;
 *   - small validators shared by both data models (decimals, integers, identifiers, language tags);
 *   - the data-model engine: a schema tree of groups, arrays and leaves, the resolution of a dot-notation element
 *     name against it (returning abstract error "kinds" that each API maps to its own error codes), and the
 *     generic GetValue / SetValue flows (access rules, `_children`, `_count`, packed-array indices);
 *   - the error register (last error code + diagnostic) and the snapshot/sequence helper used by both APIs.
 *
 * Error kinds produced by the engine (each API maps them to its codes):
 *   undefined   the element is not part of the data model
 *   nochildren  `_children` requested on an element that has none
 *   nocount     `_count` requested on an element that is not an array
 *   noversion   `_version` requested on an element other than the data model root
 *   keyword     SetValue on a keyword (`_children`, `_count`, `_version`)
 *   readonly    SetValue on a read-only element
 *   writeonly   GetValue on a write-only element
 *   index       an array index beyond `_count` (GetValue) or beyond the next free slot (SetValue)
 *   dependency  SetValue before a prerequisite element was set (e.g. an interaction's id)
 *   type        the value has the wrong format
 *   range       the value is well-formed but out of the element's range
 *   unique      the value violates a uniqueness constraint (identifiers)
 *   general     any other failure of the call
 *   notinit     GetValue of an element that has no value yet
 */
(function (root, factory) {
  "use strict";
  var exported = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = exported;
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.common = exported;
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

  // ---------------------------------------------------------------------------------------------------------------
  // Data-model schema and engine
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A group of named children. options.children: the `_children` value (omit to answer "nochildren");
   * options.version: the `_version` value (only on the root).
   */
  function group(children, options) {
    options = options || {};
    return { kind: "group", children: children, childrenList: options.children, version: options.version };
  }

  /**
   * A packed array of `item` groups. options.children: the `_children` value; options.requires: the name of the
   * leaf an item must be created with (else "dependency"); options.fixed: items cannot be created by the SCO;
   * options.makeItem(ctx): the initial object of a new item.
   */
  function array(item, options) {
    options = options || {};
    return {
      kind: "array",
      item: item,
      childrenList: options.children,
      requires: options.requires,
      fixed: !!options.fixed,
      makeItem: options.makeItem || function () { return {}; },
    };
  }

  /**
   * A value. options.access: "r", "w" or "rw"; options.validate(value, ctx) -> null or {kind, message};
   * options.get(ctx) -> value (null/undefined = not initialised, a fail() object = that error); options.set(ctx, value)
   * replaces the store.
   */
  function leaf(options) {
    return {
      kind: "leaf",
      access: options.access || "rw",
      validate: options.validate,
      get: options.get,
      set: options.set,
    };
  }

  function fail(kind, message) {
    return { kind: kind, message: message };
  }

  var INDEX_RE = /^(?:0|[1-9]\d*)$/;

  /**
   * Resolve a dot-notation element against the schema. Returns {error: {kind, message}} or
   * {type: "leaf"|"children"|"count"|"version", node, path, steps} where `path` addresses the value in the data
   * object (array indices as numbers) and `steps` lists each array index on the way ({arrayPath, index}).
   */
  function resolve(schema, element) {
    var tokens = element.split(".");
    var node = schema;
    var path = [];
    var steps = [];
    var undefinedElement = fail("undefined", "The data model element " + element + " is not defined");
    if (tokens[0] !== schema.name) return { error: undefinedElement };
    node = schema.root;
    for (var i = 1; i < tokens.length; i++) {
      var token = tokens[i];
      var last = i === tokens.length - 1;
      if (node.kind === "leaf") {
        if (last && token === "_children") {
          return { error: fail("nochildren", tokens.slice(0, i).join(".") + " does not have children") };
        }
        if (last && token === "_count") {
          return { error: fail("nocount", tokens.slice(0, i).join(".") + " is not an array and has no count") };
        }
        return { error: undefinedElement };
      }
      if (token === "_children") {
        if (!last) return { error: undefinedElement };
        if (node.childrenList === undefined) {
          return { error: fail("nochildren", tokens.slice(0, i).join(".") + " does not support _children") };
        }
        return { type: "children", node: node, path: path, steps: steps };
      }
      if (token === "_count") {
        if (!last) return { error: undefinedElement };
        if (node.kind !== "array") {
          return { error: fail("nocount", tokens.slice(0, i).join(".") + " is not an array and has no count") };
        }
        return { type: "count", node: node, path: path, steps: steps };
      }
      if (token === "_version") {
        if (last && node.version !== undefined) return { type: "version", node: node, path: path, steps: steps };
        if (last) return { error: fail("noversion", tokens.slice(0, i).join(".") + " does not have a version") };
        return { error: undefinedElement };
      }
      if (node.kind === "array") {
        if (!INDEX_RE.test(token)) return { error: undefinedElement };
        steps.push({ arrayPath: path.slice(), index: Number(token), node: node, rest: tokens.slice(i + 1) });
        path.push(Number(token));
        node = node.item;
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(node.children, token)) return { error: undefinedElement };
      path.push(token);
      node = node.children[token];
    }
    if (node.kind !== "leaf") return { error: undefinedElement };
    return { type: "leaf", node: node, path: path, steps: steps };
  }

  function readPath(data, path) {
    var value = data;
    for (var i = 0; i < path.length; i++) {
      if (value === undefined || value === null) return undefined;
      value = value[path[i]];
    }
    return value;
  }

  /** The array at `path`, created empty if missing. */
  function arrayAt(data, path) {
    var holder = data;
    for (var i = 0; i < path.length - 1; i++) holder = holder[path[i]];
    var key = path[path.length - 1];
    if (!Array.isArray(holder[key])) holder[key] = [];
    return holder[key];
  }

  /** The object holding the value at `path` (creating the intermediate plain objects). */
  function holderOf(data, path) {
    var holder = data;
    for (var i = 0; i < path.length - 1; i++) {
      var key = path[i];
      if (holder[key] === undefined || holder[key] === null) holder[key] = typeof path[i + 1] === "number" ? [] : {};
      holder = holder[key];
    }
    return holder;
  }

  /**
   * A data model: a schema with a name ("cmi" or "adl"), bound to a data object. `model.get(element)` and
   * `model.set(element, value)` return {value} / {ok: true} or {error: {kind, message}}.
   */
  function createModel(name, root, data, context) {
    var schema = { name: name, root: root };

    function ctxFor(resolved, extra) {
      var ctx = {
        data: data,
        path: resolved.path,
        steps: resolved.steps,
        indices: resolved.steps.map(function (s) { return s.index; }),
        context: context,
        item: function (depth) {
          // The array item object at the given step depth (default: the innermost one), or undefined.
          var step = resolved.steps[depth === undefined ? resolved.steps.length - 1 : depth];
          if (!step) return undefined;
          var list = readPath(data, step.arrayPath);
          return Array.isArray(list) ? list[step.index] : undefined;
        },
      };
      if (extra) Object.keys(extra).forEach(function (k) { ctx[k] = extra[k]; });
      return ctx;
    }

    function checkExisting(resolved) {
      for (var i = 0; i < resolved.steps.length; i++) {
        var step = resolved.steps[i];
        var list = readPath(data, step.arrayPath);
        var length = Array.isArray(list) ? list.length : 0;
        if (step.index >= length) {
          return fail("index", name + "." + step.arrayPath.concat([step.index]).join(".") +
            " does not exist (_count is " + length + ")");
        }
      }
      return null;
    }

    function get(element) {
      var resolved = resolve(schema, element);
      if (resolved.error) return resolved;
      if (resolved.type === "leaf" && resolved.node.access.indexOf("r") < 0) {
        return { error: fail("writeonly", element + " is write-only") };
      }
      var missing = checkExisting(resolved);
      if (missing) return { error: missing };
      if (resolved.type === "children") return { value: resolved.node.childrenList };
      if (resolved.type === "version") return { value: resolved.node.version };
      if (resolved.type === "count") {
        var list = readPath(data, resolved.path);
        return { value: String(Array.isArray(list) ? list.length : 0) };
      }
      var ctx = ctxFor(resolved, { element: element });
      var value = resolved.node.get ? resolved.node.get(ctx) : readPath(data, resolved.path);
      if (value !== null && typeof value === "object" && value.kind) return { error: value };
      if (value === undefined || value === null) {
        return { error: fail("notinit", element + " has not been initialized"), value: "" };
      }
      return { value: String(value) };
    }

    function set(element, value) {
      var resolved = resolve(schema, element);
      if (resolved.error) {
        var kind = resolved.error.kind;
        if (kind === "nochildren" || kind === "nocount" || kind === "noversion") {
          return { error: fail("keyword", element + " is a keyword and cannot be set") };
        }
        return resolved;
      }
      if (resolved.type !== "leaf") return { error: fail("keyword", element + " is a keyword and cannot be set") };
      if (resolved.node.access.indexOf("w") < 0) return { error: fail("readonly", element + " is read-only") };
      var creating = [];
      for (var i = 0; i < resolved.steps.length; i++) {
        var step = resolved.steps[i];
        var list = readPath(data, step.arrayPath);
        var length = Array.isArray(list) ? list.length : 0;
        var where = name + "." + step.arrayPath.concat([step.index]).join(".");
        if (step.node.fixed && step.index >= length) {
          return { error: fail("index", where + " does not exist and cannot be created (_count is " + length + ")") };
        }
        // Packed arrays: an index may address an existing item or the next free slot (which creates it). An array
        // inside an item created by this call is empty, so only its index 0 passes.
        if (step.index > length) {
          return { error: fail("index", where + " is out of order: the next index is " + length) };
        }
        if (step.index >= length) {
          if (step.node.requires && !(step.rest.length === 1 && step.rest[0] === step.node.requires)) {
            return { error: fail("dependency", where + "." + step.node.requires + " must be set first") };
          }
          creating.push(step);
        }
      }
      var ctx = ctxFor(resolved, { element: element, creating: creating.length > 0 });
      if (resolved.node.validate) {
        var problem = resolved.node.validate(value, ctx);
        if (problem) return { error: problem };
      }
      creating.forEach(function (step) {
        var list = arrayAt(data, step.arrayPath);
        list.push(step.node.makeItem(ctx));
      });
      if (resolved.node.set) {
        resolved.node.set(ctx, value);
      } else {
        holderOf(data, resolved.path)[resolved.path[resolved.path.length - 1]] = value;
      }
      return { ok: true };
    }

    return { get: get, set: set, schema: schema };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // API plumbing shared by both standards
  // ---------------------------------------------------------------------------------------------------------------

  /** The last-error register of an API instance. */
  function createErrorRegister(strings) {
    var last = { code: 0, diagnostic: "" };
    return {
      set: function (code, diagnostic) {
        last = { code: code, diagnostic: diagnostic || (code ? strings[code] || "" : "") };
      },
      clear: function () {
        last = { code: 0, diagnostic: "" };
      },
      code: function () {
        return last.code;
      },
      string: function (code) {
        var key = Number(toScormString(code));
        return Object.prototype.hasOwnProperty.call(strings, key) && toScormString(code).trim() !== ""
          ? strings[key] : "";
      },
      diagnostic: function (code) {
        var text = toScormString(code);
        if (text === "" || Number(text) === last.code) return last.diagnostic;
        return Object.prototype.hasOwnProperty.call(strings, Number(text)) ? strings[Number(text)] : "";
      },
    };
  }

  /** Logging to the host: onLog(message, level) with level "debug", "info", "warn" or "error". */
  function createLogger(options) {
    var onLog = typeof options.onLog === "function" ? options.onLog : null;
    var debug = !!options.debug;
    return function log(level, message) {
      if (!onLog || (level === "debug" && !debug)) return;
      try {
        onLog(message, level);
      } catch (e) {
        /* a failing logger must never break the SCO */
      }
    };
  }

  /**
   * Call the host's onCommit(data, reason). Returns true unless it throws or returns false. A returned promise is
   * not awaited (the SCORM API is synchronous); its rejection is logged.
   */
  function deliver(callback, args, log, what) {
    if (typeof callback !== "function") return true;
    try {
      var result = callback.apply(null, args);
      if (result && typeof result.then === "function") {
        result.then(null, function (error) {
          log("error", what + " failed asynchronously: " + (error && error.message ? error.message : error));
        });
        return true;
      }
      return result !== false;
    } catch (error) {
      log("error", what + " threw: " + (error && error.message ? error.message : error));
      return false;
    }
  }

  /** Apply a suspend_data length policy. Returns null (accept) or a diagnostic message (reject). */
  function checkSuspendDataLength(value, options, defaultMax, log, element) {
    var max = Number(options.suspendDataMaxLength) > 0 ? Number(options.suspendDataMaxLength) : defaultMax;
    if (value.length <= max) return null;
    var message = element + " is " + value.length + " characters long, over the limit of " + max;
    if (options.suspendDataPolicy === "reject") return message;
    log("warn", message + "; stored anyway (suspendDataPolicy \"warn\")");
    return null;
  }

  function nowIso(options) {
    var now = typeof options.now === "function" ? options.now() : Date.now();
    return new Date(now).toISOString();
  }

  /**
   * The host-side helpers on `api.coursehost` (not part of SCORM: a SCO does not see them through the standard
   * functions): the API's state, a snapshot of its data, and a commit the host asks for (null before Initialize).
   */
  function defineHostHelpers(api, currentState, makeSnapshot, emit) {
    Object.defineProperty(api, "coursehost", {
      enumerable: false,
      value: Object.freeze({
        state: currentState,
        snapshot: function () { return makeSnapshot("snapshot"); },
        commit: function (reason) {
          if (currentState() === "not-initialized") return null;
          return emit(reason || "host").snapshot;
        },
      }),
    });
    return api;
  }

  return {
    defineHostHelpers: defineHostHelpers,
    toScormString: toScormString,
    clone: clone,
    isPlainObject: isPlainObject,
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
    group: group,
    array: array,
    leaf: leaf,
    fail: fail,
    resolve: resolve,
    readPath: readPath,
    createModel: createModel,
    createErrorRegister: createErrorRegister,
    createLogger: createLogger,
    deliver: deliver,
    checkSuspendDataLength: checkSuspendDataLength,
    nowIso: nowIso,
  };
});
