// Third-party code the baselines use, as JS tools do: papaparse (a project devDependency) and
// SheetJS `xlsx`. SheetJS is not in package.json yet; until it is, the bench installs the pinned
// version into bench/out/deps (git-ignored) with npm, once.
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, OUT } from './env.mjs';

const XLSX_VERSION = '0.18.5';

/** Absolute paths of the browser builds of papaparse and SheetJS, installing SheetJS if needed. */
export function vendorScripts() {
  const papa = join(ROOT, 'node_modules/papaparse/papaparse.min.js');
  if (!existsSync(papa)) throw new Error('papaparse is missing: run npm ci (./build.sh does)');
  let xlsx = join(ROOT, 'node_modules/xlsx/dist/xlsx.full.min.js');
  if (!existsSync(xlsx)) {
    const dir = join(OUT, 'deps');
    xlsx = join(dir, 'node_modules/xlsx/dist/xlsx.full.min.js');
    if (!existsSync(xlsx)) {
      mkdirSync(dir, { recursive: true });
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', dir, `xlsx@${XLSX_VERSION}`],
        { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
  return { papa, xlsx };
}

/** SheetJS for Node (to write the XLSX fixture). */
export async function sheetjs() {
  const { xlsx } = vendorScripts();
  const { createRequire } = await import('node:module');
  return createRequire(xlsx)(join(xlsx, '../../'));
}
