// An action that needs a second agent (four eyes): the requester sees it waiting, and then
// approved (done, and what to tell the caller), refused (by whom, why) or expired, without
// reloading: the service answers each wait within ~25 s and the panel asks again.
import { h, present } from '../dom.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { errorBanner } from './error-banner.js';
import { countdown } from './countdown.js';

/**
 * approval: ApprovalView (pending); who: the caller as the agent knows them;
 * onApproved(approval) → the next step to tell the caller (or null), after the screen
 * read the caller again; onEnded(err) as elsewhere.
 */
export function approvalWait({ approval, who, onApproved, onEnded }) {
  const banner = errorBanner({ testid: 'helpdesk-approval-error' });
  const body = h('div', { class: 'stack' });
  const el = h('section', {
    class: 'callout outcome', role: 'status', tabindex: '-1', testid: 'helpdesk-approval',
    'data-approval-id': approval.id, 'data-action': approval.action,
  }, body, banner.el);
  let alive = true;
  let clock = null;

  const title = (key, args) => h('p', { class: 'with-icon' }, icon(key.endsWith('approved') ? 'check' : key.endsWith('waiting') ? 'pending' : 'warning'),
    h('strong', { i18n: key, args }));

  function show(view, nextStep = null) {
    el.dataset.status = view.status;
    clock?.stop();
    const action = { t: `helpdesk.action.${view.action}` };
    if (view.status === 'pending') {
      clock = countdown({ until: view.expiresAt, key: 'helpdesk.approval.expiresIn', purpose: 'helpdesk-approval-expiry' });
      body.replaceChildren(
        title('helpdesk.approval.waiting', { action, email: who }),
        h('p', { i18n: 'helpdesk.approval.waitingBody' }), clock.el);
      return;
    }
    const decidedBy = view.decidedBy ?? '—';
    if (view.status === 'approved') {
      body.replaceChildren(...present(
        title('helpdesk.approval.approved', { agent: decidedBy }),
        h('p', { i18n: `helpdesk.done.${view.action}`, args: { email: who } }),
        nextStep ? [h('h2', { class: 'outcome-heading', i18n: 'helpdesk.next.heading' }),
          h('p', { class: 'next-step', testid: 'helpdesk-next-step', i18n: `helpdesk.next.${nextStep}` })] : null));
    } else if (view.status === 'refused') {
      body.replaceChildren(...present(
        title('helpdesk.approval.refused', { agent: decidedBy }),
        view.decisionReason ? h('p', { testid: 'helpdesk-approval-reason' },
          h('span', { i18n: 'helpdesk.approval.why' }), ' ', h('q', {}, view.decisionReason)) : null,
        h('p', { i18n: 'helpdesk.nothingChanged' })));
    } else {
      body.replaceChildren(
        title('helpdesk.approval.expired'),
        h('p', { i18n: 'helpdesk.approval.expiredNext' }));
    }
    announce(`helpdesk.approval.${view.status}`, { agent: decidedBy });
  }

  async function follow() {
    let view = approval;
    show(view);
    try {
      while (alive && view.status === 'pending') {
        view = await helpdeskCall(() => api.helpdeskApprovalWait(approval.id));
        if (!alive) return;
        if (view.status !== 'approved') show(view);
      }
      if (view.status === 'approved') show(view, await onApproved(view));
    } catch (err) {
      if (!alive || onEnded(err)) return;
      // The request may still be open: asking again is safe.
      banner.show(err);
      banner.el.append(h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'secondary', testid: 'helpdesk-approval-again', i18n: 'helpdesk.approval.checkAgain',
        onclick: () => { banner.clear(); approval = view; follow(); },
      })));
    }
  }
  follow();
  return { el, stop: () => { alive = false; clock?.stop(); } };
}
