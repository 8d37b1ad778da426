// lrs-launch.mjs: cmi5 and xAPI launches, which the server makes and the page shows.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inOwnWindow, reportsToLrs, requestLaunch } from "../../src/coursehost/player/static/player/lrs-launch.mjs";
import { flat } from "./player-fixtures.mjs";

const response = (status, body) => ({ ok: status >= 200 && status < 300, status, json: async () => body });

describe("cmi5 and xAPI launches", () => {
  test("which standards report to the LRS", () => {
    assert.deepEqual(["cmi5", "xapi", "scorm12", "scorm2004", "aicc", "media"].map(reportsToLrs),
      [true, true, false, false, false, false]);
  });
  test("a launch is a POST to xapi/<index> answered with the URL", async () => {
    const calls = [];
    const fetchFn = async (url, init) => {
      calls.push([url, init.method, init.credentials]);
      return response(200, { url: "http://h/au.html?endpoint=x", ownWindow: 1 });
    };
    assert.deepEqual(await requestLaunch(fetchFn, 3), { url: "http://h/au.html?endpoint=x", ownWindow: true });
    assert.deepEqual(calls, [["xapi/3", "POST", "same-origin"]]);
  });
  test("a refused launch or an answer without a URL rejects", async () => {
    await assert.rejects(requestLaunch(async () => response(410, { message: "sessionEnded" }), 1), /410/);
    await assert.rejects(requestLaunch(async () => response(200, { stored: true }), 1), /without a url/);
  });
  test("OwnWindow, or PlayerScoLaunchType NEW_WINDOW, opens a window; AnyWindow uses the frame", () => {
    const framed = flat(1, undefined, { standard: "cmi5" });
    const windowed = flat(1, undefined, { standard: "cmi5", settings: { scoLaunchType: "NEW_WINDOW" } });
    assert.equal(inOwnWindow(framed, { ownWindow: true }), true);
    assert.equal(inOwnWindow(framed, { ownWindow: false }), false);
    assert.equal(inOwnWindow(windowed, { ownWindow: false }), true);
  });
});
