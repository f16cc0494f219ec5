// Message catalogues, the current locale, and live re-translation of the DOM.
// Elements remember their key (data-i18n, data-i18n-attrs) so switching the
// language re-translates the page in place without re-rendering screens.
// English is the fallback and the key list, so it is always there; the other catalogues are
// loaded when first chosen, so the webview holds only the languages actually shown.
import en from '../i18n/en.js';

const LOADERS = {
  en: async () => en,
  ja: async () => (await import('../i18n/ja.js')).default,
  fr: async () => (await import('../i18n/fr.js')).default,
};
const catalogues = { en };
const loading = {};
export const LOCALES = Object.keys(LOADERS);

let current = 'en';
const listeners = new Set();

export const getLocale = () => current;
export const isLocale = (value) => LOCALES.includes(value);
export const has = (key) => Object.prototype.hasOwnProperty.call(catalogues.en, key);

// Argument values may be plain strings/numbers, or
//   { t: 'key', args }  a nested translated string,
//   { date: epochSeconds } a date formatted for the current locale.
function formatArg(value) {
  if (value && typeof value === 'object') {
    if ('t' in value) return t(value.t, value.args);
    if ('date' in value) {
      return new Intl.DateTimeFormat(current, { dateStyle: 'long', timeStyle: 'short' })
        .format(new Date(value.date * 1000));
    }
    if ('time' in value) {
      return new Intl.DateTimeFormat(current, { timeStyle: 'medium' }).format(new Date(value.time * 1000));
    }
  }
  return value == null ? '' : String(value);
}

export function t(key, args) {
  const template = catalogues[current][key] ?? catalogues.en[key];
  if (template == null) {
    console.warn('missing i18n key', key);
    return key;
  }
  if (!args) return template;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in args ? formatArg(args[name]) : match));
}

// The catalogue's `<key>One` / `<key>Other` key for a count, in the current language.
export function pluralKey(key, n) {
  return key + (new Intl.PluralRules(current).select(n) === 'one' ? 'One' : 'Other');
}

// That form's text.
export function plural(key, n) {
  return t(pluralKey(key, n), { n });
}

export function bind(el, key, args) {
  el.dataset.i18n = key;
  if (args) el.dataset.i18nArgs = JSON.stringify(args);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, args);
}

export function bindAttr(el, attr, key, args) {
  const map = el.dataset.i18nAttrs ? JSON.parse(el.dataset.i18nAttrs) : {};
  map[attr] = args ? [key, args] : [key];
  el.dataset.i18nAttrs = JSON.stringify(map);
  el.setAttribute(attr, t(key, args));
}

function translateElement(el) {
  if (el.dataset.i18n) {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined);
  }
  if (el.dataset.i18nAttrs) {
    for (const [attr, [key, args]] of Object.entries(JSON.parse(el.dataset.i18nAttrs))) {
      el.setAttribute(attr, t(key, args));
    }
  }
}

export function translateTree(root = document) {
  if (root instanceof Element) translateElement(root);
  root.querySelectorAll('[data-i18n], [data-i18n-attrs]').forEach(translateElement);
}

/** Starts loading a catalogue ahead of choosing it (start-up, while Rust answers). */
export function preloadLocale(locale) {
  if (!isLocale(locale)) return Promise.resolve();
  loading[locale] ??= LOADERS[locale]().then((catalogue) => {
    catalogues[locale] = catalogue;
  });
  return loading[locale];
}

export async function setLocale(locale) {
  if (!isLocale(locale)) return;
  await preloadLocale(locale);
  current = locale;
  document.documentElement.lang = locale;
  translateTree(document);
  listeners.forEach((fn) => fn(locale));
}

export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
