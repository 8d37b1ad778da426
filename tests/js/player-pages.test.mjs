// The three pages in a fake DOM: the player (main.mjs with the real SCORM run-times, content-area.mjs), the
// new-window launcher (launcher.mjs) and the media page (media.mjs). The browser tests (tests/e2e) run them for real.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createContentArea } from "../../src/coursehost/player/static/player/content-area.mjs";
import { startLauncher } from "../../src/coursehost/player/static/player/launcher.mjs";
import { startPlayer } from "../../src/coursehost/player/static/player/main.mjs";
import { playedFraction, progressReporter, startMedia } from "../../src/coursehost/player/static/player/media.mjs";
import { FakeDocument, FLOW, flat, settings } from "./player-fixtures.mjs";

const require = createRequire(import.meta.url);
const { RUNTIME_DIR } = require("./helpers.js");
const RUNTIME = {
  createScorm12Api: require(`${RUNTIME_DIR}/scorm12.js`).createScorm12Api,
  createScorm2004Api: require(`${RUNTIME_DIR}/scorm2004.js`).createScorm2004Api,
};
const TEXTS = JSON.parse(require("node:fs").readFileSync(
  new URL("../../src/coursehost/player/i18n/en.json", import.meta.url), "utf8"));
const settle = () => new Promise((resolve) => setImmediate(resolve));
const response = (status, body = {}) => ({ ok: status >= 200 && status < 300, status, json: async () => body });

/** A player page: the elements player.html has, a window whose fetch answers like the server. */
function playerPage(course, { exitAnswer = { redirect: "blank", exitedPage: "../../exited?lang=en" }, answers = {} } = {}) {
  const doc = new FakeDocument();
  for (const [tag, id] of [["ul", "ch-outline-list"], ["div", "ch-notice"], ["div", "ch-message"],
    ["iframe", "ch-content"], ["button", "ch-prev"], ["button", "ch-next"], ["button", "ch-exit"],
    ["button", "ch-toggle"]]) doc.add(tag, id);
  const posted = [];
  const beacons = [];
  const listeners = {};
  const win = {
    document: doc,
    location: { href: "http://h.example/player/s/abc/", replaced: [], replace(url) { this.replaced.push(url); } },
    navigator: { sendBeacon: (url, blob) => beacons.push({ url, blob }) > 0 },
    CoursehostRuntime: RUNTIME,
    opener: null,
    fetch: async (url, init = {}) => {
      posted.push({ url, method: init.method || "GET", body: init.body && JSON.parse(init.body) });
      if (answers[url]) return response(200, answers[url]);
      return url === "exit" ? response(200, exitAnswer) : response(200, { stored: true });
    },
    // The unload timeout and the heartbeat are not waited for: the fake frame loads at once.
    setTimeout: (fn, ms) => (ms >= 1000 ? 0 : setTimeout(fn, ms)),
    setInterval: () => 0,
    addEventListener: (type, fn) => { listeners[type] = fn; },
    confirm: () => true,
    close() {},
  };
  const config = { ...course, runtime: course.runtime || {}, t: TEXTS, lang: "en", learner: { id: "u", name: "U" } };
  const player = startPlayer(win, config);
  const frame = doc.getElementById("ch-content");
  const itemClass = (identifier) => doc.getElementById("ch-outline-list").descendants()
    .find((e) => e.getAttribute && e.getAttribute("data-identifier") === identifier).className;
  return { win, doc, player, frame, posted, beacons, listeners, itemClass };
}

