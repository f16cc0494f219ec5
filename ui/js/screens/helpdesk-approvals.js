// Four eyes, the approver's side (agents with helpdesk:approve): the requests waiting for a
// second agent, each with who asked, for whom, what, why, the ticket and how the caller was
// verified. Approve carries the action out; refusing needs a reason. An agent's own requests
// are listed as theirs, never as approvable.
import { h, present, uid, withBusy } from '../dom.js';
import { screenRoot } from '../router.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { errorBanner } from '../widgets/error-banner.js';
import { helpdeskField } from '../widgets/helpdesk-field.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { endIfHelpdeskEnded, helpdeskCall } from '../helpdesk-mode.js';

const MAX_REASON = 500;
const when = (epoch) => (epoch ? h('span', { i18n: 'print.date', args: { date: { date: epoch } } }) : h('span', {}, '—'));

function decided(view) {
  const key = `helpdesk.approvals.decided.${view.status}`;
  return h('p', { class: view.status === 'approved' ? 'notice with-icon' : 'callout with-icon', role: 'status', testid: 'helpdesk-approval-decided', 'data-status': view.status },
    icon(view.status === 'approved' ? 'check' : 'info'),
    h('span', { i18n: key, args: { agent: view.decidedBy ?? '—' } }));
}

function approvalCard(approval, onEnded) {
  const headingId = uid('a');
  const banner = errorBanner({ testid: 'helpdesk-approval-card-error' });
  const foot = h('div', { class: 'stack' });
  const fact = (key, ...value) => [h('dt', { i18n: key }), h('dd', {}, ...value)];

  function decide(view) {
    foot.replaceChildren(decided(view));
    card.dataset.status = view.status;
    announce(`helpdesk.approvals.decided.${view.status}`, { agent: view.decidedBy ?? '—' });
  }

  function failed(err) {
    if (onEnded(err)) return;
    banner.show(err);
    // Someone else decided, or it ran out: nothing left to do on this request.
    if (err.code === 'approval_closed' || err.code === 'self_approval') foot.replaceChildren();
  }

  function buttons() {
    const approve = h('button', { type: 'button', class: 'primary', testid: 'helpdesk-approval-approve', i18n: 'helpdesk.approvals.approve' });
    const refuse = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-approval-refuse', i18n: 'helpdesk.approvals.refuse' });
    approve.addEventListener('click', async () => {
      banner.clear();
      try {
        decide(await withBusy(approve, 'helpdesk.confirm.working', () => helpdeskCall(() => api.helpdeskApprove(approval.id)), card));
      } catch (err) {
        failed(err);
      }
    });
    refuse.addEventListener('click', () => foot.replaceChildren(refuseForm()));
    return h('div', { class: 'actions' }, refuse, approve);
  }

  function refuseForm() {
    const reason = helpdeskField({ labelKey: 'helpdesk.approvals.refuseReason', hintKey: 'helpdesk.approvals.refuseHint', testid: 'helpdesk-approval-refuse-reason', maxlength: MAX_REASON, required: true });
    const confirm = h('button', { type: 'submit', class: 'danger', testid: 'helpdesk-approval-refuse-confirm', i18n: 'helpdesk.approvals.refuse' });
    const cancel = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-approval-refuse-cancel', i18n: 'common.cancel', onclick: () => foot.replaceChildren(buttons()) });
    const form = h('form', { class: 'stack', novalidate: true, testid: 'helpdesk-approval-refuse-form' }, reason.el, h('div', { class: 'actions' }, cancel, confirm));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      banner.clear();
      if (!reason.check()) { reason.focus(); return; }
      try {
        decide(await withBusy(confirm, 'helpdesk.confirm.working', () => helpdeskCall(() => api.helpdeskRefuse(approval.id, reason.value())), form));
      } catch (err) {
        if (!reason.showError(err)) failed(err);
      }
    });
    requestAnimationFrame(() => reason.focus());
    return form;
  }

  if (approval.mine) {
    foot.append(h('p', { class: 'tag', testid: 'helpdesk-approval-mine', i18n: 'helpdesk.approvals.mine' }));
  } else if (approval.status === 'pending') {
    foot.append(buttons());
  } else {
    foot.append(decided(approval));
  }

  const caller = approval.callerEmail ?? approval.callerId;
  const card = h('li', {
    class: 'history-entry', testid: 'helpdesk-approval-row', 'aria-labelledby': headingId,
    'data-approval-id': approval.id, 'data-action': approval.action, 'data-status': approval.status, 'data-mine': String(approval.mine),
  },
  h('h3', { id: headingId, class: 'history-title' }, h('span', { i18n: `helpdesk.action.${approval.action}` }), ' · ', h('span', {}, caller)),
  h('p', { class: 'history-meta' }, h('span', { i18n: 'helpdesk.approvals.askedBy', args: { agent: approval.requestedBy } }), ' · ', when(approval.createdAt)),
  h('dl', { class: 'facts facts-compact' },
    fact('helpdesk.history.col.reason', approval.reason ?? '—'),
    approval.ticket ? fact('helpdesk.history.col.ticket', approval.ticket) : null,
    fact('helpdesk.history.col.verified', approval.verifiedBy ?? '—'),
    approval.methodId ? fact('helpdesk.history.col.method', h('code', { class: 'selectable' }, approval.methodId)) : null,
    fact('helpdesk.history.col.caller', h('code', { class: 'selectable' }, approval.callerId)),
    fact('helpdesk.approvals.expires', when(approval.expiresAt))),
  banner.el,
  foot);
  return card;
}

export function helpdeskApprovalsScreen() {
  const headingId = uid('h');
  const banner = errorBanner();
  const area = h('div', { testid: 'helpdesk-approvals-area', 'aria-busy': 'true' });
  const refresh = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-approvals-refresh', i18n: 'helpdesk.approvals.refresh' });

  async function load() {
    banner.clear();
    area.setAttribute('aria-busy', 'true');
    try {
      const list = await withBusy(refresh, null, () => helpdeskCall(() => api.helpdeskApprovals()));
      // Theirs last: what the agent can act on comes first.
      const ordered = [...list.filter((a) => !a.mine), ...list.filter((a) => a.mine)];
      area.replaceChildren(...present(ordered.length
        ? h('ol', { class: 'history-list', testid: 'helpdesk-approvals' }, ordered.map((a) => approvalCard(a, endIfHelpdeskEnded)))
        : h('p', { class: 'callout', testid: 'helpdesk-approvals-empty', i18n: 'helpdesk.approvals.empty' })));
    } catch (err) {
      if (!endIfHelpdeskEnded(err)) banner.show(err);
    } finally {
      area.setAttribute('aria-busy', 'false');
    }
  }
  refresh.addEventListener('click', load);
  load();

  const el = screenRoot('helpdesk-approvals', { 'aria-labelledby': headingId },
    helpdeskToolbar('helpdesk-approvals'),
    h('h1', { id: headingId, i18n: 'helpdesk.approvals.title' }),
    h('p', { i18n: 'helpdesk.approvals.intro' }),
    h('div', { class: 'actions' }, refresh),
    banner.el,
    area);
  return { el };
}
