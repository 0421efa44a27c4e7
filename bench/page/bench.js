// The bench harness inside the extension under test (and inside the echo extension): the driver
// calls these through CDP. Everything timed here runs in this page's main thread, in Chromium;
// wasm comes from the extension's own pkg/ and is loaded only when a row asks for it.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let wasmPromise = null;

/** The extension's wasm core, loaded once (extension pages allow 'wasm-unsafe-eval'). */
function core() {
  wasmPromise ??= (async () => {
    const wasm = await import('../pkg/redship_wasm.js');
    await wasm.default({ module_or_path: new URL('../pkg/redship_wasm_bg.wasm', import.meta.url) });
    wasm.init?.();
    return wasm;
  })();
  return wasmPromise;
}

async function bytesOf(name) {
  return new Uint8Array(await (await fetch(`data/${name}`)).arrayBuffer());
}
const dataCache = new Map();
async function data(name, parse = false) {
  if (!dataCache.has(name)) dataCache.set(name, parse ? await (await fetch(`data/${name}`)).json() : await bytesOf(name));
  return dataCache.get(name);
}

/** A median that ignores the order of the input. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ── import ──────────────────────────────────────────────────────────────────────────────────
async function importOurs(kind) {
  const wasm = await core();
  const ctx = await data('context.json', true);
  const bytes = await data(`tracking.${kind}`);
  // A fresh copy each time: the core must not get bytes it has seen (no caching across calls).
  return () => wasm.trackingImport({ source: kind, bytes: bytes.slice(), knownOrders: ctx.knownOrders, usedNumbers: ctx.usedNumbers, couriers: ctx.couriers });
}
async function importBase(kind) {
  const ctx = await data('context.json', true);
  const bytes = await data(`tracking.${kind}`);
  return () => globalThis.baselineImport[kind](bytes.slice(), ctx);
}
const normOurs = (view) => view.rows.map((r) => ({
  row: r.row, packageId: r.packageId, courierCode: r.courierCode, number: r.number, verdict: r.verdict,
  reasons: [...new Set(r.reasons.map((x) => x.code))].sort(), fillable: r.fillable,
}));
const normBase = (rows) => rows.map((r) => ({
  row: r.row, packageId: r.packageId, courierCode: r.courierCode, number: r.number, verdict: r.verdict,
  reasons: [...new Set(r.reasons)].sort(), fillable: r.fillable,
}));

function counts(rows) {
  const c = { total: rows.length, ok: 0, warning: 0, error: 0 };
  for (const r of rows) c[r.verdict]++;
  return c;
}

/** Runs both once and compares the verdict lists; {equal, ours, base, diffs}. */
async function importCompare(kind) {
  const ours = normOurs((await importOurs(kind))());
  const base = normBase((await importBase(kind))());
  const diffs = [];
  const n = Math.max(ours.length, base.length);
  for (let i = 0; i < n && diffs.length < 8; i++) {
    if (JSON.stringify(ours[i]) !== JSON.stringify(base[i])) diffs.push({ i, ours: ours[i] ?? null, base: base[i] ?? null });
  }
  return { equal: diffs.length === 0 && ours.length === base.length, ours: counts(ours), base: counts(base), diffs };
}

/** Times `reps` runs of each, interleaved, after one warm-up each; {ours: [ms], base: [ms]}. */
async function importTime(kind, reps) {
  const ours = await importOurs(kind);
  const base = await importBase(kind);
  return timePair(ours, base, reps);
}

async function timePair(ours, base, reps, warmup = 1) {
  const out = { ours: [], base: [] };
  for (let i = 0; i < warmup + reps; i++) {
    const order = i % 2 ? [['base', base], ['ours', ours]] : [['ours', ours], ['base', base]];
    for (const [k, fn] of order) {
      await sleep(20);
      const t0 = performance.now();
      const v = await fn();
      const dt = performance.now() - t0;
      if (v === undefined) throw new Error(`${k} returned nothing`);
      if (i >= warmup) out[k].push(dt);
    }
  }
  return { ...out, oursMedian: median(out.ours), baseMedian: median(out.base) };
}

// ── messages (cold start) ──────────────────────────────────────────────────────────────────
/** Sends one message to this extension's worker; {ms, ok, error}. */
async function ping(msg) {
  const t0 = performance.now();
  const res = await chrome.runtime.sendMessage(msg);
  const ms = performance.now() - t0;
  return { ms, ok: Boolean(res?.ok), error: res?.ok ? null : res?.error ?? 'no answer', data: res?.data ?? null };
}

/** Names of the wasm exports (which features have landed). */
async function exportsList() {
  const wasm = await core();
  return Object.keys(wasm).filter((k) => typeof wasm[k] === 'function');
}

/** Sends a message and returns the worker's answer as is. */
async function send(msg) {
  return chrome.runtime.sendMessage(msg);
}

globalThis.bench = { core, importCompare, importTime, ping, send, exportsList, timePair, data, median };
globalThis.benchReady = true;

// ── quota ledger seeding (cold-start row) ───────────────────────────────────────────────────
/**
 * Writes a `days`-day decrypt ledger for `shop` the way the worker does: for each decrypt, the
 * quota domain's own record loader, the core's quotaRecordEvent at that instant, and the domain's
 * own saver (sw/quota/records.js → sw/store.js). Resolves {records, events}.
 */
async function seedQuota(shop, days, perDay) {
  const { core, ready } = await import('../sw/core.js');
  await ready;
  const records = await import('../sw/quota/records.js');
  const now = Date.now();
  let events = 0;
  for (let d = days - 1; d >= 0; d--) {
    for (let j = 0; j < perDay; j++) {
      const t = now - d * 86_400_000 - (perDay - j) * 60_000;
      const packageId = `P1${String(d).padStart(3, '0')}${String(j).padStart(14, '0')}`;
      const inputs = await records.inputs(shop, t);
      const update = core.quotaRecordEvent({
        ...inputs, nowMs: t,
        event: { shop, packageId, outcome: 'success', tabId: null, atMs: t, quotaSpent: false },
      });
      await records.save(update, shop, t);
      events++;
    }
  }
  const store = await import('../sw/store.js');
  const keys = await store.keys('quota/');
  return { records: keys.length, events };
}
globalThis.bench.seedQuota = seedQuota;

/** The message catalogue of the build (which messages have landed). */
async function catalogue() {
  const { CATALOGUE } = await import('../common/messages.js');
  return Object.fromEntries(Object.entries(CATALOGUE).map(([k, v]) => [k, { from: v.from, payload: v.payload }]));
}
globalThis.bench.catalogue = catalogue;