/** Until the player's queue and what it waits for (frame loads, the run-time's deferred callbacks) are done. */
async function idle(page) {
  for (let i = 0; i < 5; i += 1) {
    await page.player.idle();
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("the player page", () => {
  test("SCORM 1.2: launch, commit, finish onwards, Previous, Exit", async () => {
    const page = playerPage(flat(2, undefined, { standard: "scorm12" }));
    await idle(page);
    assert.equal(page.player.current(), 1);
    assert.equal(page.frame.src, "content/s1.html");
    assert.match(page.itemClass("s1"), /ch-current/);
    assert.equal(page.doc.getElementById("ch-prev").disabled, true);
    const api = page.win.API;
    assert.equal(api.LMSInitialize(""), "true");
    assert.equal(api.LMSSetValue("cmi.core.lesson_status", "completed"), "true");
    assert.equal(api.LMSCommit(""), "true");
    await settle();
    assert.deepEqual(page.posted.map((p) => [p.method, p.url]), [["POST", "runtime/1"]]);
    assert.equal(page.player.stats.acknowledged, 1);
    assert.equal(api.LMSFinish(""), "true"); // a normal exit of an intermediate SCO goes to the next one
    await idle(page);
    assert.equal(page.player.current(), 2);
    assert.equal(page.frame.src, "content/s2.html");
    assert.notEqual(page.win.API, api);
    assert.equal(page.player.status(1), "completed");
    assert.match(page.itemClass("s1"), /ch-status-completed/);
    assert.equal(page.player.delivered(1), 2);

    page.win.API.LMSInitialize("");
    page.doc.getElementById("ch-prev").click(); // a SCO still running is committed as it is unloaded
    await idle(page);
    assert.equal(page.player.current(), 1);
    assert.equal(page.posted.at(-1).url, "runtime/2");
    assert.equal(page.posted.at(-1).body.reason, "unload");

    page.doc.getElementById("ch-exit").click();
    await idle(page);
    assert.equal(page.player.ended(), true);
    assert.equal(page.posted.at(-1).url, "exit");
    assert.deepEqual(page.win.location.replaced, ["about:blank"]);
    assert.equal(page.doc.getElementById("ch-next").disabled, true);
  });

  test("SCORM 2004 without flow: the learner chooses, and a SCO's choice request is carried out", async () => {
    const page = playerPage(flat(2));
    await idle(page);
    assert.equal(page.player.current(), null);
    assert.equal(page.doc.getElementById("ch-message").textContent, TEXTS.chooseLesson);
    assert.ok(page.doc.body.classList.contains("ch-outline-open"));
    await page.player.choose("s2");
    await idle(page);
    assert.equal(page.player.current(), 2);
    const api = page.win.API_1484_11;
    api.Initialize("");
    assert.equal(api.GetValue("adl.nav.request_valid.choice.{target=s1}"), "true");
    assert.equal(api.GetValue("adl.nav.request_valid.continue"), "false");
    api.SetValue("adl.nav.request", "{target=s1}choice");
    assert.equal(api.Terminate(""), "true");
    await idle(page);
    assert.equal(page.player.current(), 1);
  });

  test("the page going away: the running SCO is committed by beacon", async () => {
    const page = playerPage(flat(2, FLOW));
    await idle(page);
    page.win.API_1484_11.Initialize("");
    page.listeners.pagehide();
    assert.equal(page.beacons.length, 1);
    assert.equal(page.beacons[0].url, "runtime/1");
    assert.equal(JSON.parse(await page.beacons[0].blob.text()).reason, "unload");
  });

  test("media: progress reported by the media page becomes the activity's snapshot", async () => {
    const page = playerPage(flat(2, undefined, { standard: "media" }));
    await idle(page);
    assert.equal(page.frame.src, "media/1");
    page.player.mediaProgress(2, 1, true); // not the active activity
    page.player.mediaProgress(1, 0.97, true);
    await settle();
    assert.deepEqual(page.posted.map((p) => p.url), ["runtime/1"]);
    assert.equal(page.player.status(1), "completed");
  });

  test("a course with nothing to launch says so", async () => {
    const page = playerPage({ standard: "scorm12", start: null, nodes: [{ id: "r", parent: -1 }], settings: settings() });
    await idle(page);
    assert.equal(page.doc.getElementById("ch-message").textContent, TEXTS.nothingToLaunch);
  });
  test("cmi5: each launch is asked of the server and its URL shown; OwnWindow opens a window", async () => {
    const course = flat(2, undefined, { standard: "cmi5" });
    const answers = {
      "xapi/1": { url: "http://h.example/player/s/abc/content/s1.html?endpoint=e&fetch=f", ownWindow: false },
      "xapi/2": { url: "https://au.example/s2.html?endpoint=e", ownWindow: true },
    };
    const page = playerPage(course, { answers });
    const opened = [];
    page.win.open = (url) => { opened.push(url); return { closed: false, location: { href: url } }; };
    await idle(page);
    assert.deepEqual(page.posted.filter((p) => p.url.startsWith("xapi/")).map((p) => [p.url, p.method]),
      [["xapi/1", "POST"]]);
    assert.equal(page.frame.src, answers["xapi/1"].url);
    assert.equal(page.win.API, undefined); // no SCORM run-time for cmi5
    page.player.next();
    await idle(page);
    assert.deepEqual(opened, [answers["xapi/2"].url]);
    assert.equal(page.player.current(), 2);
  });
  test("xAPI: a refused launch shows a notice instead of content", async () => {
    const page = playerPage(flat(1, undefined, { standard: "xapi" }), { answers: {} });
    await idle(page);
    assert.equal(page.frame.src.indexOf("content/"), -1);
    assert.equal(page.doc.getElementById("ch-notice").hidden, false);
  });
});

describe("the content area", () => {
  function area(scoLaunchType, opened) {
    const doc = new FakeDocument();
    doc.add("iframe", "ch-content");
    doc.add("div", "ch-message");
    const calls = [];
    const win = {
      document: doc,
      location: { href: "http://h.example/player/s/abc/" },
      setTimeout: (fn, ms) => (ms >= 1000 ? 0 : setTimeout(fn, ms)),
      open: (url, name, features) => { calls.push({ url, name, features }); return opened; },
    };
    return { doc, calls, content: createContentArea(win, settings({ scoLaunchType, desiredWidth: 640 }), TEXTS) };
  }
  test("a message takes the frame's place", () => {
    const { doc, content } = area("FRAMESET");
    content.showMessage("hello");
    assert.equal(doc.getElementById("ch-message").hidden, false);
    assert.equal(content.frame.hidden, true);
    content.showMessage("");
    assert.equal(content.frame.hidden, false);
  });
  test("unloading the frame shows blank.html and waits for it", async () => {
    const { content } = area("FRAMESET");
    await content.unload(); // nothing shown yet
    assert.equal(content.frame.src, "");
    content.show("content/a.html", false);
    await content.unload();
    assert.equal(content.frame.src, "../../static/blank.html");
  });
  test("PlayerScoLaunchType NEW_WINDOW_WITHOUT_BROWSER_TOOLBAR opens the SCO in a window of its own", () => {
    const sco = { closed: false, location: { href: "" } };
    const { doc, calls, content } = area("NEW_WINDOW_WITHOUT_BROWSER_TOOLBAR", sco);
    content.show("content/a.html", true);
    assert.deepEqual(calls, [{ url: "http://h.example/player/s/abc/content/a.html", name: "coursehost_sco",
      features: "toolbar=no,location=no,menubar=no,status=no,width=640" }]);
    assert.equal(doc.getElementById("ch-message").textContent, TEXTS.openedInWindow + TEXTS.openLesson);
    content.show("content/b.html", true); // the same window is reused
    assert.equal(calls.length, 1);
    assert.equal(sco.location.href, "http://h.example/player/s/abc/content/b.html");
  });
  test("a blocked window offers a button", () => {
    const { doc, calls } = (() => {
      const made = area("NEW_WINDOW", null);
      made.content.show("content/a.html", true);
      return made;
    })();
    const message = doc.getElementById("ch-message");
    assert.equal(message.children.at(-1).className, "ch-button ch-open-lesson");
    assert.ok(message.textContent.startsWith(TEXTS.popupBlocked));
    message.children.at(-1).click();
    assert.equal(calls.length, 2);
  });
  test("AFTER_CLICK waits for the button", () => {
    const { calls, doc, content } = area("NEW_WINDOW_AFTER_CLICK", { closed: false, location: {} });
    content.show("content/a.html", true);
    assert.equal(calls.length, 0);
    doc.getElementById("ch-message").children.at(-1).click();
    assert.equal(calls.length, 1);
    assert.equal(doc.getElementById("ch-message").textContent, TEXTS.openedInWindow);
  });
});

describe("the new-window launcher", () => {
  function launcherPage(cfg, opened) {
    const doc = new FakeDocument();
    doc.add("p", "ch-launcher-blocked", { hidden: true });
    doc.add("button", "ch-open");
    const calls = [];
    const win = { document: doc, open: (...args) => { calls.push(args); return opened; } };
    startLauncher(win, cfg);
    return { doc, win, calls };
  }
  test("opens the player at once, with the window features asked for", () => {
    const { win, calls, doc } = launcherPage({ url: "./?window=player", afterClick: false, toolbar: false,
      width: 800, height: null }, { name: "w" });
    assert.deepEqual(calls, [["./?window=player", "coursehost_player", "toolbar=no,location=no,menubar=no,status=no,width=800"]]);
    assert.deepEqual(win.CoursehostLauncher.window(), { name: "w" });
    assert.equal(doc.getElementById("ch-launcher-blocked").hidden, true);
  });
  test("after a click, and says when the browser blocked it", () => {
    const { calls, doc } = launcherPage({ url: "./?window=player", afterClick: true, toolbar: true }, null);
    assert.equal(calls.length, 0);
    doc.getElementById("ch-open").click();
    assert.equal(calls.length, 1);
    assert.equal(doc.getElementById("ch-launcher-blocked").hidden, false);
  });
});

describe("the media page", () => {
  const ranges = (...pairs) => ({ length: pairs.length, start: (i) => pairs[i][0], end: (i) => pairs[i][1] });
  test("the fraction played", () => {
    assert.equal(playedFraction(ranges([0, 10], [20, 30]), 40), 0.5);
    assert.equal(playedFraction(ranges([0, 50]), 40), 1);
    assert.equal(playedFraction(ranges([0, 5]), 0), 0);
    assert.equal(playedFraction(ranges([0, 5]), NaN), 0);
  });
  test("progress is reported once per tenth, completion at once", () => {
    const reports = [];
    const progress = progressReporter(95, (fraction, done) => reports.push([fraction, done]));
    for (const fraction of [0, 0.05, 0.1, 0.15, 0.32, 0.951, 0.96]) progress(fraction);
    assert.deepEqual(reports, [[0, false], [0.1, false], [0.32, false], [0.951, true], [0.96, true]]);
  });

  function mediaPage(kind, host) {
    const doc = new FakeDocument();
    const media = doc.add("video", "ch-media");
    media.played = ranges();
    media.duration = 100;
    const win = { document: doc, opener: null };
    win.parent = host ? { CoursehostPlayer: { mediaProgress: (...args) => host.push(args) } } : win;
    startMedia(win, { activity: 3, kind, threshold: 90 });
    return media;
  }
  test("a PDF is completed once shown", () => {
    const reports = [];
    mediaPage("pdf", reports);
    assert.deepEqual(reports, [[3, 1, true]]);
  });
  test("audio and video report what was played, and completion when they end", () => {
    const reports = [];
    const media = mediaPage("video", reports);
    media.played = ranges([0, 45]);
    media.dispatch("timeupdate");
    media.dispatch("ended");
    assert.deepEqual(reports, [[3, 0.45, false], [3, 0.9, true]]);
  });
  test("opened on its own, it has nobody to report to", () => {
    assert.doesNotThrow(() => mediaPage("pdf", null));
  });
});
