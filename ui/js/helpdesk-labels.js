// How helpdesk screens name a caller's methods (Management API types) and the agent's actions.
import { h } from './dom.js';
import { icon } from './icons.js';

const ICONS = { totp: 'otp', phone: 'sms', push: 'push', email: 'email', 'recovery-code': 'recovery-code' };
const KNOWN = new Set([
  'totp', 'phone', 'push', 'email', 'recovery-code', 'webauthn-roaming', 'webauthn-platform',
  'passkey', 'guardian', 'email-verification', 'password',
]);

export const methodKindKey = (kind) => (KNOWN.has(kind) ? `helpdesk.kind.${kind}` : 'helpdesk.kind.other');

/** "Phone (XXXXXXXX0188)" as a translatable argument. */
export function methodText(method) {
  const kind = KNOWN.has(method.kind) ? { t: methodKindKey(method.kind) } : method.kind;
  return method.detail ? { t: 'method.labelWithName', args: { kind, name: method.detail } } : kind;
}

export function methodBadge(kind) {
  return h('span', { class: 'kind' }, icon(ICONS[kind] ?? 'info'),
    KNOWN.has(kind) ? h('span', { class: 'kind-name', i18n: methodKindKey(kind) }) : h('span', { class: 'kind-name' }, kind));
}

/** A list of methods in words: "Authenticator app, Recovery code". */
export function methodList(methods) {
  return h('ul', { class: 'plain-list' }, methods.map((m) => h('li', {}, methodBadge(m.kind), m.detail ? h('span', { class: 'method-name' }, ` ${m.detail}`) : null)));
}
