// The replica's in-memory platform state: the shape it answers in, the clock, packages (newest
// first, in the one internal model that shape.mjs documents and converts at the edge), plaintext
// recipients, decrypt counting per China day, shipments, used tracking numbers, pending faults and
// dialog swaps, and the log that tests compare the extension against. Mutations go through the
// methods here.
import { defaultPackage, generate, makePerson, plainOf, rng } from './seed.mjs';
import { ERR, chinaDay, chinaDayIndex, expressNoValid, normalizeExpressNo, quotaForMaxDaily } from './rules.mjs';
import {
  DEFAULT_SHAPE, canonicalCourier, checkShape, couriersFor, courierListed, detailPackage, isWaitingMeaning, meaningOf,
  publicPackage, statusCode, statusFilter, tabCodes, timeOf,
} from './shape.mjs';
import { mergeInput } from './input.mjs';

/** A business failure the API answers with `success: false`. */
export class PlatformError extends Error {
  constructor([code, msg]) { super(msg); this.code = code; }
}

/** Default number of seeded packages. */
export const DEFAULT_ORDERS = 150;

export class State {
  constructor(opts = {}) { this.reset(opts); }

  /** Fresh state: `{seed, orders, now, daily_quota, shape}`. */
  reset({ seed = 1, orders = DEFAULT_ORDERS, now, daily_quota, shape = DEFAULT_SHAPE } = {}) {
    this.shape = checkShape(shape);
    this.clockBase = Number.isFinite(now) ? now : Date.now();
    this.clockAt = Date.now();
    this.seed = seed;
    const { packages, plain } = generate({ seed, count: orders, now: this.clockBase });
    this.packages = new Map(packages.map((p) => [p.packageId, p]));
    this.plain = plain;
    this.usedNumbers = new Set(packages.filter((p) => p.expressNo).map((p) => p.expressNo));
    this.quotaOverride = Number.isFinite(daily_quota) ? daily_quota : null;
    this.decryptDays = new Map(); // day -> {ids: Set, phantom}
    this.faults = [];
    this.calls = new Map(); // endpoint -> count
    this.dialogSwaps = new Map(); // opened-for id -> shown id
    this.servedSwaps = new Map(); // shown id -> opened-for id
    // How the SPA's ship dialog renders (POST /__test/dialog-mode; the page learns it as it loads):
    // `rebuild` replaces all its elements on every change; `swap` {package_id, show_package_id}: the
    // dialog of package_id, once its form passes its check, is rebuilt showing the other package.
    this.dialogMode = { rebuild: false, swap: null };
    // Package IDs whose list row the SPA draws without its 发货 button (POST /__test/ship-button).
    this.hideShipButton = [];
    this.applications = [];
    // `details`: every order/detail call (the ship dialog asks for one as it opens), so benchmarks
    // can split the time per order into "in the dialog" and "between dialogs".
    this.log = { decrypts: [], shipments: [], dialogs: [], details: [], faults: [], applications: [] };
    this.sorted = null;
  }

  /** The replica clock (ms): set by hooks, advancing in real time. */
  now() { return this.clockBase + (Date.now() - this.clockAt); }

  /** Sets the clock to `ms` from this moment on. */
  setClock(ms) { this.clockBase = ms; this.clockAt = Date.now(); }

  /** Packages newest paid first. */
  list() {
    if (!this.sorted) {
      const at = new Map([...this.packages.values()].map((p) => [p, timeOf(p)]));
      this.sorted = [...this.packages.values()].sort((a, b) => at.get(b) - at.get(a) || (a.packageId < b.packageId ? -1 : 1));
    }
    return this.sorted;
  }

  /** One page of packages matching the filters. */
  page({ page_no = 1, page_size = 50, status = [], time_range_list = [] }) {
    const size = Math.min(500, Math.max(1, Math.floor(Number(page_size)) || 50));
    const no = Math.max(1, Math.floor(Number(page_no)) || 1);
    const statuses = Array.isArray(status) ? status : [status];
    const matches = statusFilter(statuses, this.shape);
    const ranges = Array.isArray(time_range_list) ? time_range_list : [];
    const rows = this.list().filter((p) => (statuses.length === 0 || matches(p))
      && ranges.every((r) => (r.start_time == null || timeOf(p) >= r.start_time) && (r.end_time == null || timeOf(p) <= r.end_time)));
    return { total: rows.length, packages: rows.slice((no - 1) * size, no * size).map((p) => publicPackage(p, this.shape)) };
  }

