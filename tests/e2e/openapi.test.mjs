// /openapi.json describes every route of the router, and every route it describes is
// served; /docs renders it. The routes are read from the route patterns of
// crates/worker/src/router.rs and ax.rs, so a new route without documentation fails.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DevServer } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const source = (f) => readFileSync(new URL(`../../crates/worker/src/${f}`, import.meta.url), "utf8");
const PARAMS = { name: "{study_name}", number: "{number}", job_id: "{job_id}" };

/** Every (METHOD, path) of `(Method::X [| Method::Y], [segments])` arms in `text`. */
function routes(text, prefix) {
  const out = [];
  const arm = /\(\s*((?:Method::\w+\s*\|?\s*)+),\s*\[([^\]]*)\]/g;
  for (const [, methods, segs] of text.matchAll(arm)) {
    let paths = [[]];
    for (const raw of segs.split(/,(?![^(]*\))/).map((s) => s.trim()).filter(Boolean)) {
      let options;
      if (raw.startsWith('"')) options = [raw.slice(1, -1)];
      else if (raw.includes("@ (")) options = [...raw.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      else if (raw.includes("@ \"")) options = [raw.match(/"([^"]+)"/)[1]];
      else if (PARAMS[raw]) options = [PARAMS[raw]];
      else { paths = []; break; } // `rest @ ..` and friends: not a concrete route
      paths = paths.flatMap((p) => options.map((o) => [...p, o]));
    }
    for (const m of methods.match(/Method::(\w+)/g)) {
      for (const p of paths) out.push([m.slice(8).toLowerCase(), `${prefix}/${p.join("/")}`]);
    }
  }
  return out;
}

test("every route of the router is in /openapi.json, and every documented route is served", async () => {
  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  assert.equal(doc.openapi, "3.1.0");
  const router = source("router.rs");
  const found = [
    ...routes(router.slice(router.indexOf('["api", "v1", rest @ ..]')), "/api/v1"),
    ...routes(source("ax.rs"), "/ax/{api_key}"),
    ...[...router.matchAll(/\["api", "v1", "(\w+)"\] if method == Method::(\w+)/g)].map((m) => [m[2].toLowerCase(), `/api/v1/${m[1]}`]),
    ...[...router.matchAll(/\["([\w.]+)"\] if method == Method::(\w+)/g)].map((m) => [m[2].toLowerCase(), `/${m[1]}`]),
  ];
  assert.ok(found.length >= 25, `read ${found.length} routes from the source`);
  for (const [method, path] of found) {
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is not in /openapi.json`);
  }
  const fill = (path) => path.replace("{api_key}", "key-alpha").replace("{study_name}", "nosuch").replace("{number}", "0").replace("{job_id}", "nojob");
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "post", "delete"]) {
      if (!item[method]) continue;
      assert.ok(found.some(([m, p]) => m === method && p === path), `${method} ${path} is documented but not routed`);
      const r = await server.call(method.toUpperCase(), fill(path), { raw: method === "post" ? "{}" : undefined });
      const message = typeof r.body === "object" ? r.body?.error?.message ?? "" : "";
      assert.ok(!/no route|no such route/.test(message), `${method} ${path}: ${message}`);
    }
  }
  const docs = await fetch(`${server.base}/docs`);
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get("content-type"), /text\/html/);
  assert.match(await docs.text(), /edgetune API/);
});

// The request schemas against the Rust types: every body is parsed by a serde struct that
// denies unknown fields, and serde's refusal of an unknown field lists the fields the
// struct knows. They must be exactly the documented properties, and the document must
// close the object as the struct does.
test("every documented request body has exactly the fields its Rust type accepts", async () => {
  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  const schemaOf = (op) => {
    const s = op.requestBody.content["application/json"].schema;
    return s.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s;
  };
  // A study with a RUNNING trial 0, so that trial routes reach their body parser.
  const space = [{ name: "x", type: "float", low: 0, high: 1 }];
  assert.equal((await server.call("POST", "/api/v1/studies", { body: { study_name: "contract", search_space: space } })).status, 201);
  assert.equal((await server.call("POST", "/api/v1/studies/contract/trials/suggest")).status, 200);
  const fill = (path) => path.replace("{api_key}", "key-alpha").replace("{study_name}", "contract").replace("{number}", "0");
  let checked = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== "object" || !op.requestBody) continue;
      const schema = schemaOf(op);
      assert.equal(schema.additionalProperties, false, `${method} ${path}: the document must close the body`);
      const r = await server.call(method.toUpperCase(), fill(path), { raw: '{"zz_undocumented": 1}' });
      assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
      const m = r.body.error.message.match(/unknown field `zz_undocumented`, expected (.*)$/);
      assert.ok(m, `${method} ${path}: ${r.body.error.message}`);
      const accepted = [...m[1].matchAll(/`([^`]+)`/g)].map((x) => x[1]).sort();
      assert.deepEqual(accepted, Object.keys(schema.properties).sort(), `${method} ${path}: the Rust type's fields vs the documented ones`);
      checked++;
    }
  }
  assert.equal(checked, 8);
});
