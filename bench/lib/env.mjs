// Where things are and what machine this is: paths shared by every row, and the machine facts
// the README's Performance section prints beside the table.
import { readFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, loadavg, platform, release } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from './browser.mjs';

/** bench/ */
export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const ROOT = resolve(BENCH, '..');
/** The build output the bench measures (REDSHIP_DIST overrides, as for build.sh and the tests). */
export const DIST = resolve(process.env.REDSHIP_DIST || join(ROOT, 'dist'));
/** The development build (adds the replica's host). */
export const DEV_EXTENSION = join(DIST, 'extension-dev');
/** Scratch output (git-ignored): extension copies, data files, traces. */
export const OUT = join(BENCH, 'out');

/** The package version the build stamps on the zip. */
export function version() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { return 'unknown'; }
}

/** CPU model, cores, memory, OS, Node and Chromium versions, load, date. */
export function machine() {
  const c = cpus();
  let cpuModel = c[0]?.model?.trim() || 'unknown';
  if (existsSync('/proc/cpuinfo') && cpuModel === 'unknown') {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  }
  return {
    cpu: cpuModel,
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: chromiumVersion(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
}
