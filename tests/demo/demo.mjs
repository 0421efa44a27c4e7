// `./build.sh demo`: starts the workbench replica and Chromium with RedShip loaded.
// With a display (and not CI) it opens a real window for you to try it; headless it walks
// through the main flow like a merchant — browse the pending list, view a few buyers (spending
// quota), look at the quota dashboard, export masked transit orders, import tracking numbers and
// ship them — saving a screenshot of every step into demo-out/ and printing what it did.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openExtensionPage, ROOT } from '../e2e/lib/chromium.mjs';
import { startReplica } from '../e2e/lib/replica.mjs';

// REDSHIP_DEMO_OUT: another folder (tools/store-shots.mjs takes the store's screenshots from there).
const OUT = process.env.REDSHIP_DEMO_OUT || join(ROOT, 'demo-out');
const headed = !!process.env.DISPLAY && !process.env.CI && !process.argv.includes('--headless');
const replica = await startReplica({ port: headed ? 8700 : 0 });
const listUrl = `${replica.url}/app-order/order/query?tab=pending`;
console.log(`workbench replica: ${replica.url}`);

if (headed) {
  const browser = await launch({ headless: false, locale: 'zh-CN' });
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  await page.goto(listUrl);
  await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  console.log('A Chromium window is open with RedShip loaded on the workbench replica.');
  console.log('Try 查看 on an order, then the RedShip toolbar icon. Close the window to finish.');
  await new Promise((resolve) => browser.context.on('close', resolve));
  await replica.stop();
  process.exit(0);
}

mkdirSync(OUT, { recursive: true });
const browser = await launch({ locale: 'zh-CN' });
const { context, extensionId } = browser;
const did = [];
let shot = 0;
async function snap(page, name, what) {
  const file = `${String(++shot).padStart(2, '0')}-${name}.png`;
  await page.screenshot({ path: join(OUT, file), fullPage: false });
  did.push(`${file}  ${what}`);
  console.log(`  ✓ ${what} → demo-out/${file}`);
}
const rowIds = (page) => page.$$eval('table.d-new-table tbody tr',
  (rows) => rows.map((r) => (r.textContent.match(/P\d{15,}/) || [])[0]).filter(Boolean));

try {
  // 1. The merchant opens the pending orders.
  const wb = await context.newPage();
  await wb.goto(listUrl);
  await wb.waitForSelector('table.d-new-table tbody tr .d-button');
  const pending = await rowIds(wb);
  await snap(wb, 'workbench-pending', `the workbench's pending list (${pending.length} packages on page 1)`);

  // 2. They view three buyers in full: three decrypts, one a repeat (free).
  const viewButtons = wb.locator('table.d-new-table tbody tr button[title="查看"]');
  for (const i of [0, 1, 0]) {
    const rows = wb.locator('table.d-new-table tbody tr');
    const btn = rows.nth(i).locator('button[title="查看"]');
    if (await btn.count()) { await btn.click(); await wb.waitForTimeout(400); }
  }
  await viewButtons.first().waitFor({ state: 'attached' }).catch(() => {});
  const log1 = await replica.log();
  await snap(wb, 'workbench-decrypted', `viewed buyers: platform charged ${log1.decrypts.filter((d) => d.charged).length}`);
  // The list loaded again: RedShip's help marks the rows viewed today (viewing again is free).
  await wb.reload();
  await wb.waitForSelector('table.d-new-table tbody tr .d-button');
  await wb.waitForFunction(() => document.querySelector('[data-redship="list-help"]')?.shadowRoot
    ?.querySelector('[data-testid="list-help-mark"]'), null, { timeout: 10_000 }).catch(() => {});
  await snap(wb, 'workbench-list-help', 'the order list with RedShip\'s help: marks on the rows viewed today, the corner chip');

  // 3. The quota dashboard.
  const popup = await openExtensionPage(context, extensionId, 'popup.html');
  await popup.setViewportSize({ width: 400, height: 640 });
  const used = popup.getByTestId('quota-used');
  if (await used.count().then((n) => n > 0)) {
    await popup.waitForFunction(() => document.querySelector('[data-testid="quota-used"]')?.textContent.trim() === '2', null, { timeout: 5000 }).catch(() => {});
    await snap(popup, 'popup-quota', `popup: used ${(await used.textContent()).trim()} of ${(await popup.getByTestId('quota-limit').textContent()).trim()}`);
  } else await snap(popup, 'popup', 'popup');

  // 4. Transit export, buyers masked.
  const transit = await openExtensionPage(context, extensionId, 'transit.html');
  const tRows = transit.getByTestId('transit-row');
  await tRows.first().waitFor({ timeout: 5000 }).catch(() => {});
  await snap(transit, 'transit', `transit page: ${await tRows.count()} pending packages, buyers masked`);
  if (await transit.getByTestId('export-csv').count()) {
    const [dl] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId('export-csv').click()]);
    await dl.saveAs(join(OUT, 'transit-export.csv'));
    did.push('transit-export.csv  the masked export for the warehouse');
    console.log('  ✓ exported the masked CSV → demo-out/transit-export.csv');
  }

  // 5. Tracking numbers back from the warehouse: paste, preview, ship three.
  const ship = await openExtensionPage(context, extensionId, 'ship.html');
  const lines = pending.slice(0, 3).map((id, i) => `${id}\t顺丰\tSF${String(1234567890120 + i * 7)}`);
  await ship.getByTestId('import-paste').fill(`订单号\t快递公司\t运单号\n${lines.join('\n')}`);
  await ship.getByTestId('import-submit').click();
  await ship.getByTestId('preview-row').first().waitFor({ timeout: 5000 });
  await snap(ship, 'ship-preview', `import preview: ${await ship.getByTestId('preview-row').count()} rows`);
  await ship.getByTestId('fill-mode').selectOption('ship');
  await wb.bringToFront();
  await ship.getByTestId('fill-start').click();
  await ship.waitForFunction(() => {
    const p = document.querySelector('[data-testid="fill-progress"]');
    return p && p.dataset.total !== '0' && p.dataset.done === p.dataset.total;
  }, null, { timeout: 60_000 });
  await snap(ship, 'ship-report', 'fill report');
  const log2 = await replica.log();
  console.log(`  ✓ the platform recorded ${log2.shipments.length} shipments`);
  await wb.reload();
  await wb.waitForSelector('table.d-new-table tbody tr');
  await snap(wb, 'workbench-after', 'the workbench after shipping');

  // 6. Settings: tiers, thresholds, lock, backup.
  const options = await openExtensionPage(context, extensionId, 'options.html');
  await snap(options, 'options', 'settings page');

  writeFileSync(join(OUT, 'README.txt'), `RedShip demo, ${new Date().toISOString()}\n\n${did.join('\n')}\n`);
  console.log(`Demo finished: ${shot} screenshots in demo-out/.`);
} catch (e) {
  console.error(`Demo stopped: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  await replica.stop();
}
