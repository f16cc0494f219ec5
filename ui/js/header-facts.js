// What the header shows before anything is clicked: the tenant, the demo badge, the language
// picker with the language shown (the others join it after the first paint: header.js), and
// IT's lock on it. first-paint.js shows them with the first screen; header.js wires the rest.
import { h } from './dom.js';
import { bind, getLocale } from './i18n.js';

export function showHeaderFacts(app) {
  const tenant = document.getElementById('header-tenant');
  if (app?.tenant) bind(tenant, 'header.tenant', { name: app.tenant.name, domain: app.tenant.domain });
  document.getElementById('demo-badge').hidden = !app?.demo;

  const select = document.getElementById('lang-select');
  select.replaceChildren(languageOption(getLocale()));
  if (app?.localeManaged) {
    select.disabled = true;
    const note = document.getElementById('lang-managed');
    note.hidden = false;
    select.setAttribute('aria-describedby', note.id);
  }
}

export const languageOption = (code) => h('option', { value: code, lang: code, i18n: `lang.${code}` });
