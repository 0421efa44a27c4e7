// The replica's small `d-` component library, modelled on the platform's own: DButton, DInput
// (real v-model via vModelText: setting .value without an input event does not reach the app),
// DSelect whose options open in a DPopover teleported to <body>, DModal, DTabs, DPagination, and
// toasts (`.d-toast`). Render functions only (the CSP forbids the template compiler).
import { h, ref, reactive, computed, Teleport, withDirectives, vModelText, onMounted, onBeforeUnmount, nextTick } from '/static/vendor/vue.js';

/** `.d-button`; props: type (default|primary|text), size, loading, disabled. */
export const DButton = {
  name: 'DButton',
  props: { type: { type: String, default: 'default' }, size: { type: String, default: '' }, loading: Boolean, disabled: Boolean, title: String },
  emits: ['click'],
  setup(props, { slots, emit }) {
    return () => h('button', {
      type: 'button',
      title: props.title,
      class: ['d-button', `d-button-${props.type}`, props.size && `d-button-${props.size}`, props.loading && 'd-button-loading'],
      disabled: props.disabled || props.loading,
      onClick: (e) => emit('click', e),
    }, [props.loading ? h('span', { class: 'd-button-spinner' }) : null, h('span', { class: 'd-button-content' }, slots.default?.())]);
  },
};

/** `.d-input input` bound with v-model semantics (listens to `input` events only). */
export const DInput = {
  name: 'DInput',
  props: { modelValue: { type: String, default: '' }, placeholder: String, maxlength: Number, textarea: Boolean },
  emits: ['update:modelValue', 'enter'],
  setup(props, { emit }) {
    return () => h('div', { class: props.textarea ? 'd-textarea' : 'd-input' }, [
      withDirectives(h(props.textarea ? 'textarea' : 'input', {
        class: props.textarea ? 'd-textarea-inner' : 'd-input-inner',
        type: props.textarea ? undefined : 'text',
        placeholder: props.placeholder,
        maxlength: props.maxlength,
        autocomplete: 'off',
        'onUpdate:modelValue': (v) => emit('update:modelValue', v),
        onKeydown: (e) => { if (e.key === 'Enter' && !props.textarea) emit('enter'); },
      }), [[vModelText, props.modelValue]]),
    ]);
  },
};

/**
 * `.d-select`: a custom picker; clicking opens a `.d-popover` (teleported to body) listing
 * `.d-option > .d-option-content > .d-option-name`. props: modelValue, options [{value, label}].
 */
export const DSelect = {
  name: 'DSelect',
  props: { modelValue: { default: null }, options: { type: Array, default: () => [] }, placeholder: { type: String, default: '请选择' }, disabled: Boolean },
  emits: ['update:modelValue', 'change'],
  setup(props, { emit }) {
    const open = ref(false);
    const root = ref(null);
    const pop = ref(null);
    const pos = reactive({ top: 0, left: 0, width: 0, above: false });
    const selected = computed(() => props.options.find((o) => o.value === props.modelValue));
    const place = () => {
      const r = root.value?.getBoundingClientRect();
      if (!r) return;
      // Flip above the field when the list would not fit below it (like the platform's popovers).
      const height = Math.min(280, props.options.length * 34 + 8);
      const above = r.bottom + 4 + height > window.innerHeight && r.top - 4 - height >= 0;
      Object.assign(pos, { top: above ? r.top - 4 - height : r.bottom + 4, left: r.left, width: r.width, above });
    };
    const toggle = () => {
      if (props.disabled) return;
      open.value = !open.value;
      if (open.value) place();
    };
    const choose = (o) => {
      open.value = false;
      if (o.value !== props.modelValue) { emit('update:modelValue', o.value); emit('change', o.value); }
    };
    const outside = (e) => {
      if (!open.value) return;
      if (root.value?.contains(e.target) || pop.value?.contains(e.target)) return;
      open.value = false;
    };
    const onKey = (e) => { if (e.key === 'Escape') open.value = false; };
    const onMove = () => { if (open.value) place(); };
    onMounted(() => { document.addEventListener('mousedown', outside, true); document.addEventListener('keydown', onKey); window.addEventListener('resize', onMove); window.addEventListener('scroll', onMove, true); });
    onBeforeUnmount(() => { document.removeEventListener('mousedown', outside, true); document.removeEventListener('keydown', onKey); window.removeEventListener('resize', onMove); window.removeEventListener('scroll', onMove, true); });
    return () => [
      h('div', {
        ref: root, tabindex: 0, role: 'combobox', 'aria-expanded': String(open.value),
        class: ['d-select', open.value && 'd-select-open', props.disabled && 'd-select-disabled'],
        onClick: toggle,
        onKeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } },
      }, [
        h('div', { class: 'd-select-selector' }, selected.value
          ? h('span', { class: 'd-select-value' }, selected.value.label)
          : h('span', { class: 'd-select-placeholder' }, props.placeholder)),
        h('span', { class: 'd-select-arrow' }),
      ]),
      open.value ? h(Teleport, { to: 'body' }, h('div', {
        ref: pop, class: ['d-popover', 'd-select-popover', pos.above && 'd-popover-top'], role: 'listbox',
        style: { top: `${pos.top}px`, left: `${pos.left}px`, minWidth: `${pos.width}px` },
      }, h('div', { class: 'd-select-options' }, props.options.map((o) => h('div', {
        key: String(o.value), role: 'option', 'aria-selected': String(o.value === props.modelValue),
        class: ['d-option', o.value === props.modelValue && 'd-option-selected'],
        onClick: () => choose(o),
      }, h('div', { class: 'd-option-content' }, h('span', { class: 'd-option-name' }, o.label))))))) : null,
    ];
  },
};

