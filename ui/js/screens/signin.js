// Sign-in: tenant (read-only), email, password.
import { h, lock, uid, withBusy } from '../dom.js';
import { bind } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { session, setAccount } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { announce } from '../announce.js';

export function signinScreen({ error, notice, username = '' } = {}) {
  const app = session.app;
  const headingId = uid('h');
  const userId = uid('user');
  const passId = uid('pass');
  const capsId = uid('caps');
  const banner = errorBanner();

  const user = h('input', {
    id: userId, type: 'email', name: 'username', testid: 'signin-username', value: username,
    autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false', maxlength: '320',
  });
  const pass = h('input', {
    id: passId, type: 'password', name: 'password', testid: 'signin-password',
    autocomplete: 'current-password', 'aria-describedby': capsId, maxlength: '1024',
  });
  const reveal = h('button', {
    type: 'button', class: 'secondary small', testid: 'signin-show-password',
    'aria-pressed': 'false', 'aria-controls': passId, i18n: 'signin.showPassword',
    onclick: () => {
      const show = pass.type === 'password';
      pass.type = show ? 'text' : 'password';
      reveal.setAttribute('aria-pressed', String(show));
      bind(reveal, show ? 'signin.hidePassword' : 'signin.showPassword');
    },
  });
  const caps = h('p', { id: capsId, class: 'hint warning-text', testid: 'signin-capslock', i18n: 'signin.capsLock', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'signin-submit', i18n: 'signin.submit' });

  const refresh = () => lock(submit, 'incomplete', !user.value.trim() || !pass.value);
  user.addEventListener('input', refresh);
  pass.addEventListener('input', refresh);
  pass.addEventListener('keyup', (event) => {
    const on = event.getModifierState?.('CapsLock') ?? false;
    if (on && caps.hidden) announce('signin.capsLock');
    caps.hidden = !on;
  });

  const form = h('form', { class: 'stack', novalidate: true, testid: 'signin-form' },
    h('div', { class: 'field' }, h('label', { for: userId, i18n: 'signin.username' }), user),
    h('div', { class: 'field' },
      h('label', { for: passId, i18n: 'signin.password' }),
      h('div', { class: 'inline' }, pass, reveal),
      caps),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    pass.removeAttribute('aria-invalid');
    try {
      const result = await withBusy(submit, 'signin.submitting', () => api.signIn(user.value.trim(), pass.value), form);
      setAccount(result.account);
      session.authenticators = result.authenticators ?? [];
      pass.value = '';
      go(result.next === 'enroll' ? 'enroll' : 'verify', { first: result.next === 'enroll' });
    } catch (err) {
      banner.show(err, { lockButtons: [submit] });
      if (err.code === 'wrong_credentials') {
        pass.value = '';
        pass.setAttribute('aria-invalid', 'true');
        refresh();
        pass.focus();
      }
    }
  });
  refresh();
  if (error) banner.show(error, { lockButtons: [submit] });

  // An agent signing in for helpdesk mode: their own account and MFA, then helpdesk mode.
  const forHelpdesk = session.purpose === 'helpdesk';
  const helpdeskFoot = forHelpdesk
    ? h('div', { class: 'actions footer-actions' },
      h('button', {
        type: 'button', class: 'link-button', testid: 'helpdesk-signin-back', i18n: 'helpdesk.signin.back',
        onclick: () => { session.purpose = null; go('signin'); },
      }))
    : app?.helpdeskMode
      ? h('section', { class: 'panel', 'aria-labelledby': `${headingId}-hd`, testid: 'helpdesk-entry-panel' },
        h('h2', { id: `${headingId}-hd`, i18n: 'helpdesk.entry.panelTitle' }),
        h('p', { class: 'hint', i18n: 'helpdesk.entry.panelBody' }),
        h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-entry', i18n: 'helpdesk.entry.open', onclick: () => go('helpdesk-entry') }))
      : null;

  const el = screenRoot('signin', { 'aria-labelledby': headingId, 'data-purpose': forHelpdesk ? 'helpdesk' : 'self' },
    h('h1', { id: headingId, i18n: forHelpdesk ? 'helpdesk.signin.title' : 'signin.title' }),
    notice ? h('p', { class: 'notice', role: 'status', testid: 'signin-notice', i18n: notice }) : null,
    h('p', { i18n: forHelpdesk ? 'helpdesk.signin.intro' : 'signin.intro' }),
    app?.tenant ? h('dl', { class: 'facts tenant-card', testid: 'signin-tenant' },
      h('dt', { i18n: 'signin.organization' }), h('dd', {}, app.tenant.name),
      h('dt', { i18n: 'signin.domain' }), h('dd', {}, h('code', {}, app.tenant.domain))) : null,
    app?.tenant ? h('p', { class: 'hint', i18n: 'signin.tenantManaged' }) : null,
    banner.el,
    form,
    forHelpdesk ? null : h('p', { class: 'hint', i18n: 'signin.recoveryHint' }),
    helpdeskFoot);
  return { el };
}
