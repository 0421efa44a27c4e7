// Options: the order list's help (issue 26 item 5) — on/off and the hint threshold. Part of the
// quota settings record (`listHelp`), so the quota section saves it with the rest and the core
// validates it (QuotaError names the field); this module only draws the inputs and reads them.
import { t } from '../common/i18n.js';
import { el } from '../common/dom.js';

/** The editor of `settings.listHelp`; `read()` gives `{listHelp}` back for the save. */
export function listHelpEditor(settings) {
  const s = settings.listHelp ?? { enabled: true, hintAt: 2 };
  const enabled = el('input', { type: 'checkbox', name: 'listHelpEnabled', testid: 'list-help-enabled' });
  enabled.checked = s.enabled !== false;
  const hintAt = el('input', { type: 'number', min: 0, max: 100, step: 1, value: s.hintAt ?? '', name: 'listHelpHintAt', testid: 'list-help-hint-at' });
  const node = el('div', { testid: 'list-help-settings' },
    el('label', {}, enabled, ' ', t('listHelpOptEnabled')), el('br'),
    el('label', {}, t('listHelpOptHintAt'), ' ', hintAt),
    el('p', { class: 'muted' }, t('listHelpOptHelp')));
  const read = () => {
    const text = String(hintAt.value ?? '').trim();
    return { listHelp: { enabled: enabled.checked, hintAt: text === '' ? null : Number(text) } };
  };
  return { node, read };
}
