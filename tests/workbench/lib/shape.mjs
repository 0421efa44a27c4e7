// The two spellings the replica can answer in, and the conversion from its one internal package
// model to them. `seen` (the default) follows the shapes public scripts show the real site sending
// (SPEC.md "`Package` [seen]", "Couriers"); `legacy` is the first replica's guess
// (`userInfo.receiver`/`buyerRemark`, SKU `name`/`spec`/`quantity`/`price`, ms `paidAt`, status 4/5
// waiting, couriers `zhongtong`/`debangkuaidi`). State keeps meanings (a status meaning, the seen
// courier code, epoch-ms times); only this module knows how each shape spells them.
//
// The internal package (built by input.mjs and seed.mjs, kept by state.mjs):
//   { packageId, orderId,
//     meaning: 'pick'|'ship'|'partial'|'ship26'|'shipped'|'unsigned'|'done'|'cancelled'|null,
//     code: the verbatim status when `meaning` is null (an unknown code such as 3 or 77),
//     statusDesc: verbatim text override or null (then the text follows the meaning),
//     afterSale: {code, desc} (desc '' when none),
//     paidAt, orderedAt, updatedAt: epoch ms, or verbatim text that is no time,
//     createdAt: when the replica got it (ms; orders packages without a usable paid time),
//     actualPaid, totalOrderAmount, actualSellerReceiveAmount, shippingFee, sellerId, userId, orderTagList,
//     recipient: {name, nickName, province, city, district, street, legacyAddress, phone, phoneCc, note, extra},
//     items: [{skuId, itemId, name, spec, skuName, quantity, price, image, bundle: [{name, nameKey,
//       quantity, price, priceKey, extra}] | undefined, extra}],
//     extra: unknown fields posted through /__test/orders, served verbatim in both shapes,
//     expressCompanyCode (seen spelling), expressNo, shippedAt }
// or, for a package posted with `__raw: true`: { packageId, raw: the object as given, createdAt }.
import { COURIERS, LEGACY_COURIERS, chinaDateTime, parseTime } from './rules.mjs';

/** The shapes the replica serves. */
export const SHAPES = ['seen', 'legacy'];
/** The shape served when none is asked for. */
export const DEFAULT_SHAPE = 'seen';

/** Status meanings -> [code, text] in each shape. Order matters: the first meaning with a code wins when reading it. */
export const MEANINGS = {
  ship: { waiting: true, seen: [2, '待发货'], legacy: [4, '待发货'] },
  pick: { waiting: true, seen: [1, '待配货'], legacy: [5, '待发货'] },
  partial: { waiting: true, seen: [21, '部分发货'], legacy: [4, '待发货'] },
  ship26: { waiting: true, seen: [26, '待发货'], legacy: [4, '待发货'] },
  shipped: { seen: [6, '已发货'], legacy: [6, '已发货'] },
  unsigned: { seen: [65, '已发货未签收'], legacy: [6, '已发货'] },
  done: { seen: [7, '已完成'], legacy: [7, '已完成'] },
  cancelled: { seen: [998, '已取消'], legacy: [998, '已取消'] },
};

const CODE_MEANING = {}; // shape -> code -> meaning
for (const shape of SHAPES) {
  CODE_MEANING[shape] = new Map();
  for (const [m, def] of Object.entries(MEANINGS)) if (!CODE_MEANING[shape].has(def[shape][0])) CODE_MEANING[shape].set(def[shape][0], m);
}

/** `--shape` / reset `shape` value -> a known shape, or throws. */
export function checkShape(v) {
  if (v === undefined || v === null || v === '') return DEFAULT_SHAPE;
  if (!SHAPES.includes(String(v))) throw new Error(`unknown shape ${JSON.stringify(v)} (use ${SHAPES.join(' or ')})`);
  return String(v);
}

const asCode = (v) => (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v.trim())) ? Number(v) : NaN);

/** The meaning of a status code of either family (seen read first; they agree where they overlap), or null. */
export function meaningOfCode(v) {
  const c = asCode(v);
  return CODE_MEANING.seen.get(c) ?? CODE_MEANING.legacy.get(c) ?? null;
}

/** True for meanings of a package waiting to ship. */
export const isWaitingMeaning = (m) => Boolean(m && MEANINGS[m]?.waiting);

/** The status code of a meaning in `shape`. */
export const statusCode = (m, shape) => MEANINGS[m][shape][0];

/** A package's meaning (internal or raw). */
export const meaningOf = (p) => (p.raw ? meaningOfCode(p.raw.status) : p.meaning);

/** A package's time for ordering and time filters: paid time, else ordered time, else when posted. */
export function timeOf(p) {
  const src = p.raw ?? p;
  for (const v of [src.paidAt, src.orderedAt]) {
    const t = parseTime(v);
    if (Number.isFinite(t)) return t;
  }
  return p.createdAt ?? 0;
}

/**
 * A predicate for the order/page `status` filter. A code of the current shape's family selects
 * the packages served with that code; a code only the other family uses selects the same meaning
 * (so `[4, 5]` and `[1, 2, 21, 26]` both select every waiting package); any other code selects
 * packages whose unknown status is that code verbatim.
 */
export function statusFilter(codes, shape) {
  const other = shape === 'seen' ? 'legacy' : 'seen';
  const meanings = new Set();
  const verbatim = new Set();
  for (const raw of codes) {
    const c = asCode(raw);
    if (CODE_MEANING[shape].has(c)) {
      for (const [m, def] of Object.entries(MEANINGS)) if (def[shape][0] === c) meanings.add(m);
    } else if (CODE_MEANING[other].has(c)) {
      for (const [m, def] of Object.entries(MEANINGS)) if (def[other][0] === c) meanings.add(m);
    } else {
      verbatim.add(String(raw));
    }
  }
  return (p) => {
    const m = meaningOf(p);
    if (m) return meanings.has(m);
    const code = p.raw ? p.raw.status : p.code;
    return verbatim.has(String(code));
  };
}

