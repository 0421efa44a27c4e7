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

let officePromise = null;

/** The office module (workbooks), loaded on first use as the service worker does. */
function office() {
  officePromise ??= (async () => {
    const wasm = await import('../pkg/redship_office.js');
    await wasm.default({ module_or_path: new URL('../pkg/redship_office_bg.wasm', import.meta.url) });
    wasm.init?.();
    return wasm;
  })();
  return officePromise;
}

/** The module the service worker imports `kind` with: every import (a CSV, a workbook) is read by
 *  the office module. */
const importer = (_kind) => office();

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
/** The known orders as the worker hands them to the core: each state's IDs joined by line breaks. */
function knownForCore(knownOrders) {
  const ids = (waiting) => knownOrders.filter((o) => o.waiting === waiting).map((o) => o.packageId).join('\n');
  return { waiting: ids(true), closed: ids(false) };
}

async function importOurs(kind) {
  const wasm = await importer(kind);
  const ctx = await data('context.json', true);
  const bytes = await data(`tracking.${kind}`);
  // As sw/ship.js builds it from its map of seen orders, before the call (the baseline, too,
  // gets the context as built: the same objects, from which it makes its own lookup sets).
  const knownOrders = knownForCore(ctx.knownOrders);
  // A fresh copy each time: the core must not get bytes it has seen (no caching across calls).
  return () => wasm.shipImport({ source: kind, bytes: bytes.slice(), knownOrders, usedNumbers: ctx.usedNumbers, couriers: ctx.couriers });
}
async function importBase(kind) {
  const ctx = await data('context.json', true);
  const bytes = await data(`tracking.${kind}`);
  return () => globalThis.baselineImport[kind](bytes.slice(), ctx);
}
// The preview's rows as the ship page reads them (common/preview.js, imported here only: the
// echo extensions have no such file), outside the timed call.
const normOurs = (view, previewRows) => previewRows(view).map((r) => ({
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
  const { previewRows } = await import('../common/preview.js');
  const ours = normOurs((await importOurs(kind))(), previewRows);
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
async function exportsList(module = 'core') {
  const wasm = await (module === 'office' ? office() : core());
  return Object.keys(wasm).filter((k) => typeof wasm[k] === 'function');
}

/** Sends a message and returns the worker's answer as is. */
async function send(msg) {
  return chrome.runtime.sendMessage(msg);
}

globalThis.bench = { core, office, importer, importCompare, importTime, ping, send, exportsList, timePair, data, median, knownForCore };
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
  // A minute apart, or closer just after China's midnight: every day's decrypts fall on that day
  // (a run started at 00:05 China time had put 16 of today's 18 on yesterday).
  const DAY = 86_400_000;
  const CHINA = 8 * 3_600_000;
  const sinceMidnight = (now + CHINA) % DAY;
  const gap = Math.min(60_000, Math.floor(sinceMidnight / (perDay + 1)));
  let events = 0;
  for (let d = days - 1; d >= 0; d--) {
    for (let j = 0; j < perDay; j++) {
      const t = now - d * DAY - (perDay - j) * gap;
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

// ── vault (row 5) ──────────────────────────────────────────────────────────────────────────
/** 10,000 orders as the workbench hook summarises them (masked buyer fields), deterministic. */
function ordersState(n = 10000) {
  let a = 12345;
  const rnd = () => { a = (a * 1103515245 + 12345) % 2147483648; return a / 2147483648; };
  const names = ['张**', '李*', '王**', '陈*', '刘**'];
  const goods = ['玫瑰花茶 250g', '手工皂 薰衣草', '限定香薰蜡烛', '帆布包（米白）', '保温杯 500ml'];
  const orders = [];
  for (let i = 0; i < n; i++) {
    const id = `P7${String(202611210000000000 + i * 7919).padStart(18, '0')}`;
    orders.push({
      packageId: id, orderId: `O${id.slice(1)}`, paidAt: 1795000000000 + i * 60000, actualPaid: Math.round(rnd() * 50000) / 100,
      status: rnd() < 0.8 ? 4 : 6, statusDesc: '待发货', afterSaleStatusDesc: '',
      userInfo: { receiver: names[i % 5], phone: `1${Math.floor(rnd() * 90 + 10)}****${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`, address: '广东省深圳市南山区****', buyerRemark: rnd() < 0.1 ? '请尽快发货，谢谢' : '' },
      skus: [{ skuId: `S${i}`, name: goods[i % 5], spec: '默认', quantity: 1 + (i % 3), price: 39.9 }],
    });
  }
  return orders;
}

const b64url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const unb64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * Encrypt-and-store and load-and-decrypt the same 10,000-order state, split into records of
 * `per` orders (the store keeps records small): the wasm vault (VaultSession seal / open) against
 * WebCrypto AES-256-GCM with the same envelope shape, payload bytes and associated data, and an
 * HMAC-SHA-256 storage key per record. Both load results are checked equal to the state.
 */
async function vaultCompare(reps, per = 100) {
  const w = await core();
  const info = w.vaultInfo();
  const rand = (n) => crypto.getRandomValues(new Uint8Array(n));
  const created = w.vaultCreate(rand(info.random.create));
  const vault = w.VaultSession.unlock({ keys: created.keys, device: created.device }, rand(info.random.session));
  const opener = vault.opener();
  const orders = ordersState();
  const writes = [];
  for (let i = 0; i < orders.length; i += per) writes.push({ key: `orders/小红薯的杂货铺/chunk-${i / per}`, value: { v: 1, orders: orders.slice(i, i + per), updatedAtMs: 1795000000000 } });
  // Canonical JSON (sorted keys): the core's JSON objects come back with their keys sorted.
  const canon = (v) => (Array.isArray(v) ? `[${v.map(canon).join(',')}]`
    : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
      : JSON.stringify(v));
  const expected = canon(writes.map((x) => x.value));
  const nowMs = Date.now();
  // WebCrypto side: its own keys (same sizes), same payload and AAD layout.
  const rawKey = rand(32);
  const aes = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const hmac = await crypto.subtle.importKey('raw', rand(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const prefix = rand(4);
  let counter = 0;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let oursKeys = [];
  let baseKeys = [];

  const ours = {
    async store() {
      const sealed = vault.seal({ writes, nowMs });
      oursKeys = Object.keys(sealed.items);
      await chrome.storage.local.set(sealed.items);
    },
    async load() {
      const entries = await chrome.storage.local.get(oursKeys);
      const opened = opener.open({ entries, nowMs });
      return opened.records.sort((x, y) => Number(x.key.split('-').pop()) - Number(y.key.split('-').pop())).map((r) => r.value);
    },
  };
  const base = {
    async store() {
      const items = {};
      for (const wr of writes) {
        const name = b64url(new Uint8Array(await crypto.subtle.sign('HMAC', hmac, enc.encode(wr.key))));
        const skey = `r.${name}`;
        const nonce = new Uint8Array(12);
        nonce.set(prefix);
        new DataView(nonce.buffer).setUint32(8, ++counter);
        const plain = enc.encode(JSON.stringify({ k: wr.key, t: nowMs, d: wr.value }));
        const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: enc.encode(`redship/vault/record|${skey}|2`) }, aes, plain));
        items[skey] = { v: 2, k: 'bench', n: b64url(nonce), c: b64url(ct) };
      }
      baseKeys = Object.keys(items);
      await chrome.storage.local.set(items);
    },
    async load() {
      const entries = await chrome.storage.local.get(baseKeys);
      const out = [];
      for (const [skey, env] of Object.entries(entries)) {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(env.n), additionalData: enc.encode(`redship/vault/record|${skey}|2`) }, aes, unb64url(env.c));
        const p = JSON.parse(dec.decode(plain));
        out.push(p);
      }
      return out.sort((x, y) => Number(x.k.split('-').pop()) - Number(y.k.split('-').pop())).map((p) => p.d);
    },
  };
  // Correctness first: both load back exactly the state.
  await ours.store(); await base.store();
  const okOurs = canon(await ours.load()) === expected;
  const okBase = canon(await base.load()) === expected;
  const bytes = expected.length;
  await chrome.storage.local.remove([...oursKeys, ...baseKeys]);
  if (!okOurs || !okBase) return { equal: false, okOurs, okBase };
  const times = { store: { ours: [], base: [] }, load: { ours: [], base: [] } };
  for (let i = 0; i < reps + 1; i++) {
    for (const [k, side] of i % 2 ? [['base', base], ['ours', ours]] : [['ours', ours], ['base', base]]) {
      await sleep(30);
      let t0 = performance.now();
      await side.store();
      const s = performance.now() - t0;
      await sleep(30);
      t0 = performance.now();
      const v = await side.load();
      const l = performance.now() - t0;
      if (v.length !== writes.length) throw new Error(`${k} loaded ${v.length} records`);
      if (i > 0) { times.store[k].push(s); times.load[k].push(l); }
      await chrome.storage.local.remove(k === 'ours' ? oursKeys : baseKeys);
    }
  }
  return { equal: true, records: writes.length, bytes, times };
}
globalThis.bench.vaultCompare = vaultCompare;

/**
 * Where the import's time goes: shipImport with the full context, without the used numbers,
 * without the known orders, and with neither (parse + validate + view conversion alone);
 * one run each after the timed runs (warm), in ms.
 */
async function importBreakdown(kind) {
  const w = await importer(kind);
  const ctx = await data('context.json', true);
  const bytes = await data(`tracking.${kind}`);
  const variants = {
    full: ctx,
    noUsedNumbers: { ...ctx, usedNumbers: [] },
    noKnownOrders: { ...ctx, knownOrders: [] },
    neither: { ...ctx, usedNumbers: [], knownOrders: [] },
  };
  const out = {};
  for (const [name, c] of Object.entries(variants)) {
    const knownOrders = knownForCore(c.knownOrders);
    const t = [];
    for (let i = 0; i < 1; i++) {
      await sleep(20);
      const t0 = performance.now();
      w.shipImport({ source: kind, bytes: bytes.slice(), knownOrders, usedNumbers: c.usedNumbers, couriers: c.couriers });
      t.push(performance.now() - t0);
    }
    out[name] = median(t);
  }
  out.usedNumbers = ctx.usedNumbers.length;
  out.knownOrders = ctx.knownOrders.length;
  return out;
}
globalThis.bench.importBreakdown = importBreakdown;
