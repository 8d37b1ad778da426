/*
 * coursehost SCORM run-time: the data-model engine (no dependencies, ES2020, no build step).
 *
 * Loaded as a classic <script> it attaches itself to `globalThis.CoursehostRuntime.engine`; required from Node
 * (`require("./engine.js")`) it is the module's exports. common.js re-exports all of it.
 *
 * A data model is a schema tree of groups, arrays and leaves bound to a data object. The engine resolves a
 * dot-notation element name against the schema and runs the generic GetValue / SetValue flows (access rules,
 * `_children`, `_count`, `_version`, packed-array indices); it answers with abstract error "kinds" that each API maps
 * to its own error codes:
 *   undefined   the element is not part of the data model
 *   nochildren  `_children` requested on an element that has none
 *   nocount     `_count` requested on an element that is not an array
 *   noversion   `_version` requested on an element other than the data model root
 *   keyword     SetValue on a keyword (`_children`, `_count`, `_version`)
 *   readonly    SetValue on a read-only element
 *   writeonly   GetValue on a write-only element
 *   index       an array index beyond `_count` (GetValue) or beyond the next free slot (SetValue)
 *   dependency  SetValue before a prerequisite element was set (e.g. an interaction's id)
 *   type        the value has the wrong format
 *   range       the value is well-formed but out of the element's range
 *   unique      the value violates a uniqueness constraint (identifiers)
 *   general     any other failure of the call
 *   notinit     GetValue of an element that has no value yet
 */
