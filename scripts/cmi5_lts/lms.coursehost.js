/*
 * coursehost's adapter for CATAPULT's LMS test suite (lts/lib/lms.template.js describes the interface). The suite
 * loads it as CATAPULT_LMS; `run` copies it next to the suite's own library (it requires ./errors from there).
 *
 * coursehost's player is the LMS here: a course is imported through the Course Service API, and an AU is launched
 * as the preview player launches it (a preview link is opened, then the player's own launch call gives the AU's URL
 * with its cmi5 launch parameters). The suite loads that URL at the top of its browser, so the player session's
 * cookie is handed to the browser first. The preview decides the actor and the registration (docs/xapi.md,
 * "Launches"): the suite's actor is not used, and a launch naming a registration the adapter made before reuses
 * that preview's player session, where the registration lives. A launch mode other than Normal is asked for as a
 * preview's `cmi5LaunchMode` additional value (a new preview). Abandoning a session is the learner leaving the
 * player (its exit call); waiving an AU is the preview player's waive call for the AU (docs/xapi.md).
 *
 * Environment: COURSEHOST_URL (the server), COURSEHOST_APP_ID and COURSEHOST_SECRET (an application's credentials).
 */
"use strict";

const crypto = require("crypto");
const Wreck = require("@hapi/wreck");
const { InvalidPackageError } = require("./errors");

// Jest's test environment has no fetch, FormData or Blob: requests go through Wreck, which the suite ships.
async function fetch(url, { method = "GET", headers = {}, body, redirect } = {}) {
    const response = await Wreck.request(method, url, { headers, payload: body, redirects: redirect === "manual" ? 0 : 3 });
    const payload = await Wreck.read(response);
    const get = (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : (value === undefined ? null : value);
    };
    return {
        ok: response.statusCode >= 200 && response.statusCode < 300,
        status: response.statusCode,
        headers: { get },
        text: async () => payload.toString(),
        json: async () => JSON.parse(payload.toString()),
    };
}

const base = () => process.env.COURSEHOST_URL.replace(/\/$/, "");
const appId = () => process.env.COURSEHOST_APP_ID;
const basic = () => "Basic " + Buffer.from(`${appId()}:${process.env.COURSEHOST_SECRET}`).toString("base64");
const courses = [];
const sessions = new Map(); // registration -> {player, cookie}
const auSessions = new Map(); // cmi5 session id -> {player, cookie}
let counter = 0;

