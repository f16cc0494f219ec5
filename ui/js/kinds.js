// Everything the UI says about an authenticator kind, in one place.
import { h } from './dom.js';
import { icon } from './icons.js';

export const ENROLL_ORDER = ['otp', 'push', 'sms', 'voice', 'email'];
export const STRONG_KINDS = new Set(['otp', 'push']);

export const kindKey = (kind) => `kind.${kind}`;

// "Text message (SMS) · XXXXXXXX0123"
export function methodLabel(authenticator) {
  return authenticator.name
    ? { t: 'method.labelWithName', args: { kind: { t: kindKey(authenticator.kind) }, name: authenticator.name } }
    : { t: kindKey(authenticator.kind) };
}

export function kindBadge(kind) {
  return h('span', { class: 'kind' }, icon(kind), h('span', { class: 'kind-name', i18n: kindKey(kind) }));
}

// What else Auth0 deletes when this authenticator is removed.
export function cascadeKey(kind) {
  if (kind === 'sms' || kind === 'voice') return 'remove.cascadePhone';
  if (kind === 'push') return 'remove.cascadePush';
  if (kind === 'otp') return 'remove.cascadeOtp';
  return null;
}

// The SMS/voice twin for the same phone, for "Call me instead"/"Text me instead".
export function phoneSibling(authenticator, list) {
  const other = authenticator.kind === 'sms' ? 'voice' : authenticator.kind === 'voice' ? 'sms' : null;
  if (!other) return null;
  return list.find((a) => a.kind === other && a.active && a.name === authenticator.name) ?? null;
}
