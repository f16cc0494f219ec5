// Sign-in: tenant (read-only), email address (or username where IT says so), password.
// Rust checks both before anything is sent: a refusal shows at its field, and never counts
// toward Auth0's brute-force block.
import { lock, withBusy } from '../dom.js';
import { bind } from '../i18n.js';
import { go } from '../router.js';
import { api } from '../api.js';
import { keepSignIn, session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { FIELD_CODES, fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';
import { announce } from '../announce.js';
import { takeDrawn } from '../templates.js';
import { asksForUsername, identifierKeys, signinView } from './signin-view.js';

export function signinScreen({ error, notice, username = '' } = {}) {
  const app = session.app;
  const usernames = asksForUsername(app);
  // The first screen was drawn before this module arrived (first-paint.js), as it would be
  // drawn here: it gets its behaviour, and what was typed into it stays. Any later sign-in
  // screen is drawn afresh.
  const drawn = takeDrawn('signin');
  const { el, parts } = drawn && !notice && !username ? drawn : signinView(app, { notice, username });
  const { user, pass, reveal, caps, submit, form } = parts;
  const banner = errorBanner();
  parts.banner.replaceWith(banner.el);

  // The two ways on from here that have screens of their own: their modules load when chosen,
  // not with the first screen.
  parts.browserContinue?.addEventListener('click', () => go('browser-wait'));
  parts.lost.addEventListener('click', () => go('lost', { fresh: true }));
  parts.helpdeskOpen?.addEventListener('click', () => go('helpdesk-entry'));

  reveal.addEventListener('click', () => {
    const show = pass.type === 'password';
    pass.type = show ? 'text' : 'password';
    reveal.setAttribute('aria-pressed', String(show));
    bind(reveal, show ? 'signin.hidePassword' : 'signin.showPassword');
  });

  const userError = fieldMessage(user, 'signin-username-error');
  const passError = fieldMessage(pass, 'signin-password-error');
  parts.userError.replaceWith(userError.el);
  parts.passError.replaceWith(passError.el);
  const userEmpty = reasonHint(user, submit, 'signin-username-empty', parts.userEmpty);
  const passEmpty = reasonHint(pass, submit, 'signin-password-empty', parts.passEmpty);
  const userCodes = usernames ? FIELD_CODES.username : FIELD_CODES.email;
  refuseLineBreaks(user, userError);
  refuseLineBreaks(pass, passError, { around: false });

  const refresh = () => {
    const noUser = !user.value.trim();
    const noPass = !pass.value;
    userEmpty.set(noUser ? identifierKeys(usernames).empty : null);
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

  return { el };
}
