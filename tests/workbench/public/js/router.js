// Client-side routing for the SPA: the current path as reactive state, history.pushState
// navigation (no page load), and a link component that navigates in place.
import { h, ref } from '/static/vendor/vue.js';

/** The current location (path + search), reactive. */
export const route = ref(location.pathname + location.search);

window.addEventListener('popstate', () => { route.value = location.pathname + location.search; });

/** Navigates without a page load. */
export function navigate(to, { replace = false } = {}) {
  if (to === route.value) return;
  history[replace ? 'replaceState' : 'pushState']({}, '', to);
  route.value = to;
}

/** The path part of the route. */
export const routePath = () => route.value.split('?')[0];

/** A query parameter of the route. */
export const routeQuery = (name) => new URLSearchParams(route.value.split('?')[1] || '').get(name);

/** `<a>` that navigates in place (props: to, class). */
export const RouterLink = {
  name: 'RouterLink',
  props: { to: { type: String, required: true }, activeClass: { type: String, default: 'd-menu-item-active' } },
  setup(props, { slots }) {
    return () => h('a', {
      href: props.to,
      class: routePath() === props.to.split('?')[0] ? props.activeClass : '',
      onClick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      },
    }, slots.default?.());
  },
};
