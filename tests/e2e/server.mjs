// Starts the real Worker build under `wrangler dev` (workerd, Durable Objects with
// SQLite) on a free loopback port, with its own persistence folder and API keys.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractViolations, useDocument } from "./contract.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** API keys of the test tenants. */
export const KEYS = { alpha: "key-alpha", beta: "key-beta" };

const sha256 = (s) => createHash("sha256").update(s).digest("hex");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A running `wrangler dev`; `restart()` keeps its storage. */
export class DevServer {
  /**
   * `vars` override the test defaults below (e.g. { MAX_TRIALS_PER_STUDY: "100000" });
   * `keys` adds tenants ({ tenant: key }), called with `tenant: key`.
   */
  constructor(vars = {}, { keys = {} } = {}) {
    this.persist = mkdtempSync(join(tmpdir(), "edgetune-e2e-"));
    this.envFile = join(this.persist, "test.env");
    const all = { ...KEYS, ...keys };
    const table = Object.fromEntries(Object.entries(all).map(([tenant, key]) => [sha256(key), tenant]));
    writeFileSync(
      this.envFile,
      Object.entries({
        API_KEYS: `'${JSON.stringify(table)}'`,
        ANONYMOUS_TENANT: "anon",
        CORS_ORIGINS: "http://app.test",
        MAX_TRIALS_PER_STUDY: "205",
        MAX_CONCURRENT_JOBS: "6",
        ...vars,
      })
        .map(([k, v]) => `${k}=${v}`)
        .join("\n") + "\n",
    );
    this.proc = null;
    this.log = "";
  }

  /**
   * Starts `wrangler dev` on a free port. Between finding the port and wrangler binding
   * it, another process (often a workerd of an earlier server) may take it: then it
   * tries another port, up to three in all.
   */
  async start() {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.launch();
      } catch (e) {
        if (attempt === 3 || !/Address already in use/.test(e.message)) throw e;
        this.log = "";
      }
    }
  }

  async launch() {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.proc = spawn(
      join(root, "node_modules/.bin/wrangler"),
      ["dev", "--ip", "127.0.0.1", "--port", String(this.port), "--persist-to", this.persist,
        "--env-file", this.envFile, "--show-interactive-dev-session=false", "--log-level", process.env.E2E_LOG_LEVEL ?? "warn"],
      { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.proc.stdout.on("data", (d) => (this.log += d));
    this.proc.stderr.on("data", (d) => (this.log += d));
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`wrangler dev exited:\n${this.log}`);
      try {
        const r = await fetch(`${this.base}/api/v1/health`);
        if (r.status === 200) {
          useDocument(await (await fetch(`${this.base}/openapi.json`)).json());
          return this;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`wrangler dev did not become healthy:\n${this.log}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    process.kill(-this.proc.pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-this.proc.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  /** Fires the Worker's cron trigger, as the platform would (`scheduled`). */
  async cron(expression = "*/5 * * * *") {
    const r = await fetch(`${this.base}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(expression)}`);
    const text = await r.text();
    if (r.status !== 200) throw new Error(`scheduled handler: ${r.status} ${text}`);
    return text;
  }

  /**
   * A request as tenant `tenant` (or none); returns { status, body }. Throws when the
   * response breaks /openapi.json (see contract.mjs).
   */
  async call(method, path, { body, tenant = "alpha", raw } = {}) {
    const headers = {};
    if (tenant) headers.authorization = `Bearer ${KEYS[tenant] ?? tenant}`;
    if (body !== undefined || raw !== undefined) headers["content-type"] = "application/json";
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    const violations = contractViolations(method, path, r.status, r.headers.get("content-type"), json);
    if (violations.length) {
      throw new Error(`response breaks /openapi.json:\n  ${violations.join("\n  ")}\nbody: ${text.slice(0, 2000)}`);
    }
    return { status: r.status, body: json };
  }
}
