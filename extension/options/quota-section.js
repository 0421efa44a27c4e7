// Options: the decrypt-quota section — the tier table (7-day max daily paid orders → decrypts a
// day), the warning thresholds, a limit set by hand (for all shops or one), shop names, and the
// problems the ledger found in stored records. The core validates every save (QuotaError says
// which row or field), so a rejected edit changes nothing.
import { call } from '../common/rpc.js';
import { t, chinaTime } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';
import { listHelpEditor } from './list-help.js';

const num = (text) => {
  const s = String(text ?? '').trim();
  return s === '' ? null : Number(s);
};

function numberInput(value, attrs = {}) {
  return el('input', { type: 'number', min: 0, step: 1, value: value ?? '', ...attrs });
}

/** The tier table editor; `read()` gives the rows back as the core's `tiers`. */
function tierEditor(tiers) {
  const body = el('tbody');
  const addRow = (tier) => {
    const max = numberInput(tier.maxPaidOrders, { class: 'tier-max', placeholder: t('quotaOptTierAbove'), 'aria-label': t('quotaOptTierMax') });
    const quota = numberInput(tier.dailyQuota, { class: 'tier-quota', min: 1, 'aria-label': t('quotaOptTierQuota') });
    const row = el('tr', {},
      el('td', {}, max), el('td', {}, quota),
      el('td', {}, el('button', { type: 'button', on: { click: () => row.remove() } }, t('quotaOptTierRemove'))));
    body.append(row);
  };
  tiers.forEach(addRow);
  const table = el('table', { testid: 'tier-table' },
    el('thead', {}, el('tr', {}, el('th', {}, t('quotaOptTierMax')), el('th', {}, t('quotaOptTierQuota')), el('th'))),
    body);
  const add = el('button', { type: 'button', on: { click: () => addRow({ maxPaidOrders: null, dailyQuota: null }) } }, t('quotaOptTierAdd'));
  const read = () => [...body.rows].map((r) => ({
    maxPaidOrders: num(r.querySelector('.tier-max').value),
    dailyQuota: num(r.querySelector('.tier-quota').value),
  }));
  return { node: el('div', {}, table, el('p', { class: 'muted' }, t('quotaOptTierHelp')), add), read };
}

function thresholdEditor(s) {
  const warn = numberInput(s.warnPercent, { min: 1, max: 99, name: 'warnPercent' });
  const critical = numberInput(s.criticalPercent, { min: 1, max: 99, name: 'criticalPercent' });
  const node = el('div', { testid: 'thresholds' },
    el('label', {}, t('quotaOptWarn'), ' ', warn, ' %'), ' ',
    el('label', {}, t('quotaOptCritical'), ' ', critical, ' %'),
    el('p', { class: 'muted' }, t('quotaOptThresholdHelp')));
  return { node, read: () => ({ warnPercent: num(warn.value), criticalPercent: num(critical.value) }) };
}

function shopEditor(settings, shopIds) {
  const ids = [...new Set([...shopIds, ...Object.keys(settings.shops || {})])];
  const limit = numberInput(settings.userLimit, { min: 1, name: 'userLimit' });
  const rows = ids.map((id) => {
    const s = settings.shops?.[id] || {};
    return {
      id,
      label: el('input', { type: 'text', maxlength: 100, value: s.label ?? '' }),
      limit: numberInput(s.userLimit, { min: 1 }),
    };
  });
  const node = el('div', { testid: 'quota-shops' },
    el('label', {}, t('quotaOptUserLimit'), ' ', limit),
    el('p', { class: 'muted' }, t('quotaOptUserLimitHelp')),
    rows.length ? el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, t('quotaOptShopId')), el('th', {}, t('quotaOptShopLabel')), el('th', {}, t('quotaOptShopLimit')))),
      el('tbody', {}, rows.map((r) => el('tr', { dataset: { shop: r.id } }, el('td', {}, r.id), el('td', {}, r.label), el('td', {}, r.limit)))))
      : el('p', { class: 'muted' }, t('quotaOptNoShops')));
  const read = () => {
    const shops = {};
    for (const r of rows) {
      const label = r.label.value.trim();
      const userLimit = num(r.limit.value);
      if (label || userLimit !== null) shops[r.id] = { label: label || null, userLimit };
    }
    return { userLimit: num(limit.value), shops };
  };
  return { node, read };
}

