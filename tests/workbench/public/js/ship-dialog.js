// The ship dialog (发货): a `.d-modal` that loads the package detail and the courier list, shows
// the package ID, a `.d-select` courier picker (options in a `.d-popover`) and a v-model-bound
// `.d-input` for 运单号, and submits order_delivering_api on 确定. Failures show the server's msg
// in a `.d-toast` and keep the dialog open; success toasts 发货成功 and closes it. The package may
// come in either spelling (format.js reads it); the courier list is whatever the platform answers.
import { h, ref, watch } from '/static/vendor/vue.js';
import { api } from './api.js';
import { DButton, DInput, DModal, DSelect, toast } from './components.js';
import { cx, money, recipientView, skuView } from './format.js';

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
    let seq = 0;

    const load = async (id) => {
      const mine = ++seq;
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
      if (submitting.value || !detail.value) return;
      if (!courier.value) { toast.error('请选择物流公司'); return; }
      const no = expressNo.value.trim();
      if (!no) { toast.error('请输入运单号'); return; }
      submitting.value = true;
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
            modelValue: courier.value, placeholder: '请选择物流公司',
            options: couriers.value.map((c) => ({ value: c.express_company_code, label: c.express_company_name })),
            'onUpdate:modelValue': (v) => { courier.value = v; },
          })),
          field('运单号', h(DInput, {
            modelValue: expressNo.value, placeholder: '请输入运单号', maxlength: 40,
            'onUpdate:modelValue': (v) => { expressNo.value = v; },
            onEnter: submit,
          })),
        ]),
      ];
    };

    return () => h(DModal, { visible: Boolean(props.packageId), title: '发货', onClose: () => emit('close') }, {
      default: body,
      footer: () => [
        h(DButton, { onClick: () => emit('close') }, () => '取消'),
        h(DButton, { type: 'primary', loading: submitting.value, disabled: loading.value || !detail.value, onClick: submit }, () => '确定'),
      ],
    });
  },
};
