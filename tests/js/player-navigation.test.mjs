// navigation.mjs: the player's navigation and sequencing decisions (docs/player.md, "Navigation").
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_CONTROL_2004, createNavigation, exitKind } from "../../src/coursehost/player/static/player/navigation.mjs";
import { FLOW, exitActions, flat, plan } from "./player-fixtures.mjs";

const launch = (index) => ({ do: "launch", index });
const EXIT = { do: "exit" };
const ENDED = { do: "lessonEnded" };

// root(0) > A(1) > a1(2), a2(3); root > B(4) > b1(5), b2(6); root > c(7)
function clusters(control = {}, options = {}) {
  return plan({
    id: "root",
    control: control.root,
    children: [
      { id: "A", control: control.A, children: [{ id: "a1", href: "a1.html" }, { id: "a2", href: "a2.html" }] },
      { id: "B", control: control.B, children: [{ id: "b1", href: "b1.html" }, { id: "b2", href: "b2.html" }] },
      { id: "c", href: "c.html" },
    ],
  }, options);
}

describe("the activity tree", () => {
  const nav = createNavigation(clusters());

  test("launchable activities in tree order", () => assert.deepEqual(nav.order, [2, 3, 5, 6, 7]));
  test("ancestors from the parent up to the root", () => {
    assert.deepEqual(nav.ancestors(3), [1, 0]);
    assert.deepEqual(nav.ancestors(0), []);
  });
  test("within a cluster", () => {
    assert.ok(nav.isWithin(3, 1));
    assert.ok(nav.isWithin(1, 1));
    assert.ok(!nav.isWithin(5, 1));
  });
  test("identifiers name activities", () => {
    assert.equal(nav.targetIndex("b1"), 5);
    assert.equal(nav.targetIndex("B"), 4);
    for (const unknown of ["nope", "", null, undefined, "constructor", "toString", "__proto__"]) {
      assert.equal(nav.targetIndex(unknown), null, String(unknown));
    }
  });
  test("an item's own content answers to the item's identifier", () => {
    const own = createNavigation(plan({
      id: "root",
      children: [{ id: "P", children: [{ id: "P", href: "p.html" }, { id: "C1", href: "c1.html" }] }],
    }, { standard: "scorm12" }));
    assert.equal(own.targetIndex("P"), 2);
    assert.deepEqual(own.order, [2, 3]);
  });
});

describe("control modes", () => {
  test("SCORM 2004 clusters without control modes take IMS Simple Sequencing's defaults", () => {
    const nav = createNavigation(clusters());
    assert.deepEqual(nav.control(0), DEFAULT_CONTROL_2004);
    assert.deepEqual(DEFAULT_CONTROL_2004, { choice: true, choiceExit: true, flow: false, forwardOnly: false });
  });
  for (const standard of ["scorm12", "aicc", "media"]) {
    test(`${standard}: PlayerEnableFlowNav and PlayerEnableChoiceNav stand in for them`, () => {
      const nav = createNavigation(clusters({ root: { flow: false, choice: false } }, {
        standard,
        settings: { flowNav: true, choiceNav: false },
      }));
      assert.deepEqual(nav.control(0), { choice: false, choiceExit: true, flow: true, forwardOnly: false });
    });
  }
});

