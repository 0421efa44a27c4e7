// The privacy board (隐私保护, /app-order/privacy): today's decrypt quota used / total (from
// GET /api/edith/privacy/decrypt/quota), the tier rule (7-day max daily paid orders -> decrypts a
// day), and the raise-application form (申请提额) with the platform's five reasons.
import { h, ref, onMounted } from '/static/vendor/vue.js';
import { api, QUOTA_BOARD } from './api.js';
import { DButton, DCard, DInput, toast } from './components.js';
import { cx, chinaTime } from './format.js';

const REASONS = ['代发商家需要让供应商发货', '使用了小红书电子面单不支持的快递', '发货仓库没有对接小红书电子面单', '虚拟商品', '其他'];

export const PrivacyPage = {
  name: 'PrivacyPage',
  setup() {
    const quota = ref(null);
    const rule = ref(null);
    const apps = ref([]);
    const reason = ref(0);
    const description = ref('');
    const submitting = ref(false);

    const load = async () => {
      try {
        const [q, r, a] = await Promise.all([api.quota(), api.quotaRule(), api.applications()]);
        quota.value = q;
        rule.value = r;
        apps.value = a;
      } catch (e) {
        toast.error(e.message);
      }
    };
    onMounted(load);

    const submit = async () => {
      if (submitting.value) return;
      if (!reason.value) { toast.error('请选择申请原因'); return; }
      if (reason.value === 5 && !description.value.trim()) { toast.error('请填写申请说明'); return; }
      submitting.value = true;
      try {
        const app = await api.apply(reason.value, description.value.trim());
        apps.value = [app, ...apps.value];
        reason.value = 0;
        description.value = '';
        toast.success('申请已提交，请等待审核');
      } catch (e) {
        toast.error(e.message);
      } finally {
        submitting.value = false;
      }
    };

    // `/__test/quota-form` draws the numbers other ways: value above caption, or one sentence.
    const cards = (q) => h('div', { class: cx('quotaCards') }, [
      [String(q.used), '今日已用'], [String(Math.max(0, q.daily_quota - q.used)), '剩余次数'], [String(q.daily_quota), '每日额度'],
    ].map(([value, caption]) => h('div', { class: cx('quotaCard'), key: caption }, [h('div', { class: cx('quotaValue') }, value), h('div', { class: cx('quotaCaption') }, caption)])));
    const sentence = (q) => h('p', { class: cx('quotaSentence') }, `今日已解密 ${q.used} 次，剩余 ${Math.max(0, q.daily_quota - q.used)} 次（每日 ${q.daily_quota} 次）`);
    const quotaCard = () => h(DCard, { title: '今日解密额度' }, () => (quota.value ? [
      QUOTA_BOARD === 'cards' ? cards(quota.value) : QUOTA_BOARD === 'sentence' ? sentence(quota.value) : h('div', { class: 'd-statistic' }, [
        h('div', { class: 'd-statistic-title' }, '今日已用 / 今日额度'),
        h('div', { class: 'd-statistic-value' }, [
          h('span', { class: 'd-statistic-used' }, String(quota.value.used)), ' / ',
          h('span', { class: 'd-statistic-total' }, String(quota.value.daily_quota)),
        ]),
      ]),
      h('div', { class: cx('quotaNote') }, `日期 ${quota.value.date} · 今日剩余 ${Math.max(0, quota.value.daily_quota - quota.value.used)} 次 · 每日 00:00（北京时间）重置`),
      h('div', { class: cx('quotaNote') }, '同一订单当日重复查看只计 1 次。'),
    ] : h('div', { class: 'd-spin' }, [h('span', { class: 'd-spin-dot' }), h('span', { class: 'd-spin-text' }, '加载中…')])));

    const ruleCard = () => h(DCard, { title: '额度规则' }, () => (rule.value ? [
      h('p', { class: cx('ruleText') }, `每日解密额度按店铺近 7 天最高日支付订单数分档。当前店铺近 7 天最高日支付订单数：${rule.value.max_daily_paid_7d}。`),
      h('table', { class: 'd-simple-table' }, [
        h('thead', null, h('tr', null, [h('th', null, '近 7 天最高日支付订单数'), h('th', null, '每日解密次数')])),
        h('tbody', null, rule.value.tiers.map((t) => h('tr', {
          key: t.min,
          class: rule.value.max_daily_paid_7d >= t.min && (t.max === null || rule.value.max_daily_paid_7d <= t.max) ? 'd-simple-table-row-active' : '',
        }, [h('td', null, t.max === null ? `${t.min} 单以上` : `${t.min}–${t.max} 单`), h('td', null, `${t.daily_quota} 次/天`)]))),
      ]),
    ] : null));

    const applyCard = () => h(DCard, { title: '申请提额' }, () => [
      h('div', { class: 'd-form' }, [
        h('div', { class: 'd-form-item' }, [
          h('label', { class: 'd-form-item-label' }, [h('span', { class: 'd-form-item-required' }, '*'), '申请原因']),
          h('div', { class: 'd-form-item-content' }, h('div', { class: 'd-radio-group', role: 'radiogroup' }, REASONS.map((text, i) => h('label', {
            key: i, role: 'radio', tabindex: 0, 'aria-checked': String(reason.value === i + 1),
            class: ['d-radio', reason.value === i + 1 && 'd-radio-checked'],
            onClick: () => { reason.value = i + 1; },
            onKeydown: (e) => { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); reason.value = i + 1; } },
          }, [h('span', { class: 'd-radio-inner' }), h('span', { class: 'd-radio-label' }, text)])))),
        ]),
        h('div', { class: 'd-form-item' }, [
          h('label', { class: 'd-form-item-label' }, '申请说明'),
          h('div', { class: 'd-form-item-content' }, h(DInput, {
            textarea: true, modelValue: description.value, placeholder: '请说明需要提额的原因（选择“其他”时必填）', maxlength: 200,
            'onUpdate:modelValue': (v) => { description.value = v; },
          })),
        ]),
        h('div', { class: 'd-form-item' }, [h('label', { class: 'd-form-item-label' }), h('div', { class: 'd-form-item-content' },
          h(DButton, { type: 'primary', loading: submitting.value, onClick: submit }, () => '提交申请'))]),
      ]),
      apps.value.length ? h('table', { class: 'd-simple-table' }, [
        h('thead', null, h('tr', null, ['申请编号', '申请原因', '说明', '提交时间', '状态'].map((c) => h('th', { key: c }, c)))),
        h('tbody', null, apps.value.map((a) => h('tr', { key: a.application_id }, [
          h('td', null, a.application_id), h('td', null, a.reason_text), h('td', null, a.description || '-'),
          h('td', null, chinaTime(a.created_at)), h('td', null, h('span', { class: 'd-tag d-tag-warning' }, a.status)),
        ]))),
      ]) : null,
    ]);

    return () => h('div', { class: cx('privacyPage') }, [
      h('h2', { class: cx('pageTitle') }, '隐私保护'),
      h('div', { class: cx('privacyGrid') }, [quotaCard(), ruleCard()]),
      applyCard(),
    ]);
  },
};
