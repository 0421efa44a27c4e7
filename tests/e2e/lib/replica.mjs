// Starts the workbench replica (tests/workbench/server.mjs) as a child process for e2e tests, the
// demo and benchmarks, and gives them its URL plus helpers for the /__test/ hooks.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../workbench/server.mjs', import.meta.url));

/**
 * Starts a replica.
 * @param {object} [opts]
 * @param {number} [opts.port] 0 (default) picks a free port
 * @param {number} [opts.orders] seeded package count (server default 150)
 * @param {number|string} [opts.seed] seed for the generated data (server default 1)
 * @param {number} [opts.now] replica clock start, epoch ms (default: real time)
 * @param {number} [opts.dailyQuota] fixed daily decrypt quota (default: from the tier table)
 * @param {'seen'|'legacy'} [opts.shape] the spellings served (server default `seen`; `legacy` = the first replica's)
 * @returns {Promise<{url: string, port: number, hook: (path: string, body?: object) => Promise<any>,
 *   log: () => Promise<{decrypts: object[], shipments: object[]}>, stop: () => Promise<void>}>}
 */
export async function startReplica({ port = 0, orders, seed, now, dailyQuota, shape } = {}) {
  const args = [SERVER, '--port', String(port)];
  if (orders !== undefined) args.push('--orders', String(orders));
  if (seed !== undefined) args.push('--seed', String(seed));
  if (now !== undefined) args.push('--now', String(now));
  if (dailyQuota !== undefined) args.push('--daily-quota', String(dailyQuota));
  if (shape !== undefined) args.push('--shape', String(shape));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`replica did not start in 10 s: ${stderr}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`replica exited (${code}): ${stderr}`)); });
  });
  child.stdout.resume();
  const exited = new Promise((r) => child.once('exit', r));
  return {
    url,
    port: Number(new URL(url).port),
    /** POST /__test/<path>; resolves the JSON answer (throws when the hook refuses). */
    async hook(path, body = {}) {
      const res = await fetch(`${url}/__test/${path.replace(/^\/+/, '')}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok || json.success === false) throw new Error(`hook ${path} refused: ${json.msg}`);
      return json.data ?? json;
    },
    /** GET /__test/log: what the platform saw. */
    async log() {
      const res = await fetch(`${url}/__test/log`);
      return res.json();
    },
    /** Stops the replica. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
