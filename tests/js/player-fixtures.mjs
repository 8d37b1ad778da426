// Shared helpers for the player module tests (not a test file: node --test runs *.test.* only).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PLAYER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "coursehost",
  "player", "static", "player");

const EXITS = ["normal", "suspend", "timeout", "logout"];

/** The exit action settings as behaviour.py resolves them without any setting, with `overrides` on top. */
export function exitActions(overrides = {}) {
  const table = {};
  for (const position of ["intermediate", "final"]) {
    table[position] = {};
    for (const satisfied of ["satisfied", "notSatisfied"]) {
      table[position][satisfied] = {};
      for (const exit of EXITS) {
        const fallback = position === "intermediate" && exit === "normal" ? "GO_TO_NEXT_SCO" : "EXIT_COURSE";
        table[position][satisfied][exit] = (overrides[position] || {})[satisfied]?.[exit] || fallback;
      }
    }
  }
  return table;
}

export function settings(overrides = {}) {
  return {
    flowNav: true,
    choiceNav: true,
    alwaysFlowToFirst: false,
    invalidMenuItemAction: "DISABLE",
    scoLaunchType: "FRAMESET",
    launchType: "FRAMESET",
    suspendDataMaxLength: null,
    desiredWidth: null,
    desiredHeight: null,
    exitActions: exitActions(),
    ...overrides,
  };
}

/**
 * A plan as page_data.py hands it to the page, from a tree written as
 * {id, title?, href?, control?, hide?, visible?, data?, children?}. As plan.py does, a child with its parent's
 * identifier and no children of its own is the parent's own content (`own`).
 */
export function plan(tree, { standard = "scorm2004", start = null, ...rest } = {}) {
  const nodes = [];
  function visit(item, parent, depth) {
    const index = nodes.length;
    const own = !!item.id && parent >= 0 && nodes[parent].id === item.id && !item.children;
    const node = {
      title: item.title || item.id,
      id: item.id,
      parent,
      depth,
      href: item.href || null,
      visible: item.visible !== false,
    };
    if (own) node.own = true;
    else if (item.control) node.control = item.control;
    if (item.hide) node.hide = item.hide;
    if (node.href) node.data = item.data || {};
    nodes.push(node);
    for (const child of item.children || []) visit(child, index, depth + 1);
  }
  visit(tree, -1, 0);
  return { standard, start, nodes, settings: settings(rest.settings), ...rest.extra };
}

/** A course of `count` SCOs under one root (ids s1, s2, ...), the root's control modes given. */
export function flat(count, control, options = {}) {
  const children = Array.from({ length: count }, (_v, i) => ({ id: "s" + (i + 1), href: "s" + (i + 1) + ".html" }));
  return plan({ id: "root", control, children }, options);
}

export const FLOW = { choice: true, choiceExit: true, flow: true, forwardOnly: false };

/**
 * A minimal DOM, enough for the player's modules: elements with ids, attributes, children, listeners, `hidden`,
 * `disabled`, `className` / `classList`, and text. An <iframe> fires "load" soon after its `src` is set.
 */
export class FakeElement {
  constructor(doc, tag) {
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.attributes = {};
    this.listeners = {};
    this.hidden = false;
    this.disabled = false;
    this.className = "";
    this.title = "";
    this.type = "";
    this._text = "";
    this._src = "";
    const element = this;
    this.classList = {
      add: (name) => { if (!element.classList.contains(name)) element.className = (element.className + " " + name).trim(); },
      remove: (name) => { element.className = element.className.split(/\s+/).filter((c) => c && c !== name).join(" "); },
      contains: (name) => element.className.split(/\s+/).includes(name),
      toggle: (name) => {
        if (element.classList.contains(name)) element.classList.remove(name);
        else element.classList.add(name);
      },
    };
  }
  get id() { return this.attributes.id || ""; }
  set id(value) { this.setAttribute("id", value); }
  get textContent() { return this._text + this.children.map((c) => c.textContent).join(""); }
  set textContent(value) {
    this._text = String(value);
    this.children = [];
  }
  get src() { return this._src; }
  set src(value) {
    this._src = value;
    if (this.tagName === "IFRAME") setTimeout(() => this.dispatch("load"), 0);
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  appendChild(child) {
    this.children.push(child);
    child.parentNode = this;
    return child;
  }
  addEventListener(type, listener, options) {
    (this.listeners[type] = this.listeners[type] || []).push({ listener, once: !!(options && options.once) });
  }
  dispatch(type, event = {}) {
    const listeners = this.listeners[type] || [];
    this.listeners[type] = listeners.filter((l) => !l.once);
    for (const { listener } of listeners) listener({ type, preventDefault() { event.defaultPrevented = true; }, ...event });
  }
  click() { this.dispatch("click"); }
  /** Every element below this one, depth first. */
  descendants() { return this.children.flatMap((child) => [child, ...child.descendants()]); }
}

export class FakeDocument {
  constructor() {
    this.body = new FakeElement(this, "body");
    this.listeners = {};
  }
  createElement(tag) { return new FakeElement(this, tag); }
  /** Add an element with this id (and tag) to the body. */
  add(tag, id, properties = {}) {
    const element = Object.assign(this.createElement(tag), properties);
    element.id = id;
    this.body.appendChild(element);
    return element;
  }
  getElementById(id) { return [this.body, ...this.body.descendants()].find((e) => e.id === id) || null; }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
}
