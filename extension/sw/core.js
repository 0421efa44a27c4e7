// Loads RedShip's wasm core once per service-worker start. A module service worker cannot use
// top-level await, so the start is kicked off here at import time and `ready` is awaited by
// every handler; listeners are registered synchronously elsewhere (see sw.js).
//
// The core is two modules. `core` (pkg/redship_wasm) is everything the worker does all day and
// is compiled at every start. `office()` (pkg/redship_office) reads every import (a paste, a CSV,
// a workbook) and writes every file (the CSV and XLSX exports, the backup, the fill report's
// CSV): that code runs only when the user imports or saves a file, so it is compiled only then
// (service workers cannot `import()` at run time, so the small glue is imported
// statically and only the wasm is fetched late). The wasm is named by its place in the
// extension, not relative to this file: the build bundles this file into sw.js.
import initWasm, * as wasm from '../pkg/redship_wasm.js';
import initOffice, * as officeWasm from '../pkg/redship_office.js';
import profile from '../site-profile.json' with { type: 'json' };

/** The wasm exports (`chinaDay`, `quota…`, `tracking…`, `transit…`, `vault…`). */
export const core = wasm;

let loaded = false;
let siteHandle = null;
let siteError = null;

/** Resolves when the wasm module is compiled and `init()` has run. The worker's start script
 *  (sw.js) began compiling it before this bundle was parsed; a page that imports this file
 *  (the bench's harness) fetches it here. */
export const ready = initWasm({ module_or_path: globalThis.redshipMainModule ?? chrome.runtime.getURL('pkg/redship_wasm_bg.wasm') })
  .then(() => {
    wasm.init();
    loaded = true;
  });

/**
 * The core's handle of the site profile (`extension/site-profile.json`); after `ready`. Read on
 * first use, not at start: the core reads every page answer through it, but a cold start's first
 * answer (the popup's dashboard) never does, and reading it took about a millisecond of that
 * answer. A profile the core refuses fails only the calls that need it, by name, every time.
 */
export function site() {
  if (siteHandle) return siteHandle;
  if (siteError) throw siteError;
  if (!loaded) throw Object.assign(new Error('site profile not loaded yet'), { name: 'ProfileError' });
  try {
    siteHandle = new wasm.SiteProfile(profile);
  } catch (e) {
    siteError = e;
    console.error('RedShip: the site profile could not be read', e);
    throw e;
  }
  return siteHandle;
}

/** The site profile's version, for the self-check and diagnostics. */
export const siteVersion = profile.version;

let officeReady = null;

/** The office module's exports (`shipImport`, `shipSheets`, `transitExportCsv`,
 *  `transitExportXlsx`, `vaultBackupExport`, `shipReportCsv`),
 *  loaded on first use; a failed load is retried on the next call. */
export async function office() {
  officeReady ??= initOffice({ module_or_path: chrome.runtime.getURL('pkg/redship_office_bg.wasm') })
    .then(() => { officeWasm.init(); return officeWasm; })
    .catch((e) => { officeReady = null; throw e; });
  return officeReady;
}
