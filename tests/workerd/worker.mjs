// The npm package inside a Worker, as users import it: `import ... from "edgetune"`
// resolves through the `workerd` export condition. Answers with the cross-target check
// (tests/shared/determinism.mjs) for tests/e2e/npm-workerd.test.mjs to assert.
import * as edgetune from "edgetune";
import golden from "../golden/determinism.json";
import { runDeterminism } from "../shared/determinism.mjs";

export default {
  async fetch() {
    try {
      return Response.json(await runDeterminism(edgetune, golden));
    } catch (e) {
      return Response.json({ failure: String(e?.stack ?? e) });
    }
  },
};
