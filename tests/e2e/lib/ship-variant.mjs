// A second workbench for the ship tests: it follows SPEC.md (d- classes, visible texts, package
// IDs, the same endpoints and answer envelope, a strict CSP) but differs from the replica in
// layout — the 发货 button first in the row, an order number next to the package ID, the number
// field before the courier field with its label after the input, the package ID in the dialog's
// title, page buttons instead of list items, toasts without type classes, fetch instead of XHR,
// and an input whose value only reaches the page's state through `input` events.
// With `reuse`, the page builds one dialog and one courier popover up front and reuses them, as
// UI kits that keep a closed dialog in the page do: shown and hidden by a wrapper's style, the
// package ID and the chosen courier changed in place as texts (no nodes added), and the dialog
// shown before its answer arrives, still showing the last order.
// Like many pages, it disables a row's 发货 while that order's shipment is in flight. With
// `hang`, the platform never answers the shipment of those package IDs (their 发货 stays
// disabled, nothing ships); `hang` lists them by index. `listDelayMs` answers every list request
// that much later (the reload after a shipment then lands while the next order is being shipped).
// With `gate`, the dialog's 确定 is disabled until the page's own check of the form passes, 300 ms
// after the last change (a courier chosen and a number of 13 or more letters and digits).
import { createServer } from 'node:http';

const COURIERS = [['shunfeng', '顺丰速运'], ['zhongtong', '中通快递'], ['yuantong', '圆通速递'], ['jd', '京东快递']];

const PAGE_JS = `
const $ = (tag, attrs = {}, ...kids) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) { if (k === 'on') for (const [n, f] of Object.entries(v)) e.addEventListener(n, f); else e.setAttribute(k, v); } e.append(...kids); return e; };
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
let pageNo = 1; const size = 20; const shipButtons = new Map(); const shipping = new Set();
const inFlight = async (id, send) => {
  shipping.add(id); if (shipButtons.has(id)) shipButtons.get(id).disabled = true;
  const res = await send(); shipping.delete(id); if (shipButtons.has(id)) shipButtons.get(id).disabled = false; return res;
};
const toast = (msg) => { const t = $('div', { class: 'd-toast' }, msg); document.body.append(t); setTimeout(() => t.remove(), 2500); };
async function load() {
  const { data } = await post('/api/edith/fulfillment/order/page', { page_no: pageNo, page_size: size, status: [], time_range_list: [] });
  const body = $('tbody');
  shipButtons.clear();
  for (const p of data.packages) {
    const op = p.status === 4 ? $('button', { class: 'd-button d-button-main', on: { click: () => openDialog(p.packageId) } }, $('span', {}, '发货')) : $('em', {}, '已发货');
    if (p.status === 4) { shipButtons.set(p.packageId, op); op.disabled = shipping.has(p.packageId); }
    body.append($('tr', {}, $('td', {}, op), $('td', {}, $('div', {}, '订单编号 ' + p.orderId), $('div', {}, '包裹 ' + p.packageId)), $('td', {}, p.statusDesc)));
  }
  const pages = Math.ceil(data.total / size);
  const pag = $('div', { class: 'd-pagination' });
  for (let n = 1; n <= pages; n++) pag.append($('button', { class: n === pageNo ? 'pg is-current' : 'pg', on: { click: () => { pageNo = n; load(); } } }, String(n)));
  pag.append($('button', { class: 'pg', on: { click: () => { if (pageNo < pages) { pageNo++; load(); } } } }, '下一页'));
  document.getElementById('root').replaceChildren($('table', { class: 'd-new-table' }, $('thead', {}, $('tr', {}, $('th', {}, '操作'), $('th', {}, '订单'), $('th', {}, '状态'))), body), pag);
}
async function openDialog(id) {
  if (REUSE) return openReused(id);
  const [{ data: d }, { data: cs }] = await Promise.all([post('/api/edith/fulfillment/order/detail', { package_id: id }), post('/api/edith/package/logistics/companies', { send_from: '001', package_id_list: [id] })]);
  const state = { no: '', courier: null };
  let checkTimer = 0;
  const check = () => { clearTimeout(checkTimer); if (GATE) checkTimer = setTimeout(() => { ok.disabled = !(state.courier && /^\\w{13,}$/.test(state.no)); }, 300); };
  const input = $('input', { placeholder: '请输入运单号', on: { input: (e) => { state.no = e.target.value; check(); } } });
  const value = $('span', {}, '请选择');
  const select = $('div', { class: 'd-select', on: { click: () => {
    const pop = $('div', { class: 'd-popover' }, ...cs.map((c) => $('div', { class: 'd-option', on: { click: () => { state.courier = c.express_company_code; value.textContent = c.express_company_name; pop.remove(); check(); } } }, $('div', { class: 'd-option-content' }, $('span', { class: 'd-option-name' }, c.express_company_name)))));
    document.body.append(pop);
  } } }, value);
  const close = () => modal.remove();
  const submit = async () => {
    const res = await inFlight(d.packageId, () => post('/api/edith/fulfillment/order_delivering_api', { package_id: d.packageId, delivery_package_id: d.packageId, delivery_group: false, express_company_code: state.courier, express_no: state.no }));
    if (res.success) { toast('发货成功'); close(); load(); } else toast(res.msg);
  };
  const ok = $('button', { class: 'd-button', on: { click: submit } }, '确定');
  ok.disabled = GATE;
  const modal = $('div', { class: 'd-modal' },
    $('h3', {}, '发货 · ' + d.packageId),
    $('div', {}, $('div', { class: 'd-input' }, input), $('label', {}, '运单号')),
    $('div', {}, $('label', {}, '物流公司：'), select),
    $('div', {}, ok, $('button', { class: 'd-button', on: { click: close } }, '取消')));
  document.body.append(modal);
}
let reused = null;
function buildReused() {
  const state = { id: '', no: '', courier: null };
  const idText = document.createTextNode('');
  const valueText = document.createTextNode('请选择');
  const input = $('input', { placeholder: '请输入运单号', on: { input: (e) => { state.no = e.target.value; } } });
  const pop = $('div', { class: 'd-popover', style: 'display:none' }, ...COURIERS.map(([code, name]) => $('div', { class: 'd-option', on: { click: () => { state.courier = code; valueText.data = name; pop.style.display = 'none'; } } }, $('div', { class: 'd-option-content' }, $('span', { class: 'd-option-name' }, name)))));
  const select = $('div', { class: 'd-select', on: { click: () => { pop.style.display = ''; } } }, $('span', {}, valueText));
  const wrap = $('div', { class: 'dlg-wrap', style: 'display:none' });
  const close = () => { wrap.style.display = 'none'; pop.style.display = 'none'; };
  const submit = async () => {
    const id = state.id;
    const res = await inFlight(id, () => post('/api/edith/fulfillment/order_delivering_api', { package_id: id, delivery_package_id: id, delivery_group: false, express_company_code: state.courier, express_no: state.no }));
    if (res.success) { toast('发货成功'); close(); load(); } else toast(res.msg);
  };
  wrap.append($('div', { class: 'd-modal' },
    $('h3', {}, '发货 · ', $('span', {}, idText)),
    $('div', {}, $('div', { class: 'd-input' }, input), $('label', {}, '运单号')),
    $('div', {}, $('label', {}, '物流公司：'), select),
    $('div', {}, $('button', { class: 'd-button', on: { click: submit } }, '确定'), $('button', { class: 'd-button', on: { click: close } }, '取消'))));
  document.body.append(wrap, pop);
  return { state, idText, valueText, input, wrap };
}
async function openReused(id) {
  reused ||= buildReused();
  const r = reused;
  r.wrap.style.display = ''; // shown at once: the last order's texts until the answers arrive
  const [{ data: d }] = await Promise.all([post('/api/edith/fulfillment/order/detail', { package_id: id }), post('/api/edith/package/logistics/companies', { send_from: '001', package_id_list: [id] })]);
  Object.assign(r.state, { id: d.packageId, no: '', courier: null });
  r.idText.data = d.packageId;
  r.valueText.data = '请选择';
  r.input.value = '';
}
load();
`;

