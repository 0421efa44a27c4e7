// The real workbench, part 1 (issue "read orders, statuses and couriers as the public evidence
// shows them"), end to end on the replica in both of its shapes: the seen one (SPEC.md
// "`Package` [seen]": userInfo.name/province/city/district/note, skus[].displayName…, China-time
// paidAt, statuses 1/2/21/26, courier `zto`) and the first guesses (`--shape legacy`). As a new
// user would: page through 待发货, open the transit page (every pending order, product names,
// masked buyers), export CSV and XLSX (the same set, product columns filled), import a paste
// naming 中通快递 for five orders (all ok), and ship them: the platform receives the code its own
// courier list gives. Then a package whose status code and text disagree is listed as unclear,
// never exported by default, refused by the import.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { launch, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { startRun, waitDone } from './lib/ship-run.mjs';

const PAGE = '/api/edith/fulfillment/order/page';
const COMPANIES = '/api/edith/package/logistics/companies';
const WAITING = [1, 2, 21, 26, 4, 5]; // both families (SPEC.md): the replica takes either

for (const shape of ['seen', 'legacy']) {
  describe(`the workbench as it is (${shape} shape)`, { timeout: 240_000 }, () => {
    let replica; let browser; let wb; let transit;
    let pending = [];

    const api = async (path, body) => {
      const res = await fetch(replica.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()).data;
    };

    before(async () => {
      replica = await startReplica({ seed: 5, orders: 160, shape });
      browser = await launch({ locale: 'zh-CN' });
      wb = await browser.context.newPage();
      const all = await api(PAGE, { page_no: 1, page_size: 500, status: WAITING, time_range_list: [] });
      pending = all.packages.map((p) => p.packageId);
      assert.ok(pending.length > 30, `the replica seeds enough pending orders (${pending.length})`);
      if (shape === 'seen') {
        assert.equal(typeof all.packages[0].paidAt, 'string', 'seen shape: China-time text');
        assert.ok(all.packages.some((p) => p.skus?.some((s) => Array.isArray(s.scskus))), 'some bundles with nested lines');
      }
    });
    after(async () => {
      await browser?.close();
      await replica?.stop();
    });

    it('paging through 待发货 lists every pending order on the transit page, with products and masked buyers', async () => {
      await wb.goto(`${replica.url}/app-order/order/query?tab=pending`);
      const rows = wb.locator('table.d-new-table tbody tr.d-new-table-row');
      await rows.first().waitFor();
      const pages = await wb.locator('.d-pagination li').evaluateAll((lis) => lis.map((li) => li.textContent.trim()).filter((t) => /^\d+$/.test(t)).map(Number));
      for (const n of pages.slice(1)) {
        const first = await rows.first().textContent();
        await wb.locator('.d-pagination li', { hasText: new RegExp(`^${n}$`) }).click();
        await wb.waitForFunction((old) => {
          const row = document.querySelector('table.d-new-table tbody tr.d-new-table-row');
          return row && row.textContent !== old && !document.querySelector('.d-new-table-loading');
        }, first);
      }
      transit = await openExtensionPage(browser.context, browser.extensionId, 'transit.html');
      await transit.waitForFunction((n) => document.querySelectorAll('[data-testid="transit-row"]').length === n, pending.length, { timeout: 20_000 })
        .catch(async (e) => {
          const got = await transit.getByTestId('transit-row').count();
          throw new Error(`transit.html lists ${got} of ${pending.length} pending orders: ${e.message}`);
        });
      const shown = await transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => ({
        id: tr.dataset.packageId,
        product: tr.children[1].textContent.trim(),
        buyer: tr.children[2].textContent.trim(),
        paid: tr.children[0].querySelector('.muted')?.textContent.trim(),
      })));
      assert.deepEqual(shown.map((r) => r.id).sort(), [...pending].sort());
      for (const r of shown) {
        assert.ok(r.product && !r.product.startsWith('—'), `${r.id}: product shown (${r.product})`);
        assert.match(r.buyer, /\*/, `${r.id}: buyer masked (${r.buyer})`);
        assert.match(r.paid, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, `${r.id}: paid time (${r.paid})`);
      }
      assert.equal(await transit.getByTestId('status-unclear').count(), 0, 'no unclear status among seeded orders');
    });

    it('CSV and XLSX exports hold the same set, product columns filled', async () => {
      const download = async (testid) => {
        const [d] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId(testid).click()]);
        return readFileSync(await d.path());
      };
      const csvBytes = await download('export-csv');
      const csv = Papa.parse(csvBytes.subarray(3).toString('utf8').replace(/\r\n$/, ''), { skipEmptyLines: false }).data;
      const [header, ...body] = csv;
      const col = (name) => header.indexOf(name);
      assert.deepEqual([...new Set(body.map((r) => r[col('包裹号')]))].sort(), [...pending].sort());
      for (const r of body) {
        assert.ok(r[col('商品名称')], `${r[0]}: product name`);
        assert.match(r[col('数量')], /^[1-9]\d*$/, `${r[0]}: quantity`);
        assert.match(r[col('收件人')], /\*/, `${r[0]}: masked name`);
        assert.match(r[col('手机号')], /\*{4}/, `${r[0]}: masked phone`);
        assert.doesNotMatch(r.join(' '), /(?<!\d)1[3-9]\d{9}(?!\d)/, `${r[0]}: no plain phone`);
      }
      const xlsx = await download('export-xlsx');
      assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
    });

    it('a paste naming 中通快递 for five orders imports ok and ships with the code the page gives', async () => {
      const five = pending.slice(0, 5);
      const no = (i) => `7731${String(4_000_000 + i).padStart(8, '0')}`;
      const ship = await openExtensionPage(browser.context, browser.extensionId, 'ship.html');
      await ship.getByTestId('import-paste').fill(five.map((id, i) => `${id}\t中通快递\t${no(i)}`).join('\n'));
      await ship.getByTestId('import-submit').click();
      await ship.getByTestId('preview-row').first().waitFor();
      const rows = await ship.getByTestId('preview-row').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, text: tr.textContent })));
      assert.equal(rows.length, 5);
      for (const r of rows) assert.equal(r.verdict, 'ok', `${r.packageId}: ${r.text}`);
      await ship.getByTestId('fill-mode').selectOption('ship');
      await startRun(ship);
      await waitDone(ship, 5, 120_000);
      const companies = await api(COMPANIES, { send_from: '001', package_id_list: [five[0]] });
      const zto = companies.find((c) => c.express_company_name === '中通快递').express_company_code;
      assert.equal(zto, shape === 'seen' ? 'zto' : 'zhongtong');
      const { shipments } = await replica.log();
      assert.deepEqual(shipments.map((s) => s.package_id).sort(), [...five].sort(), 'each of the five once');
      for (const s of shipments) {
        assert.equal(s.express_company_code, zto, s.package_id);
        assert.equal(s.express_no, no(five.indexOf(s.package_id)), s.package_id);
      }
      await ship.close();
    });

    it('an order whose status code and text disagree is shown as unclear, never exported by default or imported', async () => {
      const id = 'P7999000000000077';
      // 2 / 4 waits in one family; the text says shipped: the two signals disagree.
      await replica.hook('orders', { packages: [{ packageId: id, status: shape === 'seen' ? 2 : 4, statusDesc: '已发货', paidAt: Date.now() - 60_000 }] });
      await wb.goto(`${replica.url}/app-order/order/query?tab=pending`);
      await transit.locator(`[data-testid="transit-row"][data-package-id="${id}"] [data-testid="status-unclear"]`).waitFor({ timeout: 15_000 });
      await transit.getByTestId('count-unclear').waitFor();
      const [d] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId('export-csv').click()]);
      assert.ok(!readFileSync(await d.path()).toString('utf8').includes(id), 'left out of the default export');
      const ship = await openExtensionPage(browser.context, browser.extensionId, 'ship.html');
      await ship.getByTestId('import-paste').fill(`${id}\t中通快递\t773199999999`);
      await ship.getByTestId('import-submit').click();
      await ship.getByTestId('preview-row').first().waitFor();
      const row = await ship.getByTestId('preview-row').first().evaluate((tr) => ({ ...tr.dataset, text: tr.textContent }));
      assert.equal(row.verdict, 'error', row.text);
      assert.match(row.text, /状态不明确/);
      await ship.close();
    });
  });
}
