// Row 2 — service-worker cold start: from the event that starts a stopped worker to the first
// answered quota query (the popup's dashboard with a 30-day ledger), against its floor: a worker
// that only loads the same main wasm module exactly as RedShip's does and then answers (the
// module is compiled at every worker start, and no design of ours can start faster than that).
// A second line, without a goal, compares with the echo worker, whose worker only echoes, and an
// echo worker that first fetches and compiles an empty module: what the wasm itself costs. All
// four extensions run in one raw-CDP Chromium (nothing attaches to the workers); each sample
// stops every worker as Chrome does when idle, waits until they are stopped, then sends one
// message from the extension's own page and times the answer. On a shared two-core machine one
// sample can move by a third: 21 rounds, each taking the four workers in turn (the order reversed
// every other round), keep the medians steady in about 25 s.
//
// Diagnostic for a change to the cold start: REDSHIP_BENCH_BEFORE=<dir> adds an earlier build,
// taken in every round beside this one, and a line comparing the two (same run, same rounds: on
// a shared machine figures from two runs differ by more than most changes). <dir> is the bench's
// copy of RedShip from a run of the earlier build (`cp -r bench/out/ext/redship <dir>` after
// `node bench/run.mjs --only coldstart --no-readme` on it).
import { launchRaw } from '../lib/browser.mjs';
import { openHarness } from '../lib/harness.mjs';
import { benchExtensions } from '../lib/extensions.mjs';
import { median, spread } from '../lib/stats.mjs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { seedQuotaLedger, quotaQuery } from '../lib/quota-seed.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function workerControl(cdp, sessionId) {
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', (p, sid) => {
    if (sid !== sessionId) return;
    for (const v of p.versions) versions.set(v.versionId, v);
  });
  await cdp.send('ServiceWorker.enable', {}, sessionId);
  return {
    async stopAll() {
      await cdp.send('ServiceWorker.stopAllWorkers', {}, sessionId);
      const end = Date.now() + 10000;
      while ([...versions.values()].some((v) => v.runningStatus !== 'stopped')) {
        if (Date.now() > end) throw new Error('the service workers did not stop');
        await sleep(20);
      }
    },
  };
}

/** Runs the row; returns result entries. */
export async function run({ reps = 21 } = {}) {
  const ext = await benchExtensions();
  const beforeDir = process.env.REDSHIP_BENCH_BEFORE ? resolve(process.env.REDSHIP_BENCH_BEFORE) : null;
  if (beforeDir && !existsSync(join(beforeDir, '__bench'))) throw new Error(`REDSHIP_BENCH_BEFORE: ${beforeDir} is not the bench's copy of a build (no __bench/)`);
  const browser = await launchRaw({ extensions: [ext.redship, ext.echo, ext.echoWasm, ext.echoEmpty, ...(beforeDir ? [beforeDir] : [])] });
  try {
    const pages = [];
    for (const id of browser.ids) pages.push(await openHarness(browser.cdp, id));
    const [ours, echo, echoWasm, echoEmpty, before] = pages;
    // What to ask: the quota dashboard once the quota domain has landed, else status.get.
    const query = await quotaQuery(ours);
    let seeded = null;
    const control = await workerControl(browser.cdp, ours.sessionId);
    if (query.quota) seeded = await seedQuotaLedger(ours, query.shop, 30);
    if (before && query.quota) await seedQuotaLedger(before, query.shop, 30);
    // A worker that was running while the page seeded may hold stale cached records: restart it.
    await control.stopAll();
    const msg = query.message;
    const first = await ours.call(`bench.ping(${JSON.stringify(msg)})`);
    if (!first.ok) throw new Error(`the worker refused ${msg.type}: ${JSON.stringify(first.error)}`);
    if (query.quota && !query.check(first.data)) throw new Error(`the dashboard does not show the seeded ledger: ${JSON.stringify(first.data).slice(0, 300)}`);
    const echoMsg = { type: msg.type, payload: msg.payload };
    const samples = { ours: [], base: [], wasm: [], empty: [], before: [] };
    for (let i = 0; i < reps + 1; i++) {
      const order = [['ours', ours, msg], ['wasm', echoWasm, echoMsg], ['empty', echoEmpty, echoMsg], ['base', echo, echoMsg]];
      if (before) order.splice(1, 0, ['before', before, msg]);
      if (i % 2) order.reverse();
      for (const [k, page, m] of order) {
        await control.stopAll();
        await sleep(150);
        const r = await page.call(`bench.ping(${JSON.stringify(m)})`);
        if (!r.ok) throw new Error(`${k}: ${JSON.stringify(r.error)}`);
        if (i > 0) samples[k].push(r.ms);
      }
    }
    const o = median(samples.ours);
    const b = median(samples.base);
    const wz = median(samples.wasm);
    const empty = median(samples.empty);
    const what = query.quota ? `first answered quota.dashboard (30-day ledger, ${seeded.records} records)` : 'first answered status.get (the quota query has not landed)';
    const spreads = `spread ±${Math.round(spread(samples.ours) * 100)}% / ±${Math.round(spread(samples.wasm) * 100)}% / ±${Math.round(spread(samples.base) * 100)}%`;
    const pending = query.quota ? null : 'quota.dashboard message not in the catalogue yet: measured with status.get';
    // The earlier build against this one, round by round (the median of each round's ratio).
    const paired = samples.before.map((b, k) => samples.ours[k] / b);
    const beforeLine = before ? [{
      id: 'coldstart-before', figure: 'Cold start against an earlier build (diagnostic)', unit: 'ms',
      ours: o, baseline: median(samples.before), ratio: median(paired), goal: null, goalKind: 'none',
      note: `diagnostic, no goal: this build against ${beforeDir}, both in each of ${reps} rounds (ratio: the median of the rounds' ratios; wasm floor ${wz.toFixed(1)} ms, so ${(o / wz).toFixed(2)}× against ${(median(samples.before) / wz).toFixed(2)}× before)`,
      pending,
    }] : [];
    const entries = [{
      id: 'coldstart', figure: 'Service-worker cold start → first answer, against the worker that only loads the main module', unit: 'ms',
      ours: o, baseline: wz, ratio: o / wz, goal: 1.25,
      note: `${what}, against the echo worker that first loads the same main module (bench/echo-wasm-extension) and then answers; median of ${reps} stops each, ${spreads} (RedShip / wasm floor / echo)`,
      why: `the ${(o - wz).toFixed(1)} ms over the worker that only loads the module is RedShip's own: its worker script (one bundle) parsed and run, the vault's session restored, the ledger records read from storage and opened, and the dashboard computed and sent`,
      pending,
      samples,
    }, {
      id: 'coldstart-echo', figure: 'Cold start against the echo worker (diagnostic)', unit: 'ms',
      ours: o, baseline: b, ratio: o / b, goal: null, goalKind: 'none',
      note: `diagnostic, no goal: of the ${(o - b).toFixed(1)} ms over the echo worker, ${(wz - b).toFixed(1)} ms is fetching, compiling and instantiating the main module (echo worker + module: ${wz.toFixed(1)} ms; fetching and compiling an empty module alone: ${(empty - b).toFixed(1)} ms, ${empty.toFixed(1)} ms in all)`,
      pending,
    }];
    return [...entries, ...beforeLine];
  } finally {
    await browser.close();
  }
}
