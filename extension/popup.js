// Popup (foundation shell; the quota dashboard replaces it): shows what the worker computed.
import { call } from './common/rpc.js';
import { localize, t, chinaTime } from './common/i18n.js';
import { el, replace } from './common/dom.js';

localize();
const status = document.getElementById('status');
call('status.get').then((s) => {
  replace(status,
    el('span', { testid: 'core-day', dataset: { day: s.day } }, t('commonToday', s.day)), ' · ',
    el('span', {}, t('commonCoreVersion', s.coreVersion)),
    el('br'),
    s.lastContact ? t('commonLastContact', chinaTime(s.lastContact.atMs)) : t('commonNeverContacted'));
}, (e) => replace(status, t('commonError', e.message)));
