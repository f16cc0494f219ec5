// What the agent may do for the caller, as the service says (`caller.actions`, in its order):
// each action disabled, with the reason on screen, until the caller is verified or when the
// agent's sign-in lacks the permission; a hint when another agent must approve it. The
// "Their phone was stolen" playbook leads the panel.
import { h } from '../dom.js';
import { getLocale } from '../i18n.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { methodList } from '../helpdesk-labels.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { helpdeskConfirm } from './helpdesk-confirm.js';

// The element saying why the actions wait for a verification (shown while unverified).
export const BLOCKED_ID = 'hd-actions-blocked';
const permissionNoteId = (action) => `hd-perm-${action}`;
const approvalNoteId = (action) => `hd-approval-${action}`;

export const actionOf = (caller, action) =>
  caller.actions.find((a) => a.action === action) ?? { action, allowed: false, missingPermission: null, needsApproval: false };

/** Why `action` cannot be done now, as ids for aria-describedby ('' when it can). */
export function whyNot(caller, action) {
  const view = actionOf(caller, action);
  return [
    caller.verification ? null : BLOCKED_ID,
    view.allowed ? null : permissionNoteId(action),
    view.needsApproval ? approvalNoteId(action) : null,
  ].filter(Boolean).join(' ');
}

export const canDo = (caller, action) => Boolean(caller.verification) && actionOf(caller, action).allowed;

/** "Your sign-in lacks helpdesk:reset" and "another agent must approve", under a control. */
export function actionNotes(caller, action) {
  const view = actionOf(caller, action);
  return [
    view.allowed ? null : h('p', {
      class: 'hint warning-text', id: permissionNoteId(action), testid: 'helpdesk-missing-scope', 'data-action': action,
    }, h('span', { i18n: 'helpdesk.actions.lacks' }), ' ', h('code', { class: 'selectable' }, view.missingPermission ?? '?')),
    view.needsApproval ? h('p', {
      class: 'hint', id: approvalNoteId(action), testid: 'helpdesk-needs-approval', 'data-action': action,
    }, h('span', { i18n: 'helpdesk.actions.needsApproval' }), ' ', h('code', {}, 'helpdesk:approve')) : null,
  ];
}

// The playbook needs every change it makes; its last step is either of two.
const PLAYBOOK_NEEDS = ['end_sessions', 'remove_method', 'forget_browsers'];

function playbookRow(caller, onPlaybook) {
  const lacking = PLAYBOOK_NEEDS.map((a) => actionOf(caller, a)).find((a) => !a.allowed)
    ?? (['issue_recovery_code', 'send_enrollment_ticket'].some((a) => actionOf(caller, a).allowed)
      ? null : actionOf(caller, 'issue_recovery_code'));
  const enabled = Boolean(caller.verification) && !lacking;
  const resuming = Boolean(caller.playbook);
  const describedBy = ['hd-desc-playbook', caller.verification ? null : BLOCKED_ID, lacking ? 'hd-perm-playbook' : null];
  return h('div', { class: 'playbook-entry callout', testid: 'helpdesk-playbook-entry' },
    h('button', {
      type: 'button', class: 'primary', testid: 'helpdesk-playbook-open', disabled: !enabled,
      'aria-describedby': describedBy.filter(Boolean).join(' '),
      i18n: resuming ? 'helpdesk.playbook.resume' : 'helpdesk.playbook.open',
      onclick: onPlaybook,
    }),
    h('p', { class: 'hint', id: 'hd-desc-playbook', i18n: resuming ? 'helpdesk.playbook.resumeHint' : 'helpdesk.playbook.openHint' }),
    lacking ? h('p', { class: 'hint warning-text', id: 'hd-perm-playbook', testid: 'helpdesk-playbook-lacks' },
      h('span', { i18n: 'helpdesk.actions.lacks' }), ' ', h('code', { class: 'selectable' }, lacking.missingPermission ?? '?')) : null);
}

function actionRow(caller, action, onAction) {
  const button = h('button', {
    type: 'button', class: action === 'reset' ? 'danger' : 'secondary', testid: `helpdesk-action-${action}`,
    i18n: `helpdesk.action.${action}`, disabled: !canDo(caller, action),
    'aria-describedby': `hd-desc-${action} ${whyNot(caller, action)}`.trim(),
    onclick: () => onAction(action),
  });
  return h('li', { class: 'action-row', 'data-action': action },
    button,
    h('p', { class: 'hint', id: `hd-desc-${action}`, i18n: `helpdesk.actionHint.${action}` }),
    actionNotes(caller, action));
}

/** The panel: onAction(action) opens its confirmation; onPlaybook() the guided flow. */
export function actionsPanel({ caller, headingId, onAction, onPlaybook }) {
  const shown = caller.actions
    .map((a) => a.action)
    .filter((a) => a !== 'remove_method' && (a !== 'unblock' || caller.blocked));
  return h('section', { class: 'panel', 'aria-labelledby': headingId, testid: 'helpdesk-actions' },
    h('h2', { id: headingId, tabindex: '-1', i18n: 'helpdesk.actions.title' }),
    caller.verification ? null : h('p', { class: 'warning with-icon', id: BLOCKED_ID, testid: 'helpdesk-actions-blocked' },
      icon('warning'), h('span', { i18n: 'helpdesk.actions.blocked' })),
    playbookRow(caller, onPlaybook),
    h('ul', { class: 'action-list' }, shown.map((a) => actionRow(caller, a, onAction))));
}

/** In a confirmation: the change waits for a second agent. */
export function approvalNotice(caller, action) {
  return actionOf(caller, action).needsApproval
    ? h('p', { class: 'callout', testid: 'helpdesk-confirm-approval', i18n: 'helpdesk.confirm.needsApproval' })
    : null;
}

/** The confirmation of one action, then the action; resolves with its outcome or null. */
export function confirmAction(caller, action, onEnded) {
  const userId = caller.user.userId;
  const email = caller.user.email ?? userId;
  const say = (key) => h('p', { i18n: key, args: { email } });
  const dialogs = {
    issue_recovery_code: { body: [say('helpdesk.confirm.issueBody')], run: () => api.helpdeskIssueRecoveryCode(userId) },
    send_enrollment_ticket: { body: [say('helpdesk.confirm.ticketBody')], run: () => api.helpdeskSendEnrollment(userId, getLocale()) },
    forget_browsers: { body: [say('helpdesk.confirm.browsersBody')], run: () => api.helpdeskForgetBrowsers(userId) },
    end_sessions: { body: [say('helpdesk.confirm.endSessionsBody')], run: () => api.helpdeskEndSessions(userId) },
    unblock: { body: [say('helpdesk.confirm.unblockBody')], run: () => api.helpdeskUnblock(userId) },
    reset: {
      body: [
        say('helpdesk.confirm.resetBody'),
        caller.methods.length ? methodList(caller.methods) : null,
        h('p', { class: 'warning-text', i18n: 'helpdesk.confirm.resetAfter' }),
      ],
      typed: { expected: email, labelKey: 'helpdesk.confirm.resetType' },
      danger: true,
      run: (typed) => api.helpdeskReset(userId, typed),
    },
  };
  const spec = dialogs[action];
  const approval = approvalNotice(caller, action);
  return helpdeskConfirm({
    title: `helpdesk.confirm.${action}Title`,
    titleArgs: { email },
    confirmKey: `helpdesk.action.${action}`,
    ...spec,
    body: [...spec.body, approval],
    run: (typed) => helpdeskCall(() => spec.run(typed)),
    onEnded,
  });
}
