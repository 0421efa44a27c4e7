// transit.html's planner panel: decrypts today's `supplier` orders need against what is left of
// today's quota, the orders to move to the warehouse to fit, and the quota-raise helper
// (申请提额, reason 1) when they do not fit. The numbers come from the core's `TransitLive.plan`.
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

/**
 * Draws the planner into `root`.
 * @param {HTMLElement} root
 * @param {{plan: object|null, remaining: number|null, remainingSource: string}} data
 * @param {{setRemaining: (n: number|null, replan: boolean) => void, moveToWarehouse: (ids: string[]) => void}} actions
 */
export function renderPlanner(root, data, actions) {
  const plan = data.plan;
  if (!plan) { replace(root); return; }
  const input = el('input', {
    type: 'number', min: '0', step: '1', id: 'remaining-input', testid: 'remaining-input',
    value: data.remaining === null ? '' : String(data.remaining),
  });
  // Kept in the page's state on every keystroke (a redraw never loses what was typed); the plan
  // is recomputed when the seller pauses or leaves the field.
  const typed = () => {
    const n = input.value === '' ? null : Math.max(0, Math.floor(Number(input.value)));
    return Number.isSafeInteger(n) ? n : null;
  };
  let timer = null;
  input.addEventListener('input', () => {
    actions.setRemaining(typed(), false);
    clearTimeout(timer);
    timer = setTimeout(() => actions.setRemaining(typed(), true), 500);
  });
  input.addEventListener('change', () => { clearTimeout(timer); actions.setRemaining(typed(), true); });
  const sourceText = { quota: t('transitRemainingFromQuota'), manual: t('transitRemainingManual'), unknown: t('transitRemainingUnknown') }[data.remainingSource] || '';
  const summary = el('div', {
    class: 'planner' + (plan.fits ? '' : ' short'),
    testid: 'planner-summary',
    dataset: {
      decryptsNeeded: plan.decryptsNeeded, remaining: plan.remaining, shortBy: plan.shortBy,
      fits: plan.fits, supplier: plan.counts.supplier,
    },
  },
  el('h2', {}, t('transitPlannerHeading')),
  el('p', {}, t('transitPlannerLine', [String(plan.counts.supplier), String(plan.decryptsNeeded), String(plan.alreadyDecrypted)])),
  el('p', {},
    el('label', {}, t('transitRemainingLabel'), ' ', input), ' ',
    el('span', { class: 'muted' }, sourceText)),
  el('p', { class: plan.fits ? 'ok big' : 'warning big' },
    plan.fits ? t('transitFits', [String(plan.decryptsNeeded), String(plan.remaining)])
      : t('transitShort', [String(plan.decryptsNeeded), String(plan.remaining), String(plan.shortBy)])),
  plan.fits ? null : suggestion(plan, actions),
  plan.raise ? raiseBox(plan.raise) : null);
  const hadFocus = document.activeElement?.id === 'remaining-input';
  replace(root, summary);
  if (hadFocus) input.focus();
}

function suggestion(plan, actions) {
  return el('div', { testid: 'planner-moves', dataset: { count: plan.moveToWarehouse.length } },
    el('p', {}, t('transitMoveSuggestion', String(plan.moveToWarehouse.length))),
    el('ul', {}, plan.moveToWarehouse.map((id) => el('li', { testid: 'planner-move', dataset: { packageId: id } }, id))),
    el('button', { testid: 'planner-apply', on: { click: () => actions.moveToWarehouse(plan.moveToWarehouse) } },
      t('transitMoveApply', String(plan.moveToWarehouse.length))));
}

function raiseBox(raise) {
  const text = el('textarea', { readonly: true, testid: 'raise-text' });
  text.value = raise.textZh;
  return el('div', { class: 'raise', testid: 'raise-helper', dataset: { reasonCode: raise.reasonCode } },
    el('strong', {}, t('transitRaiseHeading')),
    el('p', {}, t('transitRaiseHow', [raise.whereZh, `${raise.reasonCode} ${raise.reason}`])),
    text,
    el('button', { on: { click: () => navigator.clipboard?.writeText(raise.textZh).catch(() => {}) } }, t('transitRaiseCopy')));
}
