// How values cross the wasm boundary: serde-wasm-bindgen, which RedShip ships (crate/bind: serde
// walks the JS objects through `Reflect` calls), against the JSON-text crossing it replaced
// (requests `JSON.stringify`-ed and read by serde_json, views written by serde_json and
// `JSON.parse`-d), on real payloads and in one node process, calls interleaved, so the ratios
// are measured in the same run:
//   - orderIngest: a 500-row list page (the replica's seen shape) into a snapshot of 500 (the live
//     handle opened from the stored record, the page taken, the change record handed out);
//   - shipImport: the import row's 10,000-row CSV with its full context, result crossing out (in
//     this tree the office module's: every import is read there; the JSON-text build had it in
//     its main module);
//   - quotaDashboard: 30 days of ledgers (18 decrypts a day), as the popup asks at every open.
// Also the size of each main module (wasm-opt -Oz as build.sh, gzip -9). Figures go to
// README.md, "Dependencies and why".
//
// The JSON-text crossing is no longer in the tree: its module is a build of the last commit that
// had it (4b34182), kept in target/crossing/json (build it there from that commit with
// `node bench/crossing.mjs --build json`, run in a checkout of it, e.g. a git worktree).
//
//   node bench/crossing.mjs               builds this tree's module into target/crossing/swb, then runs
//   node bench/crossing.mjs --no-build    runs on the modules built before
//   node bench/crossing.mjs --build json  (in the old checkout) builds target/crossing/json only
//
// JSON_BUILD=<dir> reads the JSON-text module from another folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/env.mjs';
import { trackingRows } from './lib/ship-data.mjs';
import { State } from '../tests/workbench/lib/state.mjs';
import { tabCodes } from '../tests/workbench/lib/shape.mjs';

const OUT = join(ROOT, 'target/crossing');
const DIRS = { json: process.env.JSON_BUILD || join(OUT, 'json'), swb: join(OUT, 'swb') };
// As build.sh: the main module gets --converge.
const OPT_FLAGS = ['-Oz', '--converge', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals'];

function build(name) {
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const dir = DIRS[name];
  mkdirSync(dir, { recursive: true });
  // This tree's office module too (the import lives there); one package per cargo call, as in
  // build.sh, so the main module does not get the core's `office` feature.
  for (const crate of name === 'swb' ? ['redship_wasm', 'redship_office'] : ['redship_wasm']) {
    run('cargo', ['build', '-p', crate.replace('_', '-'), '--release', '--target', 'wasm32-unknown-unknown', '--quiet']);
    const raw = join(dir, `${crate}.wasm`);
    copyFileSync(join(ROOT, `target/wasm32-unknown-unknown/release/${crate}.wasm`), raw);
    run('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--no-typescript', raw]);
    const bg = join(dir, `${crate}_bg.wasm`);
    run(join(ROOT, 'node_modules/.bin/wasm-opt'), [...OPT_FLAGS, bg, '-o', bg]);
  }
}

async function instance(dir, crate) {
  const m = await import(pathToFileURL(join(dir, `${crate}.js`)).href);
  const bytes = readFileSync(join(dir, `${crate}_bg.wasm`));
  m.initSync({ module: bytes });
  m.init();
  return { m, bytes };
}

async function load(name) {
  const dir = DIRS[name];
  const { m, bytes } = await instance(dir, 'redship_wasm');
  const office = existsSync(join(dir, 'redship_office.js')) ? (await instance(dir, 'redship_office')).m : null;
  return { m, office, gz: gzipSync(bytes, { level: 9 }).length, raw: bytes.length };
}

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

