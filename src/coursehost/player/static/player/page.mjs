/*
 * Small helpers the player's three pages share (the player, the new-window launcher, the media page).
 *
 * Each page loads one entry module (main.mjs, launcher.mjs, media.mjs). An entry module starts itself when its page
 * carries its JSON block (#ch-config, #ch-launcher, #ch-media-config) and does nothing otherwise, so node's tests
 * can import every module.
 */

/** The JSON a page carries in <script type="application/json" id="...">, or null. */
export function readJson(doc, id) {
  const element = doc.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

/** `query` added to `url`'s query string, before any fragment. */
export function withQuery(url, query) {
  const hash = url.indexOf("#");
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const fragment = hash >= 0 ? url.slice(hash) : "";
  return base + (base.indexOf("?") >= 0 ? "&" : "?") + query + fragment;
}

/** window.open's features for PlayerLaunchType / PlayerScoLaunchType NEW_WINDOW*. */
export function windowFeatures(toolbar, width, height) {
  const features = [];
  if (!toolbar) features.push("toolbar=no", "location=no", "menubar=no", "status=no");
  if (width) features.push("width=" + width);
  if (height) features.push("height=" + height);
  return features.join(",");
}

/** Where the learner goes on exit: an absolute URL, or the keywords closer, blank and message. */
export function leave(win, target, exitedPage) {
  if (target === "closer") {
    win.close();
    win.setTimeout(() => { win.location.replace(exitedPage); }, 300);
  } else if (target === "blank") {
    win.location.replace("about:blank");
  } else if (target === "message" || !target) {
    win.location.replace(exitedPage);
  } else {
    win.location.replace(target);
  }
}
