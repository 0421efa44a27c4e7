// Retakes the README's two replica screenshots (docs/img/replica-list.png, replica-dialog.png)
// and the order list with RedShip's help on it (docs/list-help.png: two orders viewed today carry
// the mark, the hint beside the other 查看 controls, the corner chip; needs a build):
// `node tests/workbench/screenshots.mjs [outDir]` (all three go to outDir when given). A script,
// not a test: a picture asserts nothing, and its pixels differ from run to run, so the committed
// files change only when asked.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch, ROOT } from '../e2e/lib/chromium.mjs';
import { startReplica } from '../e2e/lib/replica.mjs';

const out = resolve(process.argv[2] || join(ROOT, 'docs/img'));
const NOW = Date.UTC(2026, 10, 21, 4, 0, 0); // 2026-11-21 12:00 China time
const replica = await startReplica({ now: NOW, orders: 150 });
const browser = await launch({ extension: false, locale: 'zh-CN' });
try {
  mkdirSync(out, { recursive: true });
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 720 });
  await page.goto(`${replica.url}/app-order/order/query?tab=pending`);
  const rows = page.locator('table.d-new-table tbody tr.d-new-table-row');
  await rows.first().waitFor();
  await page.screenshot({ path: join(out, 'replica-list.png') });
  await rows.first().locator('.d-button', { hasText: '发货' }).click();
  const modal = page.locator('.d-modal');
  await modal.locator('.d-select').click();
  await page.locator('.d-popover .d-option-name', { hasText: '中通快递' }).click();
  await modal.locator('.d-input input').fill('731234567890');
  await page.screenshot({ path: join(out, 'replica-dialog.png') });
  console.log(`replica screenshots in ${out}`);
} finally {
  await browser.close();
  await replica.stop();
}
await listHelpShot(process.argv[2] ? join(out, 'list-help.png') : join(ROOT, 'docs/list-help.png'));

/** The order list with the help drawn: two orders decrypted, the list loaded again. */
async function listHelpShot(file) {
  const rep = await startReplica({ now: NOW, orders: 150, dailyQuota: 4 });
  const b = await launch({ locale: 'zh-CN' });
  try {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 1100, height: 700 });
    const list = `${rep.url}/app-order/order/query?tab=pending`;
    await page.goto(list);
    const rows = page.locator('table.d-new-table tbody tr.d-new-table-row');
    await rows.first().waitFor();
    for (const i of [0, 2]) {
      const answered = page.waitForResponse((r) => r.url().includes('/decrypt'));
      await rows.nth(i).locator('.d-button[title="查看"]').click();
      await answered;
    }
    const marks = () => page.evaluate(() => document.querySelector('[data-redship="list-help"]')
      ?.shadowRoot?.querySelectorAll('[data-testid="list-help-mark"]').length ?? 0);
    for (let tries = 0; ; tries++) {
      await page.goto(list);
      await rows.first().waitFor();
      await page.waitForFunction(() => document.querySelector('[data-redship="list-help"]')?.shadowRoot
        ?.querySelector('[data-testid="list-help-chip"]'), null, { timeout: 10_000 });
      if ((await marks()) === 2 || tries >= 5) break; // the ledger may record a moment after the answer
    }
    await page.screenshot({ path: file });
    console.log(`list help screenshot: ${file}`);
  } finally {
    await b.close();
    await rep.stop();
  }
}
