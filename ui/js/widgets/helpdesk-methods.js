// The caller's sign-in methods, each with when it was added and last used, and Remove (with
// what the removal takes with it: a phone's other channels, and where it leaves the caller).
import { h, uid } from '../dom.js';
import { has, t } from '../i18n.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { methodBadge, methodList, methodText } from '../helpdesk-labels.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { helpdeskConfirm } from './helpdesk-confirm.js';
import { actionNotes, approvalNotice, canDo, whyNot } from './helpdesk-actions.js';

// "Text message, Phone call": the MFA API channels a phone method carries, in words.
export const channelNames = (channels) => channels.map((c) => (has(`kind.${c}`) ? t(`kind.${c}`) : c)).join(', ');

const when = (epoch, key) => h('span', { class: 'hint' },
  h('span', { i18n: key }), ' ',
  epoch ? h('span', { i18n: 'print.date', args: { date: { date: epoch } } }) : h('span', { i18n: 'helpdesk.caller.never' }));

function methodRow(caller, method, onRemove) {
  return h('li', { class: 'method-row helpdesk-method', testid: 'helpdesk-method', 'data-kind': method.kind, 'data-id': method.id },
    h('span', {}, methodBadge(method.kind), method.detail ? h('span', { class: 'method-name', testid: 'helpdesk-method-detail' }, ` ${method.detail}`) : null),
    h('span', { class: 'method-dates' }, when(method.createdAt, 'helpdesk.method.created'), h('br', {}), when(method.lastUsedAt, 'helpdesk.method.lastUsed')),
    h('span', { class: `status ${method.confirmed ? 'status-active' : 'status-pending'}` },
      icon(method.confirmed ? 'check' : 'pending'),
      h('span', { i18n: method.confirmed ? 'helpdesk.method.confirmed' : 'helpdesk.method.unconfirmed' })),
    h('button', {
      type: 'button', class: 'secondary small', testid: 'helpdesk-remove', 'data-id': method.id,
      disabled: !canDo(caller, 'remove_method'), 'aria-describedby': whyNot(caller, 'remove_method') || null,
      i18n: 'helpdesk.method.remove', i18nAttrs: { 'aria-label': 'helpdesk.method.removeLabel' }, args: { method: methodText(method) },
      onclick: () => onRemove(method),
    }));
}

/** What removing `method` takes with it, in words (the confirmation and the playbook). */
export function removalConsequences(method) {
  return [
    method.channels?.length > 1
      ? h('p', { testid: 'helpdesk-confirm-channels', i18n: 'helpdesk.confirm.removeChannels', args: { channels: channelNames(method.channels) } })
      : null,
    method.remaining?.length
      ? h('div', { testid: 'helpdesk-confirm-siblings' }, h('p', { i18n: 'helpdesk.confirm.siblings' }), methodList(method.remaining))
      : null,
    method.afterRemoval === 'only_recovery_code'
      ? h('p', { class: 'warning-text', testid: 'helpdesk-confirm-trap', i18n: 'helpdesk.confirm.leavesTrap' })
      : null,
    method.afterRemoval === 'no_methods'
      ? h('p', { class: 'warning-text', testid: 'helpdesk-confirm-none', i18n: 'helpdesk.confirm.leavesNothing' })
      : null,
  ];
}

/** The panel; onOutcome(result) gets what a removal came to. */
export function methodsPanel({ caller, onOutcome, onEnded }) {
  const headingId = uid('h');
  const who = caller.user.email ?? caller.user.userId;

  async function onRemove(method) {
    const result = await helpdeskConfirm({
      title: 'helpdesk.confirm.removeTitle',
      titleArgs: { method: methodText(method), email: who },
      body: [
        h('p', { i18n: 'helpdesk.confirm.removeBody', args: { email: who } }),
        ...removalConsequences(method),
        approvalNotice(caller, 'remove_method'),
      ],
      confirmKey: 'helpdesk.method.remove',
      danger: true,
      run: () => helpdeskCall(() => api.helpdeskRemoveMethod(caller.user.userId, method.id)),
      onEnded,
    });
    if (result) onOutcome(result);
  }

  return h('section', { class: 'panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId, tabindex: '-1', i18n: 'helpdesk.caller.methodsTitle' }),
    h('ul', { class: 'method-list', testid: 'helpdesk-methods', 'aria-labelledby': headingId },
      caller.methods.length
        ? caller.methods.map((m) => methodRow(caller, m, onRemove))
        : h('li', { class: 'empty', i18n: 'helpdesk.caller.noMethods' })),
    actionNotes(caller, 'remove_method'));
}
