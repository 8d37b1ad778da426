/*
 * The player page (its #ch-config is the session's plan, settings, texts and stored run-time data): wires the
 * navigation decisions (navigation.mjs), the outline and navigation bar (outline.mjs), the content area
 * (content-area.mjs), the launch of each kind of content (launch.mjs) and the delivery of run-time data
 * (transport.mjs), and keeps the one piece of state they share: which launch is active.
 *
 * Every navigation runs through one queue, so a click, a SCO's navigation request and an exit action never
 * interleave. Before another activity is launched the shown one is unloaded, and a SCO still running then is
 * committed with reason "unload". A launch the player unloaded itself is `retired`: its SCO's later exit or
 * navigation requests lead nowhere.
 *
 * window.CoursehostPlayer exposes the state and the navigation to tests and customisation scripts (docs/player.md).
 */

import { createContentArea } from "./content-area.mjs";
import { apiOptions, hasRuntimeApi, installApi, launchUrl, opensInWindow, pollAu } from "./launch.mjs";
import { inOwnWindow, reportsToLrs, requestLaunch } from "./lrs-launch.mjs";
import { createNavigation } from "./navigation.mjs";
import { buildOutline, renderButtons, renderOutline as renderItems } from "./outline.mjs";
import { leave, readJson } from "./page.mjs";
import { courseSatisfied, mediaSnapshot, statusOf } from "./progress.mjs";
import { createSharedData } from "./shared-data.mjs";
import { createTransport } from "./transport.mjs";

const HEARTBEAT_MS = 4 * 60 * 1000;
const MAX_LOGS = 200;

