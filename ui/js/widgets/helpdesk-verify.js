// "Verify the caller before acting": how the agent checked who is calling (a fixed list,
// strongest first), why they act and the ticket. Recorded in Rust for this caller only;
// once recorded it reads as a summary the agent can change.
import { h, lock, uid, withBusy } from '../dom.js';
import { api } from '../api.js';
import { errorBanner } from './error-banner.js';
import { icon } from '../icons.js';
import { bind } from '../i18n.js';

export function verifyCallerForm({ caller, onVerified, onEnded, onChange }) {
  const headingId = uid('h');
  const section = (...children) => h('section', { class: 'panel', 'aria-labelledby': headingId, testid: 'helpdesk-verify' },
    h('h2', { id: headingId, i18n: 'helpdesk.verify.title' }), ...children);

  const recorded = caller.verification;
  if (recorded) {
    return section(
      h('div', { class: 'notice', testid: 'helpdesk-verified', 'data-method': recorded.method },
        h('p', { class: 'with-icon' }, icon('check'),
          h('span', {},
            h('span', { i18n: 'helpdesk.verify.summary', args: { method: { t: `helpdesk.verify.method.${recorded.method}` } } }),
            recorded.detail ? h('span', {}, ` (${recorded.detail})`) : null)),
        h('dl', { class: 'facts' },
          h('dt', { i18n: 'helpdesk.verify.reason' }), h('dd', { testid: 'helpdesk-verified-reason' }, recorded.reason),
          recorded.ticket ? [h('dt', { i18n: 'helpdesk.verify.ticket' }), h('dd', { testid: 'helpdesk-verified-ticket' }, recorded.ticket)] : null)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'link-button', testid: 'helpdesk-verify-change', i18n: 'helpdesk.verify.change', onclick: onChange })));
  }

  const banner = errorBanner({ testid: 'helpdesk-verify-error' });
  const name = uid('method');
  const detailId = uid('detail');
  const reasonId = uid('reason');
  const ticketId = uid('ticket');
  const detailHintId = uid('hint');
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
  const detail = h('input', { id: detailId, type: 'text', testid: 'helpdesk-verify-detail', maxlength: '170', 'aria-describedby': detailHintId, autocomplete: 'off' });
  const detailLabel = h('label', { for: detailId, i18n: 'helpdesk.verify.detail' });
  const reason = h('input', { id: reasonId, type: 'text', testid: 'helpdesk-verify-reason', maxlength: '500', autocomplete: 'off', 'aria-required': 'true' });
  const ticket = h('input', { id: ticketId, type: 'text', testid: 'helpdesk-verify-ticket', maxlength: '100', autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'helpdesk-verify-submit', i18n: 'helpdesk.verify.submit' });

  const chosen = () => radios.find((r) => r.input.checked)?.input.value ?? null;
  function refresh() {
    const method = chosen();
    const needsDetail = method === 'other';
    bind(detailLabel, needsDetail ? 'helpdesk.verify.detailRequired' : 'helpdesk.verify.detail');
    if (needsDetail) detail.setAttribute('aria-required', 'true');
    else detail.removeAttribute('aria-required');
    lock(submit, 'incomplete', !method || !reason.value.trim() || (needsDetail && !detail.value.trim()));
  }
  radios.forEach((r) => r.input.addEventListener('change', refresh));
  [detail, reason].forEach((input) => input.addEventListener('input', refresh));

  const form = h('form', { class: 'stack', novalidate: true, testid: 'helpdesk-verify-form' },
    h('p', { i18n: 'helpdesk.verify.intro' }),
    h('fieldset', { class: 'radio-group', testid: 'helpdesk-verify-methods' },
      h('legend', { i18n: 'helpdesk.verify.legend' }),
      radios.map((r) => r.el)),
    h('div', { class: 'field' }, detailLabel, detail, h('p', { class: 'hint', id: detailHintId, i18n: 'helpdesk.verify.detailHint' })),
    h('div', { class: 'field' }, h('label', { for: reasonId, i18n: 'helpdesk.verify.reason' }), reason),
    h('div', { class: 'field' }, h('label', { for: ticketId, i18n: 'helpdesk.verify.ticketOptional' }), ticket),
    banner.el,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    try {
      const next = await withBusy(submit, 'common.saving', () => api.helpdeskVerifyCaller(caller.user.userId, {
        method: chosen(), detail: detail.value, reason: reason.value, ticket: ticket.value,
      }), form);
      onVerified(next);
    } catch (err) {
      if (!onEnded(err)) banner.show(err);
    }
  });
  refresh();
  return section(form);
}
