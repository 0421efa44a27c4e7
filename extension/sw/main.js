// RedShip's service worker: loads the wasm core, owns all state and storage, and is the only
// writer. The build bundles this module and its imports into one classic script, sw-main.js, which
// the worker's start script (../sw.js) runs. Every chrome.* listener is registered synchronously
// while it runs (a worker cannot await before its listeners are in place); handlers await `ready`.
import { ready } from './core.js';
import { installRouter } from './router.js';
import './status.js';
import './quota.js';
import './order.js';
import './transit.js';
import './ship.js';
import './selfcheck.js';
import './vault.js';
import './release.js';
import './list-help.js';

installRouter(ready);
ready.catch((e) => console.error('RedShip: the wasm core failed to load', e));
