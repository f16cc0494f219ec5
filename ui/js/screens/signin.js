// Sign-in: tenant (read-only), email address (or username where IT says so), password.
// Rust checks both before anything is sent: a refusal shows at its field, and never counts
// toward Auth0's brute-force block.
import { h, lock, uid, withBusy } from '../dom.js';
import { bind } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { keepSignIn, session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { FIELD_CODES, fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';
import { announce } from '../announce.js';

// The two ways on from here that have screens of their own: their modules load when chosen,
// not with the first screen.
// Replaces the password form where IT chose browser sign-in (browser-signin.js).
function browserSignInPanel() {
  return h('div', { class: 'stack', testid: 'browser-signin' },
    h('p', { i18n: 'browser.intro' }),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'primary', testid: 'browser-continue', i18n: 'browser.continue',
        onclick: () => go('browser-wait'),
      })),
    h('p', { class: 'hint', i18n: 'browser.privacy' }));
}

// "I lost my phone or authenticator": the lost-device path (lost-device.js).
function lostDeviceEntry() {
  return h('p', { class: 'lost-entry' },
    h('button', {
      type: 'button', class: 'link-button', testid: 'lost-device', i18n: 'lost.entry',
      onclick: () => go('lost', { fresh: true }),
    }));
}

export function signinScreen({ error, notice, username = '' } = {}) {
  const app = session.app;
  const usernames = app?.signInIdentifier === 'username';
  const headingId = uid('h');
  const userId = uid('user');
  const passId = uid('pass');
  const capsId = uid('caps');
  const banner = errorBanner();

  // type="text": an email input would trim, drop line breaks and rewrite internationalised
  // domains before Rust sees them. No maxlength: a cut value is a silent change.
  const user = h('input', {
    id: userId, type: 'text', name: 'username', testid: 'signin-username', value: username,
    inputmode: usernames ? null : 'email', autocomplete: 'username', autocapitalize: 'off',
    spellcheck: 'false', autocorrect: 'off',
  });
  const pass = h('input', {
    id: passId, type: 'password', name: 'password', testid: 'signin-password',
    autocomplete: 'current-password', 'aria-describedby': capsId,
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

  const userError = fieldMessage(user, 'signin-username-error');
  const passError = fieldMessage(pass, 'signin-password-error');
  const userEmpty = reasonHint(user, submit, 'signin-username-empty');
  const passEmpty = reasonHint(pass, submit, 'signin-password-empty');
  const userCodes = usernames ? FIELD_CODES.username : FIELD_CODES.email;
  refuseLineBreaks(user, userError);
  refuseLineBreaks(pass, passError, { around: false });

  const refresh = () => {
    const noUser = !user.value.trim();
    const noPass = !pass.value;
    userEmpty.set(noUser ? (usernames ? 'signin.emptyUsername' : 'signin.emptyEmail') : null);
    passEmpty.set(noPass ? 'signin.emptyPassword' : null);
    lock(submit, 'incomplete', noUser || noPass);
  };
  user.addEventListener('input', () => {
    userError.clear();
    refresh();
  });
  pass.addEventListener('input', () => {
    passError.clear();
    refresh();
  });
  pass.addEventListener('keyup', (event) => {
    const on = event.getModifierState?.('CapsLock') ?? false;
    if (on && caps.hidden) announce('signin.capsLock');
    caps.hidden = !on;
  });

  const form = h('form', { class: 'stack', novalidate: true, testid: 'signin-form' },
    h('div', { class: 'field' },
      h('label', { for: userId, i18n: usernames ? 'signin.usernameLabel' : 'signin.username' }),
      user,
      userError.el,
      userEmpty.el),
    h('div', { class: 'field' },
      h('label', { for: passId, i18n: 'signin.password' }),
      h('div', { class: 'inline' }, pass, reveal),
      caps,
      passError.el,
      passEmpty.el),
    h('div', { class: 'actions' }, submit));

  // A refused password leaves the field: a secret is not kept once it was refused.
  function refusePassword(code) {
    pass.value = '';
    refresh();
    passError.show(code);
    pass.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    userError.clear();
    passError.clear();
    try {
      const result = await withBusy(submit, 'signin.submitting', () => api.signIn(user.value, pass.value), form);
      keepSignIn(result);
      pass.value = '';
      go(result.next === 'enroll' ? 'enroll' : 'verify', { first: result.next === 'enroll' });
    } catch (err) {
      if (FIELD_CODES.password.has(err.code)) {
        refusePassword(err.code);
      } else if (userCodes.has(err.code)) {
        userError.show(err.code);
        user.focus();
      } else {
        banner.show(err, { lockButtons: [submit] });
        if (err.code === 'wrong_credentials') {
          pass.value = '';
          refresh();
          pass.setAttribute('aria-invalid', 'true');
          pass.focus();
        }
      }
    }
  });
  refresh();
  if (error) banner.show(error, { lockButtons: [submit] });

  const helpdeskPanel = app?.helpdeskMode
    ? h('section', { class: 'panel', 'aria-labelledby': `${headingId}-hd`, testid: 'helpdesk-entry-panel' },
      h('h2', { id: `${headingId}-hd`, i18n: 'helpdesk.entry.panelTitle' }),
      h('p', { class: 'hint', i18n: 'helpdesk.entry.panelBody' }),
      h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-entry', i18n: 'helpdesk.entry.open', onclick: () => go('helpdesk-entry') }))
    : null;

  const el = screenRoot('signin', { 'aria-labelledby': headingId, 'data-purpose': 'self' },
    h('h1', { id: headingId, i18n: 'signin.title' }),
    notice ? h('p', { class: 'notice', role: 'status', testid: 'signin-notice', i18n: notice }) : null,
    h('p', { i18n: 'signin.intro' }),
    app?.tenant ? h('dl', { class: 'facts tenant-card', testid: 'signin-tenant' },
      h('dt', { i18n: 'signin.organization' }), h('dd', {}, app.tenant.name),
      h('dt', { i18n: 'signin.domain' }), h('dd', {}, h('code', {}, app.tenant.domain))) : null,
    app?.tenant ? h('p', { class: 'hint', i18n: 'signin.tenantManaged' }) : null,
    banner.el,
    app?.signIn === 'browser' ? browserSignInPanel() : form,
    lostDeviceEntry(),
    helpdeskPanel);
  return { el };
}
