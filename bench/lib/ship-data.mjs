// The import row's data: 10,000 tracking rows as a merchant's day would give them (courier names
// and aliases, spaces and lower case in numbers, a product column with commas and quotes), with
// a few percent of every kind of mistake the validator must catch, plus the context the service
// worker would pass (orders seen on the workbench, numbers already used, the courier list).
// Deterministic: the same seed gives the same bytes.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sheetjs } from './deps.mjs';

/** SPEC.md's courier list (names the dialog shows → code). */
export const COURIERS = [
  { code: 'shunfeng', name: '顺丰速运' }, { code: 'zhongtong', name: '中通快递' },
  { code: 'yuantong', name: '圆通速递' }, { code: 'shentong', name: '申通快递' },
  { code: 'yunda', name: '韵达快递' }, { code: 'jtexpress', name: '极兔速递' },
  { code: 'jd', name: '京东快递' }, { code: 'youzhengguonei', name: '邮政快递包裹' },
  { code: 'ems', name: 'EMS' }, { code: 'debangkuaidi', name: '德邦快递' },
];

// What merchants type in the courier column for each code (official name first).
const WRITTEN = {
  shunfeng: ['顺丰速运', '顺丰', 'SF', '顺丰快递'], zhongtong: ['中通快递', '中通', 'ZTO'],
  yuantong: ['圆通速递', '圆通', 'YTO'], shentong: ['申通快递', '申通', 'STO'],
  yunda: ['韵达快递', '韵达'], jtexpress: ['极兔速递', '极兔', 'J&T'], jd: ['京东快递', '京东', 'JD'],
  youzhengguonei: ['邮政快递包裹', '邮政', '中国邮政'], ems: ['EMS', 'EMS快递'], debangkuaidi: ['德邦快递', '德邦'],
};

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function s10(prefix, body8) {
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...body8].reduce((s, d, i) => s + Number(d) * w[i], 0);
  let c = 11 - (sum % 11);
  if (c === 10) c = 0; else if (c === 11) c = 5;
  return `${prefix}${body8}${c}CN`;
}

/**
 * Builds the rows and context.
 * @returns {{header: string[], rows: string[][], context: {knownOrders: object[], usedNumbers: object[], couriers: object[]}}}
 */
export function trackingRows(count = 10000, seed = 7) {
  const r = rng(seed);
  const digits = (n) => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(r() * 10); return s; };
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const numberFor = (code) => ({
    shunfeng: () => `SF${digits(13)}`, zhongtong: () => `7${pick(['3', '5', '8'])}${digits(10)}`,
    yuantong: () => `YT${digits(13)}`, shentong: () => `77${digits(11)}`, yunda: () => `43${digits(11)}`,
    jtexpress: () => `JT${digits(13)}`, jd: () => `JDVA${digits(11)}`, youzhengguonei: () => `98${digits(11)}`,
    ems: () => s10('EA', digits(8)), debangkuaidi: () => `DPK${digits(12)}`,
  })[code]();
  const pkg = (i) => `P7${String(202611210000000000n + BigInt(i) * 7919n)}`;
  const knownOrders = [];
  const usedNumbers = [];
  const rows = [];
  const products = ['玫瑰花茶 250g', '手工皂, 薰衣草', '"限定"香薰蜡烛', '帆布包（米白）', '保温杯 500ml'];
  for (let i = 0; i < count; i++) {
    const id = pkg(i);
    const code = COURIERS[Math.floor(r() * COURIERS.length)].code;
    let courier = pick(WRITTEN[code]);
    let number = numberFor(code);
    let orderId = id;
    const roll = r();
    knownOrders.push({ packageId: id, waiting: true });
    if (roll < 0.010) orderId = `P9${digits(17)}`; // never seen on the workbench
    else if (roll < 0.015) knownOrders[knownOrders.length - 1].waiting = false; // already shipped
    else if (roll < 0.025) number = code === 'shunfeng' ? `SF${digits(12)}` : `SF${digits(11)}`; // wrong shape
    else if (roll < 0.030) courier = '火星快递'; // not a courier the platform offers
    else if (roll < 0.040) { courier = ''; number = `SF${digits(13)}`; } // courier guessed from the number
    else if (roll < 0.045) { courier = ''; number = `77${digits(11)}`; } // digits only: cannot guess
    else if (roll < 0.050 && rows.length) { const prev = rows[rows.length - 1]; courier = prev[1]; number = prev[2]; } // number on two orders
    else if (roll < 0.055) usedNumbers.push({ number, packageId: `P8${digits(17)}` }); // used earlier on another order
    else if (roll < 0.058 && rows.length) { const prev = rows[rows.length - 1]; rows.push([...prev]); } // a repeated row
    else if (roll < 0.060) number = '';
    else if (roll < 0.080) number = number.toLowerCase().replace(/(\d{4})(?=\d)/g, '$1 '); // spaces, lower case
    rows.push([orderId, courier, number, pick(products), r() < 0.1 ? '加急' : '']);
  }
  for (let i = 0; i < 200; i++) usedNumbers.push({ number: `SF${digits(13)}`, packageId: `P6${digits(17)}` });
  return {
    header: ['订单号', '快递公司', '运单号', '商品', '备注'],
    rows: rows.slice(0, count),
    context: { knownOrders, usedNumbers, couriers: COURIERS },
  };
}

function csvCell(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes tracking.csv (UTF-8 with BOM, CRLF, as Excel saves), tracking.xlsx and context.json. */
export async function writeTrackingData(dir, count = 10000) {
  mkdirSync(dir, { recursive: true });
  const { header, rows, context } = trackingRows(count);
  const csv = '\ufeff' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  writeFileSync(join(dir, 'tracking.csv'), csv);
  const XLSX = await sheetjs();
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([header, ...rows]), '发货单');
  writeFileSync(join(dir, 'tracking.xlsx'), XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }));
  writeFileSync(join(dir, 'context.json'), JSON.stringify(context));
  return { rows: rows.length };
}
