// The platform's rules as the replica enforces them server-side: China day (UTC+8) and China-time
// text, the decrypt quota tier table, the courier lists (seen and legacy spellings) and
// tracking-number shapes per courier code (EMS with its UPU S10 check digit). Pure functions, no
// state. Status codes and texts live in shape.mjs.
import { readFileSync } from 'node:fs';

const here = new URL('..', import.meta.url);
/** Tier table loaded from tiers.json (data, so it can be edited without touching logic). */
export const TIERS = JSON.parse(readFileSync(new URL('tiers.json', here), 'utf8')).tiers;
const COURIER_DATA = JSON.parse(readFileSync(new URL('couriers.json', here), 'utf8'));
/** Couriers as seen on the platform (served by default), from couriers.json. */
export const COURIERS = COURIER_DATA.couriers;
/** The first replica's courier list (served with `--shape legacy`), from couriers.json. */
export const LEGACY_COURIERS = COURIER_DATA.legacy;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Index of the China day (UTC+8, no DST) that contains `ms`. */
export function chinaDayIndex(ms) {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** `YYYY-MM-DD` of the China day that contains `ms`. */
export function chinaDay(ms) {
  return new Date(chinaDayIndex(ms) * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm:ss` in China time. */
export function chinaDateTime(ms) {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Epoch ms of a time given as epoch ms, epoch seconds (below 1e11), a digit string of either, or
 * China-time text `YYYY-MM-DD[ HH:mm[:ss]]` (also with `/` or `T`); NaN when it is none of these.
 */
export function parseTime(v) {
  if (typeof v === 'number') return !Number.isFinite(v) ? NaN : v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string') return NaN;
  const t = v.trim();
  if (/^\d{9,13}$/.test(t)) return parseTime(Number(t));
  const m = t.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/);
  if (!m) return NaN;
  const [, y, mo, d, hh = 0, mm = 0, ss = 0] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss)) - CHINA_OFFSET_MS;
}

/** Epoch ms of 00:00 China time of day index `idx`. */
export function chinaDayStart(idx) {
  return idx * DAY_MS - CHINA_OFFSET_MS;
}

/** Daily quota for a 7-day max daily paid-order count, from the tier table. */
export function quotaForMaxDaily(maxDaily) {
  for (const t of TIERS) {
    if (maxDaily >= t.min && (t.max === null || maxDaily <= t.max)) return t.daily_quota;
  }
  return TIERS[0].daily_quota;
}

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** UPU S10 check digit for the 8 serial digits. */
export function s10CheckDigit(serial8) {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial8[i]) * S10_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** Shape rules per courier code, under both spellings (seen `zto`/`debangwuliu`, legacy `zhongtong`/`debangkuaidi`). */
const SHAPES = {
  shunfeng: (n) => /^SF\d{13}$/.test(n),
  yuantong: (n) => /^YT\d{13}$/.test(n),
  jtexpress: (n) => /^JT\d{13}$/.test(n),
  jd: (n) => /^JD[A-Z0-9]{11,13}$/.test(n),
  debangwuliu: (n) => /^DPK\d{12}$/.test(n),
  ems: (n) => /^[A-Z]{2}\d{9}[A-Z]{2}$/.test(n) && s10CheckDigit(n.slice(2, 10)) === Number(n[10]),
  zto: (n) => /^\d{12,15}$/.test(n),
  shentong: (n) => /^\d{13,15}$/.test(n),
  yunda: (n) => /^(\d{13}|\d{15})$/.test(n),
  youzhengguonei: (n) => /^\d{13}$/.test(n),
  youzhengbiaokuai: (n) => /^\d{13}$/.test(n), // China Post parcels: 13 digits, like youzhengguonei
  danniao: (n) => /^\d{12,15}$/.test(n), // [assumed] nothing public shows 丹鸟 numbers: 12-15 digits
};
SHAPES.zhongtong = SHAPES.zto;
SHAPES.debangkuaidi = SHAPES.debangwuliu;

/** Normalizes a typed tracking number the way the platform stores it (trim, upper case). */
export function normalizeExpressNo(no) {
  return String(no ?? '').trim().toUpperCase();
}

/** True when `no` (normalized) has the shape the courier `code` uses. */
export function expressNoValid(code, no) {
  const rule = SHAPES[code];
  return Boolean(rule && rule(no));
}

/** A valid tracking number for `code`, drawn from `rnd` (used to seed shipped packages). */
export function makeExpressNo(code, rnd) {
  const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  switch (code) {
    case 'shunfeng': return 'SF' + digits(13);
    case 'yuantong': return 'YT' + digits(13);
    case 'jtexpress': return 'JT' + digits(13);
    case 'jd': return 'JD' + digits(13);
    case 'debangwuliu': case 'debangkuaidi': return 'DPK' + digits(12);
    case 'ems': { const s = digits(8); return 'EA' + s + s10CheckDigit(s) + 'CN'; }
    case 'zto': case 'zhongtong': case 'danniao': return '7' + ['3', '5', '6', '8'][Math.floor(rnd() * 4)] + digits(10);
    case 'shentong': return '77' + digits(11);
    case 'yunda': return '43' + digits(11);
    default: return '98' + digits(11);
  }
}

/** Business failure codes the replica answers with ([assumed] numbers, [seen] messages). */
export const ERR = {
  BAD_REQUEST: [10001, '参数错误'],
  NOT_FOUND: [10004, '订单不存在'],
  QUOTA_SPENT: [40001, '今日解密次数已用完'],
  BAD_NO: [50001, '运单号格式不正确'],
  USED_NO: [50002, '该运单号已被使用'],
  STATUS_CHANGED: [50003, '订单状态已变更'],
  BAD_COURIER: [50004, '物流公司不存在'],
  EMPTY_NO: [50005, '请填写运单号'],
};