/** The payloads, each a function of a module that makes one call and checks its answer. */
function payloads() {
  const site = readFileSync(join(ROOT, 'extension/site-profile.json'), 'utf8');
  // Two 500-row pages of the 待发货 list (12,000 orders over 300 days: 1,063 waiting): the first
  // makes the snapshot, the second is timed.
  const state = new State({ seed: 3, orders: 12000, now: NOW });
  const status = tabCodes(state.shape).pending;
  const page = (no) => ({ code: 0, success: true, msg: '成功', data: state.page({ page_no: no, page_size: 500, status }) });
  const request = { page_no: 2, page_size: 500, status };
  const csv = (() => {
    const { header, rows, context } = trackingRows(10000);
    const cell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const text = '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
    const ids = (waiting) => context.knownOrders.filter((o) => o.waiting === waiting).map((o) => o.packageId).join('\n');
    return { bytes: new TextEncoder().encode(text), context, knownOrders: { waiting: ids(true), closed: ids(false) } };
  })();
  const shop = '小红薯的杂货铺';
  return {
    orderIngest: (m) => {
      // The kept JSON-text build reads the profile's text; this tree's, the object.
      const profile = new m.SiteProfile(m.TransitLive ? JSON.parse(site) : site);
      const text = JSON.stringify(page(2));
      if (!m.TransitLive) {
        // The kept JSON-text build predates the live handle: its stateless call, same work.
        const snapshot = m.ordersIngest(profile, null, { shopId: shop, kind: 'orderPage', text: JSON.stringify(page(1)), request: { ...request, page_no: 1 }, nowMs: NOW }).snapshot;
        return () => {
          const out = m.ordersIngest(profile, snapshot, { shopId: shop, kind: 'orderPage', text, request, nowMs: NOW });
          if (out.view?.added !== 500) throw new Error(`ordersIngest added ${out.view?.added}, not 500`);
          return out;
        };
      }
      // A handle from a base: `TransitOpening` since the base is stored in shards.
      const openWith = (snapshot) => (m.TransitOpening
        ? m.TransitOpening.begin(shop, snapshot, null).finish([]) : m.TransitLive.open({ shopId: shop, snapshot }));
      const first = openWith(null);
      first.ingest(profile, { kind: 'orderPage', text: JSON.stringify(page(1)), request: { ...request, page_no: 1 }, nowMs: NOW });
      // The base as one record: the whole snapshot (builds before the shards), or its one shard.
      const w = first.writes(NOW);
      const snapshot = w.snapshot ?? first.nextStep(NOW).shards[0].record;
      return () => {
        const live = openWith(snapshot);
        const out = live.ingest(profile, { kind: 'orderPage', text, request, nowMs: NOW });
        if (out.view?.added !== 500) throw new Error(`orderIngest added ${out.view?.added}, not 500`);
        const writes = live.writes(NOW);
        live.free();
        return { out, writes };
      };
    },
    shipImport: (m, office) => () => {
      // The kept JSON-text build predates the rename of `trackingImport` to `shipImport`, and
      // the move of the import to the office module.
      const out = (m.shipImport ?? m.trackingImport ?? office.shipImport)({ source: 'csv', bytes: csv.bytes.slice(), knownOrders: csv.knownOrders,
        usedNumbers: csv.context.usedNumbers, couriers: csv.context.couriers });
      if (!out || typeof out !== 'object') throw new Error('shipImport gave nothing');
      return out;
    },
    quotaDashboard: (m) => {
      // 30 days of decrypts recorded through the core, as bench.js seeds the extension's store.
      const records = {};
      const inputs = (t) => {
        const ledgers = {};
        for (const key of m.quotaLedgerKeys(shop, t)) if (records[key] !== undefined) ledgers[key] = records[key];
        return { settings: null, ledgers, paidOrders: [], routes: {}, endpoint: null };
      };
      for (let d = 29; d >= 0; d--) {
        for (let j = 0; j < 18; j++) {
          const t = NOW - d * 86_400_000 - (18 - j) * 60_000;
          const packageId = `P1${String(d).padStart(3, '0')}${String(j).padStart(14, '0')}`;
          const update = m.quotaRecordEvent({ ...inputs(t), nowMs: t,
            event: { shop, packageId, outcome: 'success', tabId: null, atMs: t, quotaSpent: false } });
          for (const { key, value } of update.changed) records[key] = value;
          for (const key of update.removed) delete records[key];
        }
      }
      const req = { ...inputs(NOW), shop, nowMs: NOW };
      return () => {
        const out = m.quotaDashboard(req);
        if (!(out?.view?.used >= 18)) throw new Error(`quotaDashboard used ${out?.view?.used}`);
        return out;
      };
    },
  };
}

async function main() {
  const only = process.argv.indexOf('--build');
  if (only >= 0) return build(process.argv[only + 1] === 'json' ? 'json' : 'swb');
  if (!process.argv.includes('--no-build')) build('swb');
  for (const [v, dir] of Object.entries(DIRS)) if (!existsSync(join(dir, 'redship_wasm.js'))) throw new Error(`no ${v} module in ${dir}: see the notes at the top`);
  const mods = { json: await load('json'), swb: await load('swb') };
  const rounds = Number(process.env.ROUNDS || 31);
  const out = { size: {}, speed: {} };
  for (const [k, v] of Object.entries(mods)) out.size[k] = { gzKB: +(v.gz / 1000).toFixed(1), rawKB: +(v.raw / 1000).toFixed(1) };
  for (const [name, make] of Object.entries(payloads())) {
    const calls = { json: make(mods.json.m, mods.json.office), swb: make(mods.swb.m, mods.swb.office) };
    // Warm up both, and check they answer the same.
    if (JSON.stringify(calls.json()) !== JSON.stringify(calls.swb())) throw new Error(`${name}: the two crossings answer differently`);
    const times = { json: [], swb: [] };
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 ? ['swb', 'json'] : ['json', 'swb']) {
        const t0 = performance.now();
        calls[v]();
        times[v].push(performance.now() - t0);
      }
    }
    const j = median(times.json);
    const s = median(times.swb);
    out.speed[name] = { jsonMs: +j.toFixed(2), swbMs: +s.toFixed(2), swbOverJson: +(s / j).toFixed(2) };
  }
  console.log(JSON.stringify(out, null, 2));
}

await main();