(function (root, factory) {
  "use strict";
  var exported = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = exported;
  } else if (root) {
    root.CoursehostRuntime = root.CoursehostRuntime || {};
    root.CoursehostRuntime.engine = exported;
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  // ---------------------------------------------------------------------------------------------------------------
  // Schema
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * A group of named children. options.children: the `_children` value (omit to answer "nochildren");
   * options.version: the `_version` value (only on the root).
   */
  function group(children, options) {
    options = options || {};
    return { kind: "group", children: children, childrenList: options.children, version: options.version };
  }

  /**
   * A packed array of `item` groups. options.children: the `_children` value; options.requires: the name of the
   * leaf an item must be created with (else "dependency"); options.fixed: items cannot be created by the SCO;
   * options.makeItem(ctx): the initial object of a new item.
   */
  function array(item, options) {
    options = options || {};
    return {
      kind: "array",
      item: item,
      childrenList: options.children,
      requires: options.requires,
      fixed: !!options.fixed,
      makeItem: options.makeItem || function () { return {}; },
    };
  }

  /**
   * A value. options.access: "r", "w" or "rw"; options.validate(value, ctx) -> null or {kind, message};
   * options.get(ctx) -> value (null/undefined = not initialised, a fail() object = that error); options.set(ctx, value)
   * replaces the store.
   */
  function leaf(options) {
    return {
      kind: "leaf",
      access: options.access || "rw",
      validate: options.validate,
      get: options.get,
      set: options.set,
    };
  }

  function fail(kind, message) {
    return { kind: kind, message: message };
  }

  /** A validator that runs each of `checks` (validators) in turn and answers with the first problem. */
  function all() {
    var checks = Array.prototype.slice.call(arguments);
    return function (value, ctx) {
      for (var i = 0; i < checks.length; i++) {
        var problem = checks[i](value, ctx);
        if (problem) return problem;
      }
      return null;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Resolution and the GetValue / SetValue flows
  // ---------------------------------------------------------------------------------------------------------------

  var INDEX_RE = /^(?:0|[1-9]\d*)$/;

  /**
   * Resolve a dot-notation element against the schema. Returns {error: {kind, message}} or
   * {type: "leaf"|"children"|"count"|"version", node, path, steps} where `path` addresses the value in the data
   * object (array indices as numbers) and `steps` lists each array index on the way ({arrayPath, index}).
   */
  function resolve(schema, element) {
    var tokens = element.split(".");
    var node = schema;
    var path = [];
    var steps = [];
    var undefinedElement = fail("undefined", "The data model element " + element + " is not defined");
    if (tokens[0] !== schema.name) return { error: undefinedElement };
    node = schema.root;
    for (var i = 1; i < tokens.length; i++) {
      var token = tokens[i];
      var last = i === tokens.length - 1;
      if (node.kind === "leaf") {
        if (last && token === "_children") {
          return { error: fail("nochildren", tokens.slice(0, i).join(".") + " does not have children") };
        }
        if (last && token === "_count") {
          return { error: fail("nocount", tokens.slice(0, i).join(".") + " is not an array and has no count") };
        }
        return { error: undefinedElement };
      }
      if (token === "_children") {
        if (!last) return { error: undefinedElement };
        if (node.childrenList === undefined) {
          return { error: fail("nochildren", tokens.slice(0, i).join(".") + " does not support _children") };
        }
        return { type: "children", node: node, path: path, steps: steps };
      }
      if (token === "_count") {
        if (!last) return { error: undefinedElement };
        if (node.kind !== "array") {
          return { error: fail("nocount", tokens.slice(0, i).join(".") + " is not an array and has no count") };
        }
        return { type: "count", node: node, path: path, steps: steps };
      }
      if (token === "_version") {
        if (last && node.version !== undefined) return { type: "version", node: node, path: path, steps: steps };
        if (last) return { error: fail("noversion", tokens.slice(0, i).join(".") + " does not have a version") };
        return { error: undefinedElement };
      }
      if (node.kind === "array") {
        if (!INDEX_RE.test(token)) return { error: undefinedElement };
        steps.push({ arrayPath: path.slice(), index: Number(token), node: node, rest: tokens.slice(i + 1) });
        path.push(Number(token));
        node = node.item;
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(node.children, token)) return { error: undefinedElement };
      path.push(token);
      node = node.children[token];
    }
    if (node.kind !== "leaf") return { error: undefinedElement };
    return { type: "leaf", node: node, path: path, steps: steps };
  }

  function readPath(data, path) {
    var value = data;
    for (var i = 0; i < path.length; i++) {
      if (value === undefined || value === null) return undefined;
      value = value[path[i]];
    }
    return value;
  }

  /** The array at `path`, created empty if missing. */
  function arrayAt(data, path) {
    var holder = data;
    for (var i = 0; i < path.length - 1; i++) holder = holder[path[i]];
    var key = path[path.length - 1];
    if (!Array.isArray(holder[key])) holder[key] = [];
    return holder[key];
  }

  /** The object holding the value at `path` (creating the intermediate plain objects). */
  function holderOf(data, path) {
    var holder = data;
    for (var i = 0; i < path.length - 1; i++) {
      var key = path[i];
      if (holder[key] === undefined || holder[key] === null) holder[key] = typeof path[i + 1] === "number" ? [] : {};
      holder = holder[key];
    }
    return holder;
  }

  /**
   * A data model: a schema with a name ("cmi" or "adl"), bound to a data object. `model.get(element)` and
   * `model.set(element, value)` return {value} / {ok: true} or {error: {kind, message}}.
   */
  function createModel(name, root, data, context) {
    var schema = { name: name, root: root };

    function ctxFor(resolved, extra) {
      var ctx = {
        data: data,
        path: resolved.path,
        steps: resolved.steps,
        indices: resolved.steps.map(function (s) { return s.index; }),
        context: context,
        item: function (depth) {
          // The array item object at the given step depth (default: the innermost one), or undefined.
          var step = resolved.steps[depth === undefined ? resolved.steps.length - 1 : depth];
          if (!step) return undefined;
          var list = readPath(data, step.arrayPath);
          return Array.isArray(list) ? list[step.index] : undefined;
        },
      };
      if (extra) Object.keys(extra).forEach(function (k) { ctx[k] = extra[k]; });
      return ctx;
    }

    function checkExisting(resolved) {
      for (var i = 0; i < resolved.steps.length; i++) {
        var step = resolved.steps[i];
        var list = readPath(data, step.arrayPath);
        var length = Array.isArray(list) ? list.length : 0;
        if (step.index >= length) {
          return fail("index", name + "." + step.arrayPath.concat([step.index]).join(".") +
            " does not exist (_count is " + length + ")");
        }
      }
      return null;
    }

    function get(element) {
      var resolved = resolve(schema, element);
      if (resolved.error) return resolved;
      if (resolved.type === "leaf" && resolved.node.access.indexOf("r") < 0) {
        return { error: fail("writeonly", element + " is write-only") };
      }
      var missing = checkExisting(resolved);
      if (missing) return { error: missing };
      if (resolved.type === "children") return { value: resolved.node.childrenList };
      if (resolved.type === "version") return { value: resolved.node.version };
      if (resolved.type === "count") {
        var list = readPath(data, resolved.path);
        return { value: String(Array.isArray(list) ? list.length : 0) };
      }
      var ctx = ctxFor(resolved, { element: element });
      var value = resolved.node.get ? resolved.node.get(ctx) : readPath(data, resolved.path);
      if (value !== null && typeof value === "object" && value.kind) return { error: value };
      if (value === undefined || value === null) {
        return { error: fail("notinit", element + " has not been initialized"), value: "" };
      }
      return { value: String(value) };
    }

    function set(element, value) {
      var resolved = resolve(schema, element);
      if (resolved.error) {
        var kind = resolved.error.kind;
        if (kind === "nochildren" || kind === "nocount" || kind === "noversion") {
          return { error: fail("keyword", element + " is a keyword and cannot be set") };
        }
        return resolved;
      }
      if (resolved.type !== "leaf") return { error: fail("keyword", element + " is a keyword and cannot be set") };
      if (resolved.node.access.indexOf("w") < 0) return { error: fail("readonly", element + " is read-only") };
      var creating = [];
      for (var i = 0; i < resolved.steps.length; i++) {
        var step = resolved.steps[i];
        var list = readPath(data, step.arrayPath);
        var length = Array.isArray(list) ? list.length : 0;
        var where = name + "." + step.arrayPath.concat([step.index]).join(".");
        if (step.node.fixed && step.index >= length) {
          return { error: fail("index", where + " does not exist and cannot be created (_count is " + length + ")") };
        }
        // Packed arrays: an index may address an existing item or the next free slot (which creates it). An array
        // inside an item created by this call is empty, so only its index 0 passes.
        if (step.index > length) {
          return { error: fail("index", where + " is out of order: the next index is " + length) };
        }
        if (step.index >= length) {
          if (step.node.requires && !(step.rest.length === 1 && step.rest[0] === step.node.requires)) {
            return { error: fail("dependency", where + "." + step.node.requires + " must be set first") };
          }
          creating.push(step);
        }
      }
      var ctx = ctxFor(resolved, { element: element, creating: creating.length > 0 });
      if (resolved.node.validate) {
        var problem = resolved.node.validate(value, ctx);
        if (problem) return { error: problem };
      }
      creating.forEach(function (step) {
        var list = arrayAt(data, step.arrayPath);
        list.push(step.node.makeItem(ctx));
      });
      if (resolved.node.set) {
        resolved.node.set(ctx, value);
      } else {
        holderOf(data, resolved.path)[resolved.path[resolved.path.length - 1]] = value;
      }
      return { ok: true };
    }

    return { get: get, set: set, schema: schema };
  }

  return {
    group: group,
    array: array,
    leaf: leaf,
    fail: fail,
    all: all,
    resolve: resolve,
    readPath: readPath,
    createModel: createModel,
  };
});
