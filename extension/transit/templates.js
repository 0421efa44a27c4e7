// transit.html's template editor: which columns the export holds, in which order, under which
// header. Works on a copy of the selected template; "save" replaces it, "save as" adds a new one.
// The core validates (no empty or duplicate headers, at least one column) and says what is wrong.
import { t } from '../common/i18n.js';
import { el, replace } from '../common/dom.js';

const zh = () => (chrome.i18n.getUILanguage?.() || 'zh-CN').toLowerCase().startsWith('zh');

/**
 * Draws the editor for `current` into `root`.
 * @param {HTMLElement} root
 * @param {{templates: object[], selected: string, fields: {field: string, header: string, labelEn: string}[]}} tv
 * @param {{id: string, name: string, columns: {field: string, header: string}[]}} current
 * @param {{save: (template: object) => Promise<void>, remove: (id: string) => Promise<void>}} actions
 */
export function renderTemplateEditor(root, tv, current, actions) {
  const info = new Map(tv.fields.map((f) => [f.field, f]));
  // Template columns first (in order, included), then every other field (excluded).
  const items = [
    ...current.columns.map((c) => ({ field: c.field, header: c.header, on: true })),
    ...tv.fields.filter((f) => !current.columns.some((c) => c.field === f.field)).map((f) => ({ field: f.field, header: f.header, on: false })),
  ];
  const name = el('input', { type: 'text', testid: 'template-name', maxlength: '40', value: current.name });
  const body = el('tbody');
  const draw = () => replace(body, items.map((it, i) => {
    const f = info.get(it.field);
    const header = el('input', { type: 'text', maxlength: '40', testid: 'template-col-header', dataset: { field: it.field } });
    header.value = it.header;
    header.addEventListener('input', () => { it.header = header.value; });
    const box = el('input', { type: 'checkbox', testid: 'template-col-include', dataset: { field: it.field }, checked: it.on ? true : undefined });
    box.addEventListener('change', () => { it.on = box.checked; });
    const move = (d) => () => {
      const j = i + d;
      if (j < 0 || j >= items.length) return;
      [items[i], items[j]] = [items[j], items[i]];
      draw();
    };
    return el('tr', { testid: 'template-col', dataset: { field: it.field } },
      el('td', {}, box),
      el('td', {}, zh() ? f?.header : f?.labelEn),
      el('td', {}, header),
      el('td', {}, el('button', { title: t('transitUp'), on: { click: move(-1) } }, '↑'), el('button', { title: t('transitDown'), on: { click: move(1) } }, '↓')));
  }));
  draw();
  const collect = (id, templateName) => ({
    id, name: templateName,
    columns: items.filter((it) => it.on).map((it) => ({ field: it.field, header: it.header })),
  });
  replace(root,
    el('p', { class: 'muted' }, t('transitTemplateHint')),
    el('div', { class: 'bar' }, el('label', {}, t('transitTemplateName'), ' ', name)),
    el('table', { class: 'cols' },
      el('thead', {}, el('tr', {}, el('th', {}, t('transitColInclude')), el('th', {}, t('transitColField')), el('th', {}, t('transitColHeader')), el('th', {}))),
      body),
    el('div', { class: 'bar' },
      el('button', { class: 'primary', testid: 'template-save', on: { click: () => actions.save(collect(current.id, name.value)) } }, t('transitTemplateSave')),
      el('button', { testid: 'template-save-as', on: { click: () => actions.save(collect(`t${Date.now()}`, name.value)) } }, t('transitTemplateSaveAs')),
      el('button', { testid: 'template-delete', on: { click: () => actions.remove(current.id) } },
        current.id === 'default' ? t('transitTemplateReset') : t('transitTemplateDelete'))));
}
