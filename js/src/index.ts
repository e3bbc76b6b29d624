// Entry point for Node (and any runtime with node:fs): loads the wasm synchronously, so
// the API is ready as soon as the import resolves.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/edgetune_wasm.js";

initSync({ module: readFileSync(new URL("./wasm/edgetune_wasm_bg.wasm", import.meta.url)) });

export * from "./study.js";
export { RemoteStudy, RemoteTrial, type CreateRemoteStudyOptions, type RemoteOptions } from "./remote.js";
export { progress, type ProgressOptions, type ProgressStream } from "./progress.js";
