/*
 * Where content is shown: the content frame (#ch-content), or the window of its own that PlayerScoLaunchType
 * NEW_WINDOW* opens, and the message box (#ch-message) that takes the frame's place between lessons.
 *
 * Unloading shows blank.html and waits for it (at most UNLOAD_TIMEOUT_MS), so the content's unload handlers run
 * while its API object is still the one it started with.
 */

import { windowFeatures } from "./page.mjs";

/** Relative to the player page, /player/s/<session>/. */
export const BLANK = "../../static/blank.html";
/** A SCO that never lets go must not block navigation. */
export const UNLOAD_TIMEOUT_MS = 3000;

export function createContentArea(win, settings, texts) {
  const doc = win.document;
  const frame = doc.getElementById("ch-content");
  let frameBlank = true;
  let scoWindow = null;

  function showMessage(text) {
    const box = doc.getElementById("ch-message");
    box.textContent = text;
    box.hidden = !text;
    frame.hidden = !!text;
  }

  function waitForFrame() {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      frame.addEventListener("load", finish, { once: true });
      win.setTimeout(finish, UNLOAD_TIMEOUT_MS);
      frame.src = BLANK;
    });
  }

  function waitForWindow(other) {
    return new Promise((resolve) => {
      const started = Date.now();
      const blank = new URL(BLANK, win.location.href).href;
      try {
        other.location.href = blank;
      } catch (e) {
        resolve();
        return;
      }
      (function check() {
        let loaded = false;
        try {
          loaded = other.closed || (other.location.href === blank && other.document.readyState === "complete");
        } catch (e) {
          loaded = false;
        }
        if (loaded || Date.now() - started > UNLOAD_TIMEOUT_MS) resolve();
        else win.setTimeout(check, 50);
      })();
    });
  }

  /** Show blank.html where content was shown; resolves once it is there (or the wait timed out). */
  function unload() {
    let unloading;
    if (scoWindow && !scoWindow.closed) unloading = waitForWindow(scoWindow);
    else if (!frameBlank) unloading = waitForFrame();
    else unloading = Promise.resolve();
    frameBlank = true;
    return unloading;
  }

  /** PlayerScoLaunchType NEW_WINDOW*: the SCO opens in a window of its own and finds the API via opener. */
  function openScoWindow(url) {
    const target = new URL(url, win.location.href).href;
    const launchType = settings.scoLaunchType;
    const features = windowFeatures(launchType.indexOf("WITHOUT_BROWSER_TOOLBAR") < 0,
      settings.desiredWidth, settings.desiredHeight);
    function open() {
      scoWindow = win.open(target, "coursehost_sco", features) || scoWindow;
      return scoWindow;
    }
    if (scoWindow && !scoWindow.closed) scoWindow.location.href = target;
    else if (launchType.indexOf("AFTER_CLICK") < 0) open();
    const shown = scoWindow && !scoWindow.closed;
    showMessage(shown || launchType.indexOf("AFTER_CLICK") >= 0 ? texts.openedInWindow : texts.popupBlocked);
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "ch-button ch-open-lesson";
    button.textContent = texts.openLesson;
    button.addEventListener("click", () => { if (open()) showMessage(texts.openedInWindow); });
    doc.getElementById("ch-message").appendChild(doc.createElement("br"));
    doc.getElementById("ch-message").appendChild(button);
  }

  /** Show `url` in the frame, or in the SCO's own window. */
  function show(url, inWindow) {
    if (inWindow) {
      openScoWindow(url);
    } else {
      frameBlank = false;
      frame.src = url;
    }
  }

  function closeWindow() {
    if (scoWindow && !scoWindow.closed) scoWindow.close();
  }

  return { frame, showMessage, unload, show, closeWindow };
}