/**
 * Starts the variant workbench with `count` waiting packages, numbered from `firstId`.
 * @returns {Promise<{url: string, ids: string[], shipments: object[], stop: () => Promise<void>}>}
 */
export async function startVariant(count, { reuse = false, gate = false, hang = [], listDelayMs = 0, firstId = 842_000_000_000_000 } = {}) {
  const packages = Array.from({ length: count }, (_, i) => ({
    packageId: `P${String(firstId + i)}`, orderId: `P${String(999_000_000_000_000 + i)}`, status: 4, statusDesc: '待发货', paidAt: Date.now() - i * 1000,
  }));
  const shipments = [];
  const hung = new Set(hang.map((i) => packages[i].packageId));
  const ok = (data) => ({ code: 0, success: true, msg: '成功', data });
  const api = {
    '/api/edith/fulfillment/order/page': (b) => ok({ total: packages.length, packages: packages.slice((b.page_no - 1) * b.page_size, b.page_no * b.page_size) }),
    '/api/edith/fulfillment/order/detail': (b) => ok(packages.find((p) => p.packageId === b.package_id)),
    '/api/edith/package/logistics/companies': () => ok(COURIERS.map(([code, name], i) => ({ express_company_id: i + 1, express_company_code: code, express_company_name: name }))),
    '/api/edith/fulfillment/order_delivering_api': (b) => {
      const p = packages.find((x) => x.packageId === b.package_id);
      if (!p || p.status !== 4) return { code: 50003, success: false, msg: '订单状态已变更', data: null };
      if (!b.express_no || !b.express_company_code) return { code: 50005, success: false, msg: '请填写运单号', data: null };
      Object.assign(p, { status: 6, statusDesc: '已发货' });
      shipments.push({ package_id: p.packageId, express_company_code: b.express_company_code, express_no: b.express_no });
      return ok({});
    },
  };
  const csp = { 'content-security-policy': "default-src 'self'; script-src 'self'" };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (api[path]) {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        if (path.endsWith('order_delivering_api') && hung.has(JSON.parse(body || '{}').package_id)) return; // never answered
        const answer = JSON.stringify(api[path](JSON.parse(body || '{}')));
        const send = () => { res.writeHead(200, { 'content-type': 'application/json', ...csp }); res.end(answer); };
        if (path.endsWith('/order/page') && listDelayMs) setTimeout(send, listDelayMs); else send();
      });
      return;
    }
    if (path === '/variant.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...csp });
      res.end(`const REUSE = ${reuse}; const GATE = ${gate}; const COURIERS = ${JSON.stringify(COURIERS)};\n${PAGE_JS}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...csp });
    res.end('<!doctype html><meta charset="utf-8"><title>ark</title><header><span class="shop-name">变体小店</span></header><div id="root"></div><script src="/variant.js"></script>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    ids: packages.map((p) => p.packageId),
    shipments,
    stop: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}
