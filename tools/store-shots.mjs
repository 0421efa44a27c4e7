// The store's pictures, made by `./build.sh package` from the demo: runs the headless demo
// (tests/demo/demo.mjs) into target/store-demo/, then lays its screenshots out at the stores'
// sizes in headless Chromium — screenshots at 1280×800 and 640×400 (the popup shown over the
// workbench it counts, the transit page, the import preview, the fill report) and the small
// promo tile at 440×280 from store/promo-tile.html — into dist/store/. Generated rather than
// committed: they are about 1 MB of PNG and would go stale with every change to the pages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(process.env.REDSHIP_DIST || join(ROOT, 'dist'));
const DEMO = join(ROOT, 'target/store-demo');
const OUT = join(DIST, 'store');
const SIZES = [[1280, 800], [640, 400]];

const dataUrl = (file) => `data:image/png;base64,${readFileSync(file).toString('base64')}`;
const demoShot = (name) => {
  const file = readdirSync(DEMO).find((f) => f.endsWith(`-${name}.png`));
  if (!file) throw new Error(`the demo made no "${name}" screenshot in ${DEMO}`);
  return dataUrl(join(DEMO, file));
};

/** A 1280×800 layout (drawn at any size by scaling): the picture fills it from the top. */
const full = (src) => `<img src="${src}" style="position:absolute;inset:0;width:100%;height:100%;object-fit:cover;object-position:top">`;
/** The popup over the workbench page, where the toolbar's popup opens. */
const overWorkbench = (page, popup) => `${full(page)}<div style="position:absolute;inset:0;background:rgba(0,0,0,.18)"></div>
  <img src="${popup}" style="position:absolute;top:1.5%;right:2%;height:80%;border-radius:8px;box-shadow:0 6px 28px rgba(0,0,0,.35)">`;

async function main() {
  rmSync(DEMO, { recursive: true, force: true });
  execFileSync('node', [join(ROOT, 'tests/demo/demo.mjs'), '--headless'], { stdio: 'inherit', env: { ...process.env, REDSHIP_DEMO_OUT: DEMO } });
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const scenes = [
    ['1-quota', overWorkbench(demoShot('workbench-decrypted'), demoShot('popup-quota'))],
    ['2-transit', full(demoShot('transit'))],
    ['3-import', full(demoShot('ship-preview'))],
    ['4-report', full(demoShot('ship-report'))],
  ];
  const browser = await chromium.launch({ executablePath: process.env.REDSHIP_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const [w, h] of SIZES) {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      for (const [name, body] of scenes) {
        await page.setContent(`<!doctype html><body style="margin:0;position:relative;width:${w}px;height:${h}px;overflow:hidden">${body}</body>`);
        await page.waitForFunction(() => [...document.images].every((i) => i.complete));
        await page.screenshot({ path: join(OUT, `screenshot-${name}-${w}x${h}.png`) });
      }
      await page.close();
    }
    const tile = await browser.newPage({ viewport: { width: 440, height: 280 } });
    const html = readFileSync(join(ROOT, 'store/promo-tile.html'), 'utf8').replace('src="ICON"', `src="${dataUrl(join(ROOT, 'extension/icons/icon128.png'))}"`);
    await tile.setContent(html);
    await tile.waitForFunction(() => [...document.images].every((i) => i.complete));
    await tile.screenshot({ path: join(OUT, 'promo-tile-small.png') });
  } finally {
    await browser.close();
  }
  console.log(`store pictures in ${OUT}: ${readdirSync(OUT).join(', ')}`);
}

if (!existsSync(join(DIST, 'extension-dev/manifest.json'))) throw new Error('build first: no dist/extension-dev');
await main();
