// Email: address, then the emailed code.
import { h, lock, uid } from '../dom.js';
import { api } from '../api.js';
import { session } from '../state.js';
import { codeChallenge } from '../widgets/code-challenge.js';
import { FIELD_CODES, fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';

export function emailSteps(ctx) {
  const id = uid('email');
  // type="text" and no maxlength: what was typed reaches Rust unchanged (an email input
  // would drop line breaks and rewrite internationalised domains; a maxlength would cut).
  const input = h('input', {
    id, type: 'text', inputmode: 'email', name: 'email', testid: 'email-input', autocomplete: 'email',
    autocapitalize: 'off', spellcheck: 'false', autocorrect: 'off',
    value: session.account?.includes('@') ? session.account : '',
  });
  const next = h('button', { type: 'submit', class: 'primary', testid: 'email-continue', i18n: 'email.send' });
  const message = fieldMessage(input, 'email-error');
  const empty = reasonHint(input, next, 'email-empty');
  refuseLineBreaks(input, message);
  const refresh = () => {
    const missing = !input.value.trim();
    empty.set(missing ? 'email.empty' : null);
    lock(next, 'incomplete', missing);
  };
  input.addEventListener('input', () => {
    message.clear();
    refresh();
  });
  refresh();

  const form = h('form', { class: 'step', novalidate: true, testid: 'enroll-step-email' },
    h('h2', { i18n: 'email.title' }),
    h('div', { class: 'field' }, h('label', { for: id, i18n: 'email.label' }), input, message.el, empty.el),
    h('div', { class: 'actions' }, next, ctx.backButton()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (next.disabled) return;
    ctx.banner.clear();
    message.clear();
    try {
      const start = await ctx.busy(next, 'common.sending', () => api.enrollStart('email', { email: input.value }));
      showCode(start);
    } catch (err) {
      if (FIELD_CODES.email.has(err.code)) message.show(err.code);
      else ctx.fail(err, { lockButtons: [next] });
      input.focus();
    }
  });
  ctx.showStep(form);

  function showCode(start) {
    const challenge = codeChallenge({
      start,
      banner: ctx.banner,
      submit: async (code) => ctx.done(await api.enrollConfirm(code)),
      resend: () => api.enrollResend(),
    });
    ctx.showStep(h('div', { class: 'step', testid: 'enroll-step-code' },
      h('h2', { i18n: 'code.title' }),
      challenge.el,
      h('div', { class: 'actions' }, ctx.backButton())), challenge.stop);
  }
}
