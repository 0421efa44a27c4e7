// Row 7 — memory: the service worker's JS heap plus its wasm memory while it holds 10,000 orders.
// The orders reach it the real way: 10,000 waiting packages on the replica, the 待发货 list paged
// through at 500 rows a page with RedShip loaded (hook → content script → order.ingest). Then
// transit.html's own query (transit.view) makes the worker load and compute over all of them, a
// full GC runs, and the worker is read over CDP: Runtime.getHeapUsage (used JS heap) plus the
// byteLength of every WebAssembly.Memory in the worker (found with Runtime.queryObjects).
// Absolute goal (no baseline): ≤ 20 MB (MB = 2^20 bytes). The echo worker's heap is in the note.
import { join } from 'node:path';
import { launchPw } from '../lib/browser.mjs';
import { connect, attach } from '../lib/cdp.mjs';
import { DEV_EXTENSION, ROOT } from '../lib/env.mjs';

const { startReplica } = await import(join(ROOT, 'tests/e2e/lib/replica.mjs'));
const { packages, pageThrough } = await import(join(ROOT, 'tests/e2e/lib/big-shop.mjs'));
export { packages, pageThrough };
const N = 10000;
const MB = 2 ** 20;
const SHOP = '小红薯的杂货铺';



/** `{heapUsed, heapTotal, wasm}` bytes of the running service worker `scriptUrlPart`, after a full GC. */
export async function workerMemory(cdp, scriptUrlPart) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.includes(scriptUrlPart));
  if (!t) throw new Error(`no running service worker ${scriptUrlPart}`);
  const sid = await attach(cdp, t.targetId);
  await cdp.send('Runtime.enable', {}, sid);
  await cdp.send('HeapProfiler.enable', {}, sid);
  await cdp.send('HeapProfiler.collectGarbage', {}, sid);
  const heap = await cdp.send('Runtime.getHeapUsage', {}, sid);
  const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' }, sid);
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId }, sid);
  const sum = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId, returnByValue: true,
    functionDeclaration: 'function () { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }',
  }, sid);
  await cdp.send('Target.detachFromTarget', { sessionId: sid }).catch(() => {});
  return { heapUsed: heap.usedSize, heapTotal: heap.totalSize, wasm: sum.result.value };
}

/** Runs the row; returns result entries. */
export async function run() {
  const entry = { id: 'memory', figure: 'Memory: worker JS heap + wasm, 10,000 orders', unit: 'MB', goal: 20, goalKind: 'max', baseline: null, ratio: null };
  const { CATALOGUE } = await import(join(DEV_EXTENSION, 'common/messages.js'));
  if (!CATALOGUE['order.ingest'] || !CATALOGUE['transit.view']) return [{ ...entry, pending: 'order.ingest / transit.view are not in the catalogue' }];
  const replica = await startReplica({ orders: 20, dailyQuota: 100000 });
  const browser = await launchPw({ extension: DEV_EXTENSION, debugPort: true });
  let cdp;
  try {
    await replica.hook('orders', { packages: packages(N) });
    const list = await browser.context.newPage();
    await list.goto(`${replica.url}/app-order/order/query?tab=pending`);
    const total = await list.evaluate(async () => (await (await fetch('/api/edith/fulfillment/order/page', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page_no: 1, page_size: 1, status: [4, 5], time_range_list: [] }) })).json()).data.total);
    await pageThrough(list, Math.ceil(total / 500));
    const ext = await browser.context.newPage();
    await ext.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    // Wait until the worker has collected every page, then ask what transit.html asks.
    let held = 0;
    for (let i = 0; i < 120; i++) {
      const res = await ext.evaluate((shop) => chrome.runtime.sendMessage({ type: 'transit.view', payload: { shop } }), SHOP);
      if (!res?.ok) throw new Error(`transit.view failed: ${JSON.stringify(res?.error)}`);
      held = res.data?.view?.rows?.length ?? res.data?.view?.counts?.pending ?? 0;
      if (held >= N) break;
      await ext.waitForTimeout(1000);
    }
    if (held < N) throw new Error(`the worker holds ${held} orders, not ${N}`);
    cdp = await connect(await browser.endpoint());
    const m = await workerMemory(cdp, `${browser.extensionId}/sw.js`);
    const ours = (m.heapUsed + m.wasm) / MB;
    return [{
      ...entry, ours,
      note: `after paging the 待发货 list (${total} orders, 500 a page) and transit.view over ${held} held orders, then a full GC: JS heap ${(m.heapUsed / MB).toFixed(1)} MB used (${(m.heapTotal / MB).toFixed(1)} MB allocated) + wasm memory ${(m.wasm / MB).toFixed(1)} MB`,
      detail: m,
    }];
  } finally {
    cdp?.close();
    await browser.close();
    await replica.stop();
  }
}
