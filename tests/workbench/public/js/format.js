// Display helpers shared by the pages: money, China-time dates (paidAt as epoch ms, epoch seconds
// or the `YYYY-MM-DD HH:mm:ss` text the real site sends), reading a package in either spelling the
// replica serves (seen: userInfo.name/note/province..., skus displayName/skuSpecification/
// skuQuantity/skuSoldPrice with nested scskus; legacy: receiver/buyerRemark, name/spec/quantity/
// price), status meaning for both code families, the codes the tabs send (from the page's
// `<meta name="replica-shape">`), and the hashed-looking class names the real site uses outside the
// `d-` family (so nothing should key on them).
/** `¥12.30` */
export function money(v) {
  const n = Number(v);
  return Number.isFinite(n) ? `¥${n.toFixed(2)}` : String(v ?? '');
}

/** China-time `YYYY-MM-DD HH:mm:ss` for epoch ms or seconds; text passes through. */
export function chinaTime(v) {
  if (typeof v === 'string' && !/^\d{9,13}$/.test(v.trim())) return v;
  if (v === null || v === undefined || v === '') return '';
  let n = Number(v);
  if (!Number.isFinite(n)) return '';
  if (n < 1e11) n *= 1000;
  return new Date(n + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const first = (o, keys) => { for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k]; return undefined; };

/** A sku of either spelling: {name, spec, quantity, price, parts: [{name, quantity, price}]}. */
export function skuView(s) {
  return {
    name: first(s, ['displayName', 'name']) ?? '',
    spec: first(s, ['skuSpecification', 'skuName', 'spec']) ?? '',
    quantity: first(s, ['skuQuantity', 'quantity']) ?? 1,
    price: first(s, ['skuSoldPrice', 'soldPrice', 'price']),
    parts: Array.isArray(s?.scskus) ? s.scskus.map((b) => ({ name: first(b, ['name', 'skuName']) ?? '', quantity: first(b, ['quantity']) ?? 1, price: first(b, ['soldPrice', 'price']) })) : [],
  };
}

/** The recipient of a userInfo of either spelling: {name, phone, address, note}. */
export function recipientView(u) {
  u = u || {};
  const region = `${u.province ?? ''}${u.city && u.city !== u.province ? u.city : ''}${u.district ?? ''}`;
  return { name: first(u, ['name', 'receiver']), phone: u.phone, address: region + (u.address ?? ''), note: first(u, ['note', 'buyerRemark']) };
}

/** A CSS-modules-looking class name for a local part (stable within the replica). */
export function cx(name) {
  let h = 5381;
  for (const ch of name) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return `_${name}_${h.toString(36).slice(0, 5)}`;
}

const WAITING = new Set([1, 2, 21, 26, 4, 5]); // seen family, then the legacy one
/** True while a package waits to ship (a waiting code of either family). */
export const isWaiting = (status) => WAITING.has(Number(status));

/** The shape the replica serves and the status codes the tabs send in it (both families when unknown). */
export function shapeCodes() {
  const meta = document.querySelector('meta[name="replica-shape"]');
  const codes = (v, dflt) => (v ? v.split(',').map(Number) : dflt);
  return {
    shape: meta?.content || 'seen',
    pending: codes(meta?.dataset.pending, [...WAITING]),
    shipped: codes(meta?.dataset.shipped, [6, 65]),
  };
}
