// transit.html: pending orders collected from the workbench, their routes, the decrypt planner
// and the masked CSV/XLSX export for the transit warehouse. Everything shown is computed by the
// core in the service worker; buyer fields arrive masked and are only ever set as text.
import { call, onBroadcast } from './common/rpc.js';
import { localize, t, lockedText } from './common/i18n.js';
import { el, replace, download } from './common/dom.js';
import { renderPlanner } from './transit/planner.js';
import { renderRows } from './transit/rows.js';
import { renderTemplateEditor } from './transit/templates.js';
import { fromBase64 as bytesOf } from './common/base64.js';

localize();

// The table shows the first ROWS_STEP rows, more on request: at 50,000 pending packages drawing
// every row took seconds before the first one showed. A thousand covers a day's orders of all
// but the biggest shops, so most merchants never see the button.
const ROWS_STEP = 1000;
const state = { shop: null, data: null, remaining: null, limit: ROWS_STEP };
const $ = (id) => document.getElementById(id);

function showError(box, e) {
  if (!e) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.textContent = lockedText(e) ?? t('commonError', e.message || String(e));
  box.dataset.errorName = e.name || 'Error';
}

/** Reloads everything from the worker and redraws. */
async function refresh() {
  let data;
  try {
    const payload = {};
    if (state.shop) payload.shop = state.shop;
    if (Number.isSafeInteger(state.remaining)) payload.remaining = state.remaining;
    payload.limit = state.limit;
    data = await call('transit.view', payload);
  } catch (e) {
    showError($('page-error'), e);
    return;
  }
  showError($('page-error'), null);
  state.data = data;
  state.shop = data.shop;
  renderShopBar(data);
  renderTemplates(data.templates);
  const typed = Number.isSafeInteger(state.remaining) ? state.remaining : data.remaining;
  renderPlanner($('planner'), { ...data, remaining: typed }, {
    setRemaining: (n, replan) => { state.remaining = n; if (replan) refresh(); },
    moveToWarehouse: (ids) => act(() => call('transit.setRoutes', { shop: state.shop, packageIds: ids, route: 'warehouse' })),
  });
  renderRows($('orders-body'), data, {
    setRoute: (packageId, route) => act(() => call('transit.setRoute', { shop: state.shop, scope: 'order', packageId, route })),
    rememberForSkus: async (row, route) => act(async () => {
      for (const s of row.skus) {
        if (s.skuId) await call('transit.setRoute', { shop: state.shop, scope: 'sku', skuId: s.skuId, route });
      }
      if (row.routeSource === 'order') {
        await call('transit.setRoute', { shop: state.shop, scope: 'order', packageId: row.packageId, route: null });
      }
    }),
    edit: (packageId, field, value) => call('transit.edit', { shop: state.shop, packageId, [field]: value }),
    more: () => { state.limit += ROWS_STEP; refresh(); },
  });
}

async function act(fn) {
  try {
    await fn();
    showError($('page-error'), null);
  } catch (e) {
    showError($('page-error'), e);
  }
  await refresh();
}

function renderShopBar(data) {
  const bar = $('shop-bar');
  if (!data.shop) {
    replace(bar, el('p', { class: 'muted', testid: 'transit-empty' }, t('transitNoOrders')));
    return;
  }
  const c = data.view.counts;
  const select = el('select', {
    id: 'shop-select', testid: 'shop-select',
    on: { change: (e) => { state.shop = e.target.value; state.remaining = null; refresh(); } },
  }, data.shops.map((s) => el('option', { value: s, selected: s === data.shop ? true : undefined }, s)));
  replace(bar,
    el('label', {}, t('transitShop'), ' ', select),
    el('span', { class: 'counts', testid: 'route-counts', dataset: { warehouse: c.warehouse, supplier: c.supplier, self: c.self, total: c.total } },
      el('span', {}, t('transitCountTotal', String(c.total))),
      el('span', {}, t('transitCountWarehouse', String(c.warehouse))),
      el('span', {}, t('transitCountSupplier', String(c.supplier))),
      el('span', {}, t('transitCountSelf', String(c.self))),
      c.unclear ? el('span', { class: 'warning', testid: 'count-unclear' }, t('transitCountUnclear', String(c.unclear))) : null));
}

function renderTemplates(tv) {
  const select = $('template-select');
  replace(select, tv.templates.map((tp) => el('option', { value: tp.id, selected: tp.id === tv.selected ? true : undefined }, tp.name)));
  select.value = tv.selected;
  const current = tv.templates.find((tp) => tp.id === tv.selected) || tv.templates[0];
  renderTemplateEditor($('template-form'), tv, current, {
    save: (template) => templateCall('transit.templateSave', { template }),
    remove: (id) => templateCall('transit.templateDelete', { id }),
  });
}

async function templateCall(type, payload) {
  try {
    await call(type, payload);
    showError($('export-error'), null);
  } catch (e) {
    showError($('export-error'), e);
  }
  await refresh();
}

$('template-select').addEventListener('change', (e) => templateCall('transit.templateSelect', { id: e.target.value }));

async function exportAs(format) {
  const result = $('export-result');
  result.textContent = '';
  showError($('export-error'), null);
  if (!state.shop) return;
  try {
    const payload = { shop: state.shop, format, templateId: $('template-select').value };
    if (!$('only-warehouse').checked) payload.routes = ['warehouse', 'supplier', 'self'];
    const file = await call('transit.export', payload);
    download(file.fileName, bytesOf(file.base64), file.mime);
    result.textContent = t('transitExported', [file.fileName, String(file.packages), String(file.rows)]);
    result.dataset.packages = String(file.packages);
    result.dataset.fileName = file.fileName;
  } catch (e) {
    showError($('export-error'), e);
  }
}

$('export-csv').addEventListener('click', () => exportAs('csv'));
$('export-xlsx').addEventListener('click', () => exportAs('xlsx'));

// New answers from the workbench redraw the page, but never under the seller's cursor: a
// redraw while an input has focus would drop what is being typed.
let pending = null;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(() => {
    const active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.closest('main')) {
      active.addEventListener('blur', refreshSoon, { once: true });
      return;
    }
    refresh();
  }, 150);
}
onBroadcast('transit', refreshSoon);
// Today's remaining decrypts come from the quota ledger: replan when it changes.
onBroadcast('quota', refreshSoon);

refresh();
