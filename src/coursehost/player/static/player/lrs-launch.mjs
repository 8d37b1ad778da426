/*
 * Content that reports to the application's LRS: cmi5 AUs and Tin Can (xAPI) activities. The server makes each
 * launch (POST xapi/<index>: it abandons what is still open, writes the cmi5 launch data, records "launched" and
 * issues the single-use fetch URL or the Tin Can credential) and answers the URL to show, with the launch
 * parameters on it (docs/xapi.md, "Launches"). The page only shows it: cmi5's launchMethod OwnWindow in a window of
 * its own, AnyWindow where the player shows content (the frame, or a window when PlayerScoLaunchType says so).
 */

import { opensInWindow } from "./launch.mjs";

export function reportsToLrs(standard) {
  return standard === "cmi5" || standard === "xapi";
}

/** Ask the server to launch activity `index`; resolves to {url, ownWindow}, rejects when the server refuses. */
export function requestLaunch(fetchFn, index) {
  return fetchFn("xapi/" + index, { method: "POST", credentials: "same-origin" }).then((response) => {
    if (!response.ok) throw new Error("launch refused: " + response.status);
    return response.json();
  }).then((answer) => {
    if (!answer || typeof answer.url !== "string") throw new Error("launch answer without a url");
    return { url: answer.url, ownWindow: !!answer.ownWindow };
  });
}

/** Whether the launch opens in a window of its own. */
export function inOwnWindow(plan, answer) {
  return answer.ownWindow || opensInWindow(plan);
}
