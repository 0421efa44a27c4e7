// RedShip's service worker: loads the wasm core, owns all state and storage, and is the only
// writer. Every chrome.* listener is registered synchronously while this module and its imports
// evaluate (a module worker cannot await at top level); handlers await `ready` themselves.
import { ready } from './sw/core.js';
import { installRouter } from './sw/router.js';
import './sw/status.js';
import './sw/quota.js';
import './sw/order.js';
import './sw/transit.js';
import './sw/ship.js';
import './sw/selfcheck.js';
import './sw/vault.js';
import './sw/release.js';
import './sw/list-help.js';

installRouter(ready);
ready.catch((e) => console.error('RedShip: the wasm core failed to load', e));
