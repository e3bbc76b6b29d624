// Entry point for browsers: fetches and instantiates the wasm with top-level await, so
// the API is ready as soon as the import resolves.
import init from "./wasm/edgetune_wasm.js";

await init({ module_or_path: new URL("./wasm/edgetune_wasm_bg.wasm", import.meta.url) });

export * from "./study.js";
export { RemoteStudy, RemoteTrial, type CreateRemoteStudyOptions, type RemoteOptions } from "./remote.js";
