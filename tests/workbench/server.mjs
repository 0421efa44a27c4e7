// The workbench replica's entry point: `node tests/workbench/server.mjs [--port 8700]
// [--orders N] [--seed S] [--now MS] [--daily-quota Q] [--shape seen|legacy]`. Serves the SPA, the
// platform API (in the seen shapes by default, the first replica's spellings with --shape legacy)
// and the /__test/ hooks on 127.0.0.1 only, and prints its URL when ready (port 0 picks a free one).
import { createServer } from 'node:http';
import { State, DEFAULT_ORDERS } from './lib/state.mjs';
import { serveStatic, sendJson, fail } from './lib/http.mjs';
import { handleApi } from './lib/api.mjs';
import { handleHook } from './lib/hooks.mjs';
import { DEFAULT_SHAPE, checkShape } from './lib/shape.mjs';

function parseArgs(argv) {
  const opts = { port: 8700, orders: DEFAULT_ORDERS, seed: 1, now: undefined, daily_quota: undefined, shape: DEFAULT_SHAPE };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--orders') opts.orders = Number(value());
    else if (flag === '--seed') opts.seed = value();
    else if (flag === '--now') opts.now = Number(value());
    else if (flag === '--daily-quota') opts.daily_quota = Number(value());
    else if (flag === '--shape') opts.shape = value();
    else if (flag === '--help') { console.log('usage: node tests/workbench/server.mjs [--port 8700] [--orders N] [--seed S] [--now MS] [--daily-quota Q] [--shape seen|legacy]'); process.exit(0); }
    else { console.error(`unknown argument: ${argv[i]}`); process.exit(2); }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0) { console.error('--port must be a number'); process.exit(2); }
  if (!Number.isInteger(opts.orders) || opts.orders < 0) { console.error('--orders must be a whole number'); process.exit(2); }
  if (/^\d+$/.test(String(opts.seed))) opts.seed = Number(opts.seed);
  try { opts.shape = checkShape(opts.shape); } catch (e) { console.error(`--shape: ${e.message}`); process.exit(2); }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const state = new State({ seed: opts.seed, orders: opts.orders, now: opts.now, daily_quota: opts.daily_quota, shape: opts.shape });
state.defaults = { seed: opts.seed, orders: opts.orders, daily_quota: opts.daily_quota, shape: opts.shape };

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  try {
    if (path.startsWith('/api/') && (await handleApi(state, req, res, path))) return;
    if (path.startsWith('/__test/') && (await handleHook(state, req, res, path))) return;
    if (await serveStatic(req, res, path, { shape: state.shape, dialog: state.dialogMode, hideShip: state.hideShipButton })) return;
    sendJson(res, 404, fail(404, '接口不存在'));
  } catch (e) {
    console.error(e);
    if (!res.headersSent) sendJson(res, 500, fail(500, '服务器错误'));
    else res.destroy();
  }
});

server.listen(opts.port, '127.0.0.1', () => {
  console.log(`RedShip workbench replica ready at http://127.0.0.1:${server.address().port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0)); // in-memory state: nothing to flush
