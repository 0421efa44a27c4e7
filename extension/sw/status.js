// Foundation messages: a workbench tab says hello and learns "today" (computed in wasm); pages
// ask what the worker knows. The last contact survives a worker restart through the store.
import { core } from './core.js';
import { register } from './router.js';
import * as store from './store.js';

const KEY = 'status';

register('status.hello', async (payload, ctx) => {
  const today = core.chinaDay({ nowMs: Date.now() });
  const origin = new URL(payload.url).origin;
  await store.put({ [KEY]: { v: 1, lastContact: { atMs: Date.now(), origin, shop: payload.shop, tabId: ctx.tabId } } });
  return { coreVersion: core.version(), day: today.day, resetAtMs: today.resetAtMs };
});

register('status.get', async () => {
  const today = core.chinaDay({ nowMs: Date.now() });
  // While the vault is locked the store cannot be read; "today" is still known.
  const status = await store.get(KEY).catch(() => null);
  return { coreVersion: core.version(), ...today, lastContact: status?.lastContact ?? null };
});
