// The package in a browser (imported as a module, or bundled): the wasm is fetched from beside
// this file once, however many embeds and callers use it.
import init from './sfnsim_wasm.js';
import { mount as mountNow } from './mount.mjs';

export * from './sfnsim_wasm.js';

let loaded = false;
/** Resolves once the engine is loaded; everything else waits for it. */
export const ready = init({ module_or_path: new URL('./sfnsim_wasm_bg.wasm', import.meta.url) }).then(() => {
  loaded = true;
});

/** Mounts a live diagram on `element` (after `await ready`). */
export function mount(element, options) {
  if (!loaded) throw new Error('sfnsim: mount() before the engine loaded (await ready first)');
  return mountNow(element, options);
}
