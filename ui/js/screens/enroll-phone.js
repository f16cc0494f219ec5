// SMS / voice: number → "is this number right?" → code, with resend and
// switching between text and call when IT allows both.
import { h, lock } from '../dom.js';
import { api } from '../api.js';
import { phoneInput } from '../widgets/phone-input.js';
import { codeChallenge } from '../widgets/code-challenge.js';
import { FIELD_CODES, reasonHint } from '../widgets/field-message.js';

export function phoneSteps(ctx, kind) {
  numberStep(ctx, kind, {});
}

function numberStep(ctx, kind, previous) {
  // Rust loads the phone-number metadata while the person types; a failure here only
  // means the check below loads it itself.
  api.preparePhoneCheck().catch(() => {});
  const phone = phoneInput(previous);
  const next = h('button', { type: 'submit', class: 'primary', testid: 'phone-continue', i18n: 'common.continue' });
  const empty = reasonHint(phone.input, next, 'phone-empty');
  phone.addToNumberField(empty.el);
  const refresh = () => {
    const missing = !phone.input.value.trim();
    empty.set(missing ? 'phone.empty' : null);
    lock(next, 'incomplete', missing);
  };
  phone.input.addEventListener('input', refresh);
  refresh();

  const form = h('form', { class: 'step', novalidate: true, testid: 'enroll-step-phone' },
    h('h2', { i18n: kind === 'voice' ? 'phone.titleVoice' : 'phone.titleSms' }),
    h('p', { i18n: kind === 'voice' ? 'phone.introVoice' : 'phone.introSms' }),
    phone.el,
    h('div', { class: 'actions' }, next, ctx.backButton()));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (next.disabled) return;
    ctx.banner.clear();
    const value = phone.value();
    try {
      const normalized = await ctx.busy(next, 'common.checking', () => api.normalizePhone(value.country, value.number));
      confirmStep(ctx, kind, value, normalized);
    } catch (err) {
      if (FIELD_CODES.phone.has(err.code) || err.code === 'invalid_country') phone.refuse(err.code);
      else ctx.fail(err);
    }
  });
  ctx.showStep(form);
}

function confirmStep(ctx, kind, entered, normalized) {
  const edit = h('button', {
    type: 'button', class: 'secondary', testid: 'phone-edit', i18n: 'phone.edit',
    onclick: () => numberStep(ctx, kind, entered),
  });
  const send = h('button', {
    type: 'button', class: 'primary', testid: 'phone-confirm', i18n: kind === 'voice' ? 'phone.callMe' : 'phone.sendCode',
  });
  send.addEventListener('click', async () => {
    ctx.banner.clear();
    try {
      const start = await ctx.busy(send, 'common.sending', () => api.enrollStart(kind, { phone: normalized.e164 }));
      codeStep(ctx, start);
    } catch (err) {
      ctx.fail(err, { lockButtons: [send] });
    }
  });
  ctx.showStep(h('div', { class: 'step', testid: 'enroll-step-phone-confirm' },
    h('h2', { i18n: 'phone.confirmTitle' }),
    h('p', { class: 'phone-display', testid: 'phone-display', translate: 'no' }, normalized.display),
    h('p', { i18n: kind === 'voice' ? 'phone.confirmVoice' : 'phone.confirmSms' }),
    h('div', { class: 'actions' }, send, edit)));
}

function codeStep(ctx, start) {
  const challenge = codeChallenge({
    start,
    banner: ctx.banner,
    submit: async (code) => ctx.done(await api.enrollConfirm(code)),
    resend: () => api.enrollResend(),
    // Rust says whether the other phone channel is offered (`switchTo`).
    switchTo: start.switchTo ? (channel) => api.enrollResend(channel) : null,
  });
  ctx.showStep(h('div', { class: 'step', testid: 'enroll-step-code' },
    h('h2', { i18n: 'code.title' }),
    challenge.el,
    h('div', { class: 'actions' }, ctx.backButton())), challenge.stop);
}
