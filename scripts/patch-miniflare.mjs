// Fixes the local cron trigger of `wrangler dev` when the Worker has static assets.
//
// Miniflare (wrangler 4.86, the last release that runs on Node.js 20) sends
// `/cdn-cgi/handler/scheduled` through its assets RPC proxy, which forwards `scheduled`
// to the user Worker as an RPC call with the ScheduledController as argument; that
// object cannot be serialized, so every local cron answers "500 exception"
// (cloudflare/workers-sdk#9882, fixed upstream in #14177, released only for Node.js 22).
// The proxy gets its own `scheduled` handler, which makes the same RPC call with the
// controller's plain fields (`cron`, `scheduledTime`), all the user Worker reads. Production is not affected: there, cron events reach the Worker directly.
//
// Idempotent: run after every `npm ci` (scripts/bootstrap.sh).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(
  new URL("../node_modules/miniflare/dist/src/workers/assets/rpc-proxy.worker.js", import.meta.url),
);
const MARK = "edgetune: workers-sdk#9882";
const source = readFileSync(file, "utf8");
if (!source.includes(MARK)) {
  const anchor = "  constructor(ctx, env) {";
  if (!source.includes(anchor)) {
    throw new Error(`patch-miniflare: ${file} changed shape; the local cron fix no longer applies`);
  }
  const handler = `  // ${MARK}: the user Worker's handler is called over RPC with the
  // controller's plain fields; a throw in it rejects here, so the answer is "exception".
  async scheduled(controller) {
    await this.env.USER_WORKER.scheduled({
      scheduledTime: controller.scheduledTime,
      cron: controller.cron
    });
  }
`;
  writeFileSync(file, source.replace(anchor, handler + anchor));
}
