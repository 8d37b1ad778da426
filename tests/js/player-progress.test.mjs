// progress.mjs (statuses, satisfaction, media snapshots) and shared-data.mjs (adl.data across SCOs).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { STATUS_MARKS, courseSatisfied, mediaSnapshot, statusOf } from "../../src/coursehost/player/static/player/progress.mjs";
import { createSharedData, initialStores } from "../../src/coursehost/player/static/player/shared-data.mjs";

const s12 = (status) => ({ standard: "scorm12", cmi: { core: { lesson_status: status } } });
const s2004 = (completion, success) => ({
  standard: "scorm2004",
  cmi: { completion_status: completion, success_status: success },
});

describe("an activity's status", () => {
  test("nothing stored yet", () => {
    assert.equal(statusOf(undefined), "notAttempted");
    assert.equal(statusOf({ standard: "scorm12" }), "notAttempted");
  });
  test("SCORM 1.2 and AICC: lesson_status", () => {
    for (const status of ["passed", "completed", "failed", "incomplete", "browsed"]) {
      assert.equal(statusOf(s12(status)), status);
      assert.equal(statusOf({ ...s12(status), standard: "aicc" }), status);
    }
    assert.equal(statusOf(s12("not attempted")), "notAttempted");
    assert.equal(statusOf(s12("")), "notAttempted");
    assert.equal(statusOf({ standard: "scorm12", cmi: {} }), "notAttempted");
  });
  test("SCORM 2004: success_status, then completion_status", () => {
    assert.equal(statusOf(s2004("incomplete", "passed")), "passed");
    assert.equal(statusOf(s2004("completed", "failed")), "failed");
    assert.equal(statusOf(s2004("completed", "unknown")), "completed");
    assert.equal(statusOf(s2004("unknown", "unknown")), "incomplete");
    assert.equal(statusOf(s2004("incomplete", "unknown")), "incomplete");
    assert.equal(statusOf(s2004("not attempted", "unknown")), "notAttempted");
  });
  test("media: completed or incomplete", () => {
    assert.equal(statusOf({ standard: "media", cmi: { completion_status: "completed" } }), "completed");
    assert.equal(statusOf({ standard: "media", cmi: { completion_status: "incomplete" } }), "incomplete");
  });
  test("every status has its mark", () => {
    assert.deepEqual(STATUS_MARKS, {
      completed: "\u2713", passed: "\u2713", failed: "\u2717", incomplete: "\u25D0", browsed: "\u25CB", notAttempted: "",
    });
  });
});

describe("a satisfied course", () => {
  test("every launchable activity completed or passed", () => {
    assert.ok(courseSatisfied([1, 2], { 1: s12("completed"), 2: s12("passed") }));
    assert.ok(!courseSatisfied([1, 2], { 1: s12("completed"), 2: s12("failed") }));
    assert.ok(!courseSatisfied([1, 2], { 1: s12("completed") }));
    assert.ok(courseSatisfied([1], { 1: s12("passed"), 2: s12("failed") })); // 2 is not launchable
  });
});

describe("media snapshots", () => {
  const at = "2024-05-01T10:30:00.000Z";
  test("the first report", () => {
    assert.deepEqual(mediaSnapshot(undefined, 0.3, false, at), {
      standard: "media", sequence: 1, reason: "progress", terminated: false, savedAt: at,
      cmi: { completion_status: "incomplete", progress_measure: 0.3 },
    });
  });
  test("completion and progress never go back; the sequence follows", () => {
    const done = mediaSnapshot(mediaSnapshot(undefined, 0.5, false, at), 0.96, true, at);
    assert.equal(done.sequence, 2);
    assert.equal(done.reason, "completed");
    const replay = mediaSnapshot(done, 0.1, false, at);
    assert.equal(replay.sequence, 3);
    assert.equal(replay.cmi.completion_status, "completed");
    assert.equal(replay.cmi.progress_measure, 0.96);
  });
});

describe("shared data (adl.data)", () => {
  const maps = (...items) => ({ href: "x.html", data: { sharedData: items } });
  const nodes = [
    { id: "root" },
    maps({ id: "notes", readable: true, writable: true }),
    maps({ id: "notes", readable: true, writable: false }, { id: "other", readable: true, writable: true }),
    { href: "y.html" },
  ];
  const stored = (savedAt, ...data) => ({ standard: "scorm2004", savedAt, cmi: {}, adl: { data } });

  test("after a reload: each store as a SCO allowed to write it saved it last", () => {
    const snapshots = {
      1: stored("2024-05-01T10:00:00Z", { id: "notes", store: "from 1" }),
      2: stored("2024-05-01T11:00:00Z", { id: "notes", store: "from 2, read-only" }, { id: "other", store: "o" }),
    };
    assert.deepEqual({ ...initialStores(nodes, snapshots) }, { notes: "from 1", other: "o" });
    const later = { ...snapshots, 1: stored("2024-05-01T12:00:00Z", { id: "notes", store: "later" }) };
    assert.equal(initialStores(nodes, later).notes, "later");
  });
  test("unset stores and stores the item does not map are ignored", () => {
    const snapshots = { 1: stored("t", { id: "notes", store: null }, { id: "stranger", store: "x" }), 3: stored("t") };
    assert.deepEqual({ ...initialStores(nodes, snapshots) }, {});
  });
  test("a SCO is handed the current stores; what it changes is shared with the next", () => {
    const shared = createSharedData(nodes, {});
    const first = {};
    assert.deepEqual(shared.forLaunch(1, first), [{ id: "notes", store: null, readable: true, writable: true }]);
    shared.shareWrites(first, stored("t", { id: "notes", store: "written" }, { id: "other", store: "not mapped" }));
    const second = {};
    assert.deepEqual(shared.forLaunch(2, second), [
      { id: "notes", store: "written", readable: true, writable: false },
      { id: "other", store: null, readable: true, writable: true },
    ]);
    assert.deepEqual(shared.forLaunch(3, {}), []);
  });
  test("a store the SCO left as it was handed does not overwrite a newer one", () => {
    const shared = createSharedData(nodes, {});
    const stale = {};
    shared.forLaunch(1, stale);
    const writer = {};
    shared.forLaunch(1, writer);
    shared.shareWrites(writer, stored("t", { id: "notes", store: "new" }));
    shared.shareWrites(stale, stored("t", { id: "notes", store: null }));
    assert.equal(shared.stores.notes, "new");
  });
  test("store ids are the content's: Object's own names are plain ids", () => {
    const odd = [{ id: "root" }, maps({ id: "constructor", readable: true, writable: true })];
    const shared = createSharedData(odd, {});
    assert.deepEqual(shared.forLaunch(1, {}), [{ id: "constructor", store: null, readable: true, writable: true }]);
  });
});