describe("flow (Continue and Previous)", () => {
  test("needs flow on the clusters between the two activities", () => {
    const nav = createNavigation(clusters({ root: FLOW, A: FLOW, B: FLOW }));
    assert.equal(nav.flowTarget(2, true), 3);
    assert.equal(nav.flowTarget(3, true), 5);
    assert.equal(nav.flowTarget(5, false), 3);
    assert.equal(nav.flowTarget(2, false), null);
  });
  test("a cluster without flow stops it, inside and across", () => {
    const nav = createNavigation(clusters({ root: FLOW, A: { ...FLOW, flow: false }, B: FLOW }));
    assert.equal(nav.flowTarget(2, true), null);
    assert.equal(nav.flowTarget(3, true), null);
    assert.equal(nav.flowTarget(5, false), null);
    assert.equal(nav.flowTarget(5, true), 6);
    assert.equal(nav.flowTarget(6, true), 7);
  });
  test("forwardOnly refuses Previous, not Continue", () => {
    const nav = createNavigation(clusters({ root: { ...FLOW, forwardOnly: true }, A: FLOW, B: FLOW }));
    assert.equal(nav.flowTarget(3, true), 5);
    assert.equal(nav.flowTarget(5, false), null);
    const inner = createNavigation(clusters({ root: FLOW, A: FLOW, B: { ...FLOW, forwardOnly: true } }));
    assert.equal(inner.flowTarget(6, false), null);
    assert.equal(inner.flowTarget(5, false), null); // leaving B backwards passes through B
    assert.equal(inner.flowTarget(3, true), 5);
  });
  test("continuing past the last activity ends the course when its clusters allow flow", () => {
    assert.ok(createNavigation(flat(2, FLOW)).flowEnds(2));
    assert.ok(!createNavigation(flat(2, FLOW)).flowEnds(1));
    assert.ok(!createNavigation(flat(2)).flowEnds(2));
    assert.ok(!createNavigation(flat(2, FLOW)).flowEnds(null));
  });
  test("from nothing, Continue goes where flow starts", () => {
    assert.equal(createNavigation(flat(2, FLOW)).flowTarget(null, true), 1);
    assert.equal(createNavigation(flat(2)).flowTarget(null, true), null);
    assert.equal(createNavigation(flat(2, FLOW)).flowTarget(null, false), null);
  });
});

describe("choice", () => {
  test("needs choice on every ancestor of the target", () => {
    const nav = createNavigation(clusters({ A: { ...DEFAULT_CONTROL_2004, choice: false } }));
    assert.ok(!nav.choiceAllowed(2, null));
    assert.ok(nav.choiceAllowed(5, null));
    assert.ok(nav.choiceAllowed(7, 5));
  });
  test("only launchable activities can be chosen", () => {
    const nav = createNavigation(clusters());
    for (const target of [0, 1, 4, 99, -1, null, undefined]) assert.ok(!nav.choiceAllowed(target, null), String(target));
  });
  test("choiceExit=false keeps the learner inside the active cluster", () => {
    const nav = createNavigation(clusters({ A: { ...DEFAULT_CONTROL_2004, choiceExit: false } }));
    assert.ok(nav.choiceAllowed(3, 2));
    assert.ok(!nav.choiceAllowed(5, 2));
    assert.ok(nav.choiceAllowed(2, 5)); // entering A is fine
  });
  test("choiceExit applies to SCORM 2004 only", () => {
    const tree = clusters({ A: { ...DEFAULT_CONTROL_2004, choiceExit: false } }, { standard: "scorm12" });
    assert.ok(createNavigation(tree).choiceAllowed(5, 2));
  });
  test("forwardOnly refuses going back, inside the cluster that sets it", () => {
    const nav = createNavigation(clusters({ B: { ...DEFAULT_CONTROL_2004, forwardOnly: true } }));
    assert.ok(!nav.choiceAllowed(5, 6));
    assert.ok(nav.choiceAllowed(6, 5));
    assert.ok(nav.choiceAllowed(2, 6)); // the common ancestor (root) is not forwardOnly
  });
  test("the active activity and anything before a launch are always choosable", () => {
    const nav = createNavigation(clusters({ B: { ...DEFAULT_CONTROL_2004, forwardOnly: true, choiceExit: false } }));
    assert.ok(nav.choiceAllowed(6, 6));
    assert.ok(nav.choiceAllowed(5, null));
  });
  test("PlayerEnableChoiceNav=false refuses choice in SCORM 1.2", () => {
    const nav = createNavigation(flat(3, undefined, { standard: "scorm12", settings: { choiceNav: false } }));
    assert.ok(!nav.choiceAllowed(2, 1));
  });
});

describe("where the player starts", () => {
  test("startSco wins", () => {
    assert.equal(createNavigation(flat(3, undefined, { start: 3 })).startIndex(false), 3);
  });
  test("SCORM 2004 without flow: the learner chooses", () => {
    assert.equal(createNavigation(flat(3)).startIndex(false), null);
  });
  test("SCORM 2004 with flow, one activity, or PlayerAlwaysFlowToFirstSco: the first", () => {
    assert.equal(createNavigation(flat(3, FLOW)).startIndex(false), 1);
    assert.equal(createNavigation(flat(1)).startIndex(false), 1);
    assert.equal(createNavigation(flat(3, undefined, { settings: { alwaysFlowToFirst: true } })).startIndex(false), 1);
  });
  for (const standard of ["scorm12", "aicc", "media"]) {
    test(`${standard}: the first, whatever PlayerEnableFlowNav says`, () => {
      const nav = createNavigation(flat(3, undefined, { standard, settings: { flowNav: false } }));
      assert.equal(nav.startIndex(false), 1);
      assert.equal(nav.startIndex(true), null);
    });
  }
  test("nothing to launch", () => {
    assert.equal(createNavigation(plan({ id: "root", children: [{ id: "x" }] })).startIndex(false), null);
  });
});

