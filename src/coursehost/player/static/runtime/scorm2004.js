/*
 * coursehost SCORM run-time: the SCORM 2004 4th edition `API_1484_11` object (plain ES2020, no dependencies, no
 * build step).
 *
 * Load order in the browser: values.js, engine.js, common.js, scorm2004-validators.js, scorm2004-datamodel.js, then
 * this file. It adds `CoursehostRuntime.createScorm2004Api`; the player page does
 * `window.API_1484_11 = CoursehostRuntime.createScorm2004Api({...})`. In Node: `require(".../scorm2004.js")`.
 *
 * HOST CONTRACT
 *   createScorm2004Api({
 *     learner: { id, name },           cmi.learner_id / cmi.learner_name
 *     credit: "credit"|"no-credit",     cmi.credit (default "credit")
 *     mode: "normal"|"browse"|"review", cmi.mode (default "normal")
 *     launchData,                       cmi.launch_data (adlcp:dataFromLMS; 403 when absent)
 *     completionThreshold,              cmi.completion_threshold (adlcp:completionThreshold, 0..1)
 *     scaledPassingScore,               cmi.scaled_passing_score (imsss:minNormalizedMeasure with
 *                                       satisfiedByMeasure, -1..1)
 *     maxTimeAllowed,                   cmi.max_time_allowed (ISO 8601 duration)
 *     timeLimitAction,                  cmi.time_limit_action (default "continue,no message")
 *     commentsFromLms: [{comment, location, timestamp}]   cmi.comments_from_lms
 *     objectives: ["id", {id}, ...],    objective ids declared in the manifest, pre-populating cmi.objectives
 *     learnerPreference: { audio_level, language, delivery_speed, audio_captioning }   defaults
 *     sharedData: [{ id, store, readable, writable }]   adl.data (adlcp:data/map; readable/writable default true)
 *     navRequestValid(request, target)  answers adl.nav.request_valid.*: "true", "false" or "unknown" (also
 *                                       booleans); request is "continue", "previous", "choice" or "jump"
 *     initialData,                      a snapshot previously handed to onCommit (resume; see below)
 *     entry,                            force cmi.entry ("ab-initio"|"resume"|"")
 *     newAttemptAfterNormalExit,        default true: relaunching after an exit other than "suspend" starts a new
 *                                       attempt (entry "ab-initio", learner data cleared, preferences kept);
 *                                       false keeps the data and gives entry ""
 *     strictIdentifiers,                default true; false accepts any non-empty identifier
 *     suspendDataMaxLength,             default 64000 (the SPM of cmi.suspend_data)
 *     suspendDataPolicy: "warn"|"reject"  over-long suspend_data: "warn" (default) stores it and logs a warning;
 *                                       "reject" returns "false" with 351 (General Set Failure, the RTE's "SPM
 *                                       exceeded" extension condition)
 *     sessionId,                        copied into every snapshot
 *     onCommit(snapshot, reason),       on Commit ("commit"), Terminate ("terminate") and
 *                                       api.coursehost.commit(reason); return false or throw to fail the call
 *                                       (391). A returned promise is not awaited.
 *     onTerminate(snapshot, nav),       after Terminate (deferred, see schedule); nav is {request, target} or null
 *     onNavigationRequest(nav, snapshot)  after Terminate when adl.nav.request is not "_none_" (deferred)
 *     schedule(fn),                     how deferred host callbacks run (default setTimeout(fn, 0)) so the host
 *                                       never unloads the SCO inside its own Terminate call
 *     onLog(message, level), debug, now  as in scorm12.js
 *   }) -> API_1484_11 with Initialize, Terminate, GetValue, SetValue, Commit, GetLastError, GetErrorString,
 *        GetDiagnostic, plus the host-side helper `api.coursehost`: { state(), snapshot(), commit(reason) }.
 *
 * SNAPSHOT: { standard: "scorm2004", sequence, reason, terminated, savedAt, sessionId?, cmi: {...every cmi
 *   element, arrays as arrays, null = not initialised...}, adl: { nav: { request }, data: [{ id, store }] } }.
 *   cmi.completion_status and cmi.success_status hold the evaluated values (RTE 4.2.4.1 and 4.2.22.1).
 *   `sequence` grows by one per snapshot handed to onCommit and continues from initialData.sequence.
 *   As initialData: exit "suspend" (or adl.nav.request "suspendAll") resumes (entry "resume", data restored);
 *   see newAttemptAfterNormalExit otherwise. A snapshot never terminated has its session_time added to total_time.
 *
 * EVALUATION on GetValue (and in snapshots):
 *   completion_status: threshold defined and progress_measure set -> "completed" if progress >= threshold else
 *     "incomplete"; threshold defined, no progress_measure -> "unknown"; no threshold -> the value the SCO set
 *     ("unknown" by default).
 *   success_status: scaled_passing_score defined and score.scaled set -> "passed" if scaled >= passing else
 *     "failed"; passing score defined, no scaled score -> "unknown"; otherwise the value the SCO set.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./common.js"), require("./scorm2004-validators.js"),
      require("./scorm2004-datamodel.js"));
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    var runtime = root.CoursehostRuntime;
    var exported = factory(runtime.common, runtime.scorm2004Types, runtime.scorm2004Model);
    Object.keys(exported).forEach(function (key) { runtime[key] = exported[key]; });
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (common, types, dataModel) {
  "use strict";
  if (!common || !types || !dataModel) {
    throw new Error("coursehost runtime: load common.js, scorm2004-validators.js and scorm2004-datamodel.js " +
      "before scorm2004.js");
  }

  var ERROR_STRINGS = {
    0: "No Error",
    101: "General Exception",
    102: "General Initialization Failure",
    103: "Already Initialized",
    104: "Content Instance Terminated",
    111: "General Termination Failure",
    112: "Termination Before Initialization",
    113: "Termination After Termination",
    122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization",
    133: "Store Data After Termination",
    142: "Commit Before Initialization",
    143: "Commit After Termination",
    201: "General Argument Error",
    301: "General Get Failure",
    351: "General Set Failure",
    391: "General Commit Failure",
    401: "Undefined Data Model Element",
    402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized",
    404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only",
    406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range",
    408: "Data Model Dependency Not Established",
  };

  var GET_CODES = {
    undefined: 401, nochildren: 301, nocount: 301, noversion: 301, writeonly: 405, index: 301, notinit: 403,
    general: 301,
  };
  var SET_CODES = {
    undefined: 401, keyword: 404, readonly: 404, index: 351, dependency: 408, type: 406, range: 407, unique: 351,
    general: 351,
  };

  var fail = common.fail;
  var buildCmiSchema = dataModel.buildCmiSchema;
  var buildAdlSchema = dataModel.buildAdlSchema;
  var buildData = dataModel.buildData;
  var evaluatedCompletion = dataModel.evaluatedCompletion;
  var evaluatedSuccess = dataModel.evaluatedSuccess;

  // ---------------------------------------------------------------------------------------------------------------
  // The API object
  // ---------------------------------------------------------------------------------------------------------------

  var REQUEST_VALID_PREFIX = "adl.nav.request_valid.";
  var REQUEST_VALID_TARGET_RE = /^(choice|jump)\.\{target=([^}]+)\}$/;

  function createScorm2004Api(options) {
    options = options || {};
    var log = common.createLogger(options);
    var errors = common.createErrorRegister(ERROR_STRINGS);
    var built = buildData(options);
    var cmi = built.cmi;
    var adl = built.adl;
    var sequence = built.sequence;
    var state = "not-initialized";
    var cmiModel = common.createModel("cmi", buildCmiSchema(options, log), cmi, {});
    var adlModel = common.createModel("adl", buildAdlSchema(options, log, built.permissions), adl, {});
    var schedule = typeof options.schedule === "function" ? options.schedule
      : function (fn) { setTimeout(fn, 0); };

    function failWith(code, diagnostic, result) {
      errors.set(code, diagnostic);
      return result;
    }

    function navigation() {
      var parsed = types.parseNavRequest(adl.nav.request, options.strictIdentifiers !== false);
      return parsed && parsed.request !== "_none_" ? parsed : null;
    }

    function makeSnapshot(reason) {
      var data = common.clone(cmi);
      data.completion_status = evaluatedCompletion(cmi);
      data.success_status = evaluatedSuccess(cmi);
      var snapshot = {
        standard: "scorm2004",
        sequence: sequence,
        reason: reason,
        terminated: state === "terminated",
        savedAt: common.nowIso(options),
        cmi: data,
        adl: common.clone(adl),
      };
      if (options.sessionId !== undefined) snapshot.sessionId = options.sessionId;
      return snapshot;
    }

    function emit(reason) {
      sequence += 1;
      var snapshot = makeSnapshot(reason);
      return { ok: common.deliver(options.onCommit, [snapshot, reason], log, "onCommit"), snapshot: snapshot };
    }

    /** adl.nav.request_valid.* -> {value} / {error} / null when the element is not one of them. */
    function requestValid(element, forSet) {
      if (element.indexOf(REQUEST_VALID_PREFIX) !== 0) return null;
      var rest = element.slice(REQUEST_VALID_PREFIX.length);
      var request, target = null;
      if (rest === "continue" || rest === "previous") {
        request = rest;
      } else {
        var m = REQUEST_VALID_TARGET_RE.exec(rest);
        if (!m) return { error: fail("undefined", "The data model element " + element + " is not defined") };
        request = m[1];
        target = m[2];
      }
      if (forSet) return { error: fail("readonly", element + " is read-only") };
      var answer = "unknown";
      if (typeof options.navRequestValid === "function") {
        try {
          answer = options.navRequestValid(request, target);
        } catch (e) {
          log("error", "navRequestValid threw: " + (e && e.message ? e.message : e));
          answer = "unknown";
        }
      }
      if (answer === true) answer = "true";
      if (answer === false) answer = "false";
      return { value: answer === "true" || answer === "false" ? answer : "unknown" };
    }

    function route(element) {
      var head = element.split(".")[0];
      if (head === "cmi") return cmiModel;
      if (head === "adl") return adlModel;
      return null;
    }

    function traced(name, fn) {
      return function () {
        var result = fn.apply(null, arguments);
        log("debug", name + "(" + Array.prototype.map.call(arguments, function (a) { return JSON.stringify(a); })
          .join(", ") + ") -> " + JSON.stringify(result) + " [" + errors.code() + "]");
        return result;
      };
    }

    function emptyArgument(param) {
      return common.toScormString(param) === "";
    }

    var api = {
      Initialize: traced("Initialize", function (param) {
        if (state === "running") return failWith(103, "Initialize was already called", "false");
        if (state === "terminated") return failWith(104, "Initialize called after Terminate", "false");
        if (!emptyArgument(param)) return failWith(201, "Initialize takes the empty string", "false");
        state = "running";
        errors.clear();
        log("info", "Initialize: entry \"" + cmi.entry + "\"");
        return "true";
      }),

      Terminate: traced("Terminate", function (param) {
        if (state === "not-initialized") return failWith(112, "Terminate called before Initialize", "false");
        if (state === "terminated") return failWith(113, "Terminate was already called", "false");
        if (!emptyArgument(param)) return failWith(201, "Terminate takes the empty string", "false");
        var session = common.parseDuration(cmi.session_time === null ? "" : cmi.session_time);
        if (session !== null) {
          cmi.total_time = common.formatDuration((common.parseDuration(cmi.total_time) || 0) + session);
        }
        state = "terminated";
        var nav = navigation();
        var delivered = emit("terminate");
        schedule(function () {
          common.deliver(options.onTerminate, [delivered.snapshot, nav], log, "onTerminate");
          if (nav) common.deliver(options.onNavigationRequest, [nav, delivered.snapshot], log, "onNavigationRequest");
        });
        if (!delivered.ok) return failWith(391, "the run-time data could not be stored", "false");
        errors.clear();
        return "true";
      }),

      GetValue: traced("GetValue", function (element) {
        if (state === "not-initialized") return failWith(122, "GetValue called before Initialize", "");
        if (state === "terminated") return failWith(123, "GetValue called after Terminate", "");
        element = common.toScormString(element);
        if (element === "") return failWith(301, "GetValue needs a data model element", "");
        var got = requestValid(element, false);
        if (!got) {
          var model = route(element);
          if (!model) return failWith(401, "The data model element " + element + " is not defined", "");
          got = model.get(element);
        }
        if (got.error) return failWith(GET_CODES[got.error.kind] || 301, got.error.message, "");
        errors.clear();
        return got.value;
      }),

      SetValue: traced("SetValue", function (element, value) {
        if (state === "not-initialized") return failWith(132, "SetValue called before Initialize", "false");
        if (state === "terminated") return failWith(133, "SetValue called after Terminate", "false");
        element = common.toScormString(element);
        if (element === "") return failWith(351, "SetValue needs a data model element", "false");
        var done = requestValid(element, true);
        if (!done) {
          var model = route(element);
          if (!model) return failWith(401, "The data model element " + element + " is not defined", "false");
          done = model.set(element, common.toScormString(value));
        }
        if (done.error) return failWith(SET_CODES[done.error.kind] || 351, done.error.message, "false");
        errors.clear();
        return "true";
      }),

      Commit: traced("Commit", function (param) {
        if (state === "not-initialized") return failWith(142, "Commit called before Initialize", "false");
        if (state === "terminated") return failWith(143, "Commit called after Terminate", "false");
        if (!emptyArgument(param)) return failWith(201, "Commit takes the empty string", "false");
        if (!emit("commit").ok) return failWith(391, "the run-time data could not be stored", "false");
        errors.clear();
        return "true";
      }),

      GetLastError: function () {
        return String(errors.code());
      },

      GetErrorString: function (code) {
        return errors.string(code);
      },

      GetDiagnostic: function (code) {
        return errors.diagnostic(code);
      },
    };

    return common.defineHostHelpers(api, function () { return state; }, makeSnapshot, emit);
  }

  return {
    createScorm2004Api: createScorm2004Api,
    SCORM2004_ERROR_STRINGS: ERROR_STRINGS,
  };
});
