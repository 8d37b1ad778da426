/*
 * coursehost player (plain ES2020, no dependencies, no build step).
 *
 * One script for the three pages the player serves, each recognised by the JSON block it carries:
 *   #ch-config        the player: outline, navigation, the content frame, and the host of the SCORM run-times
 *   #ch-launcher      the page a launch link opens when PlayerLaunchType asks for a new window
 *   #ch-media-config  the media page (PDF, audio, video) shown in the content frame
 *
 * The run-time API objects live on the player window (window.API for SCORM 1.2, window.API_1484_11 for SCORM 2004),
 * so a SCO finds them with the standard discovery algorithm: up its parent chain from the content frame, or through
 * window.opener when PlayerScoLaunchType opens it in a new window. Every snapshot a run-time hands to onCommit (on
 * Commit, Finish/Terminate and when the player unloads a SCO) is posted to runtime/<node>; the server keeps the one
 * with the highest sequence, so repeated or late deliveries are harmless.
 *
 * Navigation follows the activity tree in order. SCORM 2004 control modes (choice, choiceExit, flow, forwardOnly)
 * decide which requests are valid; sequencing rules, rollup and objectives maps are not evaluated (docs/player.md).
 * window.CoursehostPlayer exposes the state and the navigation for tests and customisation scripts.
 */
