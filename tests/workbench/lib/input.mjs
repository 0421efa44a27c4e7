// Reads packages posted to POST /__test/orders, in either spelling (seen or legacy, any mix), into
// the replica's one internal model (see shape.mjs), and merges them over an existing package or
// over defaults. Rules:
// - status: a code of either known family becomes its meaning (served as the current shape's code
//   for it); an unknown code (3, 77, 'x') is kept and served verbatim. A given statusDesc is kept
//   verbatim; status given without statusDesc makes the text follow the meaning again.
// - times (paidAt, orderedAt, updatedAt): epoch ms, epoch seconds or China-time text; any other
//   value is kept and served verbatim.
// - userInfo: name|receiver, note|buyerRemark, phone, nickName, province/city/district, userId.
//   `address` is the street part when the userInfo is seen-spelled (has name, note, nickName,
//   province, city or district); otherwise it is a full legacy address, served verbatim in legacy
//   and split into province/city/district + the rest for seen.
// - skus (replace the whole list): displayName|name, skuSpecification|spec|skuName,
//   skuQuantity|quantity, skuSoldPrice|soldPrice|price, skuId, itemId, image, scskus[] (each
//   name|skuName, quantity, soldPrice|price, spelling kept).
// - any other field, at any level read here, is kept and served verbatim in both shapes.
import { parseTime } from './rules.mjs';
import { canonicalCourier, meaningOfCode } from './shape.mjs';

/** After-sale texts -> afterSaleStatus numbers ([assumed]: nothing public shows the numbers). */
export const AFTER_SALE = { 退款中: 2, 退货退款中: 3, 售后完成: 4 };

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const pickExtra = (o, known) => Object.fromEntries(Object.entries(o).filter(([k]) => !known.has(k)));
/** Epoch ms for a time value, else the value itself (served verbatim). */
export const readTime = (v) => { const t = parseTime(v); return Number.isFinite(t) ? t : v; };

const TOP = new Set(['packageId', 'orderId', 'status', 'statusDesc', 'afterSaleStatus', 'afterSaleStatusDesc', 'paidAt', 'orderedAt',
  'updatedAt', 'actualPaid', 'totalOrderAmount', 'actualSellerReceiveAmount', 'shippingFee', 'sellerId', 'userId', 'orderTagList',
  'userInfo', 'skus', 'plaintext', 'expressCompanyCode', 'expressNo', 'shippedAt', '__raw']);
const USER = new Set(['name', 'receiver', 'nickName', 'province', 'city', 'district', 'address', 'phone', 'note', 'buyerRemark', 'userId']);
const SKU = new Set(['skuId', 'itemId', 'displayName', 'name', 'skuName', 'skuSpecification', 'spec', 'skuQuantity', 'quantity',
  'skuSoldPrice', 'soldPrice', 'price', 'image', 'scskus']);
const SCSKU = new Set(['name', 'skuName', 'quantity', 'soldPrice', 'price']);
const COPIED = ['orderId', 'actualPaid', 'totalOrderAmount', 'actualSellerReceiveAmount', 'shippingFee', 'sellerId', 'orderTagList', 'expressNo', 'shippedAt'];

const PROVINCE = /^[\u4e00-\u9fa5]{1,7}?(?:省|自治区|特别行政区)/u;
const CITY = /^[\u4e00-\u9fa5]{1,9}?(?:市|自治州|地区|盟)/u;
const DISTRICT = /^[\u4e00-\u9fa5]{1,9}?(?:区|县|市|旗)/u;

/**
 * Splits a full address into `{province, city, district, street}` (best effort: a part not found
 * is ''; a municipality's province is its city). `广东省深圳市南山区****` -> 广东省 / 深圳市 / 南山区 / `****`.
 */
export function splitRegion(text) {
  let rest = String(text ?? '');
  const take = (re) => { const m = rest.match(re); if (!m) return ''; rest = rest.slice(m[0].length); return m[0]; };
  let province = take(PROVINCE);
  const city = take(CITY);
  const district = city ? take(DISTRICT) : '';
  if (!province && city && /^(北京|上海|天津|重庆)市$/.test(city)) province = city;
  return { province, city, district, street: rest };
}