  /** The courier list in the current shape. */
  couriers() { return couriersFor(this.shape); }

  /** What the SPA needs to know about the shape: its name and the codes its tabs send. */
  shapeInfo() {
    return { shape: this.shape, tabs: tabCodes(this.shape) };
  }

  /** One package (masked) or a NOT_FOUND error. */
  get(id) {
    const p = this.packages.get(String(id ?? ''));
    if (!p) throw new PlatformError(ERR.NOT_FOUND);
    return p;
  }

  /** Highest daily paid-order count over the 7 China days before today. */
  maxDailyPaid7() {
    const today = chinaDayIndex(this.now());
    const counts = new Map();
    for (const p of this.packages.values()) {
      const d = chinaDayIndex(timeOf(p));
      if (d >= today - 7 && d < today) counts.set(d, (counts.get(d) || 0) + 1);
    }
    return Math.max(0, ...counts.values());
  }

  /** Today's decrypt quota: the hook's value, else the tier of the 7-day max. */
  dailyQuota() { return this.quotaOverride ?? quotaForMaxDaily(this.maxDailyPaid7()); }

  today() {
    const day = chinaDay(this.now());
    if (!this.decryptDays.has(day)) this.decryptDays.set(day, { ids: new Set(), phantom: 0 });
    return { day, rec: this.decryptDays.get(day) };
  }

  /** `{date, daily_quota, used}` for today. */
  quota() {
    const { day, rec } = this.today();
    return { date: day, daily_quota: this.dailyQuota(), used: rec.ids.size + rec.phantom };
  }

  /** Hook: sets the quota and/or today's counted usage. */
  setQuota({ daily_quota, used }) {
    if (daily_quota !== undefined) this.quotaOverride = daily_quota === null ? null : Number(daily_quota);
    if (used !== undefined) {
      const { rec } = this.today();
      const n = Math.max(0, Number(used) || 0);
      if (n < rec.ids.size) rec.ids.clear();
      rec.phantom = n - rec.ids.size;
    }
    return this.quota();
  }

  /** Decrypts one package: charges one unit per package per China day; refuses when spent. */
  decrypt(id) {
    const p = this.get(id);
    const { day, rec } = this.today();
    const at = this.now();
    if (rec.ids.has(p.packageId)) {
      this.log.decrypts.push({ package_id: p.packageId, day, charged: false, at });
    } else if (rec.ids.size + rec.phantom >= this.dailyQuota()) {
      this.log.decrypts.push({ package_id: p.packageId, day, charged: false, refused: true, at });
      throw new PlatformError(ERR.QUOTA_SPENT);
    } else {
      rec.ids.add(p.packageId);
      this.log.decrypts.push({ package_id: p.packageId, day, charged: true, at });
    }
    return this.plainOf(p.packageId);
  }

  plainOf(id) {
    if (!this.plain.has(id)) {
      this.plain.set(id, plainOf(makePerson(rng(`plain:${id}`))));
    }
    return { ...this.plain.get(id) };
  }

  /** Ships a waiting package with a courier and tracking number, or throws the platform's refusal. */
  ship({ package_id, express_company_code, express_no }) {
    const p = this.get(package_id);
    if (!isWaitingMeaning(meaningOf(p))) throw new PlatformError(ERR.STATUS_CHANGED);
    if (!courierListed(express_company_code, this.shape)) throw new PlatformError(ERR.BAD_COURIER);
    const no = normalizeExpressNo(express_no);
    if (!no) throw new PlatformError(ERR.EMPTY_NO);
    if (!expressNoValid(express_company_code, no)) throw new PlatformError(ERR.BAD_NO);
    if (this.usedNumbers.has(no)) throw new PlatformError(ERR.USED_NO);
    this.usedNumbers.add(no);
    if (p.raw) {
      // A raw package keeps its own spelling: only its status (and a text it has) change.
      p.raw.status = statusCode('shipped', this.shape);
      if ('statusDesc' in p.raw) p.raw.statusDesc = '已发货';
    } else {
      Object.assign(p, { meaning: 'shipped', code: null, statusDesc: null, updatedAt: this.now(), expressCompanyCode: canonicalCourier(express_company_code), expressNo: no, shippedAt: this.now() });
    }
    const entry = { package_id: p.packageId, express_company_code, express_no: no, at: this.now() };
    if (this.servedSwaps.has(p.packageId)) {
      entry.dialog_opened_for = this.servedSwaps.get(p.packageId);
      this.servedSwaps.delete(p.packageId);
    }
    this.log.shipments.push(entry);
    return {};
  }

