// Every user-visible string goes through chrome.i18n (extension/i18n/*.json → _locales).
// `t(key, subs)` looks one up; `localize(root)` fills elements marked `data-i18n` (text) and
// `data-i18n-attr` as comma-separated attr:key pairs (attributes) — never as HTML.

/** The message for `key` with `$1`… substitutions; the key itself when missing (visible in tests). */
export function t(key, subs) {
  const list = subs === undefined ? undefined : (Array.isArray(subs) ? subs : [subs]).map(String);
  return chrome.i18n.getMessage(key, list) || key;
}

/**
 * A locked vault, said plainly with what to do (`commonLocked`), for any page that shows a worker
 * error; null for every other error. While RedShip is locked by its passphrase the worker refuses
 * reads with `VaultError` "Locked: …", whose own text is English and technical.
 */
export function lockedText(e) {
  return e?.name === 'VaultError' && /^Locked\b/.test(e?.message || '') ? t('commonLocked') : null;
}

/** Translates a subtree in place. */
export function localize(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
  const lang = chrome.i18n.getUILanguage?.() || 'zh-CN';
  document.documentElement.lang = lang;
}

/** A date-time in China time (the platform's clock), e.g. 2026-11-21 23:59. */
export function chinaTime(ms, withSeconds = false) {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n) => String(n).padStart(2, '0');
  const base = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return withSeconds ? `${base}:${p(d.getUTCSeconds())}` : base;
}

/** A duration as H:MM:SS. */
export function countdown(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}
