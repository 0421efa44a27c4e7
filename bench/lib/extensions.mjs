// The extensions the bench loads, assembled into bench/out/ext/: RedShip's development build as
// built, plus the bench harness page under __bench/ (a page that no part of RedShip loads, so
// the worker and content scripts are exactly the build's), and the echo extension (the
// cold-start baseline) with the same harness page.
import { cpSync, rmSync, mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, OUT, DEV_EXTENSION, ROOT } from './env.mjs';
import { vendorScripts } from './deps.mjs';
import { writeTrackingData } from './ship-data.mjs';

let made = null;

function addHarness(dir, dataDir) {
  const h = join(dir, '__bench');
  mkdirSync(join(h, 'vendor'), { recursive: true });
  cpSync(join(BENCH, 'page'), h, { recursive: true });
  cpSync(join(BENCH, 'baseline'), join(h, 'baseline'), { recursive: true, filter: (f) => !f.endsWith('.mjs') });
  const { papa, xlsx } = vendorScripts();
  cpSync(papa, join(h, 'vendor/papaparse.min.js'));
  cpSync(xlsx, join(h, 'vendor/xlsx.full.min.js'));
  cpSync(dataDir, join(h, 'data'), { recursive: true });
}

/** Builds (once per run) and returns {redship, echo, echoWasm, echoEmpty} extension folders. */
export async function benchExtensions() {
  if (made) return made;
  if (!existsSync(join(DEV_EXTENSION, 'manifest.json'))) throw new Error(`no build at ${DEV_EXTENSION}: run ./build.sh first`);
  const root = join(OUT, 'ext');
  rmSync(root, { recursive: true, force: true });
  const dataDir = join(OUT, 'data');
  await writeTrackingData(dataDir);
  const redship = join(root, 'redship');
  cpSync(DEV_EXTENSION, redship, { recursive: true });
  // The harness seeds records with the worker's own modules (bench.js seedQuota); the build has
  // them only bundled into sw.js, so their sources come along (the worker still runs the bundle).
  cpSync(join(ROOT, 'extension/sw'), join(redship, 'sw'), { recursive: true });
  addHarness(redship, dataDir);
  const echo = join(root, 'echo');
  cpSync(join(BENCH, 'echo-extension'), echo, { recursive: true });
  addHarness(echo, dataDir);
  // Diagnostic: the echo worker that first loads RedShip's wasm (see echo-wasm-extension/sw.js).
  const echoWasm = join(root, 'echo-wasm');
  cpSync(join(BENCH, 'echo-extension'), echoWasm, { recursive: true });
  cpSync(join(BENCH, 'echo-wasm-extension'), echoWasm, { recursive: true });
  cpSync(join(DEV_EXTENSION, 'pkg'), join(echoWasm, 'pkg'), { recursive: true });
  addHarness(echoWasm, dataDir);
  // Diagnostic: the echo worker that fetches and compiles an empty module (see its sw.js).
  const echoEmpty = join(root, 'echo-empty-wasm');
  cpSync(join(BENCH, 'echo-extension'), echoEmpty, { recursive: true });
  cpSync(join(BENCH, 'echo-empty-wasm-extension'), echoEmpty, { recursive: true });
  mkdirSync(join(echoEmpty, 'pkg'), { recursive: true });
  writeFileSync(join(echoEmpty, 'pkg/empty.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  addHarness(echoEmpty, dataDir);
  made = { redship, echo, echoWasm, echoEmpty };
  return made;
}

/** Writes a small file into the bench data of both copies (e.g. a generated state). */
export function addData(name, content) {
  for (const dir of Object.values(made || {})) writeFileSync(join(dir, '__bench/data', name), content);
}
