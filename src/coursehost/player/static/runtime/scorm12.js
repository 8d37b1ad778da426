/*
 * coursehost SCORM run-time: the SCORM 1.2 `API` object (plain ES2020, no dependencies, no build step).
 *
 * Load order in the browser: values.js, engine.js, common.js, scorm12-datamodel.js, then this file. It adds
 * `CoursehostRuntime.createScorm12Api`; the player page then does
 * `window.API = CoursehostRuntime.createScorm12Api({...})`. In Node: `require(".../scorm12.js")`.
 *
 * HOST CONTRACT
 *   createScorm12Api({
 *     learner: { id, name },          cmi.core.student_id / student_name (name as "Last, First")
 *     credit: "credit"|"no-credit",    cmi.core.credit (default "credit")
 *     mode: "normal"|"browse"|"review", cmi.core.lesson_mode (default "normal")
 *     launchData,                      cmi.launch_data (adlcp:datafromlms)
 *     masteryScore,                    cmi.student_data.mastery_score (adlcp:masteryscore), "" when absent
 *     maxTimeAllowed,                  cmi.student_data.max_time_allowed (CMITimespan)
 *     timeLimitAction,                 cmi.student_data.time_limit_action (default "continue,no message")
 *     commentsFromLms,                 cmi.comments_from_lms
 *     studentPreference: { audio, language, speed, text }   defaults for cmi.student_preference.*
 *     initialData,                     a snapshot previously handed to onCommit (resume; see below)
 *     entry,                           force cmi.core.entry ("ab-initio"|"resume"|"") instead of deriving it
 *     suspendDataMaxLength,            default 4096 (CMIString4096)
 *     suspendDataPolicy: "warn"|"reject"  over-long suspend_data: "warn" (default) stores it and logs a warning;
 *                                      "reject" returns "false" with error 405 (Incorrect Data Type: the value is
 *                                      not a CMIString4096)
 *     sessionId,                       copied into every snapshot
 *     onCommit(snapshot, reason),      called on LMSCommit (reason "commit"), LMSFinish ("finish") and
 *                                      api.coursehost.commit(reason); return false or throw to make the call fail
 *                                      (error 101). A returned promise is not awaited.
 *     onFinish(snapshot),              called once after LMSFinish, after onCommit
 *     onLog(message, level),           diagnostics: level "debug" (every call, only with debug: true), "info",
 *                                      "warn", "error"
 *     debug, now                       log every API call; clock (ms) for snapshot timestamps (tests)
 *   }) -> API object with LMSInitialize, LMSFinish, LMSGetValue, LMSSetValue, LMSCommit, LMSGetLastError,
 *        LMSGetErrorString, LMSGetDiagnostic, plus the host-side helper `api.coursehost`:
 *        { state(), snapshot(), commit(reason) }.
 *
 * SNAPSHOT (JSON-serialisable, what the server stores):
 *   { standard: "scorm12", sequence, reason, terminated, savedAt, sessionId?, cmi: { core: {...}, suspend_data,
 *     launch_data, comments, comments_from_lms, objectives: [...], student_data: {...}, student_preference: {...},
 *     interactions: [...] } }
 *   `sequence` grows by one with each snapshot handed to onCommit and continues from initialData.sequence, so the
 *   server can ignore replays and out-of-order deliveries. In snapshots, lesson_status carries the mastery-score
 *   evaluation (see below). Passing a snapshot back as `initialData` resumes: learner-written data, total_time and
 *   suspend_data are restored; cmi.core.entry is "resume" when the stored exit was "suspend", "" after any other
 *   earlier session, "ab-initio" without initialData. LMS-owned values (learner, credit, mode, launch data, mastery
 *   score, ...) come from the options first and from initialData only when an option is absent.
 *
 * BEHAVIOUR CHOICES (SCORM 1.2 RTE 3.4 leaves these to the LMS; see docs/player-runtime.md)
 *   - lesson_status starts as "not attempted" and is not changed at LMSInitialize.
 *   - On LMSFinish (never in review mode): a status still "not attempted" becomes "browsed" in browse mode and
 *     "completed" otherwise; then, with credit "credit", mode "normal", a mastery score and a non-blank
 *     score.raw, any status other than "incomplete" and "browsed" becomes "passed" (raw >= mastery) or "failed".
 *     The same mastery evaluation is applied to the lesson_status of every commit snapshot, never to what
 *     LMSGetValue returns during the session.
 *   - total_time accumulates session_time on LMSFinish. A snapshot that was never finished
 *     (terminated: false) has its session_time added to total_time when it is used as initialData.
 *   - Calls before LMSInitialize and after LMSFinish answer 301; a second LMSInitialize answers 101.
 *   - Unknown elements answer 401, indices past _count 201, scores outside 0..100 405.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./common.js"), require("./scorm12-datamodel.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    var exported = factory(root.CoursehostRuntime.common, root.CoursehostRuntime.scorm12Model);
    Object.keys(exported).forEach(function (key) { root.CoursehostRuntime[key] = exported[key]; });
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common, scorm12Model) {
  "use strict";
  if (!common) throw new Error("coursehost runtime: load common.js before scorm12.js");
  if (!scorm12Model) throw new Error("coursehost runtime: load scorm12-datamodel.js before scorm12.js");

  var ERROR_STRINGS = {
    0: "No error",
    101: "General exception",
    201: "Invalid argument error",
    202: "Element cannot have children",
    203: "Element not an array - cannot have count",
    301: "Not initialized",
    401: "Not implemented error",
    402: "Invalid set value, element is a keyword",
    403: "Element is read only",
    404: "Element is write only",
    405: "Incorrect data type",
  };

  var ERROR_CODES = {
    undefined: 401,
    nochildren: 202,
    nocount: 203,
    noversion: 401,
    keyword: 402,
    readonly: 403,
    writeonly: 404,
    index: 201,
    dependency: 201,
    type: 405,
    range: 405,
    unique: 101,
    general: 101,
  };

  // ---------------------------------------------------------------------------------------------------------------
  // The API object
  // ---------------------------------------------------------------------------------------------------------------

  function createScorm12Api(options) {
    options = options || {};
    var log = common.createLogger(options);
    var errors = common.createErrorRegister(ERROR_STRINGS);
    var built = scorm12Model.buildData(options);
    var data = built.data;
    var sequence = built.sequence;
    var state = "not-initialized";
    var model = common.createModel("cmi", scorm12Model.buildSchema(options, log), data, {});

    function failWith(code, diagnostic, result) {
      errors.set(code, diagnostic);
      return result;
    }

    function makeSnapshot(reason) {
      var cmi = common.clone(data);
      if (state !== "terminated") cmi.core.lesson_status = scorm12Model.masteryStatus(data, data.core.lesson_status);
      var snapshot = {
        standard: "scorm12",
        sequence: sequence,
        reason: reason,
        terminated: state === "terminated",
        savedAt: common.nowIso(options),
        cmi: cmi,
      };
      if (options.sessionId !== undefined) snapshot.sessionId = options.sessionId;
      return snapshot;
    }

    function emit(reason) {
      sequence += 1;
      var snapshot = makeSnapshot(reason);
      var ok = common.deliver(options.onCommit, [snapshot, reason], log, "onCommit");
      return { ok: ok, snapshot: snapshot };
    }

    function notRunning(call, result) {
      return failWith(301, call + " called " + (state === "terminated" ? "after LMSFinish" : "before LMSInitialize"),
        result);
    }

    function traced(name, fn) {
      return function () {
        var result = fn.apply(null, arguments);
        log("debug", name + "(" + Array.prototype.map.call(arguments, function (a) { return JSON.stringify(a); })
          .join(", ") + ") -> " + JSON.stringify(result) + " [" + errors.code() + "]");
        return result;
      };
    }

    function argumentIsEmpty(param) {
      return common.toScormString(param) === "";
    }

    var api = {
      LMSInitialize: traced("LMSInitialize", function (param) {
        if (state === "running") return failWith(101, "LMSInitialize was already called", "false");
        if (state === "terminated") return failWith(101, "LMSInitialize called after LMSFinish", "false");
        if (!argumentIsEmpty(param)) return failWith(201, "LMSInitialize takes the empty string", "false");
        state = "running";
        errors.clear();
        log("info", "LMSInitialize: entry \"" + data.core.entry + "\", lesson_status \"" + data.core.lesson_status + "\"");
        return "true";
      }),

      LMSFinish: traced("LMSFinish", function (param) {
        if (state !== "running") return notRunning("LMSFinish", "false");
        if (!argumentIsEmpty(param)) return failWith(201, "LMSFinish takes the empty string", "false");
        data.core.lesson_status = scorm12Model.finishStatus(data);
        var session = common.parseTimespan12(data.core.session_time);
        if (session !== null) {
          data.core.total_time = common.formatTimespan12(
            (common.parseTimespan12(data.core.total_time) || 0) + session);
        }
        state = "terminated";
        var delivered = emit("finish");
        common.deliver(options.onFinish, [delivered.snapshot], log, "onFinish");
        if (!delivered.ok) return failWith(101, "the run-time data could not be stored", "false");
        errors.clear();
        return "true";
      }),

      LMSGetValue: traced("LMSGetValue", function (element) {
        if (state !== "running") return notRunning("LMSGetValue", "");
        element = common.toScormString(element);
        if (element === "") return failWith(201, "LMSGetValue needs a data model element", "");
        var got = model.get(element);
        if (got.error && got.error.kind !== "notinit") return failWith(ERROR_CODES[got.error.kind], got.error.message, "");
        errors.clear();
        return got.value || "";
      }),

      LMSSetValue: traced("LMSSetValue", function (element, value) {
        if (state !== "running") return notRunning("LMSSetValue", "false");
        element = common.toScormString(element);
        if (element === "") return failWith(201, "LMSSetValue needs a data model element", "false");
        var done = model.set(element, common.toScormString(value));
        if (done.error) return failWith(ERROR_CODES[done.error.kind], done.error.message, "false");
        errors.clear();
        return "true";
      }),

      LMSCommit: traced("LMSCommit", function (param) {
        if (state !== "running") return notRunning("LMSCommit", "false");
        if (!argumentIsEmpty(param)) return failWith(201, "LMSCommit takes the empty string", "false");
        if (!emit("commit").ok) return failWith(101, "the run-time data could not be stored", "false");
        errors.clear();
        return "true";
      }),

      LMSGetLastError: function () {
        return String(errors.code());
      },

      LMSGetErrorString: function (code) {
        return errors.string(code);
      },

      LMSGetDiagnostic: function (code) {
        return errors.diagnostic(code);
      },
    };

    return common.defineHostHelpers(api, function () { return state; }, makeSnapshot, emit);
  }

  return {
    createScorm12Api: createScorm12Api,
    SCORM12_ERROR_STRINGS: ERROR_STRINGS,
  };
});