/** The recipient fields an input userInfo gives (only those), plus `userId` when given. */
function readRecipient(u) {
  const out = {};
  if (!u || typeof u !== 'object') return { out, userId: undefined };
  const seenSpelled = ['name', 'note', 'nickName', 'province', 'city', 'district'].some((k) => has(u, k));
  if (has(u, 'name')) out.name = u.name; else if (has(u, 'receiver')) out.name = u.receiver;
  if (has(u, 'note')) out.note = u.note; else if (has(u, 'buyerRemark')) out.note = u.buyerRemark;
  for (const k of ['nickName', 'province', 'city', 'district']) if (has(u, k)) { out[k] = u[k]; out.legacyAddress = undefined; }
  if (has(u, 'phone')) { out.phone = u.phone; out.phoneCc = ''; }
  if (has(u, 'address')) {
    if (seenSpelled) Object.assign(out, { street: u.address, legacyAddress: undefined });
    else Object.assign(out, splitRegion(u.address), { legacyAddress: u.address });
  }
  const extra = pickExtra(u, USER);
  if (Object.keys(extra).length) out.extra = extra;
  return { out, userId: has(u, 'userId') ? u.userId : undefined };
}

const first = (o, keys, dflt) => { for (const k of keys) if (has(o, k)) return o[k]; return dflt; };

/** One input sku of either spelling -> an internal item. */
export function readSku(s, i = 0) {
  if (!s || typeof s !== 'object') return { skuId: `sku${i}`, name: String(s ?? ''), spec: '', quantity: 1, price: 0, extra: {} };
  const named = has(s, 'displayName') || has(s, 'name');
  const item = {
    skuId: first(s, ['skuId'], `sku${i}`),
    itemId: first(s, ['itemId'], undefined),
    name: first(s, ['displayName', 'name', 'skuName'], ''),
    spec: first(s, named ? ['skuSpecification', 'spec', 'skuName'] : ['skuSpecification', 'spec'], ''),
    skuName: has(s, 'skuName') ? s.skuName : undefined,
    quantity: first(s, ['skuQuantity', 'quantity'], 1),
    price: first(s, ['skuSoldPrice', 'soldPrice', 'price'], 0),
    image: first(s, ['image'], undefined),
    extra: pickExtra(s, SKU),
  };
  if (Array.isArray(s.scskus)) {
    item.bundle = s.scskus.map((b) => (b && typeof b === 'object' ? {
      name: first(b, ['name', 'skuName'], ''), nameKey: has(b, 'name') || !has(b, 'skuName') ? 'name' : 'skuName',
      quantity: first(b, ['quantity'], 1),
      price: first(b, ['soldPrice', 'price'], 0), priceKey: has(b, 'soldPrice') || !has(b, 'price') ? 'soldPrice' : 'price',
      extra: pickExtra(b, SCSKU),
    } : { name: String(b ?? ''), nameKey: 'name', quantity: 1, price: 0, priceKey: 'soldPrice', extra: {} }));
  }
  return item;
}

/** Merges an input package (either spelling) over `base` (an internal package); returns a new one. */
export function mergeInput(base, input) {
  const p = structuredClone(base);
  for (const k of COPIED) if (has(input, k)) p[k] = input[k];
  for (const k of ['paidAt', 'orderedAt', 'updatedAt']) if (has(input, k)) p[k] = readTime(input[k]);
  if (has(input, 'status')) {
    p.meaning = meaningOfCode(input.status);
    p.code = p.meaning ? null : input.status;
    p.statusDesc = null;
  }
  if (has(input, 'statusDesc')) p.statusDesc = input.statusDesc;
  if (has(input, 'afterSaleStatus') || has(input, 'afterSaleStatusDesc')) {
    const desc = has(input, 'afterSaleStatusDesc') ? (input.afterSaleStatusDesc === '无售后' ? '' : input.afterSaleStatusDesc) : undefined;
    const code = has(input, 'afterSaleStatus') ? input.afterSaleStatus : desc ? (AFTER_SALE[desc] ?? 1) : 0;
    const byCode = Object.entries(AFTER_SALE).find(([, c]) => c === code)?.[0];
    p.afterSale = { code, desc: desc ?? (code ? byCode ?? String(code) : '') };
  }
  if (has(input, 'expressCompanyCode')) p.expressCompanyCode = canonicalCourier(input.expressCompanyCode);
  const { out, userId } = readRecipient(input.userInfo);
  const extra = out.extra;
  delete out.extra;
  p.recipient = { ...p.recipient, ...out, extra: { ...p.recipient.extra, ...extra } };
  if (has(input, 'userId')) p.userId = input.userId; else if (userId !== undefined) p.userId = userId;
  if (has(input, 'skus')) p.items = Array.isArray(input.skus) ? input.skus.map(readSku) : [];
  p.extra = { ...p.extra, ...pickExtra(input, TOP) };
  return p;
}
