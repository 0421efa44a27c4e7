// Row 6 — size: the wasm core gzipped (as the store and the browser's cache see it) and the
// store zip. No baseline: the goals are absolute (KB = 1000 bytes). The core is two modules: the
// main one, compiled at every service-worker start, and the office one (every import, every file
// written, the rare page actions), compiled only when one of those needs it. Size is a guard,
// not a chase (issue 25): the main module must stay ≤ 420 KB gzipped; the office module, both
// together and the store zip are shown without a goal.
// When the guard is missed, the note lists what contributes: twiggy's top
// items if installed, else section sizes of the shipped module and code bytes per crate from
// the unoptimised build's name section.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DIST, ROOT, version } from '../lib/env.mjs';
import { contributors, parseWasm } from '../lib/wasm-sections.mjs';

const KB = 1000;

function zipListing(zip) {
  const out = execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in sorted(z.infolist(), key=lambda i: -i.compress_size)[:12]:
    print(f"{i.compress_size}\\t{i.file_size}\\t{i.filename}")
`, zip]).toString().trim().split('\n');
  return out.map((l) => { const [c, u, name] = l.split('\t'); return { name, compressed: Number(c), bytes: Number(u) }; });
}

function twiggyTop(wasm) {
  try {
    return execFileSync('twiggy', ['top', '-n', '15', wasm], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch { return null; }
}

// `goal` null: shown without a goal.
const MODULES = [
  { id: 'size-wasm', name: 'redship_wasm', figure: 'Size: wasm main module, gzipped', when: 'compiled at every worker start', goal: 420 },
  { id: 'size-office', name: 'redship_office', figure: 'Size: wasm office module, gzipped', when: 'compiled when the user imports, saves a file or takes a rare step', goal: null },
];
const goalOf = (goal) => (goal === null ? { goal: null, goalKind: 'none' } : { goal, goalKind: 'max' });

function contributorsOf(name, wasm) {
  const unopt = join(ROOT, `target/wasm32-unknown-unknown/release/${name}.wasm`);
  const detail = { sections: parseWasm(wasm).sections.sort((a, b) => b.bytes - a.bytes).slice(0, 6) };
  if (existsSync(unopt)) detail.crates = contributors(readFileSync(unopt)).crates;
  detail.twiggy = twiggyTop(unopt) || null;
  return detail;
}

/** Runs the row; returns result entries. */
export async function run() {
  const zipPath = join(DIST, `redship-${version()}.zip`);
  if (!existsSync(zipPath)) throw new Error(`no build in ${DIST}: run ./build.sh first`);
  const entries = [];
  let total = 0;
  let raw = 0;
  for (const m of MODULES) {
    const path = join(DIST, `extension/pkg/${m.name}_bg.wasm`);
    if (!existsSync(path)) throw new Error(`no ${m.name} in ${DIST}: run ./build.sh first`);
    const wasm = readFileSync(path);
    const gz = gzipSync(wasm, { level: 9 }).length;
    total += gz;
    raw += wasm.length;
    const e = { id: m.id, figure: m.figure, unit: 'KB', ours: gz / KB, baseline: null, ratio: null, ...goalOf(m.goal),
      note: `${Math.round(wasm.length / KB)} KB raw, gzip -9; ${m.when}` };
    if (m.goal !== null && gz / KB > m.goal) e.contributors = contributorsOf(m.name, wasm);
    entries.push(e);
  }
  entries.push({ id: 'size-wasm-total', figure: 'Size: wasm, both modules, gzipped', unit: 'KB', ours: total / KB, baseline: null, ratio: null,
    ...goalOf(null), note: `${Math.round(raw / KB)} KB raw` });
  const zip = statSync(zipPath).size;
  // Shown without a goal: most of the zip is the two modules, and the office module has none
  // (issue 25), and both stores take packages many times this size.
  entries.push({ id: 'size-zip', figure: 'Size: store zip', unit: 'KB', ours: zip / KB, baseline: null, ratio: null,
    ...goalOf(null), note: `redship-${version()}.zip`, contributors: { files: zipListing(zipPath) } });
  return entries;
}
