// Cold-start diagnostic (not a baseline): the echo worker plus RedShip's wasm core loaded exactly
// as sw/core.js loads it, answering only once the module is compiled and init() has run. The
// difference to the echo worker is the cost of the wasm; the rest of RedShip's cold start is its
// modules, storage reads and the query itself.
import initWasm, * as wasm from './pkg/redship_wasm.js';

const ready = initWasm({ module_or_path: new URL('./pkg/redship_wasm_bg.wasm', import.meta.url) }).then(() => { wasm.init(); });

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  ready.then(() => sendResponse({ ok: true, data: msg }), (e) => sendResponse({ ok: false, error: String(e) }));
  return true;
});