(function () {
  "use strict";

  var BLANK = "../../static/blank.html";
  var KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive/beacon bodies past 64 KiB in flight
  var HEARTBEAT_MS = 4 * 60 * 1000;
  var AICC_POLL_MS = 1000;
  var UNLOAD_TIMEOUT_MS = 3000;
  var DEFAULT_CONTROL_2004 = { choice: true, choiceExit: true, flow: false, forwardOnly: false };
  var STATUS_MARKS = { completed: "\u2713", passed: "\u2713", failed: "\u2717", incomplete: "\u25D0", browsed: "\u25CB",
    notAttempted: "" };

  function byId(id) { return document.getElementById(id); }
  function readJson(id) {
    var element = byId(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function absolute(url) { return new URL(url, window.location.href).href; }
  function withQuery(url, query) {
    var hash = url.indexOf("#");
    var base = hash >= 0 ? url.slice(0, hash) : url;
    var fragment = hash >= 0 ? url.slice(hash) : "";
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + query + fragment;
  }
  function windowFeatures(toolbar, width, height) {
    var features = [];
    if (!toolbar) features.push("toolbar=no", "location=no", "menubar=no", "status=no");
    if (width) features.push("width=" + width);
    if (height) features.push("height=" + height);
    return features.join(",");
  }

  /** Where the learner goes on exit: an absolute URL, or the keywords closer, blank and message. */
  function leave(target, exitedPage) {
    if (target === "closer") {
      window.close();
      setTimeout(function () { window.location.replace(exitedPage); }, 300);
    } else if (target === "blank") {
      window.location.replace("about:blank");
    } else if (target === "message" || !target) {
      window.location.replace(exitedPage);
    } else {
      window.location.replace(target);
    }
  }

  // ----------------------------------------------------------------------------------------------- the launcher

  function startLauncher(cfg) {
    var opened = null;
    function open() {
      opened = window.open(cfg.url, "coursehost_player", windowFeatures(cfg.toolbar, cfg.width, cfg.height));
      byId("ch-launcher-blocked").hidden = !!opened;
    }
    byId("ch-open").addEventListener("click", open);
    window.CoursehostLauncher = {
      exited: function (target, exitedPage) { leave(target, exitedPage); },
      window: function () { return opened; },
    };
    if (!cfg.afterClick) open();
  }

  // -------------------------------------------------------------------------------------------- the media page

  function startMedia(cfg) {
    var host = window.parent !== window ? window.parent : window.opener;
    function report(fraction, done) {
      try {
        host.CoursehostPlayer.mediaProgress(cfg.activity, fraction, done);
      } catch (e) {
        /* opened on its own: nothing to report to */
      }
    }
    var media = byId("ch-media");
    if (cfg.kind === "pdf") {
      report(1, true);
      return;
    }
    var reported = -1;
    function played() {
      var total = 0;
      for (var i = 0; i < media.played.length; i += 1) total += media.played.end(i) - media.played.start(i);
      return media.duration > 0 ? Math.min(1, total / media.duration) : 0;
    }
    media.addEventListener("timeupdate", function () {
      var fraction = played();
      var done = fraction * 100 >= cfg.threshold;
      // Report completion at once and progress in tenths, so playback does not flood the server.
      if (done || Math.floor(fraction * 10) > reported) {
        reported = Math.floor(fraction * 10);
        report(fraction, done);
      }
    });
    media.addEventListener("ended", function () { report(Math.max(played(), cfg.threshold / 100), true); });
  }

  // ------------------------------------------------------------------------------------------------ the player

  function startPlayer(config) {
    var R = window.CoursehostRuntime || {};
    var nodes = config.nodes;
    var settings = config.settings;
    var standard = config.standard;
    var t = config.t;
    var snapshots = {};
    Object.keys(config.runtime || {}).forEach(function (key) { snapshots[Number(key)] = config.runtime[key]; });
    var order = nodes.map(function (_node, index) { return index; }).filter(function (i) { return !!nodes[i].href; });
    var byIdentifier = {};
    // An item's own content shares the item's identifier with the aggregation above it; the identifier names the
    // content (the launchable one) in startSco, navigation targets and choose().
    nodes.forEach(function (node, index) {
      if (node.id && (!(node.id in byIdentifier) || node.own)) byIdentifier[node.id] = index;
    });
    // adl.data: a shared data store belongs to the learner's attempt on the course, not to one SCO. Every SCO whose
    // item maps a store (adlcp:data) is handed its current contents; a SCO's writes are shared when it commits.
    var sharedStores = initialSharedStores();

    var frame = byId("ch-content");
    var frameBlank = true;
    var scoWindow = null;
    var current = null; // the node shown (or last shown) in the content area
    var active = null; // {index, retired, api}: the launch whose callbacks may still drive navigation
    var ended = false;
    var queue = Promise.resolve();
    var pollTimer = null;
    var pageUnloading = false;
    var stats = { sent: 0, acknowledged: 0, failed: 0 };
    var logs = [];

    function log(level, message) {
      logs.push({ level: level, message: message });
      if (logs.length > 200) logs.shift();
      var method = level === "error" ? "error" : level === "warn" ? "warn" : "log";
      console[method]("[coursehost] " + message);
    }

    function enqueue(task) {
      queue = queue.then(task).catch(function (error) { log("error", String(error && error.stack || error)); });
      return queue;
    }

    // --- the tree ------------------------------------------------------------------------------------------

    function ancestors(index) {
      var found = [];
      for (var parent = nodes[index].parent; parent >= 0; parent = nodes[parent].parent) found.push(parent);
      return found;
    }
    function isWithin(index, cluster) {
      return index === cluster || ancestors(index).indexOf(cluster) >= 0;
    }
    function control(index) {
      if (standard === "scorm2004") return nodes[index].control || DEFAULT_CONTROL_2004;
      // Other standards have no control modes: the PlayerEnableFlowNav / PlayerEnableChoiceNav settings decide.
      return { choice: settings.choiceNav, choiceExit: true, flow: settings.flowNav, forwardOnly: false };
    }
    function commonAncestor(a, b) {
      var chain = [a].concat(ancestors(a));
      for (var node = b; node >= 0; node = nodes[node].parent) if (chain.indexOf(node) >= 0) return node;
      return 0;
    }
    function clustersBetween(a, b) {
      var top = commonAncestor(a, b);
      var clusters = [top];
      [a, b].forEach(function (end) {
        ancestors(end).forEach(function (cluster) {
          if (cluster !== top && isWithin(cluster, top) && clusters.indexOf(cluster) < 0) clusters.push(cluster);
        });
      });
      return clusters;
    }
    function flowAllowed(from, to, forward) {
      return clustersBetween(from, to).every(function (cluster) {
        var mode = control(cluster);
        return mode.flow && (forward || !mode.forwardOnly);
      });
    }
    function flowTarget(from, forward) {
      if (from === null) return forward ? startIndex(true) : null;
      var target = order[order.indexOf(from) + (forward ? 1 : -1)];
      return target !== undefined && flowAllowed(from, target, forward) ? target : null;
    }
    function flowEnds(from) {
      // Continuing past the last activity ends the course, if its clusters allow flow at all.
      return from !== null && order.indexOf(from) === order.length - 1 &&
        ancestors(from).every(function (cluster) { return control(cluster).flow; });
    }
    function choiceAllowed(target) {
      if (target === null || target === undefined || !nodes[target] || !nodes[target].href) return false;
      if (!ancestors(target).every(function (cluster) { return control(cluster).choice; })) return false;
      if (current === null || target === current) return true;
      var leaving = [current].concat(ancestors(current));
      for (var i = 0; i < leaving.length; i += 1) {
        var mode = nodes[leaving[i]].control;
        if (standard === "scorm2004" && mode && mode.choiceExit === false && !isWithin(target, leaving[i])) return false;
      }
      var top = commonAncestor(current, target);
      return !(control(top).forwardOnly && order.indexOf(target) < order.indexOf(current));
    }
    function startIndex(flowOnly) {
      if (!flowOnly && config.start !== null && config.start !== undefined) return config.start;
      if (!order.length) return null;
      if (!flowOnly && (order.length === 1 || standard !== "scorm2004" || settings.alwaysFlowToFirst)) return order[0];
      var first = order[0];
      return ancestors(first).every(function (cluster) { return control(cluster).flow; }) ? first : null;
    }

    // --- status --------------------------------------------------------------------------------------------

    function statusOf(index) {
      var snapshot = snapshots[index];
      var cmi = snapshot && snapshot.cmi;
      if (!cmi) return "notAttempted";
      if (snapshot.standard === "scorm2004") {
        if (cmi.success_status === "passed" || cmi.success_status === "failed") return cmi.success_status;
        if (cmi.completion_status === "completed") return "completed";
        return cmi.completion_status === "not attempted" ? "notAttempted" : "incomplete";
      }
      if (snapshot.standard === "media") return cmi.completion_status === "completed" ? "completed" : "incomplete";
      var status = cmi.core && cmi.core.lesson_status;
      if (status === "not attempted" || !status) return "notAttempted";
      return status;
    }
    function courseSatisfied() {
      return order.every(function (i) { var s = statusOf(i); return s === "completed" || s === "passed"; });
    }

    // --- the outline and the buttons ------------------------------------------------------------------------

    var outline = byId("ch-outline-list");
    var items = {};
    function buildOutline() {
      if (!outline) return;
      var lists = { 0: outline };
      // An item with children and its own content is one outline entry: choosing it opens that content, and its
      // children are listed under it (the content node itself gets no entry of its own).
      var ownContent = {};
      nodes.forEach(function (node, index) { if (node.own) ownContent[node.parent] = index; });
      nodes.forEach(function (node, index) {
        if (index === 0 || node.own) return;
        var parentList = lists[node.parent] || outline;
        if (node.visible === false) {
          lists[index] = parentList;
          return;
        }
        var target = index in ownContent ? ownContent[index] : index;
        var li = document.createElement("li");
        li.className = "ch-item";
        li.setAttribute("data-node", String(target));
        li.setAttribute("data-identifier", node.id);
        var label;
        if (nodes[target].href) {
          label = document.createElement("button");
          label.type = "button";
          label.addEventListener("click", function () { choose(target); });
        } else {
          label = document.createElement("span");
        }
        label.className = "ch-item-label";
        var mark = document.createElement("span");
        mark.className = "ch-mark";
        mark.setAttribute("aria-hidden", "true");
        var text = document.createElement("span");
        text.className = "ch-item-title";
        text.textContent = node.title;
        label.appendChild(mark);
        label.appendChild(text);
        li.appendChild(label);
        var children = nodes.some(function (other) { return other.parent === index; });
        if (children) {
          var ul = document.createElement("ul");
          li.appendChild(ul);
          lists[index] = ul;
        }
        parentList.appendChild(li);
        items[target] = { li: li, label: label, mark: mark, merged: target !== index };
      });
    }
    function renderOutline() {
      Object.keys(items).forEach(function (key) {
        var index = Number(key);
        var item = items[index];
        var status = statusOf(index);
        item.li.className = "ch-item" + (nodes[index].href ? " ch-status-" + status : "") +
          (!nodes[index].href || item.merged ? " ch-cluster" : "") +
          (index === current ? " ch-current" : "");
        if (!nodes[index].href) return;
        item.mark.textContent = STATUS_MARKS[status] || "";
        item.label.title = (index === current ? t["status.current"] + " \u2013 " : "") + (t["status." + status] || "");
        item.label.setAttribute("aria-current", index === current ? "step" : "false");
        var allowed = ended ? false : choiceAllowed(index);
        var action = settings.invalidMenuItemAction;
        // Hiding a merged entry hides its label only: its children may still be choosable.
        (item.merged ? item.label : item.li).hidden = !allowed && action === "HIDE";
        item.label.disabled = !allowed && action !== "SHOW";
      });
    }
    function setButton(id, enabled, hidden) {
      var button = byId(id);
      if (!button) return;
      button.disabled = !enabled;
      button.hidden = !!hidden;
    }
    function hiddenByContent(what) {
      var hide = current !== null && nodes[current].hide;
      return !!hide && hide.indexOf(what) >= 0;
    }
    function renderButtons() {
      var flowHidden = standard !== "scorm2004" && !settings.flowNav;
      var next = current === null ? startIndex(true) : flowTarget(current, true);
      setButton("ch-prev", !ended && flowTarget(current, false) !== null, flowHidden || hiddenByContent("previous"));
      setButton("ch-next", !ended && (next !== null || flowEnds(current)), flowHidden || hiddenByContent("continue"));
      setButton("ch-exit", !ended, hiddenByContent("exitAll") || hiddenByContent("exit"));
    }
    function render() {
      renderOutline();
      renderButtons();
    }
    function showMessage(text) {
      var box = byId("ch-message");
      box.textContent = text;
      box.hidden = !text;
      frame.hidden = !!text;
    }
    function notice(text) {
      var box = byId("ch-notice");
      box.textContent = text;
      box.hidden = !text;
    }

    // --- delivery of run-time data --------------------------------------------------------------------------

    function sessionEnded() {
      notice(t.saveFailed);
    }
    // One delivery in flight per activity; a newer snapshot replaces one still waiting, since the server keeps only
    // the newest anyway. That bounds what is in flight (keepalive requests share a 64 KiB budget) however often a
    // SCO commits.
    var outbox = {};
    function beacon(index, snapshot) {
      var body = JSON.stringify(snapshot);
      return body.length < KEEPALIVE_LIMIT && !!navigator.sendBeacon &&
        navigator.sendBeacon("runtime/" + index, new Blob([body], { type: "application/json" }));
    }
    function post(index, snapshot, box) {
      var body = JSON.stringify(snapshot);
      box.inFlight = true;
      fetch("runtime/" + index, {
        method: "POST",
        body: body,
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        keepalive: body.length < KEEPALIVE_LIMIT,
      }).then(function (response) {
        if (response.ok) {
          stats.acknowledged += 1;
          box.delivered = Math.max(box.delivered, snapshot.sequence || 0);
        } else {
          stats.failed += 1;
        }
        if (response.status === 403 || response.status === 410) sessionEnded();
      }, function () { stats.failed += 1; }).then(function () {
        box.inFlight = false;
        var next = box.pending;
        box.pending = null;
        if (next) post(index, next, box);
      });
    }
    function send(index, snapshot) {
      stats.sent += 1;
      var box = outbox[index] || (outbox[index] = { inFlight: false, pending: null, delivered: 0 });
      if (pageUnloading && beacon(index, snapshot)) {
        box.pending = null;
        return;
      }
      if (box.inFlight) box.pending = snapshot;
      else post(index, snapshot, box);
    }
    function flushOnUnload() {
      Object.keys(outbox).forEach(function (key) {
        var box = outbox[key];
        if (box.pending && beacon(key, box.pending)) box.pending = null;
      });
    }
    function record(index, snapshot) {
      snapshots[index] = snapshot;
      send(index, snapshot);
      renderOutline();
      return true;
    }

    // --- shared data (adl.data) ------------------------------------------------------------------------------

    function storesIn(snapshot) {
      return snapshot && snapshot.adl && Array.isArray(snapshot.adl.data) ? snapshot.adl.data : [];
    }
    function mapsOf(index) {
      var data = (nodes[index] || {}).data || {};
      return Array.isArray(data.sharedData) ? data.sharedData : [];
    }
    /** After a page reload: each store as the SCO allowed to write it saved it last. */
    function initialSharedStores() {
      var stores = {};
      var savedAt = {};
      Object.keys(snapshots).forEach(function (key) {
        var snapshot = snapshots[key];
        var writable = mapsOf(Number(key)).filter(function (m) { return m.writable !== false; });
        storesIn(snapshot).forEach(function (item) {
          if (item.store === null || item.store === undefined) return;
          if (!writable.some(function (m) { return m.id === item.id; })) return;
          var at = String(snapshot.savedAt || "");
          if (!(item.id in savedAt) || savedAt[item.id] <= at) {
            stores[item.id] = item.store;
            savedAt[item.id] = at;
          }
        });
      });
      return stores;
    }
    function sharedDataFor(index, entry) {
      entry.sharedGiven = {};
      return mapsOf(index).map(function (m) {
        var store = m.id in sharedStores ? sharedStores[m.id] : null;
        entry.sharedGiven[m.id] = store;
        return { id: m.id, store: store, readable: m.readable, writable: m.writable };
      });
    }
    function shareWrites(entry, snapshot) {
      storesIn(snapshot).forEach(function (item) {
        if (!entry.sharedGiven || !(item.id in entry.sharedGiven)) return;
        if (item.store !== entry.sharedGiven[item.id]) {
          sharedStores[item.id] = item.store;
          entry.sharedGiven[item.id] = item.store;
        }
      });
    }

    // --- the run-time APIs ----------------------------------------------------------------------------------

    function installApi(index, entry) {
      var data = nodes[index].data || {};
      var options = {
        learner: config.learner,
        initialData: snapshots[index],
        suspendDataMaxLength: settings.suspendDataMaxLength || undefined,
        suspendDataPolicy: "warn",
        launchData: data.launchData,
        maxTimeAllowed: data.maxTimeAllowed,
        timeLimitAction: data.timeLimitAction,
        onCommit: function (snapshot) { return record(index, snapshot); },
        onLog: function (message, level) { log(level, message); },
      };
      if (standard === "scorm12") {
        options.masteryScore = data.masteryScore;
        options.onFinish = function (snapshot) {
          if (!entry.retired) afterFinish(index, exitKind(snapshot.cmi.core.exit));
        };
        entry.api = R.createScorm12Api(options);
        window.API = entry.api;
      } else {
        options.completionThreshold = data.completionThreshold;
        options.scaledPassingScore = data.scaledPassingScore;
        options.objectives = data.objectives;
        options.sharedData = sharedDataFor(index, entry);
        options.onCommit = function (snapshot) {
          shareWrites(entry, snapshot);
          return record(index, snapshot);
        };
        options.navRequestValid = function (request, target) { return requestValid(index, request, target); };
        options.onTerminate = function (_snapshot, nav) {
          if (!entry.retired && !nav) enqueue(function () { return afterTerminate(); });
        };
        options.onNavigationRequest = function (nav) {
          if (!entry.retired) enqueue(function () { return navigationRequest(index, nav); });
        };
        entry.api = R.createScorm2004Api(options);
        window.API_1484_11 = entry.api;
      }
    }
    function exitKind(exit) {
      return { suspend: "suspend", "time-out": "timeout", logout: "logout" }[exit] || "normal";
    }

    // SCORM 1.2 and AICC: what a SCO's own exit leads to (the Player*ExitAction settings).
    function afterFinish(index, exit) {
      var last = order.indexOf(index) === order.length - 1;
      var table = settings.exitActions[last ? "final" : "intermediate"][courseSatisfied() ? "satisfied" : "notSatisfied"];
      var action = table[exit];
      enqueue(function () {
        if (action === "GO_TO_NEXT_SCO") {
          // The next item in tree order, even when PlayerEnableFlowNav hides the learner's own Next button.
          var next = order[order.indexOf(index) + 1];
          return next !== undefined ? launch(next) : lessonEnded();
        }
        if (action === "EXIT_COURSE") return exitCourse();
        if (action === "EXIT_COURSE_AFTER_CONFIRM") return window.confirm(t.confirmExit) ? exitCourse() : lessonEnded();
        if (action === "DISPLAY_MESSAGE") return lessonEnded();
        return null; // DO_NOTHING
      });
    }

    // SCORM 2004: Terminate without a navigation request ends the lesson; a single-SCO course ends with it.
    function afterTerminate() {
      return order.length === 1 ? exitCourse() : lessonEnded();
    }
    function targetIndex(target) {
      return target && target in byIdentifier ? byIdentifier[target] : null;
    }
    function requestValid(index, request, target) {
      if (request === "continue") return flowTarget(index, true) !== null || flowEnds(index);
      if (request === "previous") return flowTarget(index, false) !== null;
      var found = targetIndex(target);
      if (request === "choice") return choiceAllowed(found);
      return found !== null && !!nodes[found].href; // jump
    }
    function navigationRequest(index, nav) {
      var request = nav.request;
      if (request === "continue") {
        var next = flowTarget(index, true);
        if (next !== null) return launch(next);
        return flowEnds(index) ? exitCourse() : lessonEnded();
      }
      if (request === "previous") {
        var previous = flowTarget(index, false);
        return previous !== null ? launch(previous) : lessonEnded();
      }
      if (request === "choice" || request === "jump") {
        var found = targetIndex(nav.target);
        var allowed = request === "jump" ? found !== null && !!nodes[found].href : choiceAllowed(found);
        return allowed ? launch(found) : lessonEnded();
      }
      if (request === "exit" || request === "abandon") return order.length === 1 ? exitCourse() : lessonEnded();
      // exitAll, suspendAll, abandonAll: the preview ends; a suspended state would die with the session anyway.
      return exitCourse();
    }

    // --- launching and unloading ----------------------------------------------------------------------------

    function waitForFrame() {
      return new Promise(function (resolve) {
        var done = false;
        function finish() { if (!done) { done = true; resolve(); } }
        frame.addEventListener("load", finish, { once: true });
        setTimeout(finish, UNLOAD_TIMEOUT_MS); // a SCO that never lets go must not block navigation
        frame.src = BLANK;
      });
    }
    function waitForWindow(win) {
      return new Promise(function (resolve) {
        var started = Date.now();
        var blank = absolute(BLANK);
        try { win.location.href = blank; } catch (e) { resolve(); return; }
        (function check() {
          var loaded = false;
          try { loaded = win.closed || (win.location.href === blank && win.document.readyState === "complete"); } catch (e) {
            loaded = false;
          }
          if (loaded || Date.now() - started > UNLOAD_TIMEOUT_MS) resolve();
          else setTimeout(check, 50);
        })();
      });
    }
    /** Unload the shown content first, so its unload handlers still talk to the API object it started with. */
    function unloadCurrent() {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
      var old = active;
      if (old) old.retired = true;
      var unloading;
      if (scoWindow && !scoWindow.closed) unloading = waitForWindow(scoWindow);
      else if (!frameBlank) unloading = waitForFrame();
      else unloading = Promise.resolve();
      frameBlank = true;
      return unloading.then(function () {
        if (old && old.api && old.api.coursehost.state() === "running") old.api.coursehost.commit("unload");
        if (active === old) active = null;
      });
    }
    function launchUrl(index) {
      var node = nodes[index];
      if (standard === "media") return "media/" + index;
      var url = /^[a-z][a-z0-9+.-]*:/i.test(node.href) ? node.href : "content/" + node.href;
      if (standard === "aicc") {
        url = withQuery(url, "aicc_sid=" + encodeURIComponent(config.aicc.sids[String(index)]) +
          "&aicc_url=" + encodeURIComponent(config.aicc.url));
      }
      return url;
    }
    function launch(index) {
      return unloadCurrent().then(function () {
        if (ended) return;
        var entry = { index: index, retired: false, api: null, baseline: (snapshots[index] || {}).sequence || 0 };
        active = entry;
        current = index;
        showMessage("");
        if (standard === "scorm12" || standard === "scorm2004") installApi(index, entry);
        var url = launchUrl(index);
        if (settings.scoLaunchType !== "FRAMESET" && standard !== "media") openScoWindow(url);
        else {
          frameBlank = false;
          frame.src = url;
        }
        if (standard === "aicc") pollAicc(entry);
        render();
      });
    }
    /** PlayerScoLaunchType NEW_WINDOW*: the SCO opens in a window of its own and finds the API via opener. */
    function openScoWindow(url) {
      var target = absolute(url);
      var features = windowFeatures(settings.scoLaunchType.indexOf("WITHOUT_BROWSER_TOOLBAR") < 0,
        settings.desiredWidth, settings.desiredHeight);
      function open() {
        scoWindow = window.open(target, "coursehost_sco", features) || scoWindow;
        return scoWindow;
      }
      if (scoWindow && !scoWindow.closed) scoWindow.location.href = target;
      else if (settings.scoLaunchType.indexOf("AFTER_CLICK") < 0) open();
      var shown = scoWindow && !scoWindow.closed;
      showMessage(shown || settings.scoLaunchType.indexOf("AFTER_CLICK") >= 0 ? t.openedInWindow : t.popupBlocked);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ch-button ch-open-lesson";
      button.textContent = t.openLesson;
      button.addEventListener("click", function () { if (open()) showMessage(t.openedInWindow); });
      byId("ch-message").appendChild(document.createElement("br"));
      byId("ch-message").appendChild(button);
    }
    function pollAicc(entry) {
      pollTimer = setInterval(function () {
        fetch("runtime/" + entry.index, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
          if (response.status === 403 || response.status === 410) sessionEnded();
          return response.ok ? response.json() : null;
        }).then(function (snapshot) {
          if (!snapshot || !snapshot.sequence || entry.retired) return;
          if (!snapshots[entry.index] || snapshots[entry.index].sequence !== snapshot.sequence) {
            snapshots[entry.index] = snapshot;
            renderOutline();
          }
          if (snapshot.terminated && snapshot.sequence > entry.baseline) {
            entry.retired = true;
            clearInterval(pollTimer);
            pollTimer = null;
            afterFinish(entry.index, exitKind(snapshot.cmi.core.exit));
          }
        }).catch(function () { /* the next poll tries again */ });
      }, AICC_POLL_MS);
    }
    function lessonEnded() {
      return unloadCurrent().then(function () {
        showMessage(t.lessonEnded);
        render();
      });
    }
    function exitCourse() {
      if (ended) return Promise.resolve();
      return unloadCurrent().then(function () {
        ended = true;
        render();
        if (scoWindow && !scoWindow.closed) scoWindow.close();
        var fallback = { redirect: "message", exitedPage: "../../exited?lang=" + encodeURIComponent(config.lang) };
        return fetch("exit", { method: "POST", credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : fallback; }, function () { return fallback; })
          .then(function (answer) {
            var exitedPage = absolute(answer.exitedPage || fallback.exitedPage);
            var launcher = null;
            try { launcher = window.opener && window.opener.CoursehostLauncher; } catch (e) { launcher = null; }
            if (launcher) {
              launcher.exited(answer.redirect, exitedPage);
              window.close();
              return;
            }
            leave(answer.redirect, exitedPage);
          });
      });
    }

    // --- the learner's own navigation -----------------------------------------------------------------------

    function choose(index) {
      return enqueue(function () { return choiceAllowed(index) ? launch(index) : null; });
    }
    function next() {
      return enqueue(function () {
        var target = current === null ? startIndex(true) : flowTarget(current, true);
        if (target !== null) return launch(target);
        return flowEnds(current) ? exitCourse() : null;
      });
    }
    function previous() {
      return enqueue(function () {
        var target = flowTarget(current, false);
        return target !== null ? launch(target) : null;
      });
    }
    function exit() {
      return enqueue(exitCourse);
    }

    function mediaProgress(index, fraction, done) {
      if (!active || active.index !== index || active.retired) return;
      var previousSnapshot = snapshots[index];
      var wasDone = previousSnapshot && previousSnapshot.cmi.completion_status === "completed";
      var snapshot = {
        standard: "media",
        sequence: ((previousSnapshot && previousSnapshot.sequence) || 0) + 1,
        reason: done ? "completed" : "progress",
        terminated: false,
        savedAt: new Date().toISOString(),
        cmi: {
          completion_status: done || wasDone ? "completed" : "incomplete",
          progress_measure: Math.max(fraction, (previousSnapshot && previousSnapshot.cmi.progress_measure) || 0),
        },
      };
      record(index, snapshot);
    }

    // --- page wiring ----------------------------------------------------------------------------------------

    buildOutline();
    [["ch-prev", previous], ["ch-next", next], ["ch-exit", exit]].forEach(function (pair) {
      var button = byId(pair[0]);
      if (button) button.addEventListener("click", function () { pair[1](); });
    });
    var toggle = byId("ch-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () { document.body.classList.toggle("ch-outline-open"); });
    }
    if (settings.preventRightClick) {
      document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
      frame.addEventListener("load", function () {
        try {
          frame.contentDocument.addEventListener("contextmenu", function (event) { event.preventDefault(); });
        } catch (e) { /* content from another origin */ }
      });
    }
    window.addEventListener("pagehide", function () {
      pageUnloading = true;
      flushOnUnload();
      if (active && active.api && active.api.coursehost.state() === "running") active.api.coursehost.commit("unload");
    });
    setInterval(function () {
      fetch("ping", { method: "POST", credentials: "same-origin", keepalive: true }).then(function (response) {
        if (response.status === 403 || response.status === 410) sessionEnded();
      }, function () { /* offline for a moment */ });
    }, HEARTBEAT_MS);

    window.CoursehostPlayer = {
      config: config,
      stats: stats,
      logs: logs,
      current: function () { return current; },
      status: statusOf,
      snapshot: function (index) { return snapshots[index]; },
      delivered: function (index) { return outbox[index] ? outbox[index].delivered : 0; },
      ended: function () { return ended; },
      idle: function () { return queue; },
      choose: function (identifier) { return choose(targetIndex(identifier)); },
      next: next,
      previous: previous,
      exit: exit,
      mediaProgress: mediaProgress,
    };

    var first = startIndex(false);
    if (!order.length) {
      showMessage(t.nothingToLaunch);
      render();
    } else if (first === null) {
      document.body.classList.add("ch-outline-open");
      showMessage(t.chooseLesson);
      render();
    } else {
      enqueue(function () { return launch(first); });
    }
  }

  var launcherConfig = readJson("ch-launcher");
  var mediaConfig = readJson("ch-media-config");
  var playerConfig = readJson("ch-config");
  if (launcherConfig) startLauncher(launcherConfig);
  else if (mediaConfig) startMedia(mediaConfig);
  else if (playerConfig) startPlayer(playerConfig);
})();
