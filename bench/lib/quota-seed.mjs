// The cold-start row's quota query: which message asks for the dashboard (once the quota domain
// has landed), and seeding a 30-day ledger through the extension's own code (see bench.js
// seedQuota) so the first query after a cold start reads a realistic store.

/** The shop the bench uses (the replica's shop name). */
export const SHOP = '小红薯的杂货铺';
const PER_DAY = 18;

/**
 * Decides what the cold-start row asks. → {quota: boolean, message, shop, check(data)}
 * @param {{call: (expr: string) => Promise<any>}} harness
 */
export async function quotaQuery(harness) {
  const cat = await harness.call('bench.catalogue()');
  const entry = cat['quota.dashboard'];
  if (!entry || !entry.from.includes('page')) {
    return { quota: false, message: { type: 'status.get', payload: {} }, shop: SHOP, check: () => true };
  }
  return {
    quota: true,
    shop: SHOP,
    message: { type: 'quota.dashboard', payload: { shop: SHOP } },
    check: (data) => data?.shop === SHOP && data?.view && typeof data.view.used === 'number' && data.view.used >= PER_DAY,
  };
}

/** Seeds `days` days of decrypts for `shop`; resolves {records, events}. */
export async function seedQuotaLedger(harness, shop, days) {
  return harness.call(`bench.seedQuota(${JSON.stringify(shop)}, ${days}, ${PER_DAY})`, 300000);
}
