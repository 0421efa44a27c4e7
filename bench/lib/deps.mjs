// Third-party code the baselines use, as JS tools do: papaparse and SheetJS `xlsx`, both project
// devDependencies (package-lock.json), installed by ./build.sh with npm ci.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.mjs';

/** Absolute paths of the browser builds of papaparse and SheetJS. */
export function vendorScripts() {
  const papa = join(ROOT, 'node_modules/papaparse/papaparse.min.js');
  const xlsx = join(ROOT, 'node_modules/xlsx/dist/xlsx.full.min.js');
  for (const f of [papa, xlsx]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm ci (./build.sh does)`);
  return { papa, xlsx };
}

/** SheetJS for Node (to write the XLSX fixture). */
export async function sheetjs() {
  const { xlsx } = vendorScripts();
  const { createRequire } = await import('node:module');
  return createRequire(xlsx)(join(xlsx, '../../'));
}
