// Every user-visible string goes through chrome.i18n: each key has Chinese and English text, every
// key the code uses exists, and no key is left unused. (No browser needed; it reads the sources.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeLocales, usedKeys, LANGS } from '../../tools/i18n.mjs';

const locales = mergeLocales();
const defined = new Set(Object.keys(locales.zh_CN));
const used = usedKeys();

test('both locales define the same keys', () => {
  for (const lang of LANGS) assert.deepEqual(Object.keys(locales[lang]).sort(), [...defined].sort(), lang);
});

test('every key the extension uses is defined', () => {
  const missing = [...used].filter(([k]) => !defined.has(k)).map(([k, f]) => `${k} (${f})`);
  assert.deepEqual(missing, []);
});

test('no key is defined but unused', () => {
  const unused = [...defined].filter((k) => !used.has(k));
  assert.deepEqual(unused, []);
});

test('Chinese texts are Chinese', () => {
  // A zh_CN text with no CJK character is probably an untranslated English string.
  const suspicious = Object.entries(locales.zh_CN)
    .filter(([, v]) => /[A-Za-z]{4,}/.test(v.message) && !/[\u4e00-\u9fff]/.test(v.message))
    .map(([k]) => k)
    .filter((k) => !['extShortName'].includes(k));
  assert.deepEqual(suspicious, []);
});
