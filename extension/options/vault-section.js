// Options: the vault section — lock state, passphrase lock / unlock / change / remove, auto-lock,
// retention, encrypted backup export and restore, the quarantine list, storage use, and plain
// statements of what the device key protects against and what RedShip keeps. Every action is a
// message to the worker; errors arrive as `VaultError` whose message starts with a code that is
// shown translated (vaultErr<Code>) with the worker's detail.
import { call, onBroadcast } from '../common/rpc.js';
import { t, chinaTime } from '../common/i18n.js';
import { el, replace, download } from '../common/dom.js';

// i18n-keys: vaultErrWrongPassphrase vaultErrLocked vaultErrPassphraseTooShort vaultErrBadBackup
// i18n-keys: vaultErrStorageFull vaultErrNoPassphrase vaultErrDamaged vaultErrUnknownVersion vaultErrBadInput
// i18n-keys: vaultStateDevice vaultStateUnlocked vaultStateLocked vaultLockHelpNew vaultLockHelpSet
// i18n-keys: vaultPassphraseAlreadySet vaultQuarantineDamaged vaultQuarantineUnknown vaultNewPassphrase
// i18n-keys: vaultRetentionRange vaultAutoLockRange vaultPruneRange
// i18n-keys: vaultErrBadBackupWhy vaultBackupNotBackup vaultBackupNewer vaultBackupDamaged vaultBackupChanged vaultBackupIncomplete
const KNOWN_CODES = ['WrongPassphrase', 'Locked', 'PassphraseTooShort', 'BadBackup', 'StorageFull', 'NoPassphrase', 'Damaged', 'UnknownVersion', 'BadInput'];
// Why a backup cannot be restored: the core's `BackupProblem` code after `BadBackup:`.
const BACKUP_PROBLEMS = ['NotBackup', 'Newer', 'Damaged', 'Changed', 'Incomplete'];

function errorText(e) {
  const m = /^(\w+):\s*(.*)$/s.exec(e?.message || '');
  if (!m || !KNOWN_CODES.includes(m[1])) return { code: e?.name || 'Error', text: String(e?.message || e) };
  const [, code, detail] = m;
  if (code === 'BadBackup') {
    const why = /^(\w+):/.exec(detail)?.[1];
    if (BACKUP_PROBLEMS.includes(why)) return { code, text: t('vaultErrBadBackupWhy', t(`vaultBackup${why}`)) };
  }
  return { code, text: `${t(`vaultErr${code}`)}${['BadBackup', 'BadInput'].includes(code) ? `（${detail}）` : ''}` };
}

const password = (testid, label) => el('input', { type: 'password', testid, autocomplete: 'off', 'aria-label': label, placeholder: label });