export function startPlayer(win, config) {
  const doc = win.document;
  const runtime = win.CoursehostRuntime || {};
  const { nodes, settings, standard, t } = config;
  const snapshots = {};
  Object.keys(config.runtime || {}).forEach((key) => { snapshots[Number(key)] = config.runtime[key]; });
  const nav = createNavigation(config);
  const order = nav.order;
  const shared = createSharedData(nodes, snapshots);
  const area = createContentArea(win, settings, t);
  const transport = createTransport({
    fetch: (url, init) => win.fetch(url, init),
    sendBeacon: win.navigator.sendBeacon ? (url, data) => win.navigator.sendBeacon(url, data) : null,
    onSessionEnded: () => { notice(t.saveFailed); },
  });

  let current = null; // the activity shown (or last shown) in the content area
  let active = null; // {index, retired, api, baseline}: the launch whose callbacks may still drive navigation
  let ended = false;
  let queue = Promise.resolve();
  let stopPolling = null;
  let items = {};
  const logs = [];

  function log(level, message) {
    logs.push({ level, message });
    if (logs.length > MAX_LOGS) logs.shift();
    const method = level === "error" ? "error" : level === "warn" ? "warn" : "log";
    console[method]("[coursehost] " + message);
  }

  function enqueue(task) {
    queue = queue.then(task).catch((error) => { log("error", String((error && error.stack) || error)); });
    return queue;
  }

  // --- the page ------------------------------------------------------------------------------------------------

  function status(index) {
    return statusOf(snapshots[index]);
  }

  function renderOutline() {
    renderItems(items, nodes, settings, t, (index) => ({
      status: status(index),
      current: index === current,
      allowed: ended ? false : nav.choiceAllowed(index, current),
    }));
  }

  function render() {
    renderOutline();
    renderButtons(doc, nav.buttons(current, ended));
  }

  function notice(text) {
    const box = doc.getElementById("ch-notice");
    box.textContent = text;
    box.hidden = !text;
  }

  function record(index, snapshot) {
    snapshots[index] = snapshot;
    transport.send(index, snapshot);
    renderOutline();
    return true;
  }

  // --- decisions carried out --------------------------------------------------------------------------------------

  function perform(decision) {
    if (!decision) return null;
    if (decision.do === "launch") return launch(decision.index);
    if (decision.do === "exit") return exitCourse();
    if (decision.do === "confirmExit") return win.confirm(t.confirmExit) ? exitCourse() : lessonEnded();
    return lessonEnded();
  }

  /** SCORM 1.2 and AICC: a SCO's own exit, decided now (the course's status now), carried out in turn. */
  function afterFinish(index, exit) {
    const decision = nav.afterFinish(index, exit, courseSatisfied(order, snapshots));
    enqueue(() => perform(decision));
  }

  function startApi(index, launch) {
    const options = apiOptions(standard, nodes[index], launch, {
      learner: config.learner,
      initialData: snapshots[index],
      suspendDataMaxLength: settings.suspendDataMaxLength,
      record: (snapshot) => record(index, snapshot),
      log,
      finished: (exit) => { afterFinish(index, exit); },
      sharedData: () => shared.forLaunch(index, launch),
      shareWrites: (snapshot) => { shared.shareWrites(launch, snapshot); },
      requestValid: (request, target) => nav.requestValid(index, request, target, current),
      terminated: () => { enqueue(() => perform(nav.afterTerminate())); },
      navigationRequest: (request) => { enqueue(() => perform(nav.navigationRequest(index, request, current))); },
    });
    launch.api = installApi(win, runtime, standard, options);
  }

  /** Unload the shown content first, so its unload handlers still talk to the API object it started with. */
  function unloadCurrent() {
    if (stopPolling) stopPolling();
    stopPolling = null;
    const old = active;
    if (old) old.retired = true;
    return area.unload().then(() => {
      if (old && old.api && old.api.coursehost.state() === "running") old.api.coursehost.commit("unload");
      if (active === old) active = null;
    });
  }

  function launch(index) {
    return unloadCurrent().then(() => {
      if (ended) return;
      const entry = { index, retired: false, api: null, baseline: (snapshots[index] || {}).sequence || 0 };
      active = entry;
      current = index;
      area.showMessage("");
      if (reportsToLrs(standard)) return showLrsLaunch(entry);
      if (hasRuntimeApi(standard)) startApi(index, entry);
      area.show(launchUrl(config, index), opensInWindow(config));
      if (standard === "aicc") {
        stopPolling = pollAu({
          launch: entry,
          read: transport.read,
          known: () => snapshots[index],
          onChange: (snapshot) => {
            snapshots[index] = snapshot;
            renderOutline();
          },
          onExit: (exit) => {
            stopPolling = null;
            afterFinish(index, exit);
          },
        });
      }
      render();
    });
  }

  /** cmi5 / xAPI: the server makes the launch; its URL is shown unless the learner moved on meanwhile. */
  function showLrsLaunch(entry) {
    render();
    return requestLaunch((url, init) => win.fetch(url, init), entry.index).then((answer) => {
      if (active === entry && !entry.retired) area.show(answer.url, inOwnWindow(config, answer));
    }, (error) => {
      log("error", String(error));
      notice(t.saveFailed);
    });
  }

  function lessonEnded() {
    return unloadCurrent().then(() => {
      area.showMessage(t.lessonEnded);
      render();
    });
  }

  function exitCourse() {
    if (ended) return Promise.resolve();
    return unloadCurrent().then(() => {
      ended = true;
      render();
      area.closeWindow();
      const fallback = { redirect: "message", exitedPage: "../../exited?lang=" + encodeURIComponent(config.lang) };
      return transport.exit(fallback).then((answer) => {
        const exitedPage = new URL(answer.exitedPage || fallback.exitedPage, win.location.href).href;
        let launcher = null;
        try {
          launcher = win.opener && win.opener.CoursehostLauncher;
        } catch (e) {
          launcher = null;
        }
        if (launcher) {
          // A player the new-window launcher opened: the launcher goes to the exit target in its place.
          launcher.exited(answer.redirect, exitedPage);
          win.close();
          return;
        }
        leave(win, answer.redirect, exitedPage);
      });
    });
  }

  // --- the learner's own navigation --------------------------------------------------------------------------------

  function choose(index) {
    return enqueue(() => perform(nav.choose(index, current)));
  }

  function next() {
    return enqueue(() => perform(nav.next(current)));
  }

  function previous() {
    return enqueue(() => perform(nav.previous(current)));
  }

  function exit() {
    return enqueue(exitCourse);
  }

  /** Called by the media page (media.mjs) with the fraction played and whether it counts as completed. */
  function mediaProgress(index, fraction, done) {
    if (!active || active.index !== index || active.retired) return;
    record(index, mediaSnapshot(snapshots[index], fraction, done, new Date().toISOString()));
  }

  // --- page wiring -------------------------------------------------------------------------------------------------

  const outline = doc.getElementById("ch-outline-list");
  if (outline) items = buildOutline(doc, outline, nodes, choose);
  for (const [id, action] of [["ch-prev", previous], ["ch-next", next], ["ch-exit", exit]]) {
    const button = doc.getElementById(id);
    if (button) button.addEventListener("click", () => { action(); });
  }
  const toggle = doc.getElementById("ch-toggle");
  if (toggle) toggle.addEventListener("click", () => { doc.body.classList.toggle("ch-outline-open"); });
  if (settings.preventRightClick) {
    doc.addEventListener("contextmenu", (event) => { event.preventDefault(); });
    area.frame.addEventListener("load", () => {
      try {
        area.frame.contentDocument.addEventListener("contextmenu", (event) => { event.preventDefault(); });
      } catch (e) { /* content from another origin */ }
    });
  }
  win.addEventListener("pagehide", () => {
    transport.pageHidden();
    if (active && active.api && active.api.coursehost.state() === "running") active.api.coursehost.commit("unload");
  });
  win.setInterval(() => { transport.ping(); }, HEARTBEAT_MS);

  win.CoursehostPlayer = {
    config,
    stats: transport.stats,
    logs,
    current: () => current,
    status,
    snapshot: (index) => snapshots[index],
    delivered: (index) => transport.delivered(index),
    ended: () => ended,
    idle: () => queue,
    choose: (identifier) => choose(nav.targetIndex(identifier)),
    next,
    previous,
    exit,
    mediaProgress,
  };

  const first = nav.startIndex(false);
  if (!order.length) {
    area.showMessage(t.nothingToLaunch);
    render();
  } else if (first === null) {
    doc.body.classList.add("ch-outline-open");
    area.showMessage(t.chooseLesson);
    render();
  } else {
    enqueue(() => launch(first));
  }
  return win.CoursehostPlayer;
}

if (typeof document !== "undefined") {
  const config = readJson(document, "ch-config");
  if (config) startPlayer(window, config);
}
