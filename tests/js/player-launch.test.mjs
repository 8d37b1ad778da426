// launch.mjs (each kind of content) and page.mjs (the pages' shared helpers).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  apiOptions, hasRuntimeApi, installApi, launchUrl, opensInWindow, pollAu, pollOutcome,
} from "../../src/coursehost/player/static/player/launch.mjs";
import { leave, readJson, windowFeatures, withQuery } from "../../src/coursehost/player/static/player/page.mjs";
import { FakeDocument, flat, plan } from "./player-fixtures.mjs";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("launch URLs", () => {
  test("course files are under the session's content path; absolute hrefs are left alone", () => {
    const course = plan({ id: "root", children: [
      { id: "a", href: "sco/a.html?x=1#top" }, { id: "b", href: "https://elsewhere.example/b.html" },
      { id: "c", href: "mailto:x@example.org" },
    ] }, { standard: "scorm12" });
    assert.equal(launchUrl(course, 1), "content/sco/a.html?x=1#top");
    assert.equal(launchUrl(course, 2), "https://elsewhere.example/b.html");
    assert.equal(launchUrl(course, 3), "mailto:x@example.org");
  });
  test("an AU gets aicc_sid and aicc_url, before any fragment", () => {
    const course = plan({ id: "root", children: [{ id: "au", href: "au/start.html?lang=en#intro" }] }, {
      standard: "aicc",
      extra: { aicc: { url: "http://h.example/player/hacp", sids: { 1: "abc123" } } },
    });
    assert.equal(launchUrl(course, 1),
      "content/au/start.html?lang=en&aicc_sid=abc123&aicc_url=http%3A%2F%2Fh.example%2Fplayer%2Fhacp#intro");
  });
  test("media plays on the media page", () => {
    assert.equal(launchUrl(flat(2, undefined, { standard: "media" }), 2), "media/2");
  });
  test("PlayerScoLaunchType: a window of its own, never for media", () => {
    const newWindow = { settings: { scoLaunchType: "NEW_WINDOW" } };
    assert.equal(opensInWindow(flat(1, undefined, newWindow)), true);
    assert.equal(opensInWindow(flat(1, undefined, { ...newWindow, standard: "media" })), false);
    assert.equal(opensInWindow(flat(1)), false);
  });
  test("which standards get a run-time API", () => {
    assert.deepEqual(["scorm12", "scorm2004", "aicc", "media"].map(hasRuntimeApi), [true, true, false, false]);
  });
});

describe("the run-time API of a launch", () => {
  function host(overrides = {}) {
    const seen = [];
    const hooks = {
      learner: { id: "l", name: "L" },
      initialData: { sequence: 2 },
      suspendDataMaxLength: null,
      record: (snapshot) => { seen.push(["record", snapshot]); return true; },
      log: (level, message) => seen.push(["log", level, message]),
      finished: (exit) => seen.push(["finished", exit]),
      sharedData: () => [{ id: "s", store: null }],
      shareWrites: (snapshot) => seen.push(["share", snapshot]),
      requestValid: (request, target) => request + ":" + target,
      terminated: () => seen.push(["terminated"]),
      navigationRequest: (nav) => seen.push(["nav", nav]),
      ...overrides,
    };
    return { hooks, seen };
  }
  const data = {
    launchData: "ld", maxTimeAllowed: "PT1H", timeLimitAction: "exit,message", masteryScore: "80",
    completionThreshold: "0.5", scaledPassingScore: "0.7", objectives: ["o1"],
  };

  test("SCORM 1.2: the host contract's options, and LMSFinish leads to the exit actions", () => {
    const { hooks, seen } = host({ suspendDataMaxLength: 500 });
    const launch = { retired: false };
    const options = apiOptions("scorm12", { data }, launch, hooks);
    assert.deepEqual(
      Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v !== "function")),
      {
        learner: { id: "l", name: "L" }, initialData: { sequence: 2 }, suspendDataMaxLength: 500,
        suspendDataPolicy: "warn", launchData: "ld", maxTimeAllowed: "PT1H", timeLimitAction: "exit,message",
        masteryScore: "80",
      },
    );
    assert.equal(options.onCommit({ sequence: 3 }), true);
    options.onLog("hello", "warn");
    options.onFinish({ cmi: { core: { exit: "suspend" } } });
    launch.retired = true;
    options.onFinish({ cmi: { core: { exit: "" } } });
    assert.deepEqual(seen, [["record", { sequence: 3 }], ["log", "warn", "hello"], ["finished", "suspend"]]);
  });

  test("SCORM 2004: shared data, request_valid, and what Terminate leads to", () => {
    const { hooks, seen } = host();
    const launch = { retired: false };
    const options = apiOptions("scorm2004", { data }, launch, hooks);
    assert.equal(options.suspendDataMaxLength, undefined);
    assert.equal(options.completionThreshold, "0.5");
    assert.equal(options.scaledPassingScore, "0.7");
    assert.deepEqual(options.objectives, ["o1"]);
    assert.deepEqual(options.sharedData, [{ id: "s", store: null }]);
    assert.equal(options.masteryScore, undefined);
    assert.equal(options.navRequestValid("choice", "x"), "choice:x");
    assert.equal(options.onCommit({ sequence: 1 }), true);
    options.onTerminate({}, null);
    options.onTerminate({}, { request: "continue" }); // the navigation request handles it
    options.onNavigationRequest({ request: "continue" });
    launch.retired = true;
    options.onTerminate({}, null);
    options.onNavigationRequest({ request: "previous" });
    assert.deepEqual(seen, [
      ["share", { sequence: 1 }], ["record", { sequence: 1 }], ["terminated"], ["nav", { request: "continue" }],
    ]);
  });

  test("a node without data", () => {
    const options = apiOptions("scorm12", {}, { retired: false }, host().hooks);
    assert.equal(options.launchData, undefined);
  });

  test("the API object goes where SCOs look for it", () => {
    const runtime = {
      createScorm12Api: (options) => ({ kind: "1.2", options }),
      createScorm2004Api: (options) => ({ kind: "2004", options }),
    };
    const win = {};
    const api12 = installApi(win, runtime, "scorm12", { a: 1 });
    assert.deepEqual(win.API, { kind: "1.2", options: { a: 1 } });
    assert.equal(api12, win.API);
    const api2004 = installApi(win, runtime, "scorm2004", { b: 2 });
    assert.equal(win.API_1484_11, api2004);
    assert.equal(api2004.kind, "2004");
  });
});

