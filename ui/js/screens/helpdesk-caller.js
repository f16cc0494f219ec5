// The caller: who they are, their methods and where that leaves them, how the agent verified
// them, and what the agent may do. Actions stay disabled, with the reason on screen, until
// the verification is recorded (Rust refuses them too). After an action the list is read
// again and the agent gets the words to tell the caller what to do next.
import { h, present, uid } from '../dom.js';
import { bind, getLocale, has, t } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { helpdeskConfirm } from '../widgets/helpdesk-confirm.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { endIfHelpdeskEnded, noteActivity } from '../helpdesk-mode.js';
import { callerFacts } from '../helpdesk-caller-facts.js';
import { methodBadge, methodList, methodText } from '../helpdesk-labels.js';
import { verifyCallerForm } from '../widgets/helpdesk-verify.js';

// "Text message, Phone call": the MFA API channels a phone method carries, in words.
const channelNames = (channels) => channels.map((c) => (has(`kind.${c}`) ? t(`kind.${c}`) : c)).join(', ');

// The order actions are offered in: the short-lived, non-weakening ones first.
const ACTIONS = ['issue_recovery_code', 'send_enrollment_ticket', 'forget_browsers', 'reset_all'];

export function helpdeskCallerScreen({ userId, caller: given = null, outcome = null }) {
  const headingId = uid('h');
  const banner = errorBanner();
  const host = h('div', { class: 'caller-host', 'aria-busy': 'true' });
  const heading = h('h1', { id: headingId, i18n: 'helpdesk.caller.title' });
  let caller = null;

  const ended = (err, closeDialog) => {
    if (!endIfHelpdeskEnded(err)) return false;
    closeDialog?.();
    return true;
  };

  async function load() {
    host.setAttribute('aria-busy', 'true');
    try {
      render(await api.helpdeskOpenCaller(userId));
    } catch (err) {
      host.setAttribute('aria-busy', 'false');
      if (!ended(err)) banner.show(err);
    }
  }

  const capability = (action) => caller.capabilities.find((c) => c.action === action) ?? { missingScopes: [] };
  const who = () => caller.user.email ?? caller.user.userId;

  // ---- what happened last --------------------------------------------------------------
  function outcomePanel(result) {
    if (!result) return null;
    return h('section', { class: 'notice outcome', role: 'status', tabindex: '-1', testid: 'helpdesk-outcome', 'data-action': result.action, 'data-next-step': result.nextStep },
      h('p', { class: 'with-icon' }, icon('check'), h('strong', { i18n: `helpdesk.done.${result.action}`, args: { email: who() } })),
      h('h2', { class: 'outcome-heading', i18n: 'helpdesk.next.heading' }),
      h('p', { class: 'next-step', testid: 'helpdesk-next-step', i18n: `helpdesk.next.${result.nextStep}` }),
      result.methodsStale ? h('p', { class: 'warning-text', testid: 'helpdesk-methods-stale', i18n: 'helpdesk.caller.methodsStale' }) : null,
      result.auditWritten ? null : h('p', { class: 'warning-text', testid: 'helpdesk-audit-failed', i18n: 'helpdesk.caller.auditFailed' }));
  }

  // ---- where the caller stands ---------------------------------------------------------
  function standingCallout() {
    const standing = caller.standing;
    const attrs = { testid: 'helpdesk-standing', 'data-standing': standing };
    if (standing === 'only_recovery_code') {
      return h('div', { class: 'warning', ...attrs },
        h('p', { class: 'with-icon' }, icon('warning'), h('strong', { i18n: 'helpdesk.standing.trapTitle' })),
        h('p', { i18n: 'helpdesk.standing.trapBody' }));
    }
    if (standing === 'no_methods') {
      return h('div', { class: 'callout', ...attrs }, h('p', { i18n: 'helpdesk.standing.none' }));
    }
    return h('div', { class: 'callout', ...attrs },
      h('p', { class: 'with-icon' }, icon('info'), h('strong', { i18n: 'helpdesk.standing.holdsTitle' })),
      methodList(caller.heldFactors),
      h('p', { i18n: 'helpdesk.standing.holdsBody' }));
  }

  // ---- methods ------------------------------------------------------------------------
  function methodRow(method, verified) {
    const scope = capability('remove_method');
    const removable = verified && scope.missingScopes.length === 0;
    const when = (epoch, key) => h('span', { class: 'hint' },
      h('span', { i18n: key }), ' ',
      epoch ? h('span', { i18n: 'print.date', args: { date: { date: epoch } } }) : h('span', { i18n: 'helpdesk.caller.never' }));
    return h('li', { class: 'method-row helpdesk-method', testid: 'helpdesk-method', 'data-kind': method.kind, 'data-id': method.id },
      h('span', {}, methodBadge(method.kind), method.detail ? h('span', { class: 'method-name', testid: 'helpdesk-method-detail' }, ` ${method.detail}`) : null),
      h('span', { class: 'method-dates' }, when(method.createdAt, 'helpdesk.method.created'), h('br', {}), when(method.lastUsedAt, 'helpdesk.method.lastUsed')),
      h('span', { class: `status ${method.confirmed ? 'status-active' : 'status-pending'}` },
        icon(method.confirmed ? 'check' : 'pending'),
        h('span', { i18n: method.confirmed ? 'helpdesk.method.confirmed' : 'helpdesk.method.unconfirmed' })),
      h('button', {
        type: 'button', class: 'secondary small', testid: 'helpdesk-remove', 'data-id': method.id,
        disabled: !removable, 'aria-describedby': removable ? null : (verified ? 'hd-scope-remove_method' : 'hd-actions-blocked'),
        i18n: 'helpdesk.method.remove', i18nAttrs: { 'aria-label': 'helpdesk.method.removeLabel' }, args: { method: methodText(method) },
        onclick: () => onRemove(method),
      }));
  }

  // ---- actions ------------------------------------------------------------------------
  function scopeNote(action) {
    const missing = capability(action).missingScopes;
    if (!missing.length) return null;
    return h('p', { class: 'hint warning-text', id: `hd-scope-${action}`, testid: 'helpdesk-missing-scope', 'data-action': action },
      h('span', { i18n: 'helpdesk.actions.missingScope' }), ' ',
      ...missing.flatMap((scope, i) => [i ? ', ' : null, h('code', { class: 'selectable' }, scope)]));
  }

  function actionRow(action, verified) {
    const allowed = capability(action).missingScopes.length === 0;
    const button = h('button', {
      type: 'button', class: action === 'reset_all' ? 'danger' : 'secondary', testid: `helpdesk-action-${action}`,
      i18n: `helpdesk.action.${action}`, disabled: !(verified && allowed),
      'aria-describedby': `hd-desc-${action} ${allowed ? (verified ? '' : 'hd-actions-blocked') : `hd-scope-${action}`}`.trim(),
      onclick: () => onAction(action),
    });
    return h('li', { class: 'action-row' },
      button,
      h('p', { class: 'hint', id: `hd-desc-${action}`, i18n: `helpdesk.actionHint.${action}` }),
      scopeNote(action));
  }

  function render(view) {
    caller = view;
    noteActivity(view.idleExpiresAt);
    host.setAttribute('aria-busy', 'false');
    const verified = Boolean(caller.verification);
    bind(heading, 'helpdesk.caller.titleWho', { who: caller.user.name ?? who() });
    const methodsHeading = uid('h');
    const actionsHeading = uid('h');
    const anyScopeMissing = caller.capabilities.some((c) => c.missingScopes.length);
    host.replaceChildren(...present(
      outcomePanel(outcome),
      callerFacts(caller.user),
      standingCallout(),
      h('section', { class: 'panel', 'aria-labelledby': methodsHeading },
        h('h2', { id: methodsHeading, tabindex: '-1', i18n: 'helpdesk.caller.methodsTitle' }),
        h('ul', { class: 'method-list', testid: 'helpdesk-methods', 'aria-labelledby': methodsHeading },
          caller.methods.length
            ? caller.methods.map((m) => methodRow(m, verified))
            : h('li', { class: 'empty', i18n: 'helpdesk.caller.noMethods' })),
        scopeNote('remove_method')),
      verifyCallerForm({
        caller,
        onVerified: (next) => {
          outcome = null;
          render(next);
          announce('helpdesk.verify.recorded');
          // Keyboard users land where the now-enabled actions are.
          document.getElementById(actionsHeading)?.focus();
        },
        onEnded: ended,
        onChange: () => render({ ...caller, verification: null }),
      }),
      h('section', { class: 'panel', 'aria-labelledby': actionsHeading, testid: 'helpdesk-actions' },
        h('h2', { id: actionsHeading, tabindex: '-1', i18n: 'helpdesk.actions.title' }),
        verified ? null : h('p', { class: 'warning with-icon', id: 'hd-actions-blocked', testid: 'helpdesk-actions-blocked' },
          icon('warning'), h('span', { i18n: 'helpdesk.actions.blocked' })),
        anyScopeMissing ? h('p', { class: 'hint', testid: 'helpdesk-scope-summary', i18n: 'error.missing_scope' }) : null,
        h('ul', { class: 'action-list' }, ACTIONS.map((a) => actionRow(a, verified))))));
  }

  // ---- doing it -----------------------------------------------------------------------
  async function after(result) {
    if (!result) return;
    caller = result.caller;
    announce(`helpdesk.done.${result.action}`, { email: who() });
    if (result.recoveryCode) {
      go('export', {
        code: result.recoveryCode,
        context: 'helpdesk',
        next: () => go('helpdesk-caller', { userId, caller: result.caller, outcome: result }),
      });
      return;
    }
    outcome = result;
    render(result.caller);
    // The dialog is gone: focus (and the screen reader) moves to what happened and what to say.
    document.querySelector('[data-testid="helpdesk-outcome"]')?.focus();
  }

  async function onRemove(method) {
    const body = [
      h('p', { i18n: 'helpdesk.confirm.removeBody', args: { email: who() } }),
      method.channels.length > 1
        ? h('p', { testid: 'helpdesk-confirm-channels', i18n: 'helpdesk.confirm.removeChannels', args: { channels: channelNames(method.channels) } })
        : null,
      method.remaining.length
        ? h('div', { testid: 'helpdesk-confirm-siblings' }, h('p', { i18n: 'helpdesk.confirm.siblings' }), methodList(method.remaining))
        : null,
      method.afterRemoval === 'only_recovery_code'
        ? h('p', { class: 'warning-text', testid: 'helpdesk-confirm-trap', i18n: 'helpdesk.confirm.leavesTrap' })
        : null,
      method.afterRemoval === 'no_methods'
        ? h('p', { class: 'warning-text', testid: 'helpdesk-confirm-none', i18n: 'helpdesk.confirm.leavesNothing' })
        : null,
    ];
    const result = await helpdeskConfirm({
      title: 'helpdesk.confirm.removeTitle',
      titleArgs: { method: methodText(method), email: who() },
      body,
      confirmKey: 'helpdesk.method.remove',
      danger: true,
      run: () => api.helpdeskRemoveMethod(userId, method.id),
      onEnded: ended,
    });
    await after(result);
  }

  async function onAction(action) {
    const email = who();
    const dialogs = {
      issue_recovery_code: {
        body: [h('p', { i18n: 'helpdesk.confirm.issueBody', args: { email } })],
        run: () => api.helpdeskIssueRecoveryCode(userId),
      },
      send_enrollment_ticket: {
        body: [h('p', { i18n: 'helpdesk.confirm.ticketBody', args: { email } })],
        run: () => api.helpdeskSendEnrollment(userId, getLocale()),
      },
      forget_browsers: {
        body: [h('p', { i18n: 'helpdesk.confirm.browsersBody', args: { email } })],
        run: () => api.helpdeskForgetBrowsers(userId),
      },
      reset_all: {
        body: [
          h('p', { i18n: 'helpdesk.confirm.resetBody', args: { email } }),
          caller.methods.length ? methodList(caller.methods) : null,
          h('p', { class: 'warning-text', i18n: 'helpdesk.confirm.resetAfter' }),
        ],
        typed: { expected: email, labelKey: 'helpdesk.confirm.resetType' },
        danger: true,
        run: (typed) => api.helpdeskReset(userId, typed),
      },
    };
    const spec = dialogs[action];
    const result = await helpdeskConfirm({
      title: `helpdesk.confirm.${action}Title`,
      titleArgs: { email },
      confirmKey: `helpdesk.action.${action}`,
      ...spec,
      onEnded: ended,
    });
    await after(result);
  }

  if (given) render(given);
  else load();

  const el = screenRoot('helpdesk-caller', { 'aria-labelledby': headingId },
    helpdeskToolbar(null),
    heading,
    banner.el,
    host);
  return { el };
}
