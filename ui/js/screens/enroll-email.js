// Email: address, then the emailed code.
import { h, lock, uid } from '../dom.js';
import { api } from '../api.js';
import { session } from '../state.js';
import { codeChallenge } from '../widgets/code-challenge.js';

export function emailSteps(ctx) {
  const id = uid('email');
  const input = h('input', {
    id, type: 'email', name: 'email', testid: 'email-input', autocomplete: 'email',
    autocapitalize: 'off', spellcheck: 'false', maxlength: '320',
    value: session.account?.includes('@') ? session.account : '',
  });
  const next = h('button', { type: 'submit', class: 'primary', testid: 'email-continue', i18n: 'email.send' });
  const refresh = () => lock(next, 'incomplete', !input.value.trim().includes('@'));
  input.addEventListener('input', refresh);
  refresh();

  const form = h('form', { class: 'step', novalidate: true, testid: 'enroll-step-email' },
    h('h2', { i18n: 'email.title' }),
    h('div', { class: 'field' }, h('label', { for: id, i18n: 'email.label' }), input),
    h('div', { class: 'actions' }, next, ctx.backButton()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (next.disabled) return;
    ctx.banner.clear();
    try {
      const start = await ctx.busy(next, 'common.sending', () => api.enrollStart('email', { email: input.value.trim() }));
      showCode(start);
    } catch (err) {
      ctx.fail(err, { lockButtons: [next] });
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