  /** Detail for the ship dialog: honours a pending /__test/dialog swap once. */
  detail(id) {
    const asked = this.get(id);
    this.log.details.push({ package_id: asked.packageId, at: this.now() });
    const shownId = this.dialogSwaps.get(asked.packageId);
    if (shownId && this.packages.has(shownId)) {
      this.dialogSwaps.delete(asked.packageId);
      this.servedSwaps.set(shownId, asked.packageId);
      this.log.dialogs.push({ package_id: asked.packageId, shown_package_id: shownId, at: this.now() });
      return detailPackage(this.packages.get(shownId), this.shape);
    }
    return detailPackage(asked, this.shape);
  }

  /**
   * Hook: adds packages, or merges fields over existing ones (same packageId), given in either
   * spelling (input.mjs says how they are read). `plaintext` sets what decrypt answers. A package
   * with `__raw: true` is kept exactly as given (minus `__raw`) and served so in both shapes; only
   * its status is read (by meaning, when it is a known code) for filtering and shipping.
   */
  upsert(list) {
    const out = [];
    for (const input of list) {
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new PlatformError(ERR.BAD_REQUEST);
      let id = input.packageId ? String(input.packageId) : '';
      for (let n = this.packages.size + 1; !id || (!input.packageId && this.packages.has(id)); n++) id = 'P9' + String(n).padStart(15, '0');
      const existing = this.packages.get(id);
      const { plaintext, __raw, ...fields } = input;
      const createdAt = this.now();
      let pkg;
      if (__raw === true) {
        pkg = { packageId: id, raw: structuredClone(fields), createdAt };
      } else if (existing?.raw) {
        // Fields posted over a raw package are merged into it as given (it stays raw).
        const userInfo = fields.userInfo && typeof fields.userInfo === 'object' ? { ...(existing.raw.userInfo || {}), ...fields.userInfo } : fields.userInfo;
        pkg = { ...existing, raw: { ...existing.raw, ...structuredClone(fields), ...(userInfo === undefined ? {} : { userInfo }) } };
      } else {
        let base = existing;
        if (!base) {
          const made = defaultPackage(id, this.now());
          base = { ...made.pkg, createdAt };
          this.plain.set(id, made.plain);
        }
        pkg = mergeInput(base, fields);
        pkg.packageId = id;
      }
      if (plaintext) this.plain.set(id, { ...this.plainOf(id), ...plaintext });
      const expressNo = pkg.raw ? pkg.raw.expressNo : pkg.expressNo;
      if (expressNo) this.usedNumbers.add(normalizeExpressNo(expressNo));
      this.packages.set(id, pkg);
      out.push(id);
    }
    this.sorted = null;
    return out;
  }

  /** Hook: queues a fault for the nth next call to `endpoint`. */
  addFault({ endpoint, nth = 1, ...rest }) {
    if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) throw new PlatformError(ERR.BAD_REQUEST);
    const at = (this.calls.get(endpoint) || 0) + Math.max(1, Number(nth) || 1);
    this.faults.push({ endpoint, at, ...rest });
    return { endpoint, call: at };
  }

  /** Counts a call to `endpoint` and returns the fault that applies to it, if any. */
  takeFault(endpoint) {
    const n = (this.calls.get(endpoint) || 0) + 1;
    this.calls.set(endpoint, n);
    const i = this.faults.findIndex((f) => f.endpoint === endpoint && f.at === n);
    if (i < 0) return null;
    const [f] = this.faults.splice(i, 1);
    this.log.faults.push({ endpoint, call: n, at: this.now(), ...f });
    return f;
  }
}
