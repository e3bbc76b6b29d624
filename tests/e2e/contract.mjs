// Checks every response of the real Worker against /openapi.json: each JSON body must
// validate against the schema documented for its route and status (JSON Schema 2020-12,
// as OpenAPI 3.1 uses, by Ajv). The schemas close their objects (additionalProperties:
// false), so a field the Rust code adds, drops or retypes without the document fails
// whichever end-to-end test made the request.
//
// The document is the one the Worker serves (generated from the route table at build
// time): `DevServer.start()` fetches it and hands it to `useDocument`.
import Ajv2020 from "ajv/dist/2020.js";

let ajv = null;
let routes = [];
let compiled = new Map();

/** Checks every later response against `doc`, the served /openapi.json. */
export function useDocument(doc) {
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "doc", components: doc.components });
  compiled = new Map();
  // Documented routes as matchers, literal segments before parameters.
  routes = Object.entries(doc.paths)
    .map(([template, item]) => ({
      template,
      item,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      literals: template.split("/").filter((s) => s && !s.startsWith("{")).length,
    }))
    .sort((a, b) => b.literals - a.literals);
}

function validator(template, method, status, schema) {
  const key = `${method} ${template} ${status}`;
  if (!compiled.has(key)) {
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/');
    compiled.set(key, ajv.compile(JSON.parse(text)));
  }
  return compiled.get(key);
}

/**
 * The reasons `body` (a response of `method path` with `status`) breaks the document,
 * or [] when it conforms. Routes that are not documented are the router's own 404s and
 * are not checked here (openapi.test.mjs checks that every route is documented).
 */
export function contractViolations(method, path, status, contentType, body) {
  if (!ajv) throw new Error("no OpenAPI document: call useDocument first");
  const pathname = new URL(path, "http://x").pathname;
  const route = routes.find((r) => r.pattern.test(pathname) && r.item[method.toLowerCase()]);
  if (!route || !/application\/json/.test(contentType ?? "")) return [];
  const op = route.item[method.toLowerCase()];
  const documented = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
  const where = `${method} ${route.template} → ${status}`;
  if (!documented) return [`${where}: status not documented`];
  const schema = documented.content?.["application/json"]?.schema;
  if (!schema) return [`${where}: JSON body not documented`];
  const validate = validator(route.template, method, status, schema);
  if (validate(body)) return [];
  return validate.errors.map((e) => `${where}: ${e.instancePath || "(body)"} ${e.message} ${JSON.stringify(e.params)}`);
}
