/*
 * Navigation and sequencing decisions: pure functions over the session's plan (docs/player.md, "Navigation").
 *
 * The plan is what the page's #ch-config carries: `nodes` (the activity tree flattened in tree order; node 0 is the
 * root, each node names its `parent`, launchable ones have an `href`), `settings` (the resolved configuration
 * settings), `standard` and `start` (startSco, or null). Nothing here touches the page: callers pass the activity
 * shown (`current`, null before the first launch) and get back either an answer or a decision, which the player
 * carries out:
 *
 *   {do: "launch", index}   launch that activity
 *   {do: "exit"}            exit the course
 *   {do: "lessonEnded"}     unload the content and say the lesson has ended
 *   {do: "confirmExit"}     ask the learner; exit if they agree, else as lessonEnded
 *   null                    nothing happens
 *
 * SCORM 2004 control modes (choice, choiceExit, flow, forwardOnly) decide which requests are valid; the other
 * standards have none, and the PlayerEnableFlowNav / PlayerEnableChoiceNav settings stand in for them. Sequencing
 * rules, rollup and objective maps are not evaluated.
 */

/** IMS Simple Sequencing's defaults, for a SCORM 2004 cluster that declares no control modes. */
export const DEFAULT_CONTROL_2004 = Object.freeze({ choice: true, choiceExit: true, flow: false, forwardOnly: false });

const LAUNCH = (index) => ({ do: "launch", index });
const EXIT = Object.freeze({ do: "exit" });
const LESSON_ENDED = Object.freeze({ do: "lessonEnded" });
const CONFIRM_EXIT = Object.freeze({ do: "confirmExit" });

/** The SCORM exit value (cmi.core.exit, AICC's exit flag) as the exit action settings name it. */
export function exitKind(exit) {
  return { suspend: "suspend", "time-out": "timeout", logout: "logout" }[exit] || "normal";
}

