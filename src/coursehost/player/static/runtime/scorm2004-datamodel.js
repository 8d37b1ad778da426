/*
 * coursehost SCORM run-time: the SCORM 2004 4th edition data model (plain ES2020, no dependencies, no build step).
 *
 * Load order in the browser: values.js, engine.js, common.js, scorm2004-validators.js, this file, scorm2004.js.
 * Attaches `CoursehostRuntime.scorm2004Model`; in Node it is the module's exports. scorm2004.js documents the host
 * contract.
 *
 * What is here: the vocabularies, the `cmi` and `adl` schemas (access rules, types, ranges, dependencies,
 * uniqueness), the completion/success evaluation (RTE 4.2.4.1 and 4.2.22.1), and the initial data built from the
 * host options and an optional snapshot (`initialData`): resume after a suspend, a new attempt otherwise.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./common.js"), require("./scorm2004-validators.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.scorm2004Model = factory(root.CoursehostRuntime.common, root.CoursehostRuntime.scorm2004Types);
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common, types) {
  "use strict";
  if (!common || !types) {
    throw new Error("coursehost runtime: load common.js and scorm2004-validators.js before scorm2004-datamodel.js");
  }

  var COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
  var SUCCESS = ["passed", "failed", "unknown"];
  var EXIT = ["time-out", "suspend", "logout", "normal", ""];
  var CREDIT = ["credit", "no-credit"];
  var ENTRY = ["ab-initio", "resume", ""];
  var MODE = ["browse", "normal", "review"];
  var TIME_LIMIT_ACTION = ["exit,message", "continue,message", "exit,no message", "continue,no message"];
  var RESULT = ["correct", "incorrect", "unanticipated", "neutral"];
  var CAPTIONING = ["-1", "0", "1"];

  var CHILDREN = {
    comments: "comment,location,timestamp",
    interactions: "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency," +
      "description",
    preference: "audio_level,language,delivery_speed,audio_captioning",
    objectives: "id,score,success_status,completion_status,progress_measure,description",
    score: "scaled,raw,min,max",
    data: "id,store",
  };

  var fail = common.fail;
  var group = common.group;
  var array = common.array;
  var leaf = common.leaf;
  var all = common.all;

  function rw(validate, extra) {
    var options = { access: "rw", validate: validate };
    if (extra) Object.keys(extra).forEach(function (k) { options[k] = extra[k]; });
    return leaf(options);
  }
  function ro(get) { return leaf({ access: "r", get: get }); }
  function wo(validate) { return leaf({ access: "w", validate: validate }); }

  function isSet(value) {
    return value !== null && value !== undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Evaluation (RTE 4.2.4.1 completion status, 4.2.22.1 success status)
  // ---------------------------------------------------------------------------------------------------------------

  function evaluatedCompletion(cmi) {
    if (isSet(cmi.completion_threshold) && common.isDecimal(String(cmi.completion_threshold))) {
      if (!isSet(cmi.progress_measure)) return "unknown";
      return Number(cmi.progress_measure) >= Number(cmi.completion_threshold) ? "completed" : "incomplete";
    }
    return isSet(cmi.completion_status) ? cmi.completion_status : "unknown";
  }

  function evaluatedSuccess(cmi) {
    if (isSet(cmi.scaled_passing_score) && common.isDecimal(String(cmi.scaled_passing_score))) {
      if (!isSet(cmi.score.scaled)) return "unknown";
      return Number(cmi.score.scaled) >= Number(cmi.scaled_passing_score) ? "passed" : "failed";
    }
    return isSet(cmi.success_status) ? cmi.success_status : "unknown";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Schema
  // ---------------------------------------------------------------------------------------------------------------

  function newScore() {
    return { scaled: null, raw: null, min: null, max: null };
  }

  function newObjective(id) {
    return {
      id: id === undefined ? null : id, score: newScore(), success_status: "unknown", completion_status: "unknown",
      progress_measure: null, description: null,
    };
  }

  function newInteraction() {
    return {
      id: null, type: null, objectives: [], timestamp: null, correct_responses: [], weighting: null,
      learner_response: null, result: null, latency: null, description: null,
    };
  }

  function newComment() {
    return { comment: null, location: null, timestamp: null };
  }

  function buildCmiSchema(options, log) {
    var strict = options.strictIdentifiers !== false;
    var identifier = types.identifier(strict);

    function spmWarning(ctx, length, spm) {
      log("warn", ctx.element + " is " + length + " characters long, over its SPM of " + spm + "; stored");
    }

    function text(spm) { return types.characterstring(spm, spmWarning); }
    function localized(spm) { return types.localizedString(spm, spmWarning); }

    function scoreGroup() {
      return group({
        scaled: rw(types.real(-1, 1)),
        raw: rw(types.real()),
        min: rw(types.real()),
        max: rw(types.real()),
      }, { children: CHILDREN.score });
    }

    function suspendData(value, ctx) {
      var problem = common.checkSuspendDataLength(value, options, 64000, log, ctx.element);
      return problem ? fail("general", problem) : null;
    }

    // cmi.objectives.n.id: an identifier, unique among the objectives, never changed once set (RTE 4.2.17).
    function objectiveId(value, ctx) {
      var index = ctx.indices[0];
      var current = ctx.item(0);
      if (current && isSet(current.id) && current.id !== value) {
        return fail("general", "cmi.objectives." + index + ".id is already \"" + current.id + "\" and cannot change");
      }
      var clash = ctx.data.objectives.some(function (o, i) { return i !== index && o.id === value; });
      return clash ? fail("unique", "another objective already has the id \"" + value + "\"") : null;
    }

    // cmi.interactions.n.objectives.m.id: unique within the interaction.
    function interactionObjectiveId(value, ctx) {
      var interaction = ctx.item(0);
      var index = ctx.indices[1];
      var clash = interaction && interaction.objectives.some(function (o, i) { return i !== index && o.id === value; });
      return clash ? fail("unique", "the interaction already references objective \"" + value + "\"") : null;
    }

    function interactionType(ctx) {
      var interaction = ctx.item(0);
      return interaction && isSet(interaction.type) ? interaction.type : null;
    }

    function pattern(value, ctx) {
      var type = interactionType(ctx);
      if (!type) return fail("dependency", "cmi.interactions." + ctx.indices[0] + ".type must be set first");
      if (types.SINGLE_PATTERN_TYPES.indexOf(type) >= 0 && ctx.indices[1] > 0) {
        return fail("general", "a " + type + " interaction has a single correct response pattern");
      }
      return types.response(type, value, true, strict);
    }

    function learnerResponse(value, ctx) {
      var type = interactionType(ctx);
      if (!type) return fail("dependency", "cmi.interactions." + ctx.indices[0] + ".type must be set first");
      return types.response(type, value, false, strict);
    }

    function result(value) {
      return RESULT.indexOf(value) >= 0 || common.isDecimal(value) ? null
        : fail("type", "value is not a result (correct, incorrect, unanticipated, neutral or a real number)");
    }

    function commentGroup(writable) {
      return writable
        ? group({ comment: rw(localized(4000)), location: rw(text(250)), timestamp: rw(types.time) })
        : group({ comment: ro(), location: ro(), timestamp: ro() });
    }

    return group({
      comments_from_learner: array(commentGroup(true), { children: CHILDREN.comments, makeItem: newComment }),
      comments_from_lms: array(commentGroup(false), { children: CHILDREN.comments, fixed: true }),
      completion_status: rw(types.vocabulary(COMPLETION, "completion_status"), {
        get: function (ctx) { return evaluatedCompletion(ctx.data); },
      }),
      completion_threshold: ro(),
      credit: ro(),
      entry: ro(),
      exit: wo(types.vocabulary(EXIT, "exit")),
      interactions: array(group({
        id: rw(identifier),
        type: rw(types.vocabulary(types.INTERACTION_TYPES, "interaction type")),
        objectives: array(group({ id: rw(all(identifier, interactionObjectiveId)) }), {
          makeItem: function () { return { id: null }; },
        }),
        timestamp: rw(types.time),
        correct_responses: array(group({ pattern: rw(pattern) }), {
          makeItem: function () { return { pattern: null }; },
        }),
        weighting: rw(types.real()),
        learner_response: rw(learnerResponse),
        result: rw(result),
        latency: rw(types.timeinterval),
        description: rw(localized(250)),
      }), { children: CHILDREN.interactions, requires: "id", makeItem: newInteraction }),
      launch_data: ro(),
      learner_id: ro(),
      learner_name: ro(),
      learner_preference: group({
        audio_level: rw(types.real(0)),
        language: rw(types.language),
        delivery_speed: rw(types.real(0)),
        audio_captioning: rw(types.vocabulary(CAPTIONING, "audio_captioning")),
      }, { children: CHILDREN.preference }),
      location: rw(text(1000)),
      max_time_allowed: ro(),
      mode: ro(),
      objectives: array(group({
        id: rw(all(identifier, objectiveId)),
        score: scoreGroup(),
        success_status: rw(types.vocabulary(SUCCESS, "success_status")),
        completion_status: rw(types.vocabulary(COMPLETION, "completion_status")),
        progress_measure: rw(types.real(0, 1)),
        description: rw(localized(250)),
      }), { children: CHILDREN.objectives, requires: "id", makeItem: function () { return newObjective(); } }),
      progress_measure: rw(types.real(0, 1)),
      scaled_passing_score: ro(),
      score: scoreGroup(),
      session_time: wo(types.timeinterval),
      success_status: rw(types.vocabulary(SUCCESS, "success_status"), {
        get: function (ctx) { return evaluatedSuccess(ctx.data); },
      }),
      suspend_data: rw(suspendData),
      time_limit_action: ro(),
      total_time: ro(),
    }, { version: "1.0" });
  }

  function buildAdlSchema(options, log, permissions) {
    var strict = options.strictIdentifiers !== false;
    return group({
      nav: group({
        request: rw(function (value) {
          return types.parseNavRequest(value, strict) ? null
            : fail("type", "value is not a navigation request (continue, previous, {target=ID}choice, " +
              "{target=ID}jump, exit, exitAll, abandon, abandonAll, suspendAll, _none_)");
        }),
      }),
      data: array(group({
        id: ro(),
        store: rw(function (value, ctx) {
          var index = ctx.indices[0];
          if (!permissions[index].writable) return fail("readonly", "adl.data." + index + ".store is read-only");
          if (value.length > 64000) {
            log("warn", ctx.element + " is " + value.length + " characters long, over its SPM of 64000; stored");
          }
          return null;
        }, {
          get: function (ctx) {
            var index = ctx.indices[0];
            if (!permissions[index].readable) return fail("writeonly", "adl.data." + index + ".store is write-only");
            return ctx.data.data[index].store;
          },
        }),
      }), { children: CHILDREN.data, fixed: true }),
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Initial data (fresh, resumed or new attempt)
  // ---------------------------------------------------------------------------------------------------------------

  var str = common.str;
  var pick = common.pick;
  var obj = common.obj;
  var list = common.plainList;

  function restoreFields(template, source) {
    Object.keys(template).forEach(function (key) {
      if (!Array.isArray(template[key]) && !common.isPlainObject(template[key])) {
        template[key] = str(source[key], template[key]);
      }
    });
    return template;
  }

  function restoreObjective(source) {
    var item = restoreFields(newObjective(), source);
    item.score = restoreFields(newScore(), obj(source.score));
    return item;
  }

  function restoreInteraction(source) {
    var item = restoreFields(newInteraction(), source);
    item.objectives = list(source.objectives, function (o) { return { id: str(o.id, null) }; });
    item.correct_responses = list(source.correct_responses, function (c) { return { pattern: str(c.pattern, "") }; });
    return item;
  }

  function buildData(options) {
    var initial = common.isPlainObject(options.initialData) ? options.initialData : null;
    var prev = initial && common.isPlainObject(initial.cmi) ? initial.cmi : null;
    var prevNav = obj(obj(initial && initial.adl).nav);
    var suspended = !!prev && (prev.exit === "suspend" || prevNav.request === "suspendAll");
    var keepData = !!prev && (suspended || options.newAttemptAfterNormalExit === false);
    var learner = obj(options.learner);
    var pref = obj(options.learnerPreference);
    var prevPref = obj(prev && prev.learner_preference);

    var entry;
    if (ENTRY.indexOf(options.entry) >= 0) entry = options.entry;
    else if (!prev) entry = "ab-initio";
    else if (suspended) entry = "resume";
    else entry = keepData ? "" : "ab-initio";

    var source = keepData ? prev : {};
    var totalCs = 0;
    if (keepData) {
      totalCs = common.parseDuration(str(prev.total_time, "")) || 0;
      if (initial.terminated === false) totalCs += common.parseDuration(str(prev.session_time, "")) || 0;
    }

    var cmi = {
      comments_from_learner: list(source.comments_from_learner, function (c) { return restoreFields(newComment(), c); }),
      comments_from_lms: list(options.commentsFromLms, function (c) { return restoreFields(newComment(), c); }),
      completion_status: pick(COMPLETION, source.completion_status, "unknown"),
      completion_threshold: str(options.completionThreshold, null),
      credit: pick(CREDIT, options.credit, "credit"),
      entry: entry,
      exit: "",
      interactions: list(source.interactions, restoreInteraction),
      launch_data: str(options.launchData, null),
      learner_id: str(learner.id, str(prev && prev.learner_id, "")),
      learner_name: str(learner.name, str(prev && prev.learner_name, "")),
      learner_preference: {
        audio_level: str(prevPref.audio_level, str(pref.audio_level, "1")),
        language: str(prevPref.language, str(pref.language, "")),
        delivery_speed: str(prevPref.delivery_speed, str(pref.delivery_speed, "1")),
        audio_captioning: str(prevPref.audio_captioning, str(pref.audio_captioning, "0")),
      },
      location: str(source.location, null),
      max_time_allowed: str(options.maxTimeAllowed, null),
      mode: pick(MODE, options.mode, "normal"),
      objectives: list(source.objectives, restoreObjective),
      progress_measure: str(source.progress_measure, null),
      scaled_passing_score: str(options.scaledPassingScore, null),
      score: restoreFields(newScore(), obj(source.score)),
      session_time: null,
      success_status: pick(SUCCESS, source.success_status, "unknown"),
      suspend_data: str(source.suspend_data, null),
      time_limit_action: pick(TIME_LIMIT_ACTION, options.timeLimitAction, "continue,no message"),
      total_time: common.formatDuration(totalCs),
    };

    // Objectives declared in the manifest exist from the start.
    (Array.isArray(options.objectives) ? options.objectives : []).forEach(function (declared) {
      var id = common.isPlainObject(declared) ? declared.id : declared;
      if (id === undefined || id === null || id === "") return;
      id = String(id);
      if (!cmi.objectives.some(function (o) { return o.id === id; })) cmi.objectives.push(newObjective(id));
    });

    var prevShared = list(obj(initial && initial.adl).data, function (d) { return d; });
    var shared = Array.isArray(options.sharedData) ? options.sharedData : prevShared;
    var permissions = [];
    var adl = {
      nav: { request: "_none_" },
      data: list(shared, function (d) {
        permissions.push({ readable: d.readable !== false, writable: d.writable !== false });
        return { id: str(d.id, ""), store: str(d.store, null) };
      }),
    };

    return {
      cmi: cmi,
      adl: adl,
      permissions: permissions,
      sequence: initial && Number(initial.sequence) > 0 ? Math.floor(Number(initial.sequence)) : 0,
    };
  }

  return {
    buildCmiSchema: buildCmiSchema,
    buildAdlSchema: buildAdlSchema,
    buildData: buildData,
    evaluatedCompletion: evaluatedCompletion,
    evaluatedSuccess: evaluatedSuccess,
  };
});
