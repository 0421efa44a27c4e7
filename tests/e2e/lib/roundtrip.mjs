// The warehouse round trip, shared by roundtrip.test.mjs and json-messaging.test.mjs: page the
// list so RedShip knows the orders, export them from the transit page, let the warehouse type its
// couriers and numbers into the export's empty 快递公司 / 快递单号 columns and save the file the way
// Excel or WPS does (tests/fixtures/warehouse_fill.py), import that file as is on the ship page,
// and ship: the platform (the replica's /__test/log) receives each order exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openExtensionPage } from './chromium.mjs';
import { S, seed, browseList, importWith, startRun, waitDone, pid } from './ship-run.mjs';

const FILL = fileURLToPath(new URL('../../fixtures/warehouse_fill.py', import.meta.url));
/** Whether python3 has the warehouse script's writers (openpyxl, xlwt). */
export const WRITERS = (() => {
  try {
    execFileSync('python3', ['-c', 'import openpyxl, xlwt'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// What the warehouse types: couriers as its staff write them (the replica's list names them
// 中通快递, 顺丰速运, 韵达快递, 圆通速递, 极兔速递) and numbers of each courier's shape.
const WAREHOUSE = [
  { typed: '中通', code: 'zto', no: (n) => `7731${String(n).padStart(8, '0')}` },
  { typed: '顺丰速运', code: 'shunfeng', no: (n) => `SF${5_000_000_000_000 + n}` },
  { typed: '韵达', code: 'yunda', no: (n) => `43${String(n).padStart(11, '0')}` },
  { typed: '圆通速递', code: 'yuantong', no: (n) => `YT${6_000_000_000_000 + n}` },
  { typed: '极兔', code: 'jtexpress', no: (n) => `JT${7_000_000_000_000 + n}` },
];
const ORDERS = WAREHOUSE.length;
const INBOUND = 'YT7412345678901';

/** Exports from transit.html with the button `testid`; the file's bytes. */
async function exportFrom(transit, testid) {
  const [download] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId(testid).click()]);
  return readFileSync(await download.path());
}

/**
 * One round: `ORDERS` waiting orders numbered from `first`, the list paged, the transit export
 * (`exportTestid`) filled by the warehouse script and saved as `saved`, imported, shipped.
 */
export async function roundTrip({ first, exportTestid, exportName, saved, everyLine, mime }) {
  const ns = Array.from({ length: ORDERS }, (_, i) => first + i);
  await seed(ns);
  await browseList();
  const transit = await openExtensionPage(S.browser.context, S.browser.extensionId, 'transit.html');
  await transit.waitForFunction((ids) => {
    const shown = [...document.querySelectorAll('[data-testid="transit-row"]')].map((tr) => tr.dataset.packageId);
    return shown.length === ids.length && ids.every((id) => shown.includes(id));
  }, ns.map(pid), { timeout: 20_000 });
  // The merchant noted the inbound parcel's own tracking number on one order: that column
  // (入库快递单号) sits beside the warehouse's and must not be taken for it.
  const edit = transit.locator(`[data-testid="transit-row"][data-package-id="${pid(first)}"] [data-testid="edit-inboundTracking"]`);
  await edit.fill(INBOUND);
  await edit.press('Tab');
  await transit.waitForFunction(([id, v]) => document.querySelector(`[data-testid="transit-row"][data-package-id="${id}"] [data-testid="edit-inboundTracking"]`)?.dataset.saved === v, [pid(first), INBOUND]);
  const exported = await exportFrom(transit, exportTestid);
  await transit.close();

  const dir = mkdtempSync(join(tmpdir(), 'redship-warehouse-'));
  writeFileSync(join(dir, exportName), exported);
  const fills = Object.fromEntries(ns.map((n, i) => [pid(n), [WAREHOUSE[i].typed, WAREHOUSE[i].no(n)]]));
  const spec = { packageHeader: '包裹号', courierHeader: '快递公司', numberHeader: '快递单号', fills, typedAsNumbers: true, everyLine };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  execFileSync('python3', [FILL, join(dir, exportName), join(dir, 'spec.json'), dir]);
  const file = readFileSync(join(dir, saved));

  const rows = await importWith((page) => page.getByTestId('import-file').setInputFiles({ name: `仓库回传-${saved}`, mimeType: mime, buffer: file }), pid(ns.at(-1)));
  const want = ns.map((n, i) => [pid(n), 'ok', WAREHOUSE[i].code, WAREHOUSE[i].no(n)]).sort();
  assert.deepEqual(rows.map((r) => [r.packageId, r.verdict, r.courier, r.number]).sort(), want, `${saved}: every row ok, as typed`);
  assert.equal(await S.shipPage.getByTestId('preview-summary').getAttribute('data-ok'), String(ORDERS));
  assert.match(await S.shipPage.locator('#preview-source').textContent(), /表头在第 1 行/, 'the header row was found');

  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await waitDone(S.shipPage, ORDERS, 180_000);
  const { shipments } = await S.replica.log();
  const ours = shipments.filter((s) => ns.map(pid).includes(s.package_id));
  assert.deepEqual(ours.map((s) => [s.package_id, 'ok', s.express_company_code, s.express_no]).sort(), want, `${saved}: each order shipped once with its number`);
}

