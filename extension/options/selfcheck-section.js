// Options: the site self-check (站点自检) — every line the core computed for the current shop,
// green / amber / red with what to do, and "copy diagnostic report" (text with no buyer data,
// no order IDs and no tracking numbers, made by the core).
import { call, onBroadcast } from '../common/rpc.js';
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

const english = () => !(chrome.i18n.getUILanguage?.() || 'zh-CN').toLowerCase().startsWith('zh');
const LEVEL_CLASS = { ok: 'ok', warn: 'warning', error: 'error', info: 'muted' };
const MARK = { ok: '●', warn: '▲', error: '✖', info: '○' };

/** The lines of a self-check view as a list (also used by the popup's details). */
export function renderLines(view) {
  const en = english();
  return el('ul', { class: 'selfcheck-lines', style: 'list-style:none;padding-left:0' }, view.lines.map((l) => el('li', {
    class: LEVEL_CLASS[l.level], testid: 'selfcheck-row', dataset: { id: l.id, level: l.level },
  }, `${MARK[l.level]} `, en ? l.textEn : l.textZh,
  (en ? l.adviceEn : l.adviceZh) ? el('div', { class: 'muted' }, en ? l.adviceEn : l.adviceZh) : null)));
}

/** Mounts the section into `root`. */
export function mount(root) {
  const body = el('div');
  const status = el('p', { class: 'muted', testid: 'selfcheck-copy-status' });
  const box = el('textarea', { rows: '10', readonly: true, hidden: true, testid: 'selfcheck-report', style: 'width:100%' });
  const copy = el('button', {
    type: 'button', testid: 'selfcheck-copy',
    on: {
      click: async () => {
        const { text } = await call('selfcheck.report', {});
        box.value = text;
        try {
          await navigator.clipboard.writeText(text);
          status.textContent = t('selfcheckCopied');
        } catch {
          box.hidden = false;
          box.select();
          status.textContent = t('selfcheckCopyFailed');
        }
      },
    },
  }, t('selfcheckCopy'));
  replace(root, el('h2', {}, t('selfcheckTitle')), el('p', { class: 'muted' }, t('selfcheckIntro')), body, copy, status, box);
  const draw = async () => {
    try {
      const { shop, view } = await call('selfcheck.view', {});
      if (!view) {
        replace(body, el('p', { testid: 'selfcheck-empty' }, t('selfcheckNoShop')));
        return;
      }
      replace(body, el('div', { testid: 'selfcheck-section', dataset: { level: view.level } },
        el('p', {}, t('selfcheckShop', shop)), renderLines(view)));
    } catch (e) {
      replace(body, el('div', { class: 'error-box' }, e.message));
    }
  };
  draw();
  onBroadcast('selfcheck', draw);
  onBroadcast('quota', draw);
}
