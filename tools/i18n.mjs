// RedShip's strings: per-domain tables extension/i18n/<domain>.json = {key: {zh_CN, en}} that the
// build merges into Chrome's _locales/<lang>/messages.json. Also finds the keys the code uses, so a
// test can fail on a key that is missing or unused.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The languages RedShip ships, default first. */
export const LANGS = ['zh_CN', 'en'];

/** Merges extension/i18n/*.json into {lang: {key: {message}}}; throws on gaps or clashes. */
export function mergeLocales(dir = join(ROOT, 'extension/i18n')) {
  const out = Object.fromEntries(LANGS.map((l) => [l, {}]));
  const owner = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const table = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [key, entry] of Object.entries(table)) {
      if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`i18n/${file}: key "${key}" may use only A-Z a-z 0-9 _`);
      if (owner[key]) throw new Error(`i18n/${file}: key "${key}" is already defined in ${owner[key]}`);
      owner[key] = file;
      for (const lang of LANGS) {
        if (typeof entry[lang] !== 'string' || !entry[lang]) throw new Error(`i18n/${file}: key "${key}" has no ${lang} text`);
        out[lang][key] = { message: entry[lang] };
        if (entry.placeholders) out[lang][key].placeholders = entry.placeholders;
      }
    }
  }
  return out;
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'i18n' && name !== 'pkg') yield* files(p); } else yield p;
  }
}

/**
 * Keys the extension's code and pages use: t('key'), getMessage('key'), data-i18n="key",
 * data-i18n-attr="attr:key", __MSG_key__, and keys named in a comment `i18n-keys: a b c` (for
 * keys chosen at run time, e.g. a reason the core picks).
 */
export function usedKeys(dir = join(ROOT, 'extension')) {
  const used = new Map();
  const add = (key, file) => { if (!used.has(key)) used.set(key, file); };
  for (const file of files(dir)) {
    if (!/\.(js|html|json)$/.test(file)) continue;
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\b(?:t|getMessage)\(\s*['"]([A-Za-z0-9_]+)['"]/g)) add(m[1], file);
    for (const m of src.matchAll(/data-i18n=["']([A-Za-z0-9_]+)["']/g)) add(m[1], file);
    for (const m of src.matchAll(/data-i18n-attr=["']([^"']+)["']/g)) {
      for (const pair of m[1].split(',')) add(pair.split(':')[1]?.trim(), file);
    }
    for (const m of src.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) add(m[1], file);
    for (const m of src.matchAll(/i18n-keys:([A-Za-z0-9_ \t]+)/g)) for (const k of m[1].trim().split(/\s+/)) add(k, file);
    for (const m of src.matchAll(/dataset\.i18n\s*=\s*['"]([A-Za-z0-9_]+)['"]/g)) add(m[1], file);
  }
  used.delete(undefined);
  return used;
}
