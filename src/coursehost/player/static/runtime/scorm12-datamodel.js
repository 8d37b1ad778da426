/*
 * coursehost SCORM run-time: the SCORM 1.2 data model (plain ES2020, no dependencies, no build step).
 *
 * Load order in the browser: values.js, engine.js, common.js, this file, scorm12.js. Attaches
 * `CoursehostRuntime.scorm12Model`; in Node it is the module's exports. scorm12.js documents the host contract and
 * the behaviour choices.
 *
 * What is here: the vocabularies and type validators (RTE 3.4), the `cmi` schema (access rules, types, ranges), the
 * initial data built from the host options and an optional snapshot (`initialData`, resume), and the status rules
 * (mastery score, LMSFinish).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./common.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.scorm12Model = factory(root.CoursehostRuntime.common);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common) {
  "use strict";
  if (!common) throw new Error("coursehost runtime: load common.js before scorm12-datamodel.js");

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

  var str = common.str;
  var pick = common.pick;
  var plainList = common.plainList;

  function restoreScore(source) {
    source = common.isPlainObject(source) ? source : {};
    return { raw: str(source.raw, ""), min: str(source.min, ""), max: str(source.max, "") };
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
      objectives: plainList(prev && prev.objectives, function (o) {
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
      interactions: plainList(prev && prev.interactions, function (i) {
        var item = newInteraction();
        Object.keys(item).forEach(function (key) {
          if (key === "objectives") item.objectives = plainList(i.objectives, function (o) { return { id: str(o.id, "") }; });
          else if (key === "correct_responses") {
            item.correct_responses = plainList(i.correct_responses, function (c) { return { pattern: str(c.pattern, "") }; });
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

  return {
    buildSchema: buildSchema,
    buildData: buildData,
    masteryStatus: masteryStatus,
    finishStatus: finishStatus,
  };
});
