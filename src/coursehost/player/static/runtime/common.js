/*
 * coursehost SCORM run-time: what both APIs share (no dependencies, ES2020, no build step).
 *
 * Loaded as a classic <script> after values.js and engine.js, it attaches itself to
 * `globalThis.CoursehostRuntime.common`; required from Node (`require("./common.js")`) it is the module's exports.
 * scorm12*.js and scorm2004*.js need it loaded first. It re-exports values.js and engine.js, so `common` is the
 * one namespace the data models and APIs use.
 *
 * What is here: the error register (last error code + diagnostic), logging to the host, callback delivery, the
 * suspend_data length policy, snapshot timestamps, and the host-side helpers on `api.coursehost`.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./values.js"), require("./engine.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.common = factory(root.CoursehostRuntime.values, root.CoursehostRuntime.engine);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (values, engine) {
  "use strict";
  if (!values || !engine) throw new Error("coursehost runtime: load values.js and engine.js before common.js");

  var toScormString = values.toScormString;

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

  var common = {
    createErrorRegister: createErrorRegister,
    createLogger: createLogger,
    deliver: deliver,
    checkSuspendDataLength: checkSuspendDataLength,
    nowIso: nowIso,
    defineHostHelpers: defineHostHelpers,
  };
  [values, engine].forEach(function (part) {
    Object.keys(part).forEach(function (key) { common[key] = part[key]; });
  });
  return common;
});
