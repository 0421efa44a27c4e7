// A big shop on the workbench replica, collected the real way: waiting packages for the
// replica's `orders` hook, and the 待发货 list paged through at 500 rows a page (hook → content
// script → order.ingest). Used by e2e tests and by the bench's memory and scale rows.

/**
 * `n` waiting packages (from the `from`-th), paid 5 s apart from 2 minutes ago, newest first;
 * `fresh`: paid just now instead, 1 ms apart (newer than any other).
 */
export function packages(n, from = 0, fresh = false) {
  const now = Date.now();
  const goods = ['玫瑰花茶', '手工皂', '香薰蜡烛', '帆布包', '保温杯'];
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const packageId = `P3${String(2026112100000000n + BigInt(i) * 7919n).padStart(17, '0')}`;
    return {
      packageId, orderId: `O${packageId.slice(1)}`, status: 4, statusDesc: '待发货', paidAt: fresh ? now - k : now - 120_000 - i * 5000,
      actualPaid: 39.9 + (i % 50), skus: [{ skuId: `S${i % 40}`, name: goods[i % 5], spec: '默认', quantity: 1 + (i % 3), price: 39.9 }],
    };
  });
}

/** Pages the replica's 待发货 list through at 500 rows a page, `pages` pages. */
export async function pageThrough(page, pages) {
  await page.evaluate(async (pagesWanted) => {
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const until = async (fn, what, ms = 60000) => {
      const end = Date.now() + ms;
      for (;;) { const v = fn(); if (v) return v; if (Date.now() > end) throw new Error(`timed out: ${what}`); await sleep(50); }
    };
    const rows = () => [...document.querySelectorAll('table.d-new-table tbody tr.d-new-table-row')];
    await until(() => rows().length, 'list');
    document.querySelector('.d-pagination .d-select').click();
    (await until(() => [...document.querySelectorAll('.d-popover .d-option-name')].find((o) => o.textContent.trim().startsWith('500')), '500')).click();
    await until(() => !document.querySelector('.d-new-table-loading') && rows().length === 500, '500 rows');
    for (let p = 2; p <= pagesWanted; p++) {
      const first = rows()[0].getAttribute('data-row-key');
      document.querySelector('.d-pagination-next').click();
      await until(() => !document.querySelector('.d-new-table-loading') && rows().length && rows()[0].getAttribute('data-row-key') !== first, `page ${p}`);
      await sleep(300);
    }
  }, pages);
}
