// The popup's release lines: after an update, one line for the new version (from CHANGELOG.md's
// one-liner in the user's language) with a button that dismisses it; and, after a downgrade,
// one line saying records from a newer RedShip are kept untouched and to update.
import { call } from '../common/rpc.js';
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

/** Draws the lines into `root`; draws nothing when there is nothing to say (or no answer). */
export async function mountReleaseLines(root) {
  let r;
  try { r = await call('release.get'); } catch { return replace(root); }
  const en = !(chrome.i18n.getUILanguage?.() || 'zh-CN').toLowerCase().startsWith('zh');
  const lines = [];
  if (r.newer.length) {
    const found = Math.max(...r.newer.map((n) => n.found));
    lines.push(el('p', { class: 'error-box', testid: 'newer-data', dataset: { count: r.newer.length, found } },
      t('releaseNewerData', [r.newer.length, found])));
  }
  if (r.notice) {
    const line = el('p', { class: 'note', testid: 'whats-new', dataset: { version: r.notice.version } },
      t('releaseWhatsNew', [r.notice.version, en ? r.notice.en : r.notice.zh]), ' ',
      el('button', { type: 'button', testid: 'whats-new-dismiss', on: { click: async () => {
        await call('release.dismiss').catch(() => {});
        line.remove();
      } } }, t('releaseDismiss')));
    lines.push(line);
  }
  replace(root, ...lines);
}
