// The import row's JavaScript baseline: what a JS tool does with a tracking file — papaparse
// (CSV) or SheetJS (XLSX) into rows, then per-courier regular expressions and a few maps. It
// gives the same verdicts as RedShip's core on the bench data (the driver checks both lists are
// equal before any time counts), so the two do the same job. Classic script for the bench page:
// defines globalThis.baselineImport = {csv(bytes, ctx), xlsx(bytes, ctx)}.
(() => {
  const SHAPES = {
    shunfeng: /^SF\d{13}$/, yuantong: /^YT\d{13}$/, jtexpress: /^JT\d{13}$/, jd: /^JD[A-Z0-9]{11,13}$/,
    debangkuaidi: /^DPK\d{12}$/, zhongtong: /^\d{12,15}$/, shentong: /^\d{13,15}$/, yunda: /^(?:\d{13}|\d{15})$/,
  };
  const S10 = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/;
  const W = [8, 6, 4, 2, 3, 5, 9, 7];
  function validS10(n) {
    const m = S10.exec(n);
    if (!m) return false;
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (m[1].charCodeAt(i) - 48) * W[i];
    let c = 11 - (sum % 11);
    if (c === 10) c = 0; else if (c === 11) c = 5;
    return Number(m[2]) === c;
  }
  function fits(code, n) {
    if (code === 'ems') return validS10(n) || /^\d{13}$/.test(n);
    if (code === 'youzhengguonei') return /^\d{13}$/.test(n) || validS10(n);
    const re = SHAPES[code];
    return re ? re.test(n) : /^[A-Z0-9]{6,30}$/.test(n);
  }
  const GUESS = [['shunfeng', SHAPES.shunfeng], ['yuantong', SHAPES.yuantong], ['jtexpress', SHAPES.jtexpress],
    ['jd', SHAPES.jd], ['debangkuaidi', SHAPES.debangkuaidi]];
  const ALIASES = {
    shunfeng: ['顺丰', '顺丰快递', '顺丰速递', '顺丰物流', 'SF', 'SFEXPRESS', 'SHUNFENG'],
    zhongtong: ['中通', '中通速递', 'ZTO', 'ZTOEXPRESS', 'ZHONGTONG'],
    yuantong: ['圆通', '圆通快递', 'YTO', 'YTOEXPRESS', 'YUANTONG'],
    shentong: ['申通', '申通速递', 'STO', 'STOEXPRESS', 'SHENTONG'],
    yunda: ['韵达', '韵达速递', 'YUNDA', 'YUNDAEXPRESS'],
    jtexpress: ['极兔', '极兔快递', 'J&T', 'J&TEXPRESS', 'JT', 'JTEXPRESS', 'JANDT'],
    jd: ['京东', '京东物流', '京东速运', 'JD', 'JDL', 'JDEXPRESS'],
    youzhengguonei: ['邮政', '中国邮政', '邮政包裹', '邮政快递', '邮政国内', '邮政小包', 'CHINAPOST'],
    ems: ['EMS快递', '邮政EMS', '中国邮政EMS', '邮政特快专递', '特快专递', 'E邮宝'],
    debangkuaidi: ['德邦', '德邦物流', 'DEPPON', 'DBL'],
  };
  const FULL = /[\uFF01-\uFF5E]/g;
  const half = (s) => s.replace(FULL, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
  const FILLER = /[\s\-_\u200B-\u200D\uFEFF\u2010-\u2015\u2212\u30FC\uFF70]/g;
  function code(s) {
    let n = half(String(s ?? '')).replace(FILLER, '').toUpperCase();
    for (;;) {
      if (n.startsWith('="') && n.endsWith('"') && n.length >= 3) n = n.slice(2, -1);
      else if (n.startsWith("'")) n = n.slice(1);
      else if (n.length >= 2 && n.startsWith('"') && n.endsWith('"')) n = n.slice(1, -1);
      else return n;
    }
  }
  const nameKey = (s) => half(String(s ?? '')).replace(/[\s\u200B\uFEFF]/g, '').toUpperCase();
  const PKG = /^P\d{15,}$/;
  const HEADERS = {
    packageId: /订单|包裹|order|package/i, number: /运单|快递单|物流单|tracking|waybill|expressno/i,
    courier: /快递|物流|承运|courier|carrier|express|logistics/i,
  };

  function courierTable(couriers) {
    const byKey = new Map();
    for (const c of couriers) { byKey.set(nameKey(c.name), c); byKey.set(nameKey(c.code), c); }
    for (const [k, aliases] of Object.entries(ALIASES)) {
      const c = couriers.find((x) => x.code === k);
      for (const a of aliases) if (!byKey.has(a)) byKey.set(a, c || null);
    }
    return byKey;
  }

  function columns(header) {
    const h = header.map((x) => String(x ?? '').trim());
    const number = h.findIndex((x) => HEADERS.number.test(x));
    const packageId = h.findIndex((x, i) => i !== number && HEADERS.packageId.test(x));
    const courier = h.findIndex((x, i) => i !== number && i !== packageId && HEADERS.courier.test(x));
    if (packageId < 0 || number < 0) throw new Error('no order or number column');
    return { packageId, courier, number };
  }

  /** Validates table rows (first row = header) into [{row, packageId, courierCode, number, verdict, reasons}]. */
  function validate(table, ctx) {
    const col = columns(table[0]);
    const known = new Map(ctx.knownOrders.map((o) => [code(o.packageId), o.waiting]));
    const used = new Map(ctx.usedNumbers.map((u) => [code(u.number), code(u.packageId)]));
    const couriers = courierTable(ctx.couriers);
    const out = [];
    // A package's further line (blank, or the row above copied down) continues it: one shipment,
    // not a repeat (the same rule as RedShip's reading of a warehouse file).
    let above = null;
    for (let i = 1; i < table.length; i++) {
      const cells = table[i];
      const packageId = code(cells[col.packageId]);
      const number = code(cells[col.number]);
      const rawCourier = col.courier >= 0 ? String(cells[col.courier] ?? '') : '';
      const given = { packageId, courier: rawCourier.trim(), number };
      if (above && packageId === above.packageId && ((!given.courier && !number) || (given.courier === above.courier && number === above.number))) continue;
      above = given;
      const reasons = [];
      if (!packageId) reasons.push('missing-order');
      else if (!PKG.test(packageId)) reasons.push('unknown-order');
      else {
        const w = known.get(packageId);
        if (w === undefined) reasons.push('not-seen');
        else if (!w) reasons.push('not-waiting');
      }
      if (!number) reasons.push('missing-number');
      let courier = null;
      if (!rawCourier.trim()) {
        const g = number && (GUESS.find(([, re]) => re.test(number)) || (validS10(number) && ['ems']));
        courier = g ? ctx.couriers.find((c) => c.code === g[0]) || null : null;
        if (courier) reasons.push('courier-guessed');
        else if (number) reasons.push('courier-missing');
      } else {
        courier = couriers.get(nameKey(rawCourier)) || null;
        if (!courier) reasons.push('courier-not-offered');
      }
      if (courier && number && !fits(courier.code, number)) reasons.push('number-mismatch');
      if (number && used.has(number) && used.get(number) !== packageId) reasons.push('already-used');
      out.push({ row: i + 1, packageId, courierCode: courier ? courier.code : '', number, reasons, fillable: true });
    }
    // Across rows: a number on several orders; an order with several numbers; exact repeats.
    const byNumber = new Map();
    const byPackage = new Map();
    out.forEach((r, i) => {
      if (r.number) (byNumber.get(r.number) || byNumber.set(r.number, []).get(r.number)).push(i);
      if (r.packageId) (byPackage.get(r.packageId) || byPackage.set(r.packageId, []).get(r.packageId)).push(i);
    });
    for (const idx of byNumber.values()) {
      if (idx.length > 1 && new Set(idx.map((i) => out[i].packageId)).size > 1) for (const i of idx) out[i].reasons.push('duplicate-number');
    }
    for (const idx of byPackage.values()) {
      if (idx.length < 2) continue;
      if (new Set(idx.map((i) => `${out[i].number}\u0000${out[i].courierCode}`)).size > 1) {
        for (const i of idx) out[i].reasons.push('two-numbers');
      } else {
        for (const i of idx.slice(1)) { out[i].reasons.push('repeated-row'); out[i].fillable = false; }
      }
    }
    const WARN = new Set(['courier-guessed', 'repeated-row']);
    for (const r of out) {
      r.reasons.sort();
      r.verdict = r.reasons.some((x) => !WARN.has(x)) ? 'error' : r.reasons.length ? 'warning' : 'ok';
      r.fillable = r.fillable && r.verdict !== 'error';
    }
    return out;
  }

  globalThis.baselineImport = {
    csv(bytes, ctx) {
      const text = new TextDecoder('utf-8').decode(bytes);
      const parsed = globalThis.Papa.parse(text, { skipEmptyLines: true });
      return validate(parsed.data, ctx);
    },
    xlsx(bytes, ctx) {
      const wb = globalThis.XLSX.read(bytes, { type: 'array' });
      const ws = wb.Sheets[wb.SheetNames[0]];
      const table = globalThis.XLSX.utils.sheet_to_json(ws, { header: 1, raw: false, defval: '' });
      return validate(table, ctx);
    },
  };
})();
