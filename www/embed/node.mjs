// The package in node (>= 20): the wasm is read from the package folder, synchronously, so the
// engine is usable as soon as the import resolves (`ready` is already settled).
import { readFileSync } from 'node:fs';
import { initSync } from './sfnsim_wasm.js';

export * from './sfnsim_wasm.js';

initSync({ module: readFileSync(new URL('./sfnsim_wasm_bg.wasm', import.meta.url)) });

/** Resolves at once in node: the engine was loaded by the import. */
export const ready = Promise.resolve();

/** The embed needs a browser. */
export function mount() {
  throw new Error('sfnsim: mount() needs a browser (a DOM element to draw in)');
}