/** Renders the section into `container` and keeps it current. */
export function mount(container) {
  const msg = el('div', { testid: 'vault-message', role: 'status' });
  const body = el('div');
  let lastState = '';
  const say = (kind, text, code = '') => {
    replace(msg, text ? el('div', { class: kind === 'error' ? 'error-box' : 'note', dataset: { kind, code } }, text) : null);
  };
  const run = async (button, fn) => {
    if (button) button.disabled = true;
    try { await fn(); } catch (e) { const { code, text } = errorText(e); say('error', text, code); } finally { if (button) button.disabled = false; }
  };

  async function refresh(force = false) {
    let s;
    try { s = await call('vault.status'); } catch (e) { say('error', errorText(e).text); return; }
    const key = `${s.mode}/${s.locked}`;
    if (!force && key === lastState) { renderLists(s); return; }
    lastState = key;
    replace(body, ...render(s));
  }

  let quarantineNode = el('ul', { testid: 'quarantine-list' });
  let usageNode = el('p', { class: 'muted' });
  function renderLists(s) {
    replace(quarantineNode, ...s.quarantine.map((q) => el('li', { testid: 'quarantine-item', dataset: { storageKey: q.storageKey, code: q.code } },
      `${t(q.code === 'UnknownVersion' ? 'vaultQuarantineUnknown' : 'vaultQuarantineDamaged')} · ${q.storageKey} · ${chinaTime(q.detectedMs)} `,
      el('button', { type: 'button', on: { click: (ev) => run(ev.target, async () => {
        if (!confirm(t('vaultQuarantineDeleteConfirm'))) return;
        await call('vault.quarantineDelete', { quarantineKey: q.quarantineKey }); await refresh(true);
      }) } }, t('vaultQuarantineDelete')))));
    if (!s.quarantine.length) quarantineNode.append(el('li', { class: 'muted' }, t('vaultQuarantineEmpty')));
    replace(usageNode, s.usage.quotaBytes === null ? t('vaultUsageUnlimited', [Math.ceil(s.usage.bytes / 1024)]) : t('vaultUsage', [Math.ceil(s.usage.bytes / 1024), Math.floor(s.usage.quotaBytes / 1024)]),
      s.queued ? ` · ${t('vaultQueued', [s.queued])}` : '');
  }

  function render(s) {
    const state = el('p', { testid: 'vault-state', dataset: { mode: s.mode, locked: String(s.locked) } },
      el('strong', {}, t(s.locked ? 'vaultStateLocked' : s.mode === 'passphrase' ? 'vaultStateUnlocked' : 'vaultStateDevice')));
    const statements = el('div', { class: 'note' },
      el('p', { testid: 'vault-device-statement' }, t('vaultDeviceStatement')),
      el('p', { testid: 'vault-privacy-statement' }, t('vaultPrivacyStatement')));
    renderLists(s);
    const quarantine = el('div', {}, el('h3', {}, t('vaultQuarantineTitle')), el('p', { class: 'muted' }, t('vaultQuarantineHelp')), quarantineNode);
    if (s.locked) {
      const pass = password('unlock-passphrase', t('vaultPassphrase'));
      const submit = el('button', { type: 'submit', class: 'primary', testid: 'unlock-submit' }, t('vaultUnlock'));
      const form = el('form', { on: { submit: (ev) => { ev.preventDefault(); void run(submit, async () => {
        await call('vault.unlock', { passphrase: pass.value }); pass.value = ''; say('ok', t('vaultUnlocked')); await refresh(true);
      }); } } }, pass, ' ', submit);
      return [state, el('p', {}, t('vaultLockedHelp', [s.queued])), form, statements, usageNode, quarantine];
    }
    return [state, lockBlock(s), passphraseBlock(s), settingsBlock(s), backupBlock(), statements, el('h3', {}, t('vaultStorageTitle')), usageNode, pruneBlock(s.info.limits.pruneDays), quarantine];
  }

  function lockBlock(s) {
    const pass = password('lock-passphrase', t(s.mode === 'passphrase' ? 'vaultPassphraseAlreadySet' : 'vaultNewPassphrase'));
    const lockNow = el('button', { type: 'button', class: 'primary', testid: 'lock-now', on: { click: () => run(lockNow, async () => {
      if (s.mode === 'passphrase') await call('vault.lock');
      else await call('vault.setPassphrase', { passphrase: pass.value, lockNow: true });
      pass.value = ''; say('ok', t('vaultLockedNow')); await refresh(true);
    }) } }, t('vaultLockNow'));
    const setOnly = el('button', { type: 'button', testid: 'passphrase-set', hidden: s.mode === 'passphrase', on: { click: () => run(setOnly, async () => {
      await call('vault.setPassphrase', { passphrase: pass.value }); pass.value = ''; say('ok', t('vaultPassphraseSaved')); await refresh(true);
    }) } }, t('vaultSetPassphrase'));
    return el('div', {}, el('h3', {}, t('vaultLockTitle')),
      el('p', { class: 'muted' }, t(s.mode === 'passphrase' ? 'vaultLockHelpSet' : 'vaultLockHelpNew', [s.info.minPassphraseChars])),
      pass, ' ', lockNow, ' ', setOnly);
  }

  function passphraseBlock(s) {
    if (s.mode !== 'passphrase') return null;
    const old = password('passphrase-old', t('vaultOldPassphrase'));
    const next = password('passphrase-new', t('vaultNewPassphrase'));
    const change = el('button', { type: 'button', testid: 'passphrase-change', on: { click: () => run(change, async () => {
      await call('vault.changePassphrase', { oldPassphrase: old.value, passphrase: next.value });
      old.value = ''; next.value = ''; say('ok', t('vaultPassphraseChanged'));
    }) } }, t('vaultChangePassphrase'));
    const remove = el('button', { type: 'button', testid: 'passphrase-remove', on: { click: () => run(remove, async () => {
      if (!confirm(t('vaultRemoveConfirm'))) return;
      await call('vault.removePassphrase', { passphrase: old.value }); old.value = ''; say('ok', t('vaultPassphraseRemoved')); await refresh(true);
    }) } }, t('vaultRemovePassphrase'));
    return el('div', {}, el('h3', {}, t('vaultChangeTitle')), old, ' ', next, ' ', change, ' ', remove);
  }

  // A number outside its field's range is said in words and put back before anything is sent
  // (the worker checks again; its refusal would only say "invalid input").
  // The bounds are the core's (`vaultInfo().limits`), set on each input as min and max.
  const inRange = (input, rangeKey, saved) => {
    if (input.value !== '' && input.checkValidity()) return true;
    say('error', t(rangeKey, [input.min, input.max]), 'BadInput');
    if (saved !== undefined) input.value = saved;
    return false;
  };

  function settingsBlock(s) {
    const saved = { ...s.settings };
    const save = (field, input, rangeKey) => {
      if (!inRange(input, rangeKey, saved[field])) return;
      void run(input, async () => {
        await call('vault.settings', { [field]: Number(input.value) });
        saved[field] = Number(input.value);
        say('ok', t('vaultSettingsSaved'));
      });
    };
    const { retentionDays: keep, autoLockMinutes: lock } = s.info.limits;
    const days = el('input', { type: 'number', min: keep.min, max: keep.max, step: 1, testid: 'retention-days', value: s.settings.retentionDays });
    days.addEventListener('change', () => save('retentionDays', days, 'vaultRetentionRange'));
    const idle = el('input', { type: 'number', min: lock.min, max: lock.max, step: 1, testid: 'autolock-minutes', value: s.settings.autoLockMinutes });
    idle.addEventListener('change', () => save('autoLockMinutes', idle, 'vaultAutoLockRange'));
    return el('div', {}, el('h3', {}, t('vaultSettingsTitle')),
      el('p', {}, el('label', {}, t('vaultRetention'), ' ', days, ' ', t('vaultDays'))),
      el('p', { class: 'muted' }, t('vaultRetentionHelp')),
      el('p', {}, el('label', {}, t('vaultAutoLock'), ' ', idle, ' ', t('vaultMinutes'))),
      el('p', { class: 'muted' }, t('vaultAutoLockHelp')));
  }

  function backupBlock() {
    const pass = password('backup-passphrase', t('vaultBackupPassphrase'));
    const askPass = () => pass.value || prompt(t('vaultBackupPassphrase')) || '';
    const result = el('p', { testid: 'backup-result' });
    const exportBtn = el('button', { type: 'button', testid: 'backup-export', on: { click: () => run(exportBtn, async () => {
      const out = await call('vault.backupExport', { passphrase: askPass() });
      download(out.fileName, out.text, 'application/json');
      replace(result, t('vaultBackupDone', [out.count]));
    }) } }, t('vaultBackupExport'));
    const file = el('input', { type: 'file', accept: '.json,application/json', testid: 'backup-import' });
    file.addEventListener('change', () => run(file, async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        const text = await f.text();
        const out = await call('vault.backupImport', { text, passphrase: askPass() });
        replace(result, el('span', { dataset: { count: out.count } }, t('vaultRestoreDone', [out.count, chinaTime(out.createdMs)])));
        say('ok', t('vaultRestoreDone', [out.count, chinaTime(out.createdMs)]));
      } finally { file.value = ''; }
    }));
    return el('div', {}, el('h3', {}, t('vaultBackupTitle')), el('p', { class: 'muted' }, t('vaultBackupHelp')),
      pass, ' ', exportBtn, ' ', el('label', {}, t('vaultBackupImport'), ' ', file), result);
  }

  function pruneBlock(limits) {
    const days = el('input', { type: 'number', min: limits.min, max: limits.max, step: 1, value: 90, testid: 'prune-days' });
    const btn = el('button', { type: 'button', testid: 'prune-history', on: { click: () => run(btn, async () => {
      if (!inRange(days, 'vaultPruneRange')) return;
      if (!confirm(t('vaultPruneConfirm', [days.value]))) return;
      const out = await call('vault.pruneHistory', { olderThanDays: Number(days.value) });
      say('ok', t('vaultPruned', [out.removed])); await refresh(true);
    }) } }, t('vaultPrune'));
    return el('p', {}, t('vaultPruneLabel'), ' ', days, ' ', t('vaultDays'), ' ', btn);
  }

  replace(container, el('h2', {}, t('vaultTitle')), msg, body);
  onBroadcast('vault.changed', () => { void refresh(); });
  void refresh(true);
}
