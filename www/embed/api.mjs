// What the embed uses of the engine: the wasm-bindgen exports (loaded by browser.mjs).
export * from './sfnsim_wasm.js';
