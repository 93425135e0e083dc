// Starts the page's wasm. Trunk's own loader is an inline script, which a strict
// Content-Security-Policy (script-src 'self') refuses; Trunk.toml's pattern_script puts this file
// in its place and passes the hashed file names as data attributes.
const boot = document.querySelector('script[data-sfnsim-boot]');
const bindings = await import(new URL(boot.dataset.js, document.baseURI).href);
const wasm = await bindings.default({ module_or_path: new URL(boot.dataset.wasm, document.baseURI).href });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
