// transit.html's order table: one `transit-row` per pending package (masked buyer fields as
// text), its route (per order, or remembered for its SKUs) and the seller's fields for the
// warehouse (upstream platform, upstream order number, inbound tracking number, notes).
import { t, lockedText } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

// i18n-keys: transitRouteWarehouse transitRouteSupplier transitRouteSelf transitColPackage transitColProduct
// i18n-keys: transitColBuyer transitColRemark transitColRoute transitColUpstreamPlatform transitColUpstreamOrderNo
// i18n-keys: transitColInboundTracking transitColNotes transitStatusUnclear transitStatusUnclearHint transitUnknown
// i18n-keys: transitStatusUnclearRow transitStatusUnclearRowHint transitShowMore
const ROUTES = ['warehouse', 'supplier', 'self'];
const ROUTE_KEYS = { warehouse: 'transitRouteWarehouse', supplier: 'transitRouteSupplier', self: 'transitRouteSelf' };
const PLATFORMS = ['淘宝', '拼多多', '1688', '天猫', '京东', '抖音'];
const EDIT_FIELDS = [
  ['upstreamPlatform', 'transitColUpstreamPlatform', ''],
  ['upstreamOrderNo', 'transitColUpstreamOrderNo', 'wide'],
  ['inboundTracking', 'transitColInboundTracking', 'wide'],
  ['notes', 'transitColNotes', 'wide'],
];

/**
 * Draws the table into `root`.
 * @param {HTMLElement} root
 * @param {{view: object|null}} data
 * @param {{setRoute: Function, rememberForSkus: Function, edit: Function, more: Function}} actions
 */
export function renderRows(root, data, actions) {
  const rows = data.view?.rows || [];
  if (!rows.length) {
    replace(root, el('p', { class: 'muted', testid: 'transit-no-rows' }, t('transitNoPending')));
    return;
  }
  const head = ['transitColPackage', 'transitColProduct', 'transitColBuyer', 'transitColRemark', 'transitColRoute',
    ...EDIT_FIELDS.map((f) => f[1])].map((k) => el('th', {}, t(k)));
  const datalist = el('datalist', { id: 'platforms' }, PLATFORMS.map((p) => el('option', { value: p })));
  const total = data.view.totalRows ?? rows.length;
  // Only the first rows come (the page asks for more): say how many of how many are shown.
  const more = total > rows.length
    ? el('button', { testid: 'transit-more', on: { click: () => actions.more() } }, t('transitShowMore', [String(rows.length), String(total)]))
    : null;
  replace(root, datalist, el('table', { class: 'transit-table' },
    el('thead', {}, el('tr', {}, head)),
    el('tbody', {}, rows.map((r) => row(r, actions)))), more);
}

function row(r, actions) {
  const select = el('select', {
    testid: 'route-select', 'aria-label': t('transitColRoute'),
    on: { change: (e) => actions.setRoute(r.packageId, e.target.value) },
  }, ROUTES.map((x) => el('option', { value: x, selected: x === r.route ? true : undefined }, t(ROUTE_KEYS[x]))));
  select.value = r.route;
  const remember = el('button', {
    testid: 'route-remember', title: t('transitRememberHint'),
    on: { click: () => actions.rememberForSkus(r, select.value) },
  }, t('transitRemember'));
  const error = el('div', { class: 'row-error', testid: 'row-error' });
  const b = r.buyer;
  // A field the page's answer lacked shows as "—" (the self-check counts it); never a guess.
  const shown = (v) => (v === null || v === undefined || v === '' ? t('transitUnknown') : String(v));
  const line = (s) => [shown(s.name), s.spec, `×${shown(s.quantity)}`].filter(Boolean).join(' · ').replace(' · ×', ' ×');
  // Why: its code and text disagree, or (noShipButton) the answers call it waiting but its row
  // on the workbench list has no 发货 button.
  const byRow = r.unclearWhy === 'noShipButton';
  const unclear = r.unclear
    ? el('div', { class: 'warning', testid: 'status-unclear', dataset: { why: r.unclearWhy || 'status' }, title: t(byRow ? 'transitStatusUnclearRowHint' : 'transitStatusUnclearHint') },
      byRow ? t('transitStatusUnclearRow') : t('transitStatusUnclear', r.statusDesc || shown(r.status)))
    : null;
  return el('tr', { testid: 'transit-row', class: r.unclear ? 'unclear' : undefined, dataset: { packageId: r.packageId, route: r.route, routeSource: r.routeSource, ...(r.unclear ? { unclear: '1' } : {}) } },
    el('td', {}, el('div', { class: 'pkg' }, r.packageId), el('div', { class: 'muted' }, shown(r.paidAt)), unclear,
      r.afterSaleStatusDesc && r.afterSaleStatusDesc !== '无售后' ? el('div', { class: 'warning' }, r.afterSaleStatusDesc) : null),
    el('td', {}, r.skus.length ? r.skus.map((s) => el('div', {}, line(s))) : t('transitUnknown')),
    el('td', {}, el('div', {}, `${shown(b.receiver)} ${shown(b.phone)}`), el('div', { class: 'muted' }, shown(b.address))),
    el('td', {}, b.remark || '-'),
    el('td', {}, select, el('br'), remember),
    EDIT_FIELDS.map(([field, label, cls], i) => el('td', {}, input(r, field, label, cls, actions, error), i === EDIT_FIELDS.length - 1 ? error : null)));
}

function input(r, field, label, cls, actions, error) {
  const box = el('input', {
    type: 'text', class: cls, maxlength: '200', 'aria-label': t(label), testid: `edit-${field}`,
    list: field === 'upstreamPlatform' ? 'platforms' : undefined,
  });
  box.value = r[field] || '';
  box.dataset.saved = box.value;
  box.addEventListener('change', async () => {
    try {
      await actions.edit(r.packageId, field, box.value);
      box.dataset.saved = box.value.trim();
      error.textContent = '';
    } catch (e) {
      // Refused (e.g. a phone number typed into a note): nothing was saved; say why.
      error.textContent = lockedText(e) ?? e.message;
      box.value = box.dataset.saved;
    }
  });
  return box;
}