describe("adl.nav.request_valid", () => {
  const nav = createNavigation(clusters({ root: FLOW, A: FLOW, B: { ...FLOW, choice: false } }));
  test("continue and previous", () => {
    assert.equal(nav.requestValid(2, "continue", undefined, 2), true);
    assert.equal(nav.requestValid(7, "continue", undefined, 7), true); // ends the course
    assert.equal(nav.requestValid(2, "previous", undefined, 2), false);
    assert.equal(nav.requestValid(3, "previous", undefined, 3), true);
  });
  test("choice follows the choice rules, jump only needs a launchable target", () => {
    assert.equal(nav.requestValid(2, "choice", "c", 2), true);
    assert.equal(nav.requestValid(2, "choice", "b1", 2), false);
    assert.equal(nav.requestValid(2, "jump", "b1", 2), true);
    assert.equal(nav.requestValid(2, "jump", "B", 2), false);
    assert.equal(nav.requestValid(2, "jump", "nope", 2), false);
    assert.equal(nav.requestValid(2, "choice", "nope", 2), false);
  });
});

describe("the learner's buttons", () => {
  const nav = createNavigation(flat(3, FLOW));
  test("Next launches the next activity, or starts", () => {
    assert.deepEqual(nav.next(1), launch(2));
    assert.deepEqual(nav.next(null), launch(1));
  });
  test("Next after the last activity exits when flow allows", () => {
    assert.deepEqual(nav.next(3), EXIT);
    assert.equal(createNavigation(flat(3)).next(3), null);
  });
  test("Previous", () => {
    assert.deepEqual(nav.previous(2), launch(1));
    assert.equal(nav.previous(1), null);
    assert.equal(nav.previous(null), null);
  });
  test("choosing", () => {
    assert.deepEqual(nav.choose(3, 1), launch(3));
    const closed = createNavigation(flat(3, { ...FLOW, choice: false }));
    assert.equal(closed.choose(3, 1), null);
  });
});

describe("after Terminate (SCORM 2004)", () => {
  const nav = createNavigation(clusters({ root: FLOW, A: FLOW, B: { ...FLOW, choice: false } }));
  const request = (index, value, target) => nav.navigationRequest(index, { request: value, target }, index);
  test("continue and previous flow, or end the lesson", () => {
    assert.deepEqual(request(2, "continue"), launch(3));
    assert.deepEqual(request(7, "continue"), EXIT);
    assert.deepEqual(request(3, "previous"), launch(2));
    assert.deepEqual(request(2, "previous"), ENDED);
    const stuck = createNavigation(clusters({ root: FLOW, A: FLOW }));
    assert.deepEqual(stuck.navigationRequest(3, { request: "continue" }, 3), ENDED);
  });
  test("choice and jump", () => {
    assert.deepEqual(request(2, "choice", "c"), launch(7));
    assert.deepEqual(request(2, "choice", "b1"), ENDED);
    assert.deepEqual(request(2, "jump", "b1"), launch(5));
    assert.deepEqual(request(2, "jump", "nope"), ENDED);
  });
  test("exit and abandon end the lesson, or the course of one activity", () => {
    for (const value of ["exit", "abandon"]) {
      assert.deepEqual(request(2, value), ENDED);
      assert.deepEqual(createNavigation(flat(1)).navigationRequest(1, { request: value }, 1), EXIT);
    }
  });
  test("exitAll, suspendAll and abandonAll exit the course", () => {
    for (const value of ["exitAll", "suspendAll", "abandonAll"]) assert.deepEqual(request(3, value), EXIT);
  });
  test("without a request: the lesson ends, a single-SCO course exits", () => {
    assert.deepEqual(nav.afterTerminate(), ENDED);
    assert.deepEqual(createNavigation(flat(1)).afterTerminate(), EXIT);
  });
});

