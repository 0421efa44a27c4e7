// Row 5 — vault: encrypt-and-store and load-and-decrypt a 10,000-order state (100 records of
// 100 orders, as the store keeps records small), RedShip's wasm vault (VaultSession seal → one
// chrome.storage.local.set; get → its opener's open) against WebCrypto's AES-256-GCM doing the same job on
// the same payload bytes with the same envelope and associated data (bench/page/bench.js
// vaultCompare), in the same extension page. Both must load back exactly the state first.
import { launchRaw } from '../lib/browser.mjs';
import { openHarness } from '../lib/harness.mjs';
import { benchExtensions } from '../lib/extensions.mjs';
import { median, spread } from '../lib/stats.mjs';

/** Runs the row; returns result entries. */
export async function run({ quick = false } = {}) {
  const reps = quick ? 3 : 5;
  const ext = await benchExtensions();
  const browser = await launchRaw({ extensions: [ext.redship] });
  try {
    const page = await openHarness(browser.cdp, browser.ids[0]);
    const exports = await page.call('bench.exportsList()');
    const need = ['vaultCreate', 'VaultSession', 'vaultInfo'].filter((x) => !exports.includes(x));
    const base = (k, what) => ({ id: `vault-${k}`, figure: `Vault: ${what} 10,000 orders`, unit: 'ms', goal: 3 });
    if (need.length) return [base('store', 'encrypt + store'), base('load', 'load + decrypt')].map((e) => ({ ...e, pending: `wasm exports missing: ${need.join(', ')}` }));
    const r = await page.call(`bench.vaultCompare(${reps})`, 600000);
    if (!r.equal) throw new Error(`the vault round trip did not give back the state (wasm ${r.okOurs}, WebCrypto ${r.okBase})`);
    const size = `${r.records} records, ${Math.round(r.bytes / 1000)} kB of JSON`;
    return [['store', 'encrypt + store'], ['load', 'load + decrypt']].map(([k, what]) => {
      const o = median(r.times[k].ours);
      const b = median(r.times[k].base);
      return {
        ...base(k, what), ours: o, baseline: b, ratio: o / b,
        note: `${size}; aes-gcm in wasm vs WebCrypto AES-GCM, chrome.storage.local included on both sides; median of ${reps} interleaved runs (spread ±${Math.round(spread(r.times[k].ours) * 100)}% / ±${Math.round(spread(r.times[k].base) * 100)}%)`,
        samples: r.times[k],
      };
    });
  } finally {
    await browser.close();
  }
}
