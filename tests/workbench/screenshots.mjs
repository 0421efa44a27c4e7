// Retakes the README's two replica screenshots (docs/img/replica-list.png, replica-dialog.png):
// `node tests/workbench/screenshots.mjs [outDir]`. A script, not a test: a picture asserts
// nothing, and its pixels differ from run to run, so the committed files change only when asked.
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
