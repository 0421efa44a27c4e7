// Where a wasm call spends its time, by Rust crate: the unoptimised release module (it keeps a
// name section) is bound again with wasm-bindgen into a copy of the bench extension, and
// Chromium's CPU profiler samples the call there. Self time is summed per crate (and per JS
// function outside the module). A diagnostic for rows that miss their goal.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, OUT } from './env.mjs';
import { launchRaw } from './browser.mjs';
import { openHarness } from './harness.mjs';
import { crateOf } from './wasm-sections.mjs';

/**
 * Profiles `expression` (evaluated `runs` times in the harness page of a copy of `extensionDir`
 * whose wasm module `module` keeps its names). → [{what, ms, share}] (top entries) or null when not possible.
 */
export async function profileByCrate(extensionDir, expression, runs = 3, module = 'redship_wasm') {
  const unopt = join(ROOT, `target/wasm32-unknown-unknown/release/${module}.wasm`);
  if (!existsSync(unopt)) return null;
  const dir = join(OUT, 'ext/redship-names');
  rmSync(dir, { recursive: true, force: true });
  cpSync(extensionDir, dir, { recursive: true });
  const pkg = join(OUT, 'pkg-names');
  rmSync(pkg, { recursive: true, force: true });
  mkdirSync(pkg, { recursive: true });
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', pkg, '--no-typescript', '--keep-debug', unopt], { stdio: 'ignore' });
  } catch { return null; }
  cpSync(join(pkg, `${module}.js`), join(dir, `pkg/${module}.js`));
  cpSync(join(pkg, `${module}_bg.wasm`), join(dir, `pkg/${module}_bg.wasm`));
  const browser = await launchRaw({ extensions: [dir] });
  try {
    const page = await openHarness(browser.cdp, browser.ids[0]);
    await page.call(`(async () => { await (${expression}); return true; })()`, 600000); // warm
    await browser.cdp.send('Profiler.enable', {}, page.sessionId);
    await browser.cdp.send('Profiler.setSamplingInterval', { interval: 200 }, page.sessionId);
    await browser.cdp.send('Profiler.start', {}, page.sessionId);
    for (let i = 0; i < runs; i++) await page.call(`(async () => { await (${expression}); return true; })()`, 600000);
    const { profile } = await browser.cdp.send('Profiler.stop', {}, page.sessionId);
    const self = new Map();
    const dt = new Map();
    for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0));
    let total = 0;
    for (const n of profile.nodes) {
      const us = dt.get(n.id) || 0;
      if (!us) continue;
      const f = n.callFrame;
      let what;
      if (f.url.endsWith('.wasm') || /^\$?_[RZ]/.test(f.functionName)) what = `wasm: ${crateOf(f.functionName.replace(/^\$/, ''))}`;
      else if (['(idle)', '(program)', '(garbage collector)'].includes(f.functionName)) what = f.functionName;
      else if (['decode', 'getStringFromWasm0', 'getUint8ArrayMemory0'].includes(f.functionName)) what = 'js: strings out of wasm (TextDecoder)';
      else if (f.functionName === 'wasm-to-js' || f.functionName === 'js-to-wasm' || /^__wbg_/.test(f.functionName)) what = 'js: boundary calls (wasm-bindgen imports)';
      else what = `js: ${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
      if (what === '(idle)') continue;
      self.set(what, (self.get(what) || 0) + us);
      total += us;
    }
    return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)
      .map(([what, us]) => ({ what, ms: Math.round(us / 1000 / runs), share: Math.round((us / total) * 100) }));
  } finally {
    await browser.close();
  }
}
