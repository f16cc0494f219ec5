// Who a caller's account is, as facts the agent compares with what the caller says.
import { h } from './dom.js';

const when = (epoch) => (epoch ? { i18n: 'print.date', args: { date: { date: epoch } } } : { i18n: 'helpdesk.caller.never' });

export function callerFacts(user, { compact = false } = {}) {
  const row = (key, value, testid) => [h('dt', { i18n: key }), h('dd', { testid }, value)];
  const email = user.email
    ? [user.email, ' ', h('span', {
      class: `tag ${user.emailVerified ? '' : 'tag-warning'}`.trim(), testid: 'helpdesk-email-verified',
      'data-verified': String(Boolean(user.emailVerified)),
      i18n: user.emailVerified ? 'helpdesk.caller.emailVerified' : 'helpdesk.caller.emailUnverified',
    })]
    : h('span', { i18n: 'helpdesk.caller.noEmail' });
  const dates = [
    ...row('helpdesk.caller.created', h('span', when(user.createdAt)), 'helpdesk-created'),
    ...row('helpdesk.caller.lastLogin', h('span', when(user.lastLogin)), 'helpdesk-last-login'),
  ];
  return h('dl', { class: compact ? 'facts facts-compact' : 'facts', testid: compact ? null : 'helpdesk-identity' },
    compact ? null : row('helpdesk.caller.name', user.name ?? '—', 'helpdesk-name'),
    row('helpdesk.caller.email', email, 'helpdesk-email'),
    row('helpdesk.caller.connection', user.connection ?? '—', 'helpdesk-connection'),
    dates,
    compact ? null : row('helpdesk.caller.userId', h('code', { class: 'selectable' }, user.userId), 'helpdesk-user-id'),
    user.blocked ? row('helpdesk.caller.status', h('span', { class: 'warning-text', i18n: 'helpdesk.caller.blocked' }), 'helpdesk-blocked') : null);
}
