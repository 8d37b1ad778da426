// The rules the player's static files keep: small files, and player modules that name each other the way the page's
// import map (render.import_map) versions them.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PLAYER_DIR } from "./player-fixtures.mjs";

const STATIC_DIR = path.dirname(PLAYER_DIR);
const MAX_LINES = 400;

function scripts(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return scripts(full);
    return /\.m?js$/.test(entry.name) ? [full] : [];
  });
}

describe("the player's static scripts", () => {
  for (const file of scripts(STATIC_DIR)) {
    const name = path.relative(STATIC_DIR, file);
    test(`${name} has at most ${MAX_LINES} lines`, () => {
      const lines = fs.readFileSync(file, "utf8").split("\n").length - 1;
      assert.ok(lines <= MAX_LINES, `${name} has ${lines} lines`);
    });
  }

  for (const file of scripts(PLAYER_DIR)) {
    const name = path.basename(file);
    test(`${name} imports sibling .mjs modules only, by relative name`, () => {
      const source = fs.readFileSync(file, "utf8");
      const imports = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)];
      assert.equal(imports.length, (source.match(/^import\s/gm) || []).length, `${name}: an import was not read`);
      for (const [, specifier] of imports) {
        assert.match(specifier, /^\.\/[a-z-]+\.mjs$/, `${name} imports ${specifier}`);
        assert.ok(fs.existsSync(path.join(PLAYER_DIR, specifier)), `${name} imports ${specifier}, which is missing`);
      }
      assert.ok(!/\bimport\s*\(/.test(source), `${name} imports dynamically`);
    });
  }
});
