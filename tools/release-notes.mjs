// Extracts CHANGELOG.md's one-liners into the small JSON the extension reads after an update
// (release-notes.json): {versions: {"0.2.0": {date, zh, en}}}. Each released version's section
// starts with two quoted lines, `> zh: …` and `> en: …`. The version being built must have both:
// otherwise the build stops, naming the version and the missing language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The one-liners of every released version in `text` (CHANGELOG.md), newest first. */
export function parseReleaseNotes(text) {
  const versions = {};
  let current = null;
  for (const line of text.split('\n')) {
    const head = /^## \[(\d+\.\d+\.\d+)\](?: - (\d{4}-\d{2}-\d{2}))?/.exec(line);
    if (head) { current = { date: head[2] ?? null }; versions[head[1]] = current; continue; }
    if (line.startsWith('## ')) { current = null; continue; }
    const note = /^> (zh|en): (.+)$/.exec(line);
    if (note && current) current[note[1]] = note[2].trim();
  }
  return versions;
}

/** release-notes.json's object for `version`, from the repository's CHANGELOG.md; throws when incomplete. */
export function releaseNotes(root, version) {
  const versions = parseReleaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
  const mine = versions[version];
  if (!mine) throw new Error(`CHANGELOG.md: no "## [${version}] - <date>" section for the version being built (package.json)`);
  for (const lang of ['zh', 'en']) {
    if (!mine[lang]) throw new Error(`CHANGELOG.md: version ${version} has no "> ${lang}: …" one-liner under its heading`);
    if (mine[lang].length > 120) throw new Error(`CHANGELOG.md: the ${lang} one-liner of ${version} is ${mine[lang].length} characters; the popup line takes 120 at most`);
  }
  return { versions: Object.fromEntries(Object.entries(versions).filter(([, v]) => v.zh && v.en)) };
}
