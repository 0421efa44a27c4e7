// Options page: one section per domain, each a module with `mount(container)`.
import { localize } from './common/i18n.js';
import { mount as mountQuota } from './options/quota-section.js';
import { mount as mountVault } from './options/vault-section.js';
import { mount as mountSelfcheck } from './options/selfcheck-section.js';
import { mount as mountShip } from './options/ship-section.js';

localize();
mountSelfcheck(document.getElementById('selfcheck'));
mountQuota(document.getElementById('quota-settings'));
mountShip(document.getElementById('ship-settings'));
mountVault(document.getElementById('vault-settings'));