export function createNavigation(plan) {
  const nodes = plan.nodes;
  const settings = plan.settings;
  const standard = plan.standard;
  /** The launchable activities, in tree order: flow moves along this list. */
  const order = nodes.map((_node, index) => index).filter((index) => !!nodes[index].href);
  // An item's own content shares the item's identifier with the aggregation above it; the identifier names the
  // content (the launchable one) in startSco, navigation targets and choose().
  const byIdentifier = new Map();
  nodes.forEach((node, index) => {
    if (node.id && (!byIdentifier.has(node.id) || node.own)) byIdentifier.set(node.id, index);
  });

  function ancestors(index) {
    const found = [];
    for (let parent = nodes[index].parent; parent >= 0; parent = nodes[parent].parent) found.push(parent);
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
    const chain = [a].concat(ancestors(a));
    for (let node = b; node >= 0; node = nodes[node].parent) if (chain.indexOf(node) >= 0) return node;
    return 0;
  }

  /** The clusters a flow from `a` to `b` passes through: their common ancestor and every cluster below it. */
  function clustersBetween(a, b) {
    const top = commonAncestor(a, b);
    const clusters = [top];
    for (const end of [a, b]) {
      for (const cluster of ancestors(end)) {
        if (cluster !== top && isWithin(cluster, top) && clusters.indexOf(cluster) < 0) clusters.push(cluster);
      }
    }
    return clusters;
  }

  function flowAllowed(from, to, forward) {
    return clustersBetween(from, to).every((cluster) => {
      const mode = control(cluster);
      return mode.flow && (forward || !mode.forwardOnly);
    });
  }

  /** Where Continue (forward) or Previous leads from `from`, or null when that request is not valid. */
  function flowTarget(from, forward) {
    if (from === null) return forward ? startIndex(true) : null;
    const target = order[order.indexOf(from) + (forward ? 1 : -1)];
    return target !== undefined && flowAllowed(from, target, forward) ? target : null;
  }

  /** Continuing past the last activity ends the course, if its clusters allow flow at all. */
  function flowEnds(from) {
    return from !== null && order.indexOf(from) === order.length - 1 &&
      ancestors(from).every((cluster) => control(cluster).flow);
  }

  /** Whether the learner (or a SCO's choice request) may open `target` while `current` is shown. */
  function choiceAllowed(target, current) {
    if (target === null || target === undefined || !nodes[target] || !nodes[target].href) return false;
    if (!ancestors(target).every((cluster) => control(cluster).choice)) return false;
    if (current === null || target === current) return true;
    for (const leaving of [current].concat(ancestors(current))) {
      const mode = nodes[leaving].control;
      if (standard === "scorm2004" && mode && mode.choiceExit === false && !isWithin(target, leaving)) return false;
    }
    const top = commonAncestor(current, target);
    return !(control(top).forwardOnly && order.indexOf(target) < order.indexOf(current));
  }

  /**
   * Where the player starts: startSco, else the first activity when flow reaches it (always for one activity, for
   * the standards without control modes, and with PlayerAlwaysFlowToFirstSco); null means the learner chooses.
   * With `flowOnly`, only where flow from nothing leads (what Next does before anything was launched).
   */
  function startIndex(flowOnly) {
    if (!flowOnly && plan.start !== null && plan.start !== undefined) return plan.start;
    if (!order.length) return null;
    if (!flowOnly && (order.length === 1 || standard !== "scorm2004" || settings.alwaysFlowToFirst)) return order[0];
    const first = order[0];
    return ancestors(first).every((cluster) => control(cluster).flow) ? first : null;
  }

  /** The activity an item identifier names (its own content for an item that has some), or null. */
  function targetIndex(identifier) {
    const key = String(identifier);
    return identifier && byIdentifier.has(key) ? byIdentifier.get(key) : null;
  }

  function launchable(index) {
    return index !== null && !!nodes[index].href;
  }

  /** adl.nav.request_valid.*: `request` is continue, previous, choice or jump, asked by the SCO of `index`. */
  function requestValid(index, request, target, current) {
    if (request === "continue") return flowTarget(index, true) !== null || flowEnds(index);
    if (request === "previous") return flowTarget(index, false) !== null;
    const found = targetIndex(target);
    if (request === "choice") return choiceAllowed(found, current);
    return launchable(found); // jump
  }

  // --- decisions ------------------------------------------------------------------------------------------------

  /** The learner's Next button (also what Continue means before anything was launched). */
  function next(current) {
    const target = current === null ? startIndex(true) : flowTarget(current, true);
    if (target !== null) return LAUNCH(target);
    return flowEnds(current) ? EXIT : null;
  }

  /** The learner's Previous button. */
  function previous(current) {
    const target = flowTarget(current, false);
    return target !== null ? LAUNCH(target) : null;
  }

  /** The learner chose `index` in the outline. */
  function choose(index, current) {
    return choiceAllowed(index, current) ? LAUNCH(index) : null;
  }

  /** SCORM 2004: what adl.nav.request (`nav` = {request, target}) leads to after the SCO of `index` terminated. */
  function navigationRequest(index, nav, current) {
    const request = nav.request;
    if (request === "continue") {
      const target = flowTarget(index, true);
      if (target !== null) return LAUNCH(target);
      return flowEnds(index) ? EXIT : LESSON_ENDED;
    }
    if (request === "previous") {
      const target = flowTarget(index, false);
      return target !== null ? LAUNCH(target) : LESSON_ENDED;
    }
    if (request === "choice" || request === "jump") {
      const found = targetIndex(nav.target);
      const allowed = request === "jump" ? launchable(found) : choiceAllowed(found, current);
      return allowed ? LAUNCH(found) : LESSON_ENDED;
    }
    if (request === "exit" || request === "abandon") return order.length === 1 ? EXIT : LESSON_ENDED;
    // exitAll, suspendAll, abandonAll: the preview ends; a suspended state would die with the session anyway.
    return EXIT;
  }

  /** SCORM 2004: Terminate without a navigation request ends the lesson; a single-SCO course ends with it. */
  function afterTerminate() {
    return order.length === 1 ? EXIT : LESSON_ENDED;
  }

  /**
   * SCORM 1.2 and AICC: what a SCO's own exit leads to (the Player*ExitAction settings), from its position, whether
   * the course is satisfied, and the kind of exit (exitKind).
   */
  function afterFinish(index, exit, satisfied) {
    const last = order.indexOf(index) === order.length - 1;
    const table = settings.exitActions[last ? "final" : "intermediate"][satisfied ? "satisfied" : "notSatisfied"];
    const action = table[exit];
    if (action === "GO_TO_NEXT_SCO") {
      // The next item in tree order, even when PlayerEnableFlowNav hides the learner's own Next button.
      const target = order[order.indexOf(index) + 1];
      return target !== undefined ? LAUNCH(target) : LESSON_ENDED;
    }
    if (action === "EXIT_COURSE") return EXIT;
    if (action === "EXIT_COURSE_AFTER_CONFIRM") return CONFIRM_EXIT;
    if (action === "DISPLAY_MESSAGE") return LESSON_ENDED;
    return null; // DO_NOTHING
  }

  /** The navigation bar: each button's {enabled, hidden}, by element id. */
  function buttons(current, ended) {
    const flowHidden = standard !== "scorm2004" && !settings.flowNav;
    const hide = current !== null && nodes[current].hide;
    const hiddenByContent = (what) => !!hide && hide.indexOf(what) >= 0;
    const forward = current === null ? startIndex(true) : flowTarget(current, true);
    return {
      "ch-prev": {
        enabled: !ended && flowTarget(current, false) !== null,
        hidden: flowHidden || hiddenByContent("previous"),
      },
      "ch-next": {
        enabled: !ended && (forward !== null || flowEnds(current)),
        hidden: flowHidden || hiddenByContent("continue"),
      },
      "ch-exit": { enabled: !ended, hidden: hiddenByContent("exitAll") || hiddenByContent("exit") },
    };
  }

  return {
    order,
    ancestors,
    isWithin,
    control,
    flowTarget,
    flowEnds,
    choiceAllowed,
    startIndex,
    targetIndex,
    requestValid,
    next,
    previous,
    choose,
    navigationRequest,
    afterTerminate,
    afterFinish,
    buttons,
  };
}
