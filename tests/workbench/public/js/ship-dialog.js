// The ship dialog (发货): a `.d-modal` that loads the package detail and the courier list, shows
// the package ID, a `.d-select` courier picker (options in a `.d-popover`) and a v-model-bound
// `.d-input` for 运单号, and submits order_delivering_api on 确定. Failures show the server's msg
// in a `.d-toast` and keep the dialog open; success toasts 发货成功 and closes it. The package may
// come in either spelling (format.js reads it); the courier list is whatever the platform answers.
//
// Test modes (`POST /__test/dialog-mode`, learnt from the page's `<meta name="replica-dialog">` as
// it loads): with either, the form has its own check, CHECK_MS after the last change (both fields
// filled), and 确定 is enabled only once it passes. `rebuild`: every change — a courier chosen, a
// number typed, the check, submitting — replaces the dialog's elements (modal, select, input,
// buttons) with new nodes carrying the same state, as components re-rendered from state (a new
// `key`) do. `swap`: the dialog of one package, once its check passes, shows another package
// (its detail loaded and shown; courier and number kept) — once per page load.
import { h, ref, watch, nextTick } from '/static/vendor/vue.js';
import { api } from './api.js';
import { DButton, DInput, DModal, DSelect, toast } from './components.js';
import { cx, money, recipientView, skuView } from './format.js';

const MODE = (() => {
  const m = document.querySelector('meta[name="replica-dialog"]');
  return { rebuild: m?.content === 'rebuild', swapFor: m?.dataset.swapFor || '', swapTo: m?.dataset.swapTo || '' };
})();
const CHECKED_FORM = MODE.rebuild || Boolean(MODE.swapFor);
const CHECK_MS = 60;
let swapUsed = false;

export const ShipDialog = {
  name: 'ShipDialog',
  props: { packageId: { type: String, default: '' } },
  emits: ['close', 'shipped'],
  setup(props, { emit }) {
    const loading = ref(false);
    const detail = ref(null);
    const couriers = ref([]);
    const courier = ref(null);
    const expressNo = ref('');
    const submitting = ref(false);
    const rev = ref(0); // the dialog's key in rebuild mode: a new value, new elements
    const checked = ref(!CHECKED_FORM);
    let seq = 0;
    let checkTimer = 0;

    /** Rebuild mode: every node of the dialog is replaced on the next render. */
    const rebuilt = () => {
      if (!MODE.rebuild) return;
      // A person typing keeps the caret: the new number field takes the focus of the old one.
      const typing = document.activeElement?.matches?.('.d-modal .d-input-inner');
      rev.value++;
      if (typing) nextTick(() => document.querySelector('.d-modal .d-input-inner')?.focus());
    };
    /** The form's own check: both fields filled; in swap mode it may show another package. */
    const check = async (mine) => {
      if (mine !== seq || !detail.value) return;
      const ok = Boolean(courier.value && expressNo.value.trim());
      if (ok && !swapUsed && MODE.swapFor && detail.value.packageId === MODE.swapFor) {
        swapUsed = true;
        try {
          const other = await api.orderDetail(MODE.swapTo);
          if (mine !== seq || !detail.value) return;
          detail.value = other;
        } catch { /* the swap is a test's wish: without the other package, nothing changes */ }
      }
      checked.value = ok;
      rebuilt();
    };
    const changed = () => {
      rebuilt();
      if (!CHECKED_FORM) return;
      checked.value = false;
      clearTimeout(checkTimer);
      const mine = seq;
      checkTimer = setTimeout(() => check(mine), CHECK_MS);
    };

    const load = async (id) => {
      const mine = ++seq;
      clearTimeout(checkTimer);
      checked.value = !CHECKED_FORM;
      detail.value = null;
      courier.value = null;
      expressNo.value = '';
      if (!id) return;
      loading.value = true;
      try {
        const [d, list] = await Promise.all([api.orderDetail(id), api.companies([id])]);
        if (mine !== seq) return;
        detail.value = d;
        couriers.value = list;
      } catch (e) {
        if (mine !== seq) return;
        toast.error(e.message);
        emit('close');
      } finally {
        if (mine === seq) loading.value = false;
      }
    };
    watch(() => props.packageId, load, { immediate: true });

    const submit = async () => {
      if (submitting.value || !detail.value || !checked.value) return;
      if (!courier.value) { toast.error('请选择物流公司'); return; }
      const no = expressNo.value.trim();
      if (!no) { toast.error('请输入运单号'); return; }
      submitting.value = true;
      rebuilt();
      const id = detail.value.packageId;
      try {
        await api.ship({ package_id: id, delivery_package_id: id, delivery_group: false, express_company_code: courier.value, express_no: no });
        toast.success('发货成功');
        emit('shipped', id);
        emit('close');
      } catch (e) {
        toast.error(e.message);
      } finally {
        submitting.value = false;
        if (props.packageId) rebuilt();
      }
    };

    const field = (label, control) => h('div', { class: 'd-form-item' }, [
      h('label', { class: 'd-form-item-label' }, [h('span', { class: 'd-form-item-required' }, '*'), label]),
      h('div', { class: 'd-form-item-content' }, control),
    ]);

    const body = () => {
      if (loading.value || !detail.value) return h('div', { class: 'd-spin' }, [h('span', { class: 'd-spin-dot' }), h('span', { class: 'd-spin-text' }, '加载中…')]);
      const d = detail.value;
      const u = recipientView(d.userInfo);
      return [
        h('div', { class: cx('shipInfo') }, [
          h('div', { class: cx('shipLine') }, [h('span', { class: cx('label') }, '包裹号：'), h('span', { class: cx('pkgId') }, d.packageId)]),
          h('div', { class: cx('shipLine') }, [h('span', { class: cx('label') }, '收货人：'), `${u.name ?? ''} ${u.phone ?? ''} ${u.address ?? ''}`]),
          h('div', { class: cx('shipLine') }, [h('span', { class: cx('label') }, '商品：'),
            (Array.isArray(d.skus) ? d.skus : []).map(skuView).map((s) => `${s.name}（${s.spec}）×${s.quantity}`).join('；'), `  实付 ${money(d.actualPaid)}`]),
        ]),
        h('div', { class: 'd-form' }, [
          field('物流公司', h(DSelect, {
            key: `courier-${rev.value}`,
            modelValue: courier.value, placeholder: '请选择物流公司',
            options: couriers.value.map((c) => ({ value: c.express_company_code, label: c.express_company_name })),
            'onUpdate:modelValue': (v) => { courier.value = v; changed(); },
          })),
          field('运单号', h(DInput, {
            key: `number-${rev.value}`,
            modelValue: expressNo.value, placeholder: '请输入运单号', maxlength: 40,
            'onUpdate:modelValue': (v) => { expressNo.value = v; changed(); },
            onEnter: submit,
          })),
        ]),
      ];
    };

    return () => h(DModal, { key: `ship-${rev.value}`, visible: Boolean(props.packageId), title: '发货', onClose: () => emit('close') }, {
      default: body,
      footer: () => [
        h(DButton, { onClick: () => emit('close') }, () => '取消'),
        h(DButton, { type: 'primary', loading: submitting.value, disabled: loading.value || !detail.value || !checked.value, onClick: submit }, () => '确定'),
      ],
    });
  },
};
