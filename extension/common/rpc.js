// Extension pages' side of the message catalogue: `call(type, payload)` resolves the worker's
// answer or rejects with an Error whose `name` is the worker's (e.g. ImportError, VaultError).

/** Sends `{type, payload}` to the service worker and unwraps `{ok, data | error}`. */
export async function call(type, payload = {}) {
  const res = await chrome.runtime.sendMessage({ type, payload });
  if (!res || typeof res !== 'object') {
    throw Object.assign(new Error('RedShip did not answer'), { name: 'NoAnswer' });
  }
  if (!res.ok) {
    throw Object.assign(new Error(res.error?.message || 'failed'), { name: res.error?.name || 'Error', code: res.error?.code ?? null });
  }
  return res.data;
}

/** Subscribes to broadcasts from the worker (`{broadcast: topic, data}`); returns an unsubscribe. */
export function onBroadcast(topic, fn) {
  const listener = (msg) => { if (msg && msg.broadcast === topic) fn(msg.data); };
  chrome.runtime.onMessage.addListener(listener);
  return () => chrome.runtime.onMessage.removeListener(listener);
}
