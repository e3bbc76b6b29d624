// /openapi.json is generated from the route table (crates/api/src/routes.rs) at build
// time: every row of the table is in the served document and every documented route is
// served; the document keeps at least what it documented before it was generated; /docs
// is Swagger UI over it, with its assets served locally.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DevServer } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

/** The rows of the route table: [method, path]. */
function tableRoutes() {
  const text = readFileSync(new URL("../../crates/api/src/routes.rs", import.meta.url), "utf8");
  const table = text.slice(text.indexOf("route_table! {"));
  return [...table.matchAll(/^\s+\w+: (Get|Post|Put|Delete) "([^"]+)"/gm)].map((m) => [m[1].toLowerCase(), m[2]]);
}

test("the served /openapi.json and the route table agree, and every documented route is served", async () => {
  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  assert.equal(doc.openapi, "3.1.0");
  const rows = tableRoutes();
  assert.ok(rows.length >= 31, `read ${rows.length} rows from the route table`);
  for (const [method, path] of rows) {
    assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is in the table but not in /openapi.json`);
  }
  const fill = (path) => path.replace("{api_key}", "key-alpha").replace("{study_name}", "nosuch").replace("{number}", "0").replace("{job_id}", "nojob");
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "post", "put", "delete"]) {
      if (!item[method]) continue;
      assert.ok(rows.some(([m, p]) => m === method && p === path), `${method} ${path} is documented but not in the table`);
      const r = await server.call(method.toUpperCase(), fill(path), { raw: method === "post" ? "{}" : undefined });
      const message = typeof r.body === "object" ? r.body?.error?.message ?? "" : "";
      assert.ok(!/no route|no such route/.test(message), `${method} ${path}: ${message}`);
      assert.notEqual(r.status, 405, `${method} ${path} answers 405`);
    }
  }
  const docs = await fetch(`${server.base}/docs`);
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get("content-type"), /text\/html/);
  const page = await docs.text();
  assert.match(page, /edgetune API/);
  for (const asset of [...page.matchAll(/(?:src|href)="(\/swagger\/[^"]+)"/g)].map((m) => m[1])) {
    const r = await fetch(`${server.base}${asset}`);
    assert.equal(r.status, 200, `${asset} is not served`);
    assert.ok((await r.arrayBuffer()).byteLength > 1000, `${asset} is empty`);
  }
  assert.match(page, /swagger-ui-bundle\.js/);
});

test("the generated document keeps every path, method, request field and query parameter documented before", async () => {
  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  const floor = JSON.parse(readFileSync(new URL("./openapi-floor.json", import.meta.url), "utf8"));
  const deref = (s) => (s?.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s);
  for (const { method, path, body_fields, query } of floor.operations) {
    const op = doc.paths[path]?.[method];
    assert.ok(op, `${method} ${path} is no longer documented`);
    const body = deref(op.requestBody?.content?.["application/json"]?.schema);
    for (const field of body_fields) {
      assert.ok(body?.properties?.[field], `${method} ${path}: request field ${field} is no longer documented`);
    }
    const documented = (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    for (const name of query) assert.ok(documented.includes(name), `${method} ${path}: query parameter ${name} is no longer documented`);
  }
  assert.ok(floor.operations.length >= 31);
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
  const fill = (path) => path.replace("{api_key}", "key-alpha").replace("{study_name}", "contract").replace("{number}", "0").replace("{automation_name}", "nightly");
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
  assert.equal(checked, 18);
});
