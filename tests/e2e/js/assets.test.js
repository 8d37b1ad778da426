"use strict";
// Asset operations through the JavaScript client. Downloads (getCourseAsset, getCourseZip and their version
// forms) are declared as 'Blob': in Node the client hands over a Buffer with the exact bytes, whatever the type.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const zlib = require("node:zlib");
const {
  ScormCloud,
  apis,
  call,
  callEmpty,
  callFull,
  expectError,
  importCourse,
  pkg,
  uniqueId,
} = require("./support/client");
const { startPeer } = require("./support/peer");

const { courses } = apis();
let peer;

before(async () => {
  peer = await startPeer();
});
after(async () => {
  await peer.close();
});

const PNG = () => fs.readFileSync(pkg("png").path);
const PAGE = () => fs.readFileSync(pkg("page").path);

function importRequest(url, destination) {
  return new ScormCloud.ImportAssetRequestSchema(url, destination);
}

/** The entries of a zip archive (stored or deflated), read from its central directory. */
function unzip(buffer) {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "not a zip archive");
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i += 1) {
    const method = buffer.readUInt16LE(offset + 10);
    const size = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString("utf8", offset + 46, offset + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const raw = buffer.subarray(start, start + size);
    entries.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function fileSizes(courseId, version) {
  const list =
    version === undefined
      ? await call(courses, "getCourseFileList", courseId)
      : await call(courses, "getCourseVersionFileList", courseId, version);
  assert.ok(list instanceof ScormCloud.FileListSchema);
  assert.ok(list.files.every((f) => f instanceof ScormCloud.FileListItemSchema));
  return Object.fromEntries(list.files.map((f) => [f.path, f.size]));
}

test("course asset operations: upload, fetch, list, download bytes, zip, delete, and their errors", async () => {
  const courseId = uniqueId("assets");
  await importCourse(courses, courseId, "course");

  const uploaded = await call(courses, "uploadCourseAssetFile", courseId, "/pages/extra.html", {
    file: fs.createReadStream(pkg("page").path),
  });
  assert.ok(uploaded instanceof ScormCloud.AssetFileSchema);
  assert.deepEqual([uploaded.filename, uploaded.destination], ["extra.html", "pages/extra.html"]);
  const fetched = await call(
    courses,
    "importCourseAssetFile",
    courseId,
    importRequest(peer.addFile(PNG(), { suffix: ".png", contentType: "image/png" }).url, "img/a.png"),
  );
  assert.equal(fetched.destination, "img/a.png");
  const sizes = await fileSizes(courseId);
  assert.equal(sizes["pages/extra.html"], PAGE().length);
  assert.equal(sizes["img/a.png"], PNG().length);
  assert.equal(sizes["index.html"], "<html><body>first lesson</body></html>".length);

  const page = await callFull(courses, "getCourseAsset", courseId, "pages/extra.html");
  assert.ok(Buffer.isBuffer(page.data));
  assert.deepEqual(page.data, PAGE());
  const png = await callFull(courses, "getCourseAsset", courseId, "img/a.png");
  assert.ok(Buffer.isBuffer(png.data));
  assert.deepEqual(png.data, PNG());
  assert.equal(png.response.headers["content-type"], "image/png");

  const archive = await callFull(courses, "getCourseZip", courseId);
  assert.equal(archive.response.headers["content-type"], "application/zip");
  assert.match(archive.response.headers["content-disposition"], new RegExp(`filename="${courseId}_v0.zip"`));
  const entries = unzip(archive.data);
  assert.deepEqual(entries.get("img/a.png"), PNG());
  assert.deepEqual(entries.get("pages/extra.html"), PAGE());
  assert.ok(entries.has("imsmanifest.xml"));

  await callEmpty(courses, "deleteCourseAsset", courseId, "pages/extra.html");
  assert.equal((await fileSizes(courseId))["pages/extra.html"], undefined);
  await expectError(404, call(courses, "getCourseAsset", courseId, "pages/extra.html"));
  await expectError(404, call(courses, "deleteCourseAsset", courseId, "pages/extra.html"));
  const page2 = fs.createReadStream(pkg("page").path);
  await expectError(400, call(courses, "uploadCourseAssetFile", courseId, "../escape.html", { file: page2 }));
  const again = fs.createReadStream(pkg("page").path);
  await expectError(
    409,
    call(courses, "uploadCourseAssetFile", courseId, "img/a.png", { file: again, updateAssetPolicy: "reject" }),
  );
  await expectError(
    400,
    call(courses, "importCourseAssetFile", courseId, importRequest(`${peer.base}/files/missing.png`, "img/b.png")),
  );
  await expectError(404, call(courses, "getCourseZip", uniqueId("no-course")));
});

test("version asset operations act on the version given", async () => {
  const courseId = uniqueId("vassets");
  await importCourse(courses, courseId, "course");
  await importCourse(courses, courseId, "v1", { mayCreateNewVersion: true });

  const uploaded = await call(courses, "uploadCourseVersionAssetFile", courseId, 0, "v0.html", {
    file: fs.createReadStream(pkg("page").path),
  });
  assert.ok(uploaded instanceof ScormCloud.AssetFileSchema);
  assert.equal(uploaded.destination, "v0.html");
  assert.equal((await fileSizes(courseId, 0))["v0.html"], PAGE().length);
  assert.equal((await fileSizes(courseId, 1))["v0.html"], undefined);
  assert.deepEqual(await call(courses, "getCourseVersionAsset", courseId, 0, "v0.html"), PAGE());
  const zip0 = unzip(await call(courses, "getVersionedCourseZip", courseId, 0));
  assert.deepEqual(zip0.get("v0.html"), PAGE());
  const zip1 = unzip(await call(courses, "getVersionedCourseZip", courseId, 1));
  assert.equal(zip1.has("v0.html"), false);
  assert.equal(zip1.get("index.html").toString(), `<html><body>${pkg("v1").launch}</body></html>`);

  await callEmpty(courses, "deleteCourseVersionAsset", courseId, 0, "v0.html");
  assert.equal((await fileSizes(courseId, 0))["v0.html"], undefined);

  const fetched = await call(
    courses,
    "importCourseVersionAssetFile",
    courseId,
    1,
    importRequest(peer.addFile(PNG(), { suffix: ".png", contentType: "image/png" }).url, "/img/b.png"),
  );
  assert.equal(fetched.destination, "img/b.png");
  assert.equal((await fileSizes(courseId, 1))["img/b.png"], PNG().length);
  assert.equal((await fileSizes(courseId, 0))["img/b.png"], undefined);
  assert.deepEqual(await call(courses, "getCourseVersionAsset", courseId, 1, "img/b.png"), PNG());
  await expectError(404, call(courses, "getCourseVersionAsset", courseId, 5, "img/b.png"));
  await expectError(404, call(courses, "getVersionedCourseZip", courseId, 5));
});
