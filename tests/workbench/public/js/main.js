// The replica SPA's entry: the workbench shell (top bar with the shop's name, side menu) and the
// route -> page switch (order list, privacy board), mounted on #app with real Vue 3 (runtime-only
// build, render functions).
import { createApp, h } from '/static/vendor/vue.js';
import { routePath, RouterLink } from './router.js';
import { DToastHost } from './components.js';
import { OrderListPage } from './list.js';
import { PrivacyPage } from './privacy.js';
import { cx } from './format.js';

const SHOP_NAME = '小红薯的杂货铺';
const PAGES = {
  '/app-order/order/query': { title: '订单查询', component: OrderListPage },
  '/app-order/privacy': { title: '隐私保护', component: PrivacyPage },
};
const MENU = [
  { group: '订单管理', items: [['/app-order/order/query', '订单查询']] },
  { group: '店铺管理', items: [['/app-order/privacy', '隐私保护']] },
];

const NotFound = { setup: () => () => h('div', { class: 'd-card' }, h('div', { class: 'd-card-body' }, '页面不存在')) };

const App = {
  name: 'WorkbenchApp',
  setup() {
    return () => {
      const page = PAGES[routePath()];
      document.title = `${page ? page.title : '页面不存在'} - 千帆`;
      return h('div', { class: cx('layout') }, [
        h('header', { class: cx('topbar') }, [
          h('div', { class: cx('logo') }, [h('span', { class: cx('logoMark') }, '小红书'), h('span', { class: cx('logoText') }, '千帆 · 商家工作台')]),
          h('div', { class: cx('topRight') }, [
            h('span', { class: cx('help') }, '帮助中心'),
            h('span', { class: cx('avatar') }, SHOP_NAME.slice(0, 1)),
            h('span', { class: 'shop-name' }, SHOP_NAME),
          ]),
        ]),
        h('div', { class: cx('main') }, [
          h('nav', { class: 'd-menu' }, MENU.map((g) => h('div', { key: g.group, class: 'd-menu-group' }, [
            h('div', { class: 'd-menu-group-title' }, g.group),
            ...g.items.map(([to, label]) => h(RouterLink, { key: to, to, class: 'd-menu-item' }, () => label)),
          ]))),
          h('main', { class: cx('content') }, [
            h('div', { class: 'd-breadcrumb' }, page ? page.title : ''),
            h(page ? page.component : NotFound, { key: routePath() }),
          ]),
        ]),
        h(DToastHost),
      ]);
    };
  },
};

createApp(App).mount('#app');
