// Shows one screen at a time in <main>. A screen is a function
// (params) => { el, cleanup? }; its root carries data-screen and data-testid.
import { focusFirstHeading, h } from './dom.js';
import { onLocaleChange, t } from './i18n.js';

const screens = new Map();
let outlet = null;
let current = null;

export function initRouter(mainEl) {
  outlet = mainEl;
  onLocaleChange(updateTitle);
}

export function register(name, render) {
  screens.set(name, render);
}

export function go(name, params = {}) {
  const render = screens.get(name);
  if (!render) throw new Error(`unknown screen ${name}`);
  const previous = current;
  current = null;
  previous?.cleanup?.();
  const screen = render(params);
  current = { name, ...screen };
  outlet.replaceChildren(screen.el);
  outlet.scrollTop = 0;
  window.scrollTo(0, 0);
  updateTitle();
  focusFirstHeading(screen.el);
}

/** The name of the screen showing now. */
export const currentScreen = () => current?.name ?? null;

export function updateTitle() {
  const heading = outlet?.querySelector('h1');
  const app = t('app.name');
  document.title = heading?.textContent ? t('app.windowTitle', { screen: heading.textContent, app }) : app;
}

// A screen root: <section data-screen data-testid aria-labelledby>.
export function screenRoot(name, attrs, ...children) {
  return h('section', { class: 'screen', 'data-screen': name, testid: `screen-${name}`, ...attrs }, ...children);
}
