// "Verify the caller before acting": why the agent acts (reason, ticket), then one of two
// ways side by side: a push to the caller's own phone, or the checklist of how the agent
// checked (a fixed list, strongest first). Recorded by the service for this caller only,
// until the time it says; once recorded it reads as a summary the agent can change.
import { h, lock, uid, withBusy } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { bind } from '../i18n.js';
import { announce } from '../announce.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { errorBanner } from './error-banner.js';
import { reasonHint } from './field-message.js';
import { helpdeskField } from './helpdesk-field.js';
import { pushVerify } from './helpdesk-verify-push.js';

// Rust's limits (mfa-core management::input and helpdesk::verification).
const MAX_REASON = 500;
const MAX_TICKET = 100;
const MAX_DETAIL = 170;

const methodWords = (method) => (method === 'push' ? { t: 'helpdesk.verify.byPush' } : { t: `helpdesk.verify.method.${method}` });

function summary(recorded, onChange) {
  return [
    h('div', { class: 'notice', testid: 'helpdesk-verified', 'data-method': recorded.method },
      h('p', { class: 'with-icon' }, icon('check'),
        h('span', {},
          h('span', { i18n: 'helpdesk.verify.summary', args: { method: methodWords(recorded.method) } }),
          recorded.detail ? h('span', { testid: 'helpdesk-verified-detail' }, ` (${recorded.detail})`) : null)),
      h('p', { testid: 'helpdesk-verified-until', 'data-expires-at': recorded.expiresAt, i18n: 'helpdesk.verify.until', args: { time: { time: recorded.expiresAt } } }),
      h('dl', { class: 'facts' },
        h('dt', { i18n: 'helpdesk.verify.reason' }), h('dd', { testid: 'helpdesk-verified-reason' }, recorded.reason),
        recorded.ticket ? [h('dt', { i18n: 'helpdesk.verify.ticket' }), h('dd', { testid: 'helpdesk-verified-ticket' }, recorded.ticket)] : null)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'link-button', testid: 'helpdesk-verify-change', i18n: 'helpdesk.verify.change', onclick: onChange })),
  ];
}

function checklistForm({ caller, fields, onVerified, onEnded }) {
  const headingId = uid('h');
  const banner = errorBanner({ testid: 'helpdesk-verify-error' });
  const name = uid('method');
  const radios = caller.verificationMethods.map((method) => {
    const id = uid('m');
    const hintId = uid('mh');
    const input = h('input', { type: 'radio', name, id, value: method, testid: `verify-method-${method}`, 'aria-describedby': hintId });
    return {
      input,
      el: h('div', { class: 'radio-row' },
        input,
        h('div', {},
          h('label', { for: id, i18n: `helpdesk.verify.method.${method}` }),
          h('p', { class: 'hint', id: hintId, i18n: `helpdesk.verify.methodHint.${method}` }))),
    };
  });
  const detail = helpdeskField({ labelKey: 'helpdesk.verify.detail', hintKey: 'helpdesk.verify.detailHint', testid: 'helpdesk-verify-detail', maxlength: MAX_DETAIL });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'helpdesk-verify-submit', i18n: 'helpdesk.verify.submit' });
  const why = reasonHint(submit, submit, 'helpdesk-verify-why');

  const chosen = () => radios.find((r) => r.input.checked)?.input.value ?? null;
  function refresh() {
    const method = chosen();
    bind(detail.label, method === 'other' ? 'helpdesk.verify.detailRequired' : 'helpdesk.verify.detail');
    if (method === 'other') detail.input.setAttribute('aria-required', 'true');
    else detail.input.removeAttribute('aria-required');
    lock(submit, 'incomplete', !method);
    why.set(method ? null : 'helpdesk.verify.chooseFirst');
  }
  radios.forEach((r) => r.input.addEventListener('change', refresh));

  const form = h('form', { class: 'stack verify-way', novalidate: true, testid: 'helpdesk-verify-form', 'aria-labelledby': headingId },
    h('h3', { id: headingId, i18n: 'helpdesk.verify.checklistTitle' }),
    h('fieldset', { class: 'radio-group', testid: 'helpdesk-verify-methods' },
      h('legend', { i18n: 'helpdesk.verify.legend' }),
      radios.map((r) => r.el)),
    detail.el,
    banner.el,
    h('div', { class: 'actions' }, submit),
    why.el);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    // Each field says what is wrong with it; nothing is sent until all are fine.
    const checks = [fields.reason.check(), fields.ticket.check(), detail.check(chosen() === 'other')];
    if (checks.includes(false)) {
      [fields.reason, fields.ticket, detail][checks.indexOf(false)].focus();
      return;
    }
    try {
      const next = await withBusy(submit, 'common.saving', () => helpdeskCall(() => api.helpdeskVerifyCaller(caller.user.userId, {
        method: chosen(), detail: detail.value(), reason: fields.reason.value(), ticket: fields.ticket.value(),
      })), form);
      onVerified(next);
    } catch (err) {
      if (!onEnded(err) && !fields.reason.showError(err)) banner.show(err);
    }
  });
  refresh();
  return form;
}

/**
 * onVerified(callerView|null): recorded (null: read the caller again); onChange(): the agent
 * wants to verify again; onEnded(err): true when the error ended the helpdesk session.
 * Returns { el, stop } (stop: no more waiting on a push).
 */
export function verifyPanel({ caller, onVerified, onEnded, onChange }) {
  const headingId = uid('h');
  const section = (...children) => h('section', { class: 'panel', 'aria-labelledby': headingId, testid: 'helpdesk-verify' },
    h('h2', { id: headingId, i18n: 'helpdesk.verify.title' }), ...children);
  if (caller.verification) return { el: section(...summary(caller.verification, onChange)), stop: () => {} };

  const fields = {
    reason: helpdeskField({ labelKey: 'helpdesk.verify.reason', testid: 'helpdesk-verify-reason', maxlength: MAX_REASON, required: true }),
    ticket: helpdeskField({ labelKey: 'helpdesk.verify.ticketOptional', testid: 'helpdesk-verify-ticket', maxlength: MAX_TICKET }),
  };
  const verified = (next) => {
    announce('helpdesk.verify.recorded');
    onVerified(next);
  };
  const push = pushVerify({ caller, fields, onVerified: verified, onEnded });
  const el = section(
    h('p', { i18n: 'helpdesk.verify.intro' }),
    fields.reason.el,
    fields.ticket.el,
    h('div', { class: 'verify-ways' },
      push.el,
      checklistForm({ caller, fields, onVerified: verified, onEnded })));
  return { el, stop: push.stop };
}
