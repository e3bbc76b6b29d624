// Entry point for Cloudflare Workers (the `workerd` export condition): the Workers
// bundler imports the .wasm file as a compiled `WebAssembly.Module`, instantiated here
// synchronously, so the API is ready as soon as the import resolves.
// @ts-expect-error: a .wasm import is a WebAssembly.Module in workerd, not a TS module.
import wasmModule from "./wasm/edgetune_wasm_bg.wasm";
import { initSync } from "./wasm/edgetune_wasm.js";

initSync({ module: wasmModule as WebAssembly.Module });

export * from "./study.js";
export { RemoteStudy, RemoteTrial, type CreateRemoteStudyOptions, type RemoteOptions } from "./remote.js";
