// Row 6 — size: the wasm core gzipped (as the store and the browser's cache see it) and the
// store zip. No baseline: the goals are absolute (KB = 1000 bytes). When a goal is missed, the
// note lists what contributes: twiggy's top items if installed, else section sizes of the
// shipped module and code bytes per crate from the unoptimised build's name section.
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

/** Runs the row; returns result entries. */
export async function run() {
  const wasmPath = join(DIST, 'extension/pkg/redship_wasm_bg.wasm');
  const zipPath = join(DIST, `redship-${version()}.zip`);
  if (!existsSync(wasmPath) || !existsSync(zipPath)) throw new Error(`no build in ${DIST}: run ./build.sh first`);
  const wasm = readFileSync(wasmPath);
  const gz = gzipSync(wasm, { level: 9 }).length;
  const zip = statSync(zipPath).size;
  const entries = [
    { id: 'size-wasm', figure: 'Size: wasm core, gzipped', unit: 'KB', ours: gz / KB, baseline: null, ratio: null, goal: 250, goalKind: 'max',
      note: `${Math.round(wasm.length / KB)} KB raw, gzip -9` },
    { id: 'size-zip', figure: 'Size: store zip', unit: 'KB', ours: zip / KB, baseline: null, ratio: null, goal: 400, goalKind: 'max',
      note: `redship-${version()}.zip` },
  ];
  if (gz / KB > 250) {
    const unopt = join(ROOT, 'target/wasm32-unknown-unknown/release/redship_wasm.wasm');
    const detail = { sections: parseWasm(wasm).sections.sort((a, b) => b.bytes - a.bytes).slice(0, 6) };
    if (existsSync(unopt)) detail.crates = contributors(readFileSync(unopt)).crates;
    detail.twiggy = twiggyTop(unopt) || null;
    entries[0].contributors = detail;
  }
  if (zip / KB > 400) entries[1].contributors = { files: zipListing(zipPath) };
  return entries;
}
