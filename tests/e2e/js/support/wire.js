"use strict";
// Checks a raw JSON response against the JavaScript client's own model of it.
//
// The client decodes leniently: convertToType('Number') parses strings, 'Boolean' turns "false" into true, unknown
// keys are dropped and missing required fields go unnoticed. To make it an oracle, every response body is also
// checked against the types the client's generated models declare: the wire name and declared type of each field
// are read from the model's own constructFromObject, required fields from its constructor's parameters, and enum
// values from its <Field>Enum tables.
const assert = require("node:assert/strict");
const ScormCloud = require("@rusticisoftware/scormcloud-api-v2-client-javascript");

// Date-time values must carry their offset (OpenAPI 2.0 date-time is RFC 3339).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// One field of a generated constructFromObject: `if (data.hasOwnProperty('wire')) obj.prop = <conversion>;` where
// the conversion is ApiClient.convertToType(data['wire'], <type>) or <Model>.constructFromObject(data['wire']).
const FIELD = new RegExp(
  [
    String.raw`if \(data\.hasOwnProperty\('([^']+)'\)\)\s*obj\.(\w+) = `,
    String.raw`(?:ApiClient\.convertToType\(data\['[^']+'\], (.+?)\)|(\w+)\.constructFromObject\(data\['[^']+'\]\));`,
  ].join(""),
  "g",
);

const schemas = new Map();
const NAMES = new Map(
  Object.entries(ScormCloud)
    .filter(([name, value]) => name !== "ApiClient" && typeof value?.constructFromObject === "function")
    .map(([name, value]) => [value, name]),
);

function parseType(text) {
  const trimmed = text.trim();
  const primitive = /^'(\w+)'$/.exec(trimmed);
  if (primitive) return { kind: "primitive", name: primitive[1] };
  const array = /^\[(.+)\]$/.exec(trimmed);
  if (array) return { kind: "array", item: parseType(array[1]) };
  if (trimmed === "Object" || !/^\w+$/.test(trimmed)) return { kind: "any" };
  return { kind: "model", name: trimmed };
}

/** The fields of a model as the client declares them: wire name -> {property, type}, and the required properties. */
function schemaOf(Model) {
  if (schemas.has(Model)) return schemas.get(Model);
  const fields = new Map();
  for (const match of Model.constructFromObject.toString().matchAll(FIELD)) {
    const [, wire, property, converted, nested] = match;
    fields.set(wire, { property, type: nested ? { kind: "model", name: nested } : parseType(converted) });
  }
  const params = /^function\s*\(([^)]*)\)/.exec(Model.toString());
  const required = params && params[1].trim() ? params[1].split(",").map((p) => p.trim()) : [];
  const schema = { fields, required };
  schemas.set(Model, schema);
  return schema;
}

function modelNamed(name) {
  const Model = ScormCloud[name];
  assert.equal(typeof Model?.constructFromObject, "function", `the client has no model named ${name}`);
  return Model;
}

function checkValue(value, type, where) {
  if (value === null) {
    // The generated models have no notion of null: a null is passed through as-is and breaks callers that expect
    // the declared type, so the server must leave such keys out instead.
    assert.fail(`${where} is null; leave the key out instead`);
  }
  switch (type.kind) {
    case "any":
      return;
    case "array":
      assert.ok(Array.isArray(value), `${where} must be an array, got ${JSON.stringify(value)}`);
      value.forEach((item, i) => checkValue(item, type.item, `${where}[${i}]`));
      return;
    case "model":
      assert.ok(value !== null && typeof value === "object" && !Array.isArray(value), `${where} must be an object`);
      checkWire(value, modelNamed(type.name), where);
      return;
    default:
      break;
  }
  switch (type.name) {
    case "String":
      assert.equal(typeof value, "string", `${where} must be a string, got ${JSON.stringify(value)}`);
      return;
    case "Number":
    case "Integer":
      assert.equal(typeof value, "number", `${where} must be a number, got ${JSON.stringify(value)}`);
      return;
    case "Boolean":
      assert.equal(typeof value, "boolean", `${where} must be a boolean, got ${JSON.stringify(value)}`);
      return;
    case "Date":
      assert.match(String(value), DATE_TIME, `${where} must be an ISO 8601 date-time with an offset`);
      assert.ok(!Number.isNaN(new Date(value).getTime()), `${where} is not a valid date: ${value}`);
      return;
    default:
      assert.fail(`${where}: the client declares an unknown type ${type.name}`);
  }
}

/** Assert that ``raw`` (a parsed JSON body) is what ``Model`` declares: known keys, declared types, enums, required. */
function checkWire(raw, Model, where = NAMES.get(Model) ?? "body") {
  const { fields, required } = schemaOf(Model);
  assert.ok(raw !== null && typeof raw === "object", `${where} must be a JSON object`);
  for (const [wire, value] of Object.entries(raw)) {
    const field = fields.get(wire);
    assert.ok(field, `${where} has a key the client does not know: ${wire}`);
    checkValue(value, field.type, `${where}.${wire}`);
    const values = Model[`${field.property[0].toUpperCase()}${field.property.slice(1)}Enum`];
    if (values && typeof value === "string") {
      assert.ok(Object.values(values).includes(value), `${where}.${wire} = ${value} is not one of the client's enum`);
    }
  }
  for (const property of required) {
    const wire = [...fields].find(([, f]) => f.property === property)?.[0] ?? property;
    assert.ok(raw[wire] !== undefined, `${where} lacks the required key ${wire}`);
  }
}

module.exports = { NAMES, checkWire, schemaOf };
