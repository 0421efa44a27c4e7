// RedShip's service worker as Chrome starts it (a classic worker). First it starts fetching and
// compiling the main wasm module, then it runs the worker itself (sw-main.js: sw/main.js and
// everything it imports, bundled by tools/assemble.mjs). The module compiles on other threads
// while the bundle is parsed and run; as a module worker, the whole bundle was parsed before any
// line ran, and the module's fetch began only then (the first answer after a cold start came 3–4
// ms later: the bench's cold start went from 1.48× its floor to 1.18–1.23× with this order).
self.redshipMainModule = WebAssembly.compileStreaming(fetch(chrome.runtime.getURL('pkg/redship_wasm_bg.wasm')));
importScripts('sw-main.js');
