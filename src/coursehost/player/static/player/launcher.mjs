/*
 * The page a launch link opens when PlayerLaunchType asks for a new window: it opens the player in a window of its
 * own (at once, or on a click with NEW_WINDOW_AFTER_CLICK*) and, when the player exits, goes to the exit target in
 * its place (the player finds window.CoursehostLauncher through window.opener).
 */

import { leave, readJson, windowFeatures } from "./page.mjs";

/** `cfg` is the page's #ch-launcher: {url, afterClick, toolbar, width, height}. */
export function startLauncher(win, cfg) {
  const doc = win.document;
  let opened = null;
  function open() {
    opened = win.open(cfg.url, "coursehost_player", windowFeatures(cfg.toolbar, cfg.width, cfg.height));
    doc.getElementById("ch-launcher-blocked").hidden = !!opened;
  }
  doc.getElementById("ch-open").addEventListener("click", open);
  win.CoursehostLauncher = {
    exited: (target, exitedPage) => { leave(win, target, exitedPage); },
    window: () => opened,
  };
  if (!cfg.afterClick) open();
}

if (typeof document !== "undefined") {
  const cfg = readJson(document, "ch-launcher");
  if (cfg) startLauncher(window, cfg);
}
