// The platform's JSON API as SPEC.md lists it (plus the privacy board's rule and application
// endpoints), answering in the `{code, success, msg, data}` envelope, packages and couriers in the
// state's current shape (seen or legacy; decrypt and quota answer the same in both). The decrypt
// answers at SPEC's guessed path unless `/__test/decrypt-path` moved it (then only there). Faults queued by
// /__test/fault apply here: a failure answers instead of acting; a delay answers late (the platform
// has already acted, as with a slow real server).
import { TIERS } from './rules.mjs';
import { PlatformError } from './state.mjs';
import { ok, fail, readJson, sendJson, decryptPath, DEFAULT_DECRYPT_PATH, quotaFormNow } from './http.mjs';

const REASONS = ['代发商家需要让供应商发货', '使用了小红书电子面单不支持的快递', '发货仓库没有对接小红书电子面单', '虚拟商品', '其他'];

/** endpoint -> [method, handler(state, body)] */
const ROUTES = {
  '/api/edith/fulfillment/order/page': ['POST', (s, b) => s.page(b)],
  '/api/edith/fulfillment/order/detail': ['POST', (s, b) => s.detail(b.package_id)],
  '/api/edith/package/logistics/companies': ['POST', (s) => s.couriers()],
  '/api/edith/fulfillment/order_delivering_api': ['POST', (s, b) => s.ship(b)],
  '/api/edith/privacy/decrypt/quota': ['GET', (s) => s.quota()],
  '/api/edith/privacy/decrypt/rule': ['GET', (s) => ({ tiers: TIERS, max_daily_paid_7d: s.maxDailyPaid7(), reasons: REASONS.map((text, i) => ({ reason: i + 1, text })) })],
  '/api/edith/privacy/decrypt/applications': ['GET', (s) => s.applications],
  '/api/edith/privacy/decrypt/apply': ['POST', (s, b) => {
    const reason = Number(b.reason);
    const description = String(b.description ?? '').trim();
    if (!REASONS[reason - 1]) throw new PlatformError([10001, '请选择申请原因']);
    if (reason === 5 && !description) throw new PlatformError([10001, '请填写申请说明']);
    const app = { application_id: 'A' + String(s.applications.length + 1).padStart(6, '0'), reason, reason_text: REASONS[reason - 1], description, status: '审核中', created_at: s.now() };
    s.applications.unshift(app);
    s.log.applications.push(app);
    return app;
  }],
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The decrypt, at SPEC's guessed path unless `/__test/decrypt-path` moved it. */
const DECRYPT = ['POST', (s, b) => s.decrypt(b.package_id)];

/** The quota moved by `/__test/quota-form`: other field names, and nothing at the guessed path. */
const MOVED_QUOTA = ['GET', (s) => {
  const q = s.quota();
  return { date: q.date, useNum: q.used, allNum: q.daily_quota };
}];
const QUOTA_PATH = '/api/edith/privacy/decrypt/quota';

/** Handles an /api/ request; returns false for unknown paths. */
export async function handleApi(state, req, res, path) {
  const movedQuota = quotaFormNow()?.path;
  const route = path === decryptPath() ? DECRYPT : path === DEFAULT_DECRYPT_PATH ? null
    : movedQuota && path === movedQuota ? MOVED_QUOTA : movedQuota && path === QUOTA_PATH ? null : ROUTES[path];
  if (!route) return false;
  if (req.method !== route[0]) {
    sendJson(res, 405, fail(405, '请求方法不支持'));
    return true;
  }
  let body;
  try {
    body = route[0] === 'POST' ? await readJson(req) : {};
    if (!body || typeof body !== 'object') throw new Error('not an object');
  } catch {
    sendJson(res, 400, fail(10001, '参数错误'));
    return true;
  }
  const fault = state.takeFault(path);
  const failing = fault && (fault.status !== undefined || fault.code !== undefined || fault.msg !== undefined);
  if (failing) {
    if (fault.delay_ms) await sleep(fault.delay_ms);
    const status = Number(fault.status ?? 200);
    sendJson(res, status, fail(Number(fault.code ?? (status >= 400 ? status : 50000)), String(fault.msg ?? '系统繁忙，请稍后再试')));
    return true;
  }
  let status = 200;
  let answer;
  try {
    answer = ok(route[1](state, body));
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    answer = fail(e.code, e.message);
  }
  if (fault?.delay_ms) await sleep(fault.delay_ms);
  sendJson(res, status, answer);
  return true;
}
