// The replica's /__test/ hooks exactly as SPEC.md lists them (reset, clock, quota, orders, fault,
// dialog, log), plus `GET /__test/shape` (the shape served and the codes the SPA's tabs send) and
// `POST /__test/dialog-mode` (how the ship dialog renders: rebuilt on every change; see README)
// and `POST /__test/decrypt-path` (the decrypt moved to another path, from the next page load on)
// and `POST /__test/quota-form` (the quota answered at another path with other field names, and
// the privacy board drawn another way, from the next page load on)
// and `POST /__test/ship-button` (chosen waiting rows drawn without their 发货 button; see README).
// Tests, the demo and benchmarks drive the replica's state through these; the extension never
// calls them.
import { PlatformError } from './state.mjs';
import { checkShape } from './shape.mjs';
import { ok, fail, readJson, sendJson, setDecryptPath, setQuotaForm } from './http.mjs';

const num = (v) => (v === undefined || v === null ? undefined : Number(v));

const HOOKS = {
  reset: (s, b) => {
    let shape;
    try { shape = checkShape(b.shape ?? s.defaults.shape); } catch (e) { throw new PlatformError([10001, e.message]); }
    setDecryptPath(null);
    setQuotaForm(null);
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
  'decrypt-path': (s, b) => {
    try { return { path: setDecryptPath(b.path) }; } catch (e) { throw new PlatformError([10001, e.message]); }
  },
  'quota-form': (s, b) => {
    try { return setQuotaForm(b); } catch (e) { throw new PlatformError([10001, e.message]); }
  },
  dialog: (s, b) => {
    if (!b.package_id || !b.show_package_id) throw new PlatformError([10001, 'package_id and show_package_id are required']);
    s.dialogSwaps.set(String(b.package_id), String(b.show_package_id));
    return {};
  },
  // Rows drawn without their 发货 button (package IDs), from the next page load on; [] = none.
  'ship-button': (s, b) => {
    const hide = b.hide ?? [];
    if (!Array.isArray(hide) || hide.some((x) => typeof x !== 'string' || !/^P\d{15,}$/.test(x))) throw new PlatformError([10001, 'hide must be a list of package IDs']);
    s.hideShipButton = [...new Set(hide)];
    return { hide: [...s.hideShipButton] };
  },
  'dialog-mode': (s, b) => {
    const swap = b.swap ?? null;
    if (swap !== null && (!swap.package_id || !swap.show_package_id)) throw new PlatformError([10001, 'swap needs package_id and show_package_id']);
    s.dialogMode = { rebuild: Boolean(b.rebuild), swap: swap && { package_id: String(swap.package_id), show_package_id: String(swap.show_package_id) } };
    return structuredClone(s.dialogMode);
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
