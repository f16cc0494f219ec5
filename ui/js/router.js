// Shows one screen at a time in <main>. A screen is a function
// (params) => { el, cleanup? }; its root carries data-screen and data-testid.
// Screens are registered as loaders (() => import(...)) and loaded when first shown, so
// the webview holds the code of the screens a person actually visits, not all of them.
import { focusFirstHeading, h } from './dom.js';
import { onLocaleChange, t } from './i18n.js';

const loaders = new Map();
const loaded = new Map();
let outlet = null;
let current = null;
let latest = 0;

export function initRouter(mainEl) {
  outlet = mainEl;
  onLocaleChange(updateTitle);
}

/** `load` resolves to the screen's render function; it runs once, when first needed. */
export function register(name, load) {
  loaders.set(name, load);
}

/** Starts loading a screen's code ahead of showing it (the first screen, during start-up). */
export function preload(name) {
  if (!loaded.has(name)) {
    const load = loaders.get(name);
    if (!load) throw new Error(`unknown screen ${name}`);
    loaded.set(name, load());
  }
  return loaded.get(name);
}

export async function go(name, params = {}) {
  // Only the latest navigation renders: a click made while an earlier screen's code was
  // still loading wins over it.
  const navigation = ++latest;
  const render = await preload(name);
  if (navigation !== latest) return;
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