/** The wording of each problem kind the core names (`ProblemKind`); its `args` fill $1, $2. */
// i18n-keys: quotaProblemSettingsReset quotaProblemLedgerReset quotaProblemUnknownRecord quotaProblemEventBadId
// i18n-keys: quotaProblemEventOutOfDays quotaProblemClockDiffers quotaProblemPageOutOfDays
const PROBLEM_TEXT = {
  settingsReset: 'quotaProblemSettingsReset',
  ledgerReset: 'quotaProblemLedgerReset',
  unknownRecord: 'quotaProblemUnknownRecord',
  eventBadId: 'quotaProblemEventBadId',
  eventOutOfDays: 'quotaProblemEventOutOfDays',
  clockDiffers: 'quotaProblemClockDiffers',
  pageOutOfDays: 'quotaProblemPageOutOfDays',
};

/** One problem in the page's language; the technical detail stays in the tooltip for support. */
function problemItem(p) {
  const detail = `${p.record}: ${p.message}`;
  const key = Object.hasOwn(PROBLEM_TEXT, p.kind) ? PROBLEM_TEXT[p.kind] : null;
  const text = key ? t(key, Array.isArray(p.args) ? p.args : []) : detail;
  return el('li', { title: detail, dataset: { kind: p.kind || 'other' } }, `${chinaTime(p.atMs)} · ${text}`);
}

function problemList(problems, onClear) {
  if (!problems.length) return null;
  return el('div', { class: 'error-box', testid: 'quota-problems' },
    el('strong', {}, t('quotaOptProblems')),
    el('ul', {}, problems.map(problemItem)),
    el('button', { type: 'button', on: { click: onClear } }, t('quotaOptProblemsClear')));
}

/** Renders the section into `container`. */
export function mount(container) {
  const render = async () => {
    let data;
    try {
      data = await call('quota.settings.get');
    } catch (e) {
      replace(container, el('h2', {}, t('quotaOptTitle')), el('div', { class: 'error-box' }, t('commonError', e.message)));
      return;
    }
    const tiers = tierEditor(data.settings.tiers);
    const thresholds = thresholdEditor(data.settings);
    const shops = shopEditor(data.settings, data.shops);
    const listHelp = listHelpEditor(data.settings);
    const message = el('p', { role: 'status' });
    const save = async (settings) => {
      message.className = '';
      message.textContent = '';
      try {
        await call('quota.settings.save', { settings });
        message.className = 'ok';
        message.textContent = t('quotaOptSaved');
      } catch (e) {
        message.className = 'error';
        message.textContent = t('quotaOptSaveFailed', [e.message]);
      }
    };
    const collect = () => ({ ...data.settings, v: 1, tiers: tiers.read(), ...thresholds.read(), ...shops.read(), ...listHelp.read() });
    replace(container,
      el('h2', {}, t('quotaOptTitle')),
      problemList(data.problems, async () => { await call('quota.problems.clear'); render(); }),
      el('h3', {}, t('quotaOptTiers')), tiers.node,
      el('h3', {}, t('quotaOptThresholds')), thresholds.node,
      el('h3', {}, t('quotaOptShops')), shops.node,
      el('h3', {}, t('listHelpOptTitle')), listHelp.node,
      el('p', {},
        el('button', { type: 'button', class: 'primary', testid: 'quota-settings-save', on: { click: () => save(collect()) } }, t('quotaOptSave')), ' ',
        el('button', { type: 'button', on: { click: async () => { await save({ ...data.defaults, shops: shops.read().shops }); render(); } } }, t('quotaOptDefaults'))),
      message);
  };
  render();
}
