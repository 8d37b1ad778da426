/*
 * coursehost SCORM run-time: the SCORM 1.2 `API` object (plain ES2020, no dependencies, no build step).
 *
 * Load order in the browser: common.js, then this file. It adds `CoursehostRuntime.createScorm12Api`; the player
 * page then does `window.API = CoursehostRuntime.createScorm12Api({...})`. In Node: `require(".../scorm12.js")`.
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
    module.exports = factory(require("./common.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    var exported = factory(root.CoursehostRuntime.common);
    Object.keys(exported).forEach(function (key) { root.CoursehostRuntime[key] = exported[key]; });
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common) {
  "use strict";
  if (!common) throw new Error("coursehost runtime: load common.js before scorm12.js");

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

  var STATUS_SET = ["passed", "completed", "failed", "incomplete", "browsed"];
  var STATUS_ALL = STATUS_SET.concat(["not attempted"]);
  var EXIT = ["time-out", "suspend", "logout", ""];
  var CREDIT = ["credit", "no-credit"];
  var ENTRY = ["ab-initio", "resume", ""];
  var MODE = ["normal", "browse", "review"];
  var TIME_LIMIT_ACTION = ["exit,message", "exit,no message", "continue,message", "continue,no message"];
  var INTERACTION_TYPE = ["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert",
    "numeric"];
  var RESULT = ["correct", "wrong", "unanticipated", "neutral"];

  var CHILDREN = {
    cmi: "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
    core: "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit," +
      "session_time",
    score: "raw,min,max",
    objectives: "id,score,status",
    studentData: "mastery_score,max_time_allowed,time_limit_action",
    studentPreference: "audio,language,speed,text",
    interactions: "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
  };

  var fail = common.fail;
  var group = common.group;
  var array = common.array;
  var leaf = common.leaf;

  // ---------------------------------------------------------------------------------------------------------------
  // Type validators: each returns null or {kind, message}
  // ---------------------------------------------------------------------------------------------------------------

  function string(max, typeName) {
    return function (value) {
      return value.length <= max ? null : fail("type", "value is not a " + typeName + " (" + value.length +
        " characters, at most " + max + ")");
    };
  }

  var cmiString255 = string(255, "CMIString255");
  var cmiString4096 = string(4096, "CMIString4096");
  var cmiFeedback = string(255, "CMIFeedback");

  function identifier(value) {
    return common.isIdentifier(value, 255) ? null
      : fail("type", "value is not a CMIIdentifier (1 to 255 characters without white space)");
  }

  function vocabulary(values, typeName) {
    return function (value) {
      return values.indexOf(value) >= 0 ? null
        : fail("type", "value is not a valid " + typeName + " (one of: " + values.map(JSON.stringify).join(", ") + ")");
    };
  }

  function decimal(value) {
    return common.isDecimal(value) ? null : fail("type", "value is not a CMIDecimal");
  }

  // Scores are CMIDecimal or CMIBlank, "a normalized value between 0 and 100" (RTE 3.4.4, cmi.core.score.*).
  function score(value) {
    if (value === "") return null;
    if (!common.isDecimal(value)) return fail("type", "value is not a CMIDecimal or CMIBlank");
    var n = Number(value);
    return n >= 0 && n <= 100 ? null : fail("range", "score " + value + " is outside 0..100");
  }

  function sinteger(min, max) {
    return function (value) {
      if (!common.isSignedInteger(value)) return fail("type", "value is not a CMISInteger");
      var n = Number(value);
      return n >= min && n <= max ? null : fail("range", "value " + value + " is outside " + min + ".." + max);
    };
  }

  function timespan(value) {
    return common.parseTimespan12(value) !== null ? null
      : fail("type", "value is not a CMITimespan (HHHH:MM:SS.SS)");
  }

  function time(value) {
    return common.isTime12(value) ? null : fail("type", "value is not a CMITime (HH:MM:SS.SS)");
  }

  function result(value) {
    return RESULT.indexOf(value) >= 0 || common.isDecimal(value) ? null
      : fail("type", "value is not a valid result (correct, wrong, unanticipated, neutral or a CMIDecimal)");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Schema
  // ---------------------------------------------------------------------------------------------------------------

  function ro() { return leaf({ access: "r" }); }
  function rw(validate) { return leaf({ access: "rw", validate: validate }); }
  function wo(validate) { return leaf({ access: "w", validate: validate }); }

  function scoreGroup() {
    return group({ raw: rw(score), min: rw(score), max: rw(score) }, { children: CHILDREN.score });
  }

  function buildSchema(options, log) {
    function suspendData(value) {
      var problem = common.checkSuspendDataLength(value, options, 4096, log, "cmi.suspend_data");
      return problem ? fail("type", problem) : null;
    }
    return group({
      core: group({
        student_id: ro(),
        student_name: ro(),
        lesson_location: rw(cmiString255),
        credit: ro(),
        lesson_status: rw(vocabulary(STATUS_SET, "lesson_status for LMSSetValue")),
        entry: ro(),
        score: scoreGroup(),
        total_time: ro(),
        lesson_mode: ro(),
        exit: wo(vocabulary(EXIT, "exit")),
        session_time: wo(timespan),
      }, { children: CHILDREN.core }),
      suspend_data: rw(suspendData),
      launch_data: ro(),
      comments: rw(cmiString4096),
      comments_from_lms: ro(),
      objectives: array(group({
        id: rw(identifier),
        score: scoreGroup(),
        status: rw(vocabulary(STATUS_ALL, "objective status")),
      }), { children: CHILDREN.objectives, makeItem: newObjective }),
      student_data: group({
        mastery_score: ro(),
        max_time_allowed: ro(),
        time_limit_action: ro(),
      }, { children: CHILDREN.studentData }),
      student_preference: group({
        audio: rw(sinteger(-1, 100)),
        language: rw(cmiString255),
        speed: rw(sinteger(-100, 100)),
        text: rw(sinteger(-1, 1)),
      }, { children: CHILDREN.studentPreference }),
      interactions: array(group({
        id: wo(identifier),
        objectives: array(group({ id: wo(identifier) }), { makeItem: function () { return { id: "" }; } }),
        time: wo(time),
        type: wo(vocabulary(INTERACTION_TYPE, "interaction type")),
        correct_responses: array(group({ pattern: wo(cmiFeedback) }), {
          makeItem: function () { return { pattern: "" }; },
        }),
        weighting: wo(decimal),
        student_response: wo(cmiFeedback),
        result: wo(result),
        latency: wo(timespan),
      }), { children: CHILDREN.interactions, makeItem: newInteraction }),
    }, { children: CHILDREN.cmi, version: "3.4" });
  }

  function newObjective() {
    return { id: "", score: { raw: "", min: "", max: "" }, status: "not attempted" };
  }

  function newInteraction() {
    return {
      id: "", objectives: [], time: "", type: "", correct_responses: [], weighting: "", student_response: "",
      result: "", latency: "",
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Initial data (fresh or resumed)
  // ---------------------------------------------------------------------------------------------------------------

  function str(value, fallback) {
    return value === undefined || value === null ? fallback : String(value);
  }

  function pick(list, value, fallback) {
    return list.indexOf(value) >= 0 ? value : fallback;
  }

  function restoreScore(source) {
    source = common.isPlainObject(source) ? source : {};
    return { raw: str(source.raw, ""), min: str(source.min, ""), max: str(source.max, "") };
  }

  function restoreList(source, restoreItem) {
    return Array.isArray(source) ? source.filter(common.isPlainObject).map(restoreItem) : [];
  }

  function buildData(options) {
    var initial = common.isPlainObject(options.initialData) ? options.initialData : null;
    var prev = initial && common.isPlainObject(initial.cmi) ? initial.cmi : null;
    var prevCore = prev && common.isPlainObject(prev.core) ? prev.core : {};
    var prevData = prev && common.isPlainObject(prev.student_data) ? prev.student_data : {};
    var prevPref = prev && common.isPlainObject(prev.student_preference) ? prev.student_preference : {};
    var learner = common.isPlainObject(options.learner) ? options.learner : {};
    var pref = common.isPlainObject(options.studentPreference) ? options.studentPreference : {};

    var entry;
    if (ENTRY.indexOf(options.entry) >= 0) entry = options.entry;
    else if (!prev) entry = "ab-initio";
    else entry = prevCore.exit === "suspend" ? "resume" : "";

    var totalCs = common.parseTimespan12(str(prevCore.total_time, "")) || 0;
    if (initial && initial.terminated === false) {
      // The previous session never reached LMSFinish: count the session time it had reported.
      totalCs += common.parseTimespan12(str(prevCore.session_time, "")) || 0;
    }

    var data = {
      core: {
        student_id: str(learner.id, str(prevCore.student_id, "")),
        student_name: str(learner.name, str(prevCore.student_name, "")),
        lesson_location: str(prevCore.lesson_location, ""),
        credit: pick(CREDIT, options.credit, pick(CREDIT, prevCore.credit, "credit")),
        lesson_status: pick(STATUS_ALL, prevCore.lesson_status, "not attempted"),
        entry: entry,
        score: restoreScore(prevCore.score),
        total_time: common.formatTimespan12(totalCs),
        lesson_mode: pick(MODE, options.mode, pick(MODE, prevCore.lesson_mode, "normal")),
        exit: "",
        session_time: "",
      },
      suspend_data: str(prev && prev.suspend_data, ""),
      launch_data: str(options.launchData, str(prev && prev.launch_data, "")),
      comments: str(prev && prev.comments, ""),
      comments_from_lms: str(options.commentsFromLms, str(prev && prev.comments_from_lms, "")),
      objectives: restoreList(prev && prev.objectives, function (o) {
        return { id: str(o.id, ""), score: restoreScore(o.score), status: pick(STATUS_ALL, o.status, "not attempted") };
      }),
      student_data: {
        mastery_score: str(options.masteryScore, str(prevData.mastery_score, "")),
        max_time_allowed: str(options.maxTimeAllowed, str(prevData.max_time_allowed, "")),
        time_limit_action: pick(TIME_LIMIT_ACTION, options.timeLimitAction,
          pick(TIME_LIMIT_ACTION, prevData.time_limit_action, "continue,no message")),
      },
      student_preference: {
        audio: str(prevPref.audio, str(pref.audio, "0")),
        language: str(prevPref.language, str(pref.language, "")),
        speed: str(prevPref.speed, str(pref.speed, "0")),
        text: str(prevPref.text, str(pref.text, "0")),
      },
      interactions: restoreList(prev && prev.interactions, function (i) {
        var item = newInteraction();
        Object.keys(item).forEach(function (key) {
          if (key === "objectives") item.objectives = restoreList(i.objectives, function (o) { return { id: str(o.id, "") }; });
          else if (key === "correct_responses") {
            item.correct_responses = restoreList(i.correct_responses, function (c) { return { pattern: str(c.pattern, "") }; });
          } else item[key] = str(i[key], "");
        });
        return item;
      }),
    };
    return { data: data, sequence: initial && Number(initial.sequence) > 0 ? Math.floor(Number(initial.sequence)) : 0 };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Status rules
  // ---------------------------------------------------------------------------------------------------------------

  /** lesson_status after comparing score.raw with the mastery score, when that comparison applies. */
  function masteryStatus(data, status) {
    var core = data.core;
    var mastery = data.student_data.mastery_score;
    if (core.credit !== "credit" || core.lesson_mode !== "normal") return status;
    if (mastery === "" || !common.isDecimal(mastery) || core.score.raw === "" || !common.isDecimal(core.score.raw)) {
      return status;
    }
    if (status === "incomplete" || status === "browsed" || status === "not attempted") return status;
    return Number(core.score.raw) >= Number(mastery) ? "passed" : "failed";
  }

  function finishStatus(data) {
    var core = data.core;
    if (core.lesson_mode === "review") return core.lesson_status;
    var status = core.lesson_status;
    if (status === "not attempted") status = core.lesson_mode === "browse" ? "browsed" : "completed";
    return masteryStatus(data, status);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The API object
  // ---------------------------------------------------------------------------------------------------------------

  function createScorm12Api(options) {
    options = options || {};
    var log = common.createLogger(options);
    var errors = common.createErrorRegister(ERROR_STRINGS);
    var built = buildData(options);
    var data = built.data;
    var sequence = built.sequence;
    var state = "not-initialized";
    var model = common.createModel("cmi", buildSchema(options, log), data, {});

    function failWith(code, diagnostic, result) {
      errors.set(code, diagnostic);
      return result;
    }

    function makeSnapshot(reason) {
      var cmi = common.clone(data);
      if (state !== "terminated") cmi.core.lesson_status = masteryStatus(data, data.core.lesson_status);
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
        data.core.lesson_status = finishStatus(data);
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
