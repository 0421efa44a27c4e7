// The site profile: everything RedShip knows about the workbench's DOM, routes and endpoints,
// as data. Facts marked [assumed] in ../shared/workbench/SPEC.md live only here, so a user or a
// later release can correct them without touching logic. Loaded first in both content-script
// worlds (the build copies it to site-profile.main.js for the page world, since Chrome injects a
// file only once per frame); the page-world hook takes its copy and removes the global at once.
globalThis.REDSHIP_SITE = Object.freeze({
  /** Schema of this profile, bumped when its shape changes. */
  version: 1,
  /** Routes of the single-page app ([seen] prefix /app-order/order/; the rest [assumed]). */
  routes: {
    orderListPrefix: '/app-order/order/',
    orderList: '/app-order/order/query',
    privacy: '/app-order/privacy',
  },
  /** JSON endpoints whose answers the page receives and RedShip reads (never calls). */
  api: {
    orderPage: '/api/edith/fulfillment/order/page',
    orderDetail: '/api/edith/fulfillment/order/detail',
    couriers: '/api/edith/package/logistics/companies',
    deliver: '/api/edith/fulfillment/order_delivering_api',
    decrypt: '/api/edith/fulfillment/package/receiver/decrypt',
    quota: '/api/edith/privacy/decrypt/quota',
  },
  /** Package IDs: `P` + 15 or more digits [seen]. */
  packageIdPattern: 'P\\d{15,}',
  /** Package status codes [seen]. */
  status: { waiting: [4, 5], shipped: [6], completed: [7], cancelled: [998] },
  /** The platform component library's classes ([seen] d- family; others [assumed]). */
  dom: {
    table: 'table.d-new-table',
    row: 'tr',
    button: '.d-button',
    modal: '.d-modal',
    select: '.d-select',
    popover: '.d-popover',
    option: '.d-option-name',
    optionContent: '.d-option-content',
    input: '.d-input input',
    toast: '.d-toast',
    pagination: '.d-pagination',
    /** Privacy board statistic block [assumed: d- family]. */
    statistic: '[class*="d-statistic"]',
  },
  /** Visible texts the adapter looks for. */
  text: {
    decrypt: '查看',
    ship: '发货',
    confirm: '确定',
    cancel: '取消',
    courierLabel: '物流公司',
    numberLabel: '运单号',
    quotaSpent: '今日解密次数已用完',
    /** Privacy board [assumed]: the statistic labelled 已用 … 额度 shows "used / total". */
    quotaUsedLabel: '已用',
    quotaTotalLabel: '额度',
    shipSuccess: '发货成功',
  },
  /** Where the shop's name shows [assumed]; without it the shop is the site's host. */
  shop: { selectors: ['.shop-name', '[class*="shop-name"]', '[class*="shopName"]', '[data-shop-name]'] },
});
