/*
 * The outline (table of contents) and the navigation bar. `outlineEntries` and `itemView` are the pure model of what
 * is shown; `buildOutline`, `renderOutline` and `renderButtons` put it on the page. Every element keeps the ch- ids
 * and classes the stylesheet, customisation stylesheets and tests rely on:
 *
 *   <li class="ch-item ch-status-<status> [ch-cluster] [ch-current]" data-node="<index>" data-identifier="<id>">
 *     <button class="ch-item-label"> (a span for a cluster without content)
 *       <span class="ch-mark"></span><span class="ch-item-title">title</span>
 *     </button>
 *     <ul> the children </ul>
 *   </li>
 */

import { STATUS_MARKS } from "./progress.mjs";

/**
 * One entry per item shown, in tree order: {node, target, identifier, title, choosable, merged, parent, hasChildren}.
 * `target` is the activity the entry opens and carries the status of: the node itself, or, for an item with
 * children and content of its own, that content (`merged`), which gets no entry of its own. `parent` is the node
 * whose entry lists this one (0: the outline's top level). Items with isvisible="false" are left out; their
 * children are listed where they would have been.
 */
export function outlineEntries(nodes) {
  const ownContent = {};
  nodes.forEach((node, index) => { if (node.own) ownContent[node.parent] = index; });
  const listOf = { 0: 0 };
  const entries = [];
  nodes.forEach((node, index) => {
    if (index === 0 || node.own) return;
    const parent = node.parent in listOf ? listOf[node.parent] : 0;
    if (node.visible === false) {
      listOf[index] = parent;
      return;
    }
    const target = index in ownContent ? ownContent[index] : index;
    const hasChildren = nodes.some((other) => other.parent === index);
    if (hasChildren) listOf[index] = index;
    entries.push({
      node: index,
      target: target,
      identifier: node.id,
      title: node.title,
      choosable: !!nodes[target].href,
      merged: target !== index,
      parent: parent,
      hasChildren: hasChildren,
    });
  });
  return entries;
}

/**
 * How the entry of activity `index` looks: its classes, and for a launchable one its mark, tooltip, aria-current,
 * and whether it is hidden or disabled (PlayerInvalidMenuItemAction: SHOW, HIDE or DISABLE what cannot be chosen).
 * A merged entry hides its label only, since its children may still be choosable.
 */
export function itemView({ launchable, merged, status, current, allowed, invalidMenuItemAction, texts }) {
  const className = "ch-item" + (launchable ? " ch-status-" + status : "") +
    (!launchable || merged ? " ch-cluster" : "") + (current ? " ch-current" : "");
  if (!launchable) return { className };
  return {
    className,
    mark: STATUS_MARKS[status] || "",
    title: (current ? texts["status.current"] + " \u2013 " : "") + (texts["status." + status] || ""),
    ariaCurrent: current ? "step" : "false",
    hidden: !allowed && invalidMenuItemAction === "HIDE",
    hideLabelOnly: merged,
    disabled: !allowed && invalidMenuItemAction !== "SHOW",
  };
}

/** Fill `root` (the #ch-outline-list) with the entries; `onChoose(target)` runs on a click. Returns the items. */
export function buildOutline(doc, root, nodes, onChoose) {
  const items = {};
  const lists = { 0: root };
  for (const entry of outlineEntries(nodes)) {
    const li = doc.createElement("li");
    li.className = "ch-item";
    li.setAttribute("data-node", String(entry.target));
    li.setAttribute("data-identifier", entry.identifier);
    let label;
    if (entry.choosable) {
      label = doc.createElement("button");
      label.type = "button";
      label.addEventListener("click", () => { onChoose(entry.target); });
    } else {
      label = doc.createElement("span");
    }
    label.className = "ch-item-label";
    const mark = doc.createElement("span");
    mark.className = "ch-mark";
    mark.setAttribute("aria-hidden", "true");
    const text = doc.createElement("span");
    text.className = "ch-item-title";
    text.textContent = entry.title;
    label.appendChild(mark);
    label.appendChild(text);
    li.appendChild(label);
    if (entry.hasChildren) {
      const ul = doc.createElement("ul");
      li.appendChild(ul);
      lists[entry.node] = ul;
    }
    (lists[entry.parent] || root).appendChild(li);
    items[entry.target] = { li, label, mark, merged: entry.merged };
  }
  return items;
}

/** Bring every item up to date; `state(index)` gives itemView's {status, current, allowed} for an activity. */
export function renderOutline(items, nodes, settings, texts, state) {
  for (const key of Object.keys(items)) {
    const index = Number(key);
    const item = items[index];
    const view = itemView({
      launchable: !!nodes[index].href,
      merged: item.merged,
      invalidMenuItemAction: settings.invalidMenuItemAction,
      texts,
      ...state(index),
    });
    item.li.className = view.className;
    if (view.mark === undefined) continue;
    item.mark.textContent = view.mark;
    item.label.title = view.title;
    item.label.setAttribute("aria-current", view.ariaCurrent);
    (view.hideLabelOnly ? item.label : item.li).hidden = view.hidden;
    item.label.disabled = view.disabled;
  }
}

/** The navigation bar from navigation's buttons(): {id: {enabled, hidden}}; a button the page lacks is skipped. */
export function renderButtons(doc, buttons) {
  for (const id of Object.keys(buttons)) {
    const button = doc.getElementById(id);
    if (!button) continue;
    button.disabled = !buttons[id].enabled;
    button.hidden = !!buttons[id].hidden;
  }
}
