// Small statistics for noisy machines: medians over repeated runs, and helpers that interleave
// "ours" and "baseline" so that a burst of load from another process hits both alike.

/** The median of a list of numbers (NaN for an empty list). */
export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation as a share of the median: a rough noise figure for a series. */
export function spread(xs) {
  const m = median(xs);
  if (!xs.length || !m) return NaN;
  return median(xs.map((x) => Math.abs(x - m))) / m;
}

/**
 * Runs `ours()` and `base()` `reps` times, alternating which goes first, after `warmup` unrecorded
 * rounds; resolves {ours: [..], base: [..]}.
 */
export async function interleave(reps, ours, base, { warmup = 1 } = {}) {
  const out = { ours: [], base: [] };
  for (let i = 0; i < warmup + reps; i++) {
    const pair = i % 2 ? [['base', base], ['ours', ours]] : [['ours', ours], ['base', base]];
    for (const [k, fn] of pair) {
      const v = await fn(i);
      if (i >= warmup) out[k].push(v);
    }
  }
  return out;
}

/** Rounds to `d` significant decimals for display and JSON. */
export function round(x, d = 2) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
