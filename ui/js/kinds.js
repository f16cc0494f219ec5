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

// The message for what Auth0 deletes along with an authenticator (the core says which).
const CASCADE_KEYS = { phone: 'remove.cascadePhone', push: 'remove.cascadePush', otp: 'remove.cascadeOtp' };
export const cascadeKey = (cascade) => CASCADE_KEYS[cascade] ?? null;
