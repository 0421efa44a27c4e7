// Options: ship mode's pace (the ship domain's setting, sw/ship/pace.js). The paces, their
// bounds and the default are the core's, through the worker; a change is saved at once and
// applies to runs started after it.
import { call } from '../common/rpc.js';
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

/** Milliseconds as seconds for a label (1000 → 1, 2500 → 2.5). */
const secs = (ms) => String(Math.round(ms / 100) / 10);

/** Renders the section into `container`. */
export function mount(container) {
  const message = el('p', { role: 'status' });
  const render = (view) => {
    // i18n-keys: shipOptPace_person shipOptPace_fast
    const select = el('select', { testid: 'ship-pace', dataset: { saved: view.pace } },
      view.choices.map((c) => el('option', { value: c.pace, selected: c.pace === view.pace }, t(`shipOptPace_${c.pace}`, [secs(c.minMs), secs(c.maxMs)]))));
    select.addEventListener('change', async () => {
      message.className = '';
      message.textContent = '';
      try {
        const next = await call('ship.settings', { pace: select.value });
        select.dataset.saved = next.pace;
        message.className = 'ok';
        message.textContent = t('shipOptSaved');
      } catch (e) {
        select.value = select.dataset.saved;
        message.className = 'error';
        message.textContent = t('commonError', e.message);
      }
    });
    replace(container, el('h2', {}, t('shipOptTitle')), el('p', { class: 'muted' }, t('shipOptPaceHelp')), el('p', {}, select), message);
  };
  call('ship.settings').then(render, (e) => replace(container, el('h2', {}, t('shipOptTitle')), el('div', { class: 'error-box' }, t('commonError', e.message))));
}
