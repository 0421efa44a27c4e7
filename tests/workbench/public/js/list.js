// The order list page (订单查询, /app-order/order/query): status tabs, a `table.d-new-table` that
// renders rows only after order/page answers (a loading mask keeps the previous rows while a new
// page loads), masked recipients with a 查看 (decrypt) control per row, a 发货 button on waiting
// rows that opens the ship dialog, `.d-pagination`, and today's remaining decrypts in the toolbar.
// Rows render packages of either spelling (format.js reads them); the tabs send the served shape's
// status codes.
import { h, ref, reactive, onMounted } from '/static/vendor/vue.js';
import { api } from './api.js';
import { DButton, DPagination, DTabs, DCard, toast } from './components.js';
import { ShipDialog } from './ship-dialog.js';
import { navigate, routeQuery } from './router.js';
import { cx, money, chinaTime, isWaiting, recipientView, shapeCodes, skuView } from './format.js';

const CODES = shapeCodes();
// Rows drawn without their 发货 button (a test option, POST /__test/ship-button): a page whose row
// disagrees with its own answer's status.
const NO_SHIP = new Set((document.querySelector('meta[name="replica-no-ship"]')?.content || '').split(',').filter(Boolean));
const TABS = [
  { value: 'all', label: '全部', status: [] },
  { value: 'pending', label: '待发货', status: CODES.pending },
  { value: 'shipped', label: '已发货', status: CODES.shipped },
];
const COLUMNS = ['商品信息', '包裹信息', '收货信息', '实付金额', '订单状态', '买家备注', '操作'];