async function api(method, path, options = {}) {
    const response = await fetch(`${base()}/api/v2${path}`, {
        method, ...options, headers: { Authorization: basic(), ...(options.headers || {}) },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
}

async function readStream(stream) {
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    return Buffer.concat(chunks);
}

/** Open a preview link like a browser: the player session's address and its cookie. */
async function openPreview(courseId, launchMode) {
    const body = launchMode && launchMode !== "Normal" ? { additionalvalues: [{ item: "cmi5LaunchMode", value: launchMode }] } : {};
    const { launchLink } = await api("POST", `/courses/${encodeURIComponent(courseId)}/preview`, {
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const opened = await fetch(launchLink, { redirect: "manual" });
    const cookie = opened.headers.get("set-cookie").split(";")[0];
    const player = new URL(opened.headers.get("location"), launchLink).href;
    return { player, cookie };
}

async function playerConfig(session) {
    const page = await (await fetch(session.player, { headers: { Cookie: session.cookie } })).text();
    const found = /<script type="application\/json" id="ch-config">([\s\S]*?)<\/script>/.exec(page);
    if (!found) throw new Error("no player configuration on " + session.player);
    return JSON.parse(found[1]);
}

/** The cmi5 session id of a launch, from the LMS.LaunchData document the launch wrote (read as the application). */
async function launchSessionId(params) {
    const query = new URLSearchParams({
        stateId: "LMS.LaunchData", activityId: params.get("activityId"), agent: params.get("actor"),
        registration: params.get("registration"),
    });
    const response = await fetch(`${base()}/lrs/${appId()}/activities/state?${query}`, {
        headers: { Authorization: basic(), "X-Experience-API-Version": "1.0.3" },
    });
    if (!response.ok) throw new Error(`no launch data: ${response.status} ${await response.text()}`);
    return (await response.json()).contextTemplate.extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"];
}

module.exports = {
    setup: async () => {
        for (const name of ["COURSEHOST_URL", "COURSEHOST_APP_ID", "COURSEHOST_SECRET"]) {
            if (!process.env[name]) throw new Error(`${name} is not set`);
        }
    },
    teardown: async () => {},

    getLrsEndpoint: () => `${base()}/lrs/${appId()}`,
    getLrsAuthHeader: () => basic(),

    importCourse: async (stream, contentType, filename) => {
        const courseId = `lts-${Date.now()}-${counter += 1}`;
        const boundary = "----coursehost" + crypto.randomBytes(12).toString("hex");
        const body = Buffer.concat([
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
                `Content-Type: ${contentType}\r\n\r\n`),
            await readStream(stream),
            Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        let jobId;
        try {
            ({ result: jobId } = await api("POST", `/courses/importJobs/upload?courseId=${courseId}`, {
                body,
                headers: { uploadedContentType: contentType, "Content-Type": `multipart/form-data; boundary=${boundary}` },
            }));
        }
        catch (ex) {
            // A 400 to the upload itself: the file is no package coursehost accepts (wrong kind, not a zip).
            if (/: 400 /.test(String(ex.message))) throw new InvalidPackageError(ex.message);
            throw ex;
        }
        for (let i = 0; i < 600; i += 1) {
            const job = await api("GET", `/courses/importJobs/${jobId}`);
            if (job.status === "COMPLETE") {
                courses.push(courseId);
                return courseId;
            }
            if (job.status === "ERROR") throw new InvalidPackageError(job.message || "import failed");
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`import of ${filename} did not finish`);
    },

    getLaunchUrl: async (courseId, auIndex, actor, { registration, launchMode } = {}) => {
        const session = (registration && sessions.get(registration)) || await openPreview(courseId, launchMode);
        const config = await playerConfig(session);
        const aus = config.nodes.map((node, index) => [node, index]).filter(([node]) => node.href);
        if (!aus[auIndex]) throw new Error(`course ${courseId} has no AU ${auIndex}`);
        const launched = await fetch(new URL(`xapi/${aus[auIndex][1]}`, session.player), {
            method: "POST", headers: { Cookie: session.cookie },
        });
        if (!launched.ok) throw new Error(`launch refused: ${launched.status} ${await launched.text()}`);
        const { url } = await launched.json();
        const params = new URL(url).searchParams;
        sessions.set(params.get("registration"), session);
        auSessions.set(await launchSessionId(params), session);
        const [name, value] = session.cookie.split("=");
        // The suite's browser loads the AU directly: give it the player session's cookie.
        await global.page.setCookie({ name, value, url: session.player });
        return url;
    },

    cleanup: async () => {
        while (courses.length) {
            await api("DELETE", `/courses/${encodeURIComponent(courses.pop())}`).catch(() => {});
        }
    },

    hasWaive: () => true,
    waiveAU: async (registration, auIndex, reason) => {
        // The preview player's waive call for the AU, in the player session that holds the registration.
        const session = sessions.get(registration);
        if (!session) throw new Error(`no preview holds registration ${registration}`);
        const config = await playerConfig(session);
        const aus = config.nodes.map((node, index) => [node, index]).filter(([node]) => node.href);
        if (!aus[auIndex]) throw new Error(`the course has no AU ${auIndex}`);
        const waived = await fetch(new URL(`waive/${aus[auIndex][1]}`, session.player), {
            method: "POST", headers: { Cookie: session.cookie, "Content-Type": "application/json" },
            body: JSON.stringify({ reason }),
        });
        if (!waived.ok) throw new Error(`waive refused: ${waived.status} ${await waived.text()}`);
    },
    hasAbandon: () => true,
    abandonSession: async (sessionId) => {
        // The learner leaves the player: its exit abandons the AU sessions still open (cmi5 9.3.6).
        const session = auSessions.get(sessionId);
        if (!session) throw new Error(`no launch with session ${sessionId}`);
        const exited = await fetch(new URL("exit", session.player), { method: "POST", headers: { Cookie: session.cookie } });
        if (!exited.ok) throw new Error(`exit refused: ${exited.status} ${await exited.text()}`);
    },
};

