// What the user sees outside the popup: the toolbar badge (today's remaining decrypts, coloured
// by level), a notification at each threshold (the core decides which are due, once a day), an
// alarm at the next 00:00 China time so the badge rolls over with the platform, and a warning
// when a count could not be saved because the browser storage is full.

const COLOURS = { ok: '#1f9d55', warn: '#e6a23c', critical: '#d93026', empty: '#8c1c13' };
export const RESET_ALARM = 'quota-reset';

const t = (key, subs) => chrome.i18n.getMessage(key, subs?.map(String)) || key;

let alarmCheck = null;

/** Lets the self-check say a shop's figures may be wrong (`fn(shop)` → boolean): the badge then
 *  shows `?` instead of a number (sw/selfcheck.js sets it). */
export function setAlarmCheck(fn) {
  alarmCheck = fn;
}

/** Shows `view.remaining` (or `?`: a silent 查看 click, or the self-check's doubt) on the badge in the level's colour, and arms the midnight alarm. */
export async function showBadge(view) {
  const wrong = alarmCheck ? await alarmCheck(view.shop).catch(() => false) : false;
  // The core's `?`: a 查看 click showed plain text and no decrypt got counted for it.
  const silent = view.badge === '?';
  // Issued together (each is a round trip to the browser; they do not depend on one another).
  // Calls reach the browser in the order they are made, so a later badge never loses to an
  // earlier one: handlers run one after another (router.js).
  try {
    await Promise.all([
      chrome.action.setBadgeText({ text: wrong || silent ? '?' : String(view.remaining) }),
      chrome.action.setBadgeBackgroundColor({ color: wrong || silent ? COLOURS.critical : COLOURS[view.level] || COLOURS.ok }),
      chrome.action.setBadgeTextColor?.({ color: '#ffffff' }),
      chrome.action.setTitle({ title: silent ? t('quotaSilentTitle') : wrong ? t('selfcheckBadgeTitle') : t('quotaBadgeTitle', [view.used, view.limit, view.remaining]) }),
      chrome.alarms.create(RESET_ALARM, { when: view.resetAtMs + 1000 }),
    ]);
  } catch (e) {
    console.warn('RedShip quota: badge not updated:', e?.message || e);
  }
}

/** Clears the badge (no shop seen yet). */
export async function clearBadge() {
  await chrome.action.setBadgeText({ text: '' }).catch(() => {});
}

/** One notification for the most severe warning newly due (several can fall due at once). */
export async function notify(view) {
  const w = view.warnings?.[view.warnings.length - 1];
  if (!w) return;
  const shop = view.shopLabel || view.shop;
  try {
    await chrome.notifications.create(`quota:${view.shop}:${view.day}:${w.threshold}`, {
      type: 'basic',
      iconUrl: chrome.runtime.getURL('icons/icon128.png'),
      title: t('quotaNotifyTitle', [shop]),
      // The core names the message (i18n-keys: quotaWarningWarn quotaWarningCritical quotaWarningEmpty).
      message: t(w.textKey, [w.used, w.limit, w.remaining, w.threshold]),
      priority: w.level === 'warn' ? 0 : 2,
    });
  } catch (e) {
    console.warn('RedShip quota: notification not shown:', e?.message || e);
  }
}

const FULL_NOTICE_MS = 10 * 60_000;
let fullNoticeAt = -Infinity;

/**
 * A decrypt, a page's quota number or a fill step reached the worker but could not be saved: the
 * storage RedShip may use is full. The badge says "!" until the next count is saved, and a
 * notification (at most every 10 minutes) says what to do. The page keeps what it sent and sends
 * it again (observe-quota's held deliveries, the filler's run taken up again).
 */
export async function warnStorageFull() {
  const now = Date.now();
  const notice = now - fullNoticeAt >= FULL_NOTICE_MS;
  if (notice) fullNoticeAt = now;
  try {
    await Promise.all([
      chrome.action.setBadgeText({ text: '!' }),
      chrome.action.setBadgeBackgroundColor({ color: COLOURS.empty }),
      chrome.action.setTitle({ title: t('quotaStorageFullTitle') }),
      notice && chrome.notifications.create('redship:storage-full', {
        type: 'basic',
        iconUrl: chrome.runtime.getURL('icons/icon128.png'),
        title: t('quotaStorageFullTitle'),
        message: t('quotaStorageFullMessage'),
        priority: 2,
      }),
    ]);
  } catch (e) {
    console.warn('RedShip quota: the storage-full warning was not shown:', e?.message || e);
  }
}