export const OrderListPage = {
  name: 'OrderListPage',
  setup() {
    const tab = ref(TABS.some((t) => t.value === routeQuery('tab')) ? routeQuery('tab') : 'all');
    const pageNo = ref(1);
    const pageSize = ref(50);
    const total = ref(0);
    const rows = ref([]);
    const loaded = ref(false);
    const loading = ref(false);
    const failed = ref('');
    const plain = reactive({});
    const decrypting = reactive({});
    const remaining = ref(null);
    const shipFor = ref('');
    let seq = 0;

    const load = async () => {
      const mine = ++seq;
      loading.value = true;
      failed.value = '';
      try {
        const data = await api.orderPage({
          page_no: pageNo.value, page_size: pageSize.value,
          status: TABS.find((t) => t.value === tab.value).status, time_range_list: [],
        });
        if (mine !== seq) return;
        // Another front end's spelling (`packageNo`, used by the self-check test to serve a shape
        // RedShip's profile does not know) still renders: the page reads it, RedShip must not.
        rows.value = (data.packages || []).map((p) => (p.packageId || !p.packageNo ? p : { ...p, packageId: p.packageNo }));
        total.value = data.total || 0;
        loaded.value = true;
      } catch (e) {
        if (mine !== seq) return;
        failed.value = e.message;
        toast.error(e.message);
      } finally {
        if (mine === seq) loading.value = false;
      }
    };
    const loadQuota = async () => {
      try {
        const q = await api.quota();
        remaining.value = Math.max(0, q.daily_quota - q.used);
      } catch { /* the toolbar just keeps the last number */ }
    };
    onMounted(() => { load(); loadQuota(); });

    const setTab = (v) => {
      tab.value = v;
      pageNo.value = 1;
      navigate(v === 'all' ? '/app-order/order/query' : `/app-order/order/query?tab=${v}`, { replace: true });
      load();
    };
    const decrypt = async (id) => {
      if (decrypting[id]) return;
      decrypting[id] = true;
      try {
        plain[id] = await api.decrypt(id);
      } catch (e) {
        toast.error(e.message);
      } finally {
        decrypting[id] = false;
        loadQuota();
      }
    };
    const onShipped = (id) => {
      const row = rows.value.find((r) => r.packageId === id);
      if (row) Object.assign(row, { status: 6, statusDesc: '已发货' });
    };

    const receiverCell = (p) => {
      const u = recipientView(p.userInfo);
      const pl = plain[p.packageId];
      const lines = pl ? [pl.receiver_name, pl.receiver_phone, pl.receiver_address] : [u.name, u.phone, u.address];
      return h('td', { class: cx('receiverCell') }, h('div', { class: cx('receiver') }, [
        h('div', { class: cx('receiverName') }, [h('span', null, lines[0] ?? ''), h('span', { class: cx('receiverPhone') }, lines[1] ?? '')]),
        h('div', { class: cx('receiverAddress') }, lines[2] ?? ''),
        pl ? null : h(DButton, { type: 'text', size: 'small', title: '查看', loading: Boolean(decrypting[p.packageId]), onClick: () => decrypt(p.packageId) }, () => [h('span', { class: 'd-icon d-icon-eye' }), '查看']),
      ]));
    };
    const row = (p) => h('tr', { key: p.packageId, class: 'd-new-table-row', 'data-row-key': p.packageId }, [
      h('td', { class: cx('goodsCell') }, (Array.isArray(p.skus) ? p.skus : []).map(skuView).map((s, i) => h('div', { key: i, class: cx('sku') }, [
        h('div', { class: cx('skuImg') }, String(s.name ?? '').slice(0, 1)),
        h('div', { class: cx('skuText') }, [
          h('div', { class: cx('skuName') }, String(s.name)), h('div', { class: cx('skuSpec') }, `${s.spec}  ×${s.quantity}  ${money(s.price)}`),
          ...s.parts.map((b, j) => h('div', { key: `part${j}`, class: cx('skuPart') }, `· ${b.name}  ×${b.quantity}  ${money(b.price)}`)),
        ]),
      ]))),
      h('td', { class: cx('idCell') }, [
        h('div', null, [h('span', { class: cx('muted') }, '包裹号 '), h('span', { class: cx('pkgId') }, p.packageId)]),
        h('div', null, [h('span', { class: cx('muted') }, '订单号 '), String(p.orderId ?? '')]),
        h('div', { class: cx('muted') }, `支付时间 ${chinaTime(p.paidAt)}`),
      ]),
      receiverCell(p),
      h('td', { class: cx('moneyCell') }, money(p.actualPaid)),
      h('td', { class: cx('statusCell') }, [
        h('span', { class: ['d-tag', isWaiting(p.status) ? 'd-tag-warning' : Number(p.status) === 998 ? 'd-tag-default' : 'd-tag-success'] }, p.statusDesc),
        p.afterSaleStatusDesc && p.afterSaleStatusDesc !== '无售后' ? h('div', { class: 'd-tag d-tag-danger' }, p.afterSaleStatusDesc) : null,
      ]),
      h('td', { class: cx('remarkCell') }, recipientView(p.userInfo).note || '-'),
      h('td', { class: cx('opCell') }, isWaiting(p.status) && !NO_SHIP.has(p.packageId)
        ? h(DButton, { type: 'primary', size: 'small', onClick: () => { shipFor.value = p.packageId; } }, () => '发货')
        : h('span', { class: cx('muted') }, '-')),
    ]);

    const tbody = () => {
      if (!loaded.value) return h('tbody', null, failed.value ? h('tr', { class: 'd-new-table-empty' }, h('td', { colspan: COLUMNS.length }, [`加载失败：${failed.value} `, h(DButton, { type: 'text', onClick: load }, () => '重试')])) : null);
      if (!rows.value.length) return h('tbody', null, h('tr', { class: 'd-new-table-empty' }, h('td', { colspan: COLUMNS.length }, '暂无数据')));
      return h('tbody', null, rows.value.map(row));
    };

    return () => h('div', { class: cx('orderPage') }, [
      h(DCard, null, () => [
        h('div', { class: cx('toolbar') }, [
          h(DTabs, { modelValue: tab.value, tabs: TABS, 'onUpdate:modelValue': setTab }),
          h('div', { class: cx('toolbarRight') }, [
            h('span', { class: cx('quotaLeft') }, ['今日剩余解密次数 ', h('b', null, remaining.value === null ? '-' : String(remaining.value))]),
            h(DButton, { onClick: () => { load(); loadQuota(); } }, () => '刷新'),
          ]),
        ]),
        h('div', { class: 'd-new-table-wrapper' }, [
          h('table', { class: 'd-new-table' }, [
            h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { key: c }, c)))),
            tbody(),
          ]),
          loading.value ? h('div', { class: 'd-new-table-loading' }, h('div', { class: 'd-spin' }, [h('span', { class: 'd-spin-dot' }), h('span', { class: 'd-spin-text' }, '加载中…')])) : null,
        ]),
        h(DPagination, {
          total: total.value, pageNo: pageNo.value, pageSize: pageSize.value,
          onChange: (n, s) => { pageNo.value = n; pageSize.value = s; load(); },
        }),
      ]),
      h(ShipDialog, { packageId: shipFor.value, onClose: () => { shipFor.value = ''; }, onShipped }),
    ]);
  },
};