describe("AICC polling", () => {
  const launch = (baseline = 0) => ({ index: 1, retired: false, baseline });
  test("what a polled snapshot means", () => {
    assert.deepEqual(pollOutcome(null, undefined, launch()), { changed: false, exited: false });
    assert.deepEqual(pollOutcome({}, undefined, launch()), { changed: false, exited: false });
    assert.deepEqual(pollOutcome({ sequence: 1 }, undefined, launch()), { changed: true, exited: false });
    assert.deepEqual(pollOutcome({ sequence: 1 }, { sequence: 1 }, launch()), { changed: false, exited: false });
    assert.deepEqual(pollOutcome({ sequence: 3, terminated: true }, { sequence: 2 }, launch(2)),
      { changed: true, exited: true });
    // An ExitAU of an earlier launch of the same AU does not end this one.
    assert.deepEqual(pollOutcome({ sequence: 2, terminated: true }, { sequence: 2 }, launch(2)),
      { changed: false, exited: false });
    assert.deepEqual(pollOutcome({ sequence: 3 }, undefined, { ...launch(), retired: true }),
      { changed: false, exited: false });
  });

  test("polls each second until the AU exits", async () => {
    const timers = { ticks: [], cleared: [] };
    timers.setInterval = (fn, ms) => { timers.ticks.push({ fn, ms }); return 42; };
    timers.clearInterval = (id) => timers.cleared.push(id);
    const offline = () => { throw new Error("offline"); };
    const answers = [offline, () => ({ sequence: 1 }),
      () => ({ sequence: 2, terminated: true, cmi: { core: { exit: "time-out" } } })];
    const seen = [];
    let known;
    const running = launch();
    pollAu({
      launch: running,
      read: async (index) => { seen.push(["read", index]); return answers.shift()(); },
      known: () => known,
      onChange: (snapshot) => { known = snapshot; seen.push(["change", snapshot.sequence]); },
      onExit: (exit) => seen.push(["exit", exit]),
      timers,
    });
    assert.equal(timers.ticks[0].ms, 1000);
    for (let i = 0; i < 3; i += 1) {
      timers.ticks[0].fn();
      await settle();
    }
    assert.deepEqual(seen, [["read", 1], ["read", 1], ["change", 1], ["read", 1], ["change", 2], ["exit", "timeout"]]);
    assert.equal(running.retired, true);
    assert.deepEqual(timers.cleared, [42]);
  });

  test("stopping", () => {
    const cleared = [];
    const stop = pollAu({
      launch: launch(), read: async () => null, known: () => undefined, onChange() {}, onExit() {},
      timers: { setInterval: () => 7, clearInterval: (id) => cleared.push(id) },
    });
    stop();
    assert.deepEqual(cleared, [7]);
  });
});

describe("the pages' helpers", () => {
  test("a query added before the fragment", () => {
    assert.equal(withQuery("a.html", "x=1"), "a.html?x=1");
    assert.equal(withQuery("a.html?y=2", "x=1"), "a.html?y=2&x=1");
    assert.equal(withQuery("a.html#f", "x=1"), "a.html?x=1#f");
    assert.equal(withQuery("a.html?y=2#f?z", "x=1"), "a.html?y=2&x=1#f?z");
  });
  test("window features", () => {
    assert.equal(windowFeatures(true, null, null), "");
    assert.equal(windowFeatures(false, 800, 600), "toolbar=no,location=no,menubar=no,status=no,width=800,height=600");
    assert.equal(windowFeatures(true, 0, 600), "height=600");
  });
  test("the JSON a page carries", () => {
    const doc = new FakeDocument();
    doc.add("script", "ch-config", { textContent: '{"a": [1]}' });
    assert.deepEqual(readJson(doc, "ch-config"), { a: [1] });
    assert.equal(readJson(doc, "ch-launcher"), null);
  });

  function fakeWindow() {
    const events = [];
    return {
      events,
      close: () => events.push("close"),
      setTimeout: (fn, ms) => { events.push("wait " + ms); fn(); },
      location: { replace: (url) => events.push("go " + url) },
    };
  }
  for (const [target, expected] of [
    ["message", ["go /exited"]],
    ["", ["go /exited"]],
    [undefined, ["go /exited"]],
    ["blank", ["go about:blank"]],
    ["closer", ["close", "wait 300", "go /exited"]],
    ["https://lms.example/back", ["go https://lms.example/back"]],
  ]) {
    test(`leaving for ${JSON.stringify(target)}`, () => {
      const win = fakeWindow();
      leave(win, target, "/exited");
      assert.deepEqual(win.events, expected);
    });
  }
});
