// Header: tenant, language picker, signed-in account and Sign out.
import { h } from './dom.js';
import { bind, getLocale, LOCALES, setLocale } from './i18n.js';
import { storeLocale } from './prefs.js';
import { onAccountChange, session, setAccount } from './state.js';
import { api } from './api.js';
import { go } from './router.js';
import { announce } from './announce.js';
import { leaveHelpdesk } from './helpdesk-mode.js';

export function initHeader(app) {
  const tenant = document.getElementById('header-tenant');
  if (app?.tenant) bind(tenant, 'header.tenant', { name: app.tenant.name, domain: app.tenant.domain });
  document.getElementById('demo-badge').hidden = !app?.demo;

  const select = document.getElementById('lang-select');
  select.replaceChildren(...LOCALES.map((code) => h('option', { value: code, lang: code, i18n: `lang.${code}` })));
  select.value = getLocale();
  if (app?.localeManaged) {
    select.disabled = true;
    const note = document.getElementById('lang-managed');
    note.hidden = false;
    select.setAttribute('aria-describedby', note.id);
  }
  select.addEventListener('change', () => {
    if (session.app?.localeManaged) return;
    storeLocale(select.value);
    setLocale(select.value).then(() => announce('lang.changed'));
  });

  const account = document.getElementById('header-account');
  const signOut = document.getElementById('sign-out');
  onAccountChange((value) => {
    account.hidden = !value;
    signOut.hidden = !value;
    if (value) bind(account, 'header.account', { account: value });
  });
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try {
      await api.signOut();
    } catch {
      /* signing out locally is what matters; Rust drops the session either way */
    }
    signOut.disabled = false;
    leaveHelpdesk();
    setAccount(null);
    session.authenticators = [];
    go('signin', { notice: 'signin.signedOut' });
  });
}
