// Message catalogues, the current locale, and live re-translation of the DOM.
// Elements remember their key (data-i18n, data-i18n-attrs) so switching the
// language re-translates the page in place without re-rendering screens.
// Catalogues are JSON, fetched when a language is first chosen: the webview holds only the
// languages actually shown, and parsing JSON costs a fraction of compiling the same strings
// as a script (a Japanese start-up used to wait 8 ms for that). `tests/catalogues.rs` keeps
// every catalogue complete, so any one of them is enough.
export const LOCALES = ['en', 'ja', 'fr'];
const catalogues = {};
const loading = {};

let current = 'en';
const listeners = new Set();

async function fetchCatalogue(locale) {
  const response = await fetch(new URL(`../i18n/${locale}.json`, import.meta.url));
  if (!response.ok) throw new Error(`catalogue ${locale}: ${response.status}`);
  return response.json();
}

export const getLocale = () => current;
export const isLocale = (value) => LOCALES.includes(value);
export const has = (key) => Object.prototype.hasOwnProperty.call(catalogues[current] ?? {}, key);

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
  const template = catalogues[current]?.[key];
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
  loading[locale] ??= fetchCatalogue(locale).then((catalogue) => {
    catalogues[locale] = catalogue;
  });
  return loading[locale];
}

let latest = null;

/** Shows the window in `locale` once its catalogue is here; resolves to whether it did (a
 *  language chosen while this one loaded wins over it, whichever catalogue arrives last). */
export async function setLocale(locale) {
  if (!isLocale(locale)) return false;
  latest = locale;
  try {
    await preloadLocale(locale);
  } catch (err) {
    // A catalogue the app ships cannot go missing, but if one did, English keeps the
    // window readable (and a missing English one leaves the keys showing).
    console.error(err);
    delete loading[locale];
    if (locale !== 'en' && latest === locale) return setLocale('en');
  }
  if (latest !== locale) return false;
  current = locale;
  document.documentElement.lang = locale;
  translateTree(document);
  listeners.forEach((fn) => fn(locale));
  return true;
}

export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