/** The status codes the SPA's tabs send in `shape`: {pending, shipped}. */
export function tabCodes(shape) {
  const codes = (pred) => [...new Set(Object.entries(MEANINGS).filter(([m, d]) => pred(m, d)).map(([, d]) => d[shape][0]))].sort((x, y) => x - y);
  return { pending: codes((m, d) => d.waiting), shipped: codes((m) => m === 'shipped' || m === 'unsigned') };
}

// ---- couriers ----

const BY_ID = new Map(COURIERS.map((c) => [c.express_company_id, c]));

/** The courier list served in `shape` (copies). */
export const couriersFor = (shape) => (shape === 'legacy' ? LEGACY_COURIERS : COURIERS).map((c) => ({ ...c }));

/** The seen code for a courier code of either spelling (unknown codes pass through). */
export function canonicalCourier(code) {
  const legacy = LEGACY_COURIERS.find((c) => c.express_company_code === code);
  return legacy ? (BY_ID.get(legacy.express_company_id)?.express_company_code ?? code) : code;
}

/** The code `shape` uses for a courier kept under its seen code. */
export function courierCode(seenCode, shape) {
  if (shape !== 'legacy' || !seenCode) return seenCode ?? '';
  const c = COURIERS.find((x) => x.express_company_code === seenCode);
  return LEGACY_COURIERS.find((x) => x.express_company_id === c?.express_company_id)?.express_company_code ?? seenCode;
}

/** True when `shape` lists the courier `code` (the ship endpoint accepts only these). */
export const courierListed = (code, shape) => (shape === 'legacy' ? LEGACY_COURIERS : COURIERS).some((c) => c.express_company_code === code);

// ---- packages ----

const seenTime = (v) => (typeof v === 'number' ? chinaDateTime(v) : v);
const legacyTime = (v) => (typeof v === 'string' && Number.isFinite(parseTime(v)) ? parseTime(v) : v);

/** Province + city (when it differs, as in 上海市上海市) + district. */
export function regionText(r) {
  return `${r.province ?? ''}${r.city && r.city !== r.province ? r.city : ''}${r.district ?? ''}`;
}

function statusOf(p, shape) {
  if (!p.meaning) return [p.code, p.statusDesc ?? '未知'];
  const [code, desc] = MEANINGS[p.meaning][shape];
  return [code, p.statusDesc ?? desc];
}

function seenSku(s) {
  const out = {
    skuId: s.skuId, itemId: s.itemId, displayName: s.name, skuName: s.skuName ?? s.spec, skuSpecification: s.spec,
    skuQuantity: s.quantity, skuSoldPrice: s.price, image: s.image,
  };
  if (s.bundle) out.scskus = s.bundle.map((b) => ({ [b.nameKey]: b.name, quantity: b.quantity, [b.priceKey]: b.price, ...b.extra }));
  return { ...out, ...s.extra };
}

const legacySku = (s) => ({ skuId: s.skuId, name: s.name, spec: s.spec, quantity: s.quantity, price: s.price, ...s.extra });

function seenPackage(p) {
  const [status, statusDesc] = statusOf(p, 'seen');
  const r = p.recipient;
  return {
    packageId: p.packageId, orderId: p.orderId, status, statusDesc,
    afterSaleStatus: p.afterSale.code, afterSaleStatusDesc: p.afterSale.desc || '无售后',
    paidAt: seenTime(p.paidAt), orderedAt: seenTime(p.orderedAt), updatedAt: seenTime(p.updatedAt),
    actualPaid: p.actualPaid, totalOrderAmount: p.totalOrderAmount, actualSellerReceiveAmount: p.actualSellerReceiveAmount,
    shippingFee: p.shippingFee, sellerId: p.sellerId, userId: p.userId, orderTagList: p.orderTagList,
    userInfo: {
      name: r.name, nickName: r.nickName, province: r.province, city: r.city, district: r.district,
      address: r.street, phone: (r.phoneCc ?? '') + r.phone, note: r.note, userId: p.userId, ...r.extra,
    },
    skus: p.items.map(seenSku),
    ...p.extra,
  };
}

function legacyPackage(p) {
  const [status, statusDesc] = statusOf(p, 'legacy');
  const r = p.recipient;
  return {
    packageId: p.packageId, orderId: p.orderId, paidAt: legacyTime(p.paidAt), actualPaid: p.actualPaid, status, statusDesc,
    afterSaleStatusDesc: p.afterSale.desc,
    userInfo: { receiver: r.name, phone: r.phone, address: r.legacyAddress ?? regionText(r) + r.street, buyerRemark: r.note, ...r.extra },
    skus: p.items.map(legacySku),
    ...p.extra,
  };
}

/** The package as the list answers it in `shape` (never plaintext, no logistics). */
export function publicPackage(p, shape) {
  if (p.raw) return structuredClone(p.raw);
  return structuredClone(shape === 'legacy' ? legacyPackage(p) : seenPackage(p));
}

/** The package as the detail answers it: the list fields plus logistics (and `paidAtText` in legacy, as before). */
export function detailPackage(p, shape) {
  const out = publicPackage(p, shape);
  if (p.raw) return out;
  if (shape === 'legacy') out.paidAtText = typeof p.paidAt === 'number' ? chinaDateTime(p.paidAt) : String(p.paidAt ?? '');
  out.expressCompanyCode = courierCode(p.expressCompanyCode, shape);
  out.expressNo = p.expressNo ?? '';
  out.shippedAt = p.shippedAt ?? null;
  return out;
}
