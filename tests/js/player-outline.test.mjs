// outline.mjs: the outline's model, its rendering into a (fake) DOM, and the navigation bar.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  buildOutline, itemView, outlineEntries, renderButtons, renderOutline,
} from "../../src/coursehost/player/static/player/outline.mjs";
import { FakeDocument, plan, settings } from "./player-fixtures.mjs";

const TEXTS = { "status.current": "Current", "status.completed": "Completed", "status.notAttempted": "Not attempted" };

// root(0) > P(1) [P's own content(2), C1(3)] ; root > hidden H(4) > h1(5) ; root > plain cluster K(6) > k1(7)
const NODES = plan({
  id: "root",
  children: [
    { id: "P", children: [{ id: "P", href: "p.html" }, { id: "C1", href: "c1.html" }] },
    { id: "H", visible: false, children: [{ id: "h1", href: "h1.html" }] },
    { id: "K", children: [{ id: "k1", href: "k1.html" }] },
  ],
}, { standard: "scorm12" }).nodes;

describe("the outline's entries", () => {
  const entries = outlineEntries(NODES);
  test("one per shown item, in tree order", () => {
    assert.deepEqual(entries.map((e) => e.identifier), ["P", "C1", "h1", "K", "k1"]);
  });
  test("an item with content of its own is one entry that opens that content and lists its children", () => {
    assert.deepEqual(entries[0], {
      node: 1, target: 2, identifier: "P", title: "P", choosable: true, merged: true, parent: 0, hasChildren: true,
    });
    assert.equal(entries[1].parent, 1);
  });
  test("an invisible item is left out and its children take its place", () => {
    assert.deepEqual(entries[2], {
      node: 5, target: 5, identifier: "h1", title: "h1", choosable: true, merged: false, parent: 0, hasChildren: false,
    });
  });
  test("a cluster without content cannot be chosen", () => {
    assert.equal(entries[3].choosable, false);
    assert.equal(entries[3].hasChildren, true);
    assert.equal(entries[4].parent, 6);
  });
});

describe("how an entry looks", () => {
  const base = { launchable: true, merged: false, status: "completed", current: false, allowed: true, texts: TEXTS };
  test("a launchable activity: status class, mark, tooltip", () => {
    assert.deepEqual(itemView({ ...base, invalidMenuItemAction: "DISABLE" }), {
      className: "ch-item ch-status-completed", mark: "\u2713", title: "Completed", ariaCurrent: "false",
      hidden: false, hideLabelOnly: false, disabled: false,
    });
  });
  test("the current one", () => {
    const view = itemView({ ...base, current: true, status: "notAttempted", invalidMenuItemAction: "DISABLE" });
    assert.equal(view.className, "ch-item ch-status-notAttempted ch-current");
    assert.equal(view.title, "Current \u2013 Not attempted");
    assert.equal(view.ariaCurrent, "step");
    assert.equal(view.mark, "");
  });
  test("a cluster only has its classes", () => {
    assert.deepEqual(itemView({ ...base, launchable: false, invalidMenuItemAction: "DISABLE" }), {
      className: "ch-item ch-cluster",
    });
  });
  test("a merged entry is a cluster too, and hides its label only", () => {
    const view = itemView({ ...base, merged: true, allowed: false, invalidMenuItemAction: "HIDE" });
    assert.equal(view.className, "ch-item ch-status-completed ch-cluster");
    assert.equal(view.hideLabelOnly, true);
    assert.equal(view.hidden, true);
  });
  for (const [action, hidden, disabled] of [["SHOW", false, false], ["HIDE", true, true], ["DISABLE", false, true]]) {
    test(`PlayerInvalidMenuItemAction ${action} on what cannot be chosen`, () => {
      const view = itemView({ ...base, allowed: false, invalidMenuItemAction: action });
      assert.equal(view.hidden, hidden);
      assert.equal(view.disabled, disabled);
      const allowed = itemView({ ...base, allowed: true, invalidMenuItemAction: action });
      assert.equal(allowed.hidden || allowed.disabled, false);
    });
  }
});

describe("the outline on the page", () => {
  function built() {
    const doc = new FakeDocument();
    const root = doc.add("ul", "ch-outline-list");
    const chosen = [];
    const items = buildOutline(doc, root, NODES, (target) => chosen.push(target));
    return { doc, root, items, chosen };
  }
  test("nested lists of <li> with the data attributes tests and stylesheets use", () => {
    const { root } = built();
    const top = root.children;
    assert.deepEqual(top.map((li) => li.getAttribute("data-identifier")), ["P", "h1", "K"]);
    assert.deepEqual(top.map((li) => li.getAttribute("data-node")), ["2", "5", "6"]);
    const [label, sublist] = top[0].children;
    assert.equal(label.tagName, "BUTTON");
    assert.equal(label.className, "ch-item-label");
    assert.deepEqual(label.children.map((c) => c.className), ["ch-mark", "ch-item-title"]);
    assert.equal(label.children[0].getAttribute("aria-hidden"), "true");
    assert.equal(label.children[1].textContent, "P");
    assert.deepEqual(sublist.children.map((li) => li.getAttribute("data-identifier")), ["C1"]);
    assert.equal(top[2].children[0].tagName, "SPAN"); // a cluster is not a button
  });
  test("clicking an entry chooses its activity", () => {
    const { root, chosen } = built();
    root.children[0].children[0].click();
    root.children[0].children[1].children[0].children[0].click();
    assert.deepEqual(chosen, [2, 3]);
  });
  test("rendering applies each entry's view", () => {
    const { items } = built();
    const states = { 2: "completed", 3: "notAttempted", 5: "failed" };
    renderOutline(items, NODES, settings({ invalidMenuItemAction: "HIDE" }), TEXTS, (index) => ({
      status: states[index] || "notAttempted",
      current: index === 3,
      allowed: index !== 5 && index !== 2,
    }));
    assert.equal(items[2].li.className, "ch-item ch-status-completed ch-cluster");
    assert.equal(items[2].mark.textContent, "\u2713");
    assert.equal(items[2].label.hidden, true); // merged: its label only
    assert.equal(items[2].li.hidden, false);
    assert.equal(items[3].li.className, "ch-item ch-status-notAttempted ch-current");
    assert.equal(items[3].label.getAttribute("aria-current"), "step");
    assert.equal(items[5].li.hidden, true);
    assert.equal(items[5].label.disabled, true);
    assert.equal(items[6].li.className, "ch-item ch-cluster");
  });
});

describe("the navigation bar", () => {
  test("each button's state; missing buttons are skipped", () => {
    const doc = new FakeDocument();
    const prev = doc.add("button", "ch-prev");
    const next = doc.add("button", "ch-next");
    renderButtons(doc, {
      "ch-prev": { enabled: false, hidden: true },
      "ch-next": { enabled: true, hidden: false },
      "ch-exit": { enabled: true, hidden: false },
    });
    assert.deepEqual([prev.disabled, prev.hidden, next.disabled, next.hidden], [true, true, false, false]);
  });
});