/** `.d-modal` with a mask, teleported to body; slots: default (body), footer. */
export const DModal = {
  name: 'DModal',
  props: { visible: Boolean, title: String, width: { type: Number, default: 520 } },
  emits: ['close'],
  setup(props, { slots, emit }) {
    return () => (props.visible ? h(Teleport, { to: 'body' }, h('div', { class: 'd-modal-mask' },
      h('div', { class: 'd-modal', role: 'dialog', 'aria-modal': 'true', style: { width: `${props.width}px` } }, [
        h('div', { class: 'd-modal-header' }, [
          h('span', { class: 'd-modal-title' }, props.title),
          h('button', { type: 'button', class: 'd-modal-close', 'aria-label': '关闭', onClick: () => emit('close') }, '×'),
        ]),
        h('div', { class: 'd-modal-body' }, slots.default?.()),
        slots.footer ? h('div', { class: 'd-modal-footer' }, slots.footer()) : null,
      ]))) : null);
  },
};

/** `.d-tabs`; props: modelValue, tabs [{value, label}]. */
export const DTabs = {
  name: 'DTabs',
  props: { modelValue: String, tabs: Array },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    return () => h('div', { class: 'd-tabs', role: 'tablist' }, props.tabs.map((t) => h('div', {
      key: t.value, role: 'tab', 'aria-selected': String(t.value === props.modelValue),
      class: ['d-tab', t.value === props.modelValue && 'd-tab-active'],
      onClick: () => t.value !== props.modelValue && emit('update:modelValue', t.value),
    }, t.label)));
  },
};

function pageItems(current, pages) {
  if (pages <= 9) return Array.from({ length: pages }, (_, i) => i + 1);
  const out = [1];
  const lo = Math.max(2, current - 2);
  const hi = Math.min(pages - 1, current + 2);
  if (lo > 2) out.push('prev-more');
  for (let i = lo; i <= hi; i++) out.push(i);
  if (hi < pages - 1) out.push('next-more');
  out.push(pages);
  return out;
}

/** `.d-pagination`: total, prev/pages/next, and a page-size `.d-select`; emits change(pageNo, pageSize). */
export const DPagination = {
  name: 'DPagination',
  props: { total: Number, pageNo: Number, pageSize: Number, sizes: { type: Array, default: () => [50, 100, 200, 500] }, disabled: Boolean },
  emits: ['change'],
  setup(props, { emit }) {
    const pages = computed(() => Math.max(1, Math.ceil(props.total / props.pageSize)));
    const go = (n) => { if (!props.disabled && n >= 1 && n <= pages.value && n !== props.pageNo) emit('change', n, props.pageSize); };
    return () => h('div', { class: 'd-pagination' }, [
      h('span', { class: 'd-pagination-total' }, `共 ${props.total} 条`),
      h('ul', { class: 'd-pagination-list' }, [
        h('li', { class: ['d-pagination-item', 'd-pagination-prev', props.pageNo <= 1 && 'd-pagination-disabled'], title: '上一页', onClick: () => go(props.pageNo - 1) }, '‹'),
        ...pageItems(props.pageNo, pages.value).map((n) => (typeof n === 'number'
          ? h('li', { key: n, class: ['d-pagination-item', n === props.pageNo && 'd-pagination-item-active'], title: String(n), onClick: () => go(n) }, String(n))
          : h('li', { key: n, class: 'd-pagination-item d-pagination-jump', title: n === 'prev-more' ? '向前 5 页' : '向后 5 页', onClick: () => go(n === 'prev-more' ? props.pageNo - 5 : props.pageNo + 5) }, '…'))),
        h('li', { class: ['d-pagination-item', 'd-pagination-next', props.pageNo >= pages.value && 'd-pagination-disabled'], title: '下一页', onClick: () => go(props.pageNo + 1) }, '›'),
      ]),
      h('div', { class: 'd-pagination-size' }, h(DSelect, {
        modelValue: props.pageSize,
        options: props.sizes.map((s) => ({ value: s, label: `${s} 条/页` })),
        'onUpdate:modelValue': (s) => emit('change', 1, s),
      })),
    ]);
  },
};

/** Live toasts, newest last. */
export const toasts = reactive([]);
let toastSeq = 0;

/** Shows a `.d-toast` for 3 s; type: success | error | info. */
export function toast(msg, type = 'info') {
  const id = ++toastSeq;
  toasts.push({ id, msg: String(msg), type });
  setTimeout(() => { const i = toasts.findIndex((t) => t.id === id); if (i >= 0) toasts.splice(i, 1); }, 3000);
}
toast.success = (m) => toast(m, 'success');
toast.error = (m) => toast(m, 'error');

/** Renders the toasts (mount once, in the app root). */
export const DToastHost = {
  name: 'DToastHost',
  setup() {
    return () => h(Teleport, { to: 'body' }, h('div', { class: 'd-toast-container' }, toasts.map((t) => h('div', {
      key: t.id, role: t.type === 'error' ? 'alert' : 'status', class: ['d-toast', `d-toast-${t.type}`],
    }, [h('span', { class: 'd-toast-icon', 'aria-hidden': 'true' }), h('span', { class: 'd-toast-content' }, t.msg)]))));
  },
};

/** `.d-card` with an optional title. */
export const DCard = {
  name: 'DCard',
  props: { title: String },
  setup(props, { slots }) {
    return () => h('div', { class: 'd-card' }, [
      props.title ? h('div', { class: 'd-card-header' }, [h('span', { class: 'd-card-title' }, props.title), slots.extra?.()]) : null,
      h('div', { class: 'd-card-body' }, slots.default?.()),
    ]);
  },
};

export { nextTick };
