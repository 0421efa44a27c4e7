// Display helpers shared by the pages: money, China-time dates (paidAt as epoch ms or as the
// `YYYY-MM-DD HH:mm:ss` string the real site may send), and the hashed-looking class names the
// real site uses outside the `d-` family (so nothing should key on them).
/** `¥12.30` */
export function money(v) {
  const n = Number(v);
  return Number.isFinite(n) ? `¥${n.toFixed(2)}` : String(v ?? '');
}

/** China-time `YYYY-MM-DD HH:mm:ss` for epoch ms; strings pass through. */
export function chinaTime(v) {
  if (typeof v === 'string') return v;
  const n = Number(v);
  if (!Number.isFinite(n)) return '';
  return new Date(n + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A CSS-modules-looking class name for a local part (stable within the replica). */
export function cx(name) {
  let h = 5381;
  for (const ch of name) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return `_${name}_${h.toString(36).slice(0, 5)}`;
}

/** True while a package waits to ship. */
export const isWaiting = (status) => status === 4 || status === 5;
