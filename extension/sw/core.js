// Loads RedShip's wasm core once per service-worker start. A module service worker cannot use
// top-level await, so the start is kicked off here at import time and `ready` is awaited by
// every handler; listeners are registered synchronously elsewhere (see sw.js).
import initWasm, * as wasm from '../pkg/redship_wasm.js';

/** The wasm exports (`chinaDay`, `quota…`, `tracking…`, `transit…`, `vault…`). */
export const core = wasm;

/** Resolves when the wasm module is compiled and `init()` has run. */
export const ready = initWasm({ module_or_path: new URL('../pkg/redship_wasm_bg.wasm', import.meta.url) })
  .then(() => { wasm.init(); });