describe("a SCORM 1.2 or AICC SCO's own exit (the exit action settings)", () => {
  test("exit values", () => {
    assert.equal(exitKind("suspend"), "suspend");
    assert.equal(exitKind("time-out"), "timeout");
    assert.equal(exitKind("logout"), "logout");
    for (const other of ["", "normal", undefined, "bogus"]) assert.equal(exitKind(other), "normal");
  });
  test("defaults: a normal exit of an intermediate SCO goes on, anything else exits", () => {
    const nav = createNavigation(flat(3, undefined, { standard: "scorm12" }));
    assert.deepEqual(nav.afterFinish(1, "normal", false), launch(2));
    assert.deepEqual(nav.afterFinish(1, "suspend", false), EXIT);
    assert.deepEqual(nav.afterFinish(3, "normal", true), EXIT);
  });
  test("each setting is read from the SCO's position and the course's satisfaction", () => {
    const settings = {
      exitActions: exitActions({
        intermediate: { satisfied: { normal: "DISPLAY_MESSAGE" }, notSatisfied: { logout: "DO_NOTHING" } },
        final: { satisfied: { timeout: "EXIT_COURSE_AFTER_CONFIRM" }, notSatisfied: { normal: "GO_TO_NEXT_SCO" } },
      }),
    };
    const nav = createNavigation(flat(3, undefined, { standard: "aicc", settings }));
    assert.deepEqual(nav.afterFinish(2, "normal", true), ENDED);
    assert.deepEqual(nav.afterFinish(2, "normal", false), launch(3));
    assert.equal(nav.afterFinish(2, "logout", false), null);
    assert.deepEqual(nav.afterFinish(3, "timeout", true), { do: "confirmExit" });
    assert.deepEqual(nav.afterFinish(3, "normal", false), ENDED); // GO_TO_NEXT_SCO with nothing next
  });
  test("GO_TO_NEXT_SCO goes on even when PlayerEnableFlowNav hides Next", () => {
    const nav = createNavigation(flat(2, undefined, { standard: "scorm12", settings: { flowNav: false } }));
    assert.deepEqual(nav.afterFinish(1, "normal", false), launch(2));
  });
});

describe("the navigation bar", () => {
  test("Previous and Next follow flow; Exit is there until the course ends", () => {
    const nav = createNavigation(flat(3, FLOW));
    assert.deepEqual(nav.buttons(1, false), {
      "ch-prev": { enabled: false, hidden: false },
      "ch-next": { enabled: true, hidden: false },
      "ch-exit": { enabled: true, hidden: false },
    });
    assert.equal(nav.buttons(3, false)["ch-next"].enabled, true); // continuing ends the course
    assert.equal(nav.buttons(2, false)["ch-prev"].enabled, true);
    for (const button of Object.values(nav.buttons(2, true))) assert.equal(button.enabled, false);
  });
  test("SCORM 2004 without flow disables them", () => {
    const buttons = createNavigation(flat(3)).buttons(null, false);
    assert.equal(buttons["ch-prev"].enabled, false);
    assert.equal(buttons["ch-next"].enabled, false);
  });
  test("PlayerEnableFlowNav=false hides them in SCORM 1.2", () => {
    const buttons = createNavigation(flat(3, undefined, { standard: "scorm12", settings: { flowNav: false } }))
      .buttons(1, false);
    assert.equal(buttons["ch-prev"].hidden, true);
    assert.equal(buttons["ch-next"].hidden, true);
    assert.equal(buttons["ch-exit"].hidden, false);
  });
  test("hideLMSUI hides the matching buttons while that activity runs", () => {
    const tree = plan({
      id: "root",
      control: FLOW,
      children: [
        { id: "s1", href: "1.html", hide: ["previous", "continue"] },
        { id: "s2", href: "2.html", hide: ["exitAll"] },
        { id: "s3", href: "3.html", hide: ["exit"] },
      ],
    });
    const nav = createNavigation(tree);
    const at = (index) => Object.fromEntries(Object.entries(nav.buttons(index, false)).map(([k, v]) => [k, v.hidden]));
    assert.deepEqual(at(1), { "ch-prev": true, "ch-next": true, "ch-exit": false });
    assert.deepEqual(at(2), { "ch-prev": false, "ch-next": false, "ch-exit": true });
    assert.deepEqual(at(3), { "ch-prev": false, "ch-next": false, "ch-exit": true });
    assert.deepEqual(at(null), { "ch-prev": false, "ch-next": false, "ch-exit": false });
  });
});
