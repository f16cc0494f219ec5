// Header: tenant, language picker, signed-in account and Sign out.
import { bind, LOCALES, setLocale } from './i18n.js';
import { languageOption } from './header-facts.js';
import { storeLocale } from './prefs.js';
import { onAccountChange, session, setAccount } from './state.js';
import { api } from './api.js';
import { go } from './router.js';
import { announce } from './announce.js';

// The header's behaviour; what it shows was shown with the first screen (header-facts.js).
export function initHeader() {
  const select = document.getElementById('lang-select');
  select.addEventListener('change', () => {
    if (session.app?.localeManaged) return;
    storeLocale(select.value);
    setLocale(select.value).then((shown) => shown && announce('lang.changed'));
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
    // Helpdesk mode's code is loaded only where it is used.
    const { leaveHelpdesk } = await import('./helpdesk-mode.js');
    leaveHelpdesk();
    setAccount(null);
    session.authenticators = [];
    go('signin', { notice: 'signin.signedOut' });
  });
}

/** The other languages join the picker once the first screen is painted, and once the font
 *  of their names is loaded (styles.css: three glyphs of 日本語), so that WebKit measures them
 *  with it rather than with the system's CJK font, which it would load for that. */
export async function offerAllLanguages() {
  // The picker's whole stack, as styles.css gives it: with the one family alone, WebKit would
  // also load the default (serif) font, for the metrics of characters outside its range.
  await document.fonts.load('1em "MFA Desk Language Names", system-ui, sans-serif', '日本語')
    .catch(() => {});
  const select = document.getElementById('lang-select');
  select.classList.add('all-languages');
  // WebKit measures the options as they are added, with the style it has: bring it up to date
  // first, or 日本語 is measured without the font and the CJK font is loaded after all.
  void select.offsetWidth;
  const chosen = select.value;
  select.replaceChildren(...LOCALES.map(languageOption));
  select.value = chosen;
}
