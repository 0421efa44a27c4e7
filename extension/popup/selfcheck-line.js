// The popup's self-check line: one line, green / amber / red, from the core's view of the
// current shop; pressing it opens the details (the options page's 站点自检 section).
import { call, onBroadcast } from '../common/rpc.js';
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

const CLASS = { ok: 'ok', warn: 'warning', error: 'error' };

/** Draws the line into `root` for `shop` (null: the workbench's last shop) and keeps it fresh. */
export function mountSelfcheckLine(root, shop = null) {
  const draw = async () => {
    try {
      const { view } = await call('selfcheck.view', shop ? { shop } : {});
      if (!view) return replace(root);
      const count = (level) => view.lines.filter((l) => l.level === level).length;
      const text = view.level === 'error' ? t('selfcheckPopupError', String(count('error')))
        : view.level === 'warn' ? t('selfcheckPopupWarn', String(count('warn'))) : t('selfcheckPopupOk');
      const first = view.lines.find((l) => l.level === view.level && view.level !== 'ok');
      const en = !(chrome.i18n.getUILanguage?.() || 'zh-CN').toLowerCase().startsWith('zh');
      replace(root, el('button', {
        type: 'button', class: `selfcheck-line ${CLASS[view.level] || ''}`, testid: 'selfcheck-line',
        dataset: { level: view.level }, title: first ? (en ? first.textEn : first.textZh) : '',
        on: { click: () => chrome.runtime.openOptionsPage() },
      }, `● ${text}`, first ? el('div', { class: 'muted' }, en ? first.textEn : first.textZh) : null));
    } catch {
      replace(root); // the dashboard shows the worker's errors; this line just stays away
    }
  };
  draw();
  onBroadcast('selfcheck', draw);
  onBroadcast('quota', draw);
  return draw;
}
