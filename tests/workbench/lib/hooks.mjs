// The replica's /__test/ hooks exactly as SPEC.md lists them (reset, clock, quota, orders, fault,
// dialog, log), plus `GET /__test/shape` (the shape served and the codes the SPA's tabs send). Tests, the demo and benchmarks drive the replica's state through these; the
// extension never calls them.
import { PlatformError } from './state.mjs';
import { checkShape } from './shape.mjs';
import { ok, fail, readJson, sendJson } from './http.mjs';

const num = (v) => (v === undefined || v === null ? undefined : Number(v));

const HOOKS = {
  reset: (s, b) => {
    let shape;
    try { shape = checkShape(b.shape ?? s.defaults.shape); } catch (e) { throw new PlatformError([10001, e.message]); }
    s.reset({ seed: b.seed ?? s.defaults.seed, orders: num(b.orders) ?? s.defaults.orders, now: num(b.now) ?? s.now(), daily_quota: num(b.daily_quota) ?? s.defaults.daily_quota, shape });
    return { packages: s.packages.size, now: s.now(), quota: s.quota(), shape: s.shape };
  },
  clock: (s, b) => {
    if (!Number.isFinite(Number(b.now))) throw new PlatformError([10001, 'now (epoch ms) is required']);
    s.setClock(Number(b.now));
    return { now: s.now(), quota: s.quota() };
  },
  quota: (s, b) => s.setQuota(b),
  orders: (s, b) => {
    if (!Array.isArray(b.packages)) throw new PlatformError([10001, 'packages must be an array']);
    return { package_ids: s.upsert(b.packages) };
  },
  fault: (s, b) => s.addFault(b),
  dialog: (s, b) => {
    if (!b.package_id || !b.show_package_id) throw new PlatformError([10001, 'package_id and show_package_id are required']);
    s.dialogSwaps.set(String(b.package_id), String(b.show_package_id));
    return {};
  },
};

/** Handles a /__test/ request; returns false for unknown hooks. */
export async function handleHook(state, req, res, path) {
  const name = path.slice('/__test/'.length);
  if (name === 'log' && req.method === 'GET') {
    sendJson(res, 200, structuredClone(state.log));
    return true;
  }
  if (name === 'shape' && req.method === 'GET') {
    sendJson(res, 200, ok(state.shapeInfo()));
    return true;
  }
  const hook = HOOKS[name];
  if (!hook) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, fail(405, 'POST only'));
    return true;
  }
  try {
    const body = await readJson(req);
    sendJson(res, 200, ok(hook(state, body || {})));
  } catch (e) {
    sendJson(res, 400, fail(e.code ?? 10001, e.message));
  }
  return true;
}
