// Options page, 关于 RedShip: the version, the data format with the date it was introduced (the
// core's), and the privacy policy page inside the extension. Loaded as its own module beside
// options.js, drawing into <section id="about">.
import { call } from '../common/rpc.js';
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

async function mount(root) {
  const version = chrome.runtime.getManifest().version;
  const format = await call('release.get').then((r) => r.format).catch(() => null);
  replace(root,
    el('h2', {}, t('releaseAboutTitle')),
    el('p', { testid: 'about-version', dataset: { version } }, t('releaseVersion', version)),
    format ? el('p', { testid: 'about-format', dataset: { version: format.version, date: format.date } },
      t('releaseFormat', [format.version, format.date])) : null,
    el('p', {}, el('a', { href: 'privacy.html', target: '_blank', testid: 'privacy-link' }, t('releasePrivacy'))));
}

void mount(document.getElementById('about'));
