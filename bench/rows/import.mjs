// Row 1 — import: parse and validate 10,000 tracking rows, as CSV and as the same rows in XLSX,
// with the wasm core (shipImport, called as the service worker calls it: in the office module,
// which reads every import) against the JS
// baseline (bench/baseline/import.js: papaparse or SheetJS, then per-courier regular expressions),
// both in the same extension page of headless Chromium, same bytes, same context (10,000 orders
// seen, used numbers, courier list). Before any time counts, both verdict lists (row, package,
// courier, number, verdict, reason codes, fillable) must be equal.
import { launchRaw } from '../lib/browser.mjs';
import { openHarness } from '../lib/harness.mjs';
import { benchExtensions } from '../lib/extensions.mjs';
import { spread } from '../lib/stats.mjs';
import { profileByCrate } from '../lib/profile.mjs';

/** Runs the row; returns result entries. */
export async function run({ quick = false } = {}) {
  // Eleven: this machine has slow and fast spells of a few seconds, and a median of five runs
  // of a 50 ms call landed on either from one run of the bench to the next.
  const reps = quick ? 3 : 11;
  const ext = await benchExtensions();
  const browser = await launchRaw({ extensions: [ext.redship] });
  try {
    const page = await openHarness(browser.cdp, browser.ids[0]);
    const exports = await page.call("bench.exportsList('office')");
    if (!exports.includes('shipImport')) {
      return ['csv', 'xlsx'].map((kind) => ({
        id: `import-${kind}`, figure: `Import: 10,000 rows, ${kind.toUpperCase()}`, unit: 'ms', goal: 0.5,
        pending: 'the wasm export shipImport has not landed',
      }));
    }
    const out = [];
    for (const kind of ['csv', 'xlsx']) {
      const cmp = await page.call(`bench.importCompare('${kind}')`, 300000);
      const base = { id: `import-${kind}`, figure: `Import: 10,000 rows, ${kind.toUpperCase()}`, unit: 'ms', goal: 0.5 };
      if (!cmp.equal) {
        throw new Error(`${kind}: the verdict lists differ, so the times would not compare the same job. ours ${JSON.stringify(cmp.ours)} baseline ${JSON.stringify(cmp.base)}; first differences: ${JSON.stringify(cmp.diffs.slice(0, 3))}`);
      }
      const t = await page.call(`bench.importTime('${kind}', ${reps})`, 600000);
      const bd = await page.call(`bench.importBreakdown('${kind}')`, 600000);
      const ms = (x) => `${Math.round(x)} ms`;
      const why = `where the time goes (shipImport, one warm run each): full context ${ms(bd.full)}; without the ${bd.usedNumbers} used numbers ${ms(bd.noUsedNumbers)}; without the ${bd.knownOrders} known orders ${ms(bd.noKnownOrders)}; with neither ${ms(bd.neither)} (reading, validation and converting the 10,000-row view to JS). The baseline does the whole job in ${ms(t.baseMedian)}`;
      out.push({
        why,
        breakdown: bd,
        ...base, ours: t.oursMedian, baseline: t.baseMedian, ratio: t.oursMedian / t.baseMedian,
        note: `shipImport vs ${kind === 'csv' ? 'papaparse' : 'SheetJS'} + regexes; verdicts equal (${cmp.ours.ok} ok, ${cmp.ours.warning} warning, ${cmp.ours.error} error); median of ${reps} interleaved runs (spread ±${Math.round(spread(t.ours) * 100)}% / ±${Math.round(spread(t.base) * 100)}%)`,
        samples: { ours: t.ours, base: t.base },
      });
    }
    await browser.close();
    // A missed goal: sample where the wasm call spends its time (names kept, see lib/profile.mjs).
    for (const e of out) {
      if (e.ratio <= e.goal) continue;
      const kind = e.id.split('-')[1];
      const expr = `(async () => { const w = await bench.importer('${kind}'); const c = await bench.data('context.json', true); const b = await bench.data('tracking.${kind}'); w.shipImport({ source: '${kind}', bytes: b.slice(), knownOrders: bench.knownForCore(c.knownOrders), usedNumbers: c.usedNumbers, couriers: c.couriers }); })()`;
      const top = await profileByCrate(ext.redship, expr, 3, 'redship_office').catch(() => null);
      if (top) {
        e.profile = top;
        e.why += `. CPU profile of shipImport (self time per run, unoptimised build with names): ${top.map((t) => `${t.what} ${t.ms} ms (${t.share}%)`).join(', ')}`;
      }
    }
    return out;
  } finally {
    await browser.close().catch(() => {});
  }
}
