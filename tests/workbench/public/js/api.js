// The page's API client: JSON POSTs (and the quota GET) over XMLHttpRequest, like the real site's
// axios client, unwrapping the `{code, success, msg, data}` envelope. Failures throw ApiError
// carrying the platform's msg.
/** A failure answer (or a network error) with the message the page shows in a toast. */
export class ApiError extends Error {
  constructor(code, msg) { super(msg); this.code = code; }
}

/** One request over XMLHttpRequest, as the real site's axios client does. */
function send(method, path, body) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path, true);
    xhr.setRequestHeader('Accept', 'application/json, text/plain, */*');
    if (method === 'POST') xhr.setRequestHeader('Content-Type', 'application/json;charset=UTF-8');
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve(null);
    xhr.onabort = () => resolve(null);
    xhr.send(method === 'POST' ? JSON.stringify(body ?? {}) : null);
  });
}

async function call(method, path, body) {
  const res = await send(method, path, body);
  if (!res) throw new ApiError(-1, '网络异常，请稍后重试');
  let json = null;
  try { json = JSON.parse(res.text); } catch { /* non-JSON answer: handled below */ }
  if (!json || typeof json !== 'object') throw new ApiError(res.status, `请求失败（${res.status}）`);
  if (!json.success) throw new ApiError(json.code ?? res.status, json.msg || `请求失败（${res.status}）`);
  return json.data;
}

/** Where the decrypt is: SPEC's guessed path, unless the replica moved it (`/__test/decrypt-path`,
 * served in `<meta name="replica-decrypt">`). */
const DECRYPT_PATH = document.querySelector('meta[name="replica-decrypt"]')?.content || '/api/edith/fulfillment/package/receiver/decrypt';

/** How the quota is told (`/__test/quota-form`, served in `<meta name="replica-quota">`): the
 * board's drawing, and the path the quota answers at with `{date, useNum, allNum}`. */
const QUOTA_META = document.querySelector('meta[name="replica-quota"]');
export const QUOTA_BOARD = QUOTA_META?.content || 'statistic';
const QUOTA_PATH = QUOTA_META?.dataset.path || null;

/** The quota as the guessed answer spells it, wherever it was answered. */
const quota = async () => {
  if (!QUOTA_PATH) return call('GET', '/api/edith/privacy/decrypt/quota');
  const q = await call('GET', QUOTA_PATH);
  return { date: q.date, used: q.useNum, daily_quota: q.allNum };
};

/** The platform endpoints the pages use. */
export const api = {
  orderPage: (body) => call('POST', '/api/edith/fulfillment/order/page', body),
  orderDetail: (packageId) => call('POST', '/api/edith/fulfillment/order/detail', { package_id: packageId }),
  companies: (packageIds) => call('POST', '/api/edith/package/logistics/companies', { send_from: '001', package_id_list: packageIds }),
  ship: (body) => call('POST', '/api/edith/fulfillment/order_delivering_api', body),
  decrypt: (packageId) => call('POST', DECRYPT_PATH, { package_id: packageId, action_type: 1 }),
  quota,
  quotaRule: () => call('GET', '/api/edith/privacy/decrypt/rule'),
  applications: () => call('GET', '/api/edith/privacy/decrypt/applications'),
  apply: (reason, description) => call('POST', '/api/edith/privacy/decrypt/apply', { reason, description }),
};
