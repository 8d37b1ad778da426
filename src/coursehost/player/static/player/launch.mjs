/*
 * How each kind of content is launched:
 *   SCORM 1.2 / 2004  a run-time API object on the player window (window.API, window.API_1484_11), which the SCO
 *                     finds up its parent chain from the content frame, or through window.opener from a window of
 *                     its own (PlayerScoLaunchType); its callbacks lead back into the player
 *   AICC              the AU's URL carries aicc_sid and aicc_url; the AU talks HACP to the server, and the player
 *                     polls the AU's snapshot to see its status and its ExitAU
 *   media             the media page (media.mjs), which reports progress itself
 * The SCORM run-times (static/runtime/) are classic scripts loaded before the player; they attach
 * window.CoursehostRuntime.
 */

import { exitKind } from "./navigation.mjs";
import { withQuery } from "./page.mjs";

export const AICC_POLL_MS = 1000;

/** The URL that shows activity `index`: relative to the player page, or the content's own absolute URL. */
export function launchUrl(plan, index) {
  const node = plan.nodes[index];
  if (plan.standard === "media") return "media/" + index;
  let url = /^[a-z][a-z0-9+.-]*:/i.test(node.href) ? node.href : "content/" + node.href;
  if (plan.standard === "aicc") {
    url = withQuery(url, "aicc_sid=" + encodeURIComponent(plan.aicc.sids[String(index)]) +
      "&aicc_url=" + encodeURIComponent(plan.aicc.url));
  }
  return url;
}

/** Whether activities open in a window of their own (PlayerScoLaunchType NEW_WINDOW*; media never does). */
export function opensInWindow(plan) {
  return plan.settings.scoLaunchType !== "FRAMESET" && plan.standard !== "media";
}

export function hasRuntimeApi(standard) {
  return standard === "scorm12" || standard === "scorm2004";
}

/**
 * The options of the run-time API for one launch (docs/player-runtime.md, "Host contract"). `launch` is the
 * player's record of the launch: once it is `retired` (the player unloaded the SCO itself), the SCO's exit and
 * navigation requests lead nowhere. `host` holds what the player gives:
 *   learner, initialData, suspendDataMaxLength
 *   record(snapshot)               keep and deliver a snapshot; returns true
 *   log(level, message)
 *   finished(exit)                 SCORM 1.2: LMSFinish, with exitKind(cmi.core.exit)
 *   sharedData(), shareWrites(s)   SCORM 2004: adl.data for this launch, and what the SCO wrote to it
 *   requestValid(request, target)  SCORM 2004: adl.nav.request_valid.*
 *   terminated()                   SCORM 2004: Terminate without a navigation request
 *   navigationRequest(nav)         SCORM 2004: Terminate with one ({request, target})
 */
export function apiOptions(standard, node, launch, host) {
  const data = node.data || {};
  const options = {
    learner: host.learner,
    initialData: host.initialData,
    suspendDataMaxLength: host.suspendDataMaxLength || undefined,
    suspendDataPolicy: "warn",
    launchData: data.launchData,
    maxTimeAllowed: data.maxTimeAllowed,
    timeLimitAction: data.timeLimitAction,
    onCommit: (snapshot) => host.record(snapshot),
    onLog: (message, level) => { host.log(level, message); },
  };
  if (standard === "scorm12") {
    options.masteryScore = data.masteryScore;
    options.onFinish = (snapshot) => {
      if (!launch.retired) host.finished(exitKind(snapshot.cmi.core.exit));
    };
    return options;
  }
  options.completionThreshold = data.completionThreshold;
  options.scaledPassingScore = data.scaledPassingScore;
  options.objectives = data.objectives;
  options.sharedData = host.sharedData();
  options.onCommit = (snapshot) => {
    host.shareWrites(snapshot);
    return host.record(snapshot);
  };
  options.navRequestValid = (request, target) => host.requestValid(request, target);
  options.onTerminate = (_snapshot, nav) => {
    if (!launch.retired && !nav) host.terminated();
  };
  options.onNavigationRequest = (nav) => {
    if (!launch.retired) host.navigationRequest(nav);
  };
  return options;
}

/** Create the run-time API object and put it where SCOs look for it. */
export function installApi(win, runtime, standard, options) {
  if (standard === "scorm12") {
    win.API = runtime.createScorm12Api(options);
    return win.API;
  }
  win.API_1484_11 = runtime.createScorm2004Api(options);
  return win.API_1484_11;
}

/**
 * What a polled AU snapshot means: `changed` when it is newer than the one known (`known`), `exited` when the AU
 * sent ExitAU after this launch began (`launch.baseline` is the sequence stored when it did).
 */
export function pollOutcome(snapshot, known, launch) {
  if (!snapshot || !snapshot.sequence || launch.retired) return { changed: false, exited: false };
  return {
    changed: !known || known.sequence !== snapshot.sequence,
    exited: !!snapshot.terminated && snapshot.sequence > launch.baseline,
  };
}

/**
 * AICC: poll the AU's snapshot every second while `launch` runs. `read(index)` fetches it; `known()` is the
 * snapshot the player holds; `onChange(snapshot)` and `onExit(exit)` (exitKind of the AU's exit flag) report.
 * Returns a function that stops the polling.
 */
export function pollAu({ launch, read, known, onChange, onExit, timers = globalThis, interval = AICC_POLL_MS }) {
  const timer = timers.setInterval(() => {
    read(launch.index).then((snapshot) => {
      const outcome = pollOutcome(snapshot, known(), launch);
      if (outcome.changed) onChange(snapshot);
      if (outcome.exited) {
        launch.retired = true;
        timers.clearInterval(timer);
        onExit(exitKind(snapshot.cmi.core.exit));
      }
    }).catch(() => { /* the next poll tries again */ });
  }, interval);
  return () => { timers.clearInterval(timer); };
}
