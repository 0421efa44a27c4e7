// What the user sees outside the popup: the toolbar badge (today's remaining decrypts, coloured
// by level), a notification at each threshold (the core decides which are due, once a day), and
// an alarm at the next 00:00 China time so the badge rolls over with the platform.

const COLOURS = { ok: '#1f9d55', warn: '#e6a23c', critical: '#d93026', empty: '#8c1c13' };
export const RESET_ALARM = 'quota-reset';

const t = (key, subs) => chrome.i18n.getMessage(key, subs?.map(String)) || key;

/** Shows `view.remaining` on the badge in the level's colour, and arms the midnight alarm. */
export async function showBadge(view) {
  // Issued together (each is a round trip to the browser; they do not depend on one another).
  // Calls reach the browser in the order they are made, so a later badge never loses to an
  // earlier one: handlers run one after another (router.js).
  try {
    await Promise.all([
      chrome.action.setBadgeText({ text: String(view.remaining) }),
      chrome.action.setBadgeBackgroundColor({ color: COLOURS[view.level] || COLOURS.ok }),
      chrome.action.setBadgeTextColor?.({ color: '#ffffff' }),
      chrome.action.setTitle({ title: t('quotaBadgeTitle', [view.used, view.limit, view.remaining]) }),
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
