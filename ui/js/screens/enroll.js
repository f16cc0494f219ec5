// Enrollment wizard: choose a kind, then hand over to that kind's steps.
import { focusFirstHeading, h, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { goHome } from '../after-signin.js';
import { enrollableKinds, session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { ENROLL_ORDER, STRONG_KINDS, kindKey } from '../kinds.js';
import { icon } from '../icons.js';
import { helpdeskBlock } from '../helpdesk.js';
import { endIfSessionExpired } from '../session-expiry.js';
import { otpSteps } from './enroll-otp.js';
import { phoneSteps } from './enroll-phone.js';
import { emailSteps } from './enroll-email.js';
import { pushSteps } from './enroll-push.js';
import { securityKeySteps } from './security-key.js';
import { api } from '../api.js';

const STEPS = {
  otp: otpSteps, sms: phoneSteps, voice: phoneSteps, email: emailSteps, push: pushSteps, passkey: securityKeySteps,
};

// first: the person's first method (a second one is offered afterwards).
// next(result) / onCancel(): where a guided flow (the lost-device path) continues.
export function enrollScreen({ first = false, next = null, onCancel = null } = {}) {
  const headingId = uid('h');
  const banner = errorBanner();
  const host = h('div', { class: 'step-host' });
  const allowed = ENROLL_ORDER.filter((kind) => enrollableKinds().includes(kind));
  let stepCleanup = null;

  function showStep(stepEl, cleanup = null) {
    stepCleanup?.();
    stepCleanup = cleanup;
    banner.clear();
    host.replaceChildren(stepEl);
    focusFirstHeading(stepEl);
  }

  function done(result) {
    session.authenticators = result.authenticators ?? session.authenticators;
    const after = next
      ? () => next(result)
      : () => goHome({ methods: result, notice: 'home.enrolled', offerSecond: first });
    if (result.recoveryCode) go('export', { code: result.recoveryCode, context: 'enrollment', next: after });
    else after();
  }

  // Shared by the per-kind step modules.
  const ctx = {
    banner,
    showStep,
    done,
    allowed,
    fail(err, options) {
      if (!endIfSessionExpired(err)) banner.show(err, options);
    },
    busy: (button, key, work) => withBusy(button, key, work, host),
    showKinds: () => showKinds(),
    backButton: () => h('button', {
      type: 'button', class: 'link-button', testid: 'enroll-back', i18n: 'enroll.back', onclick: showKinds,
    }),
  };

  function kindButton(kind) {
    return h('li', {},
      h('button', {
        type: 'button', class: 'choice', testid: `enroll-kind-${kind}`, 'data-kind': kind,
        onclick: (event) => STEPS[kind](ctx, kind, event.currentTarget),
      },
      icon(kind),
      h('span', { class: 'choice-text' },
        h('span', { class: 'choice-title' },
          h('span', { i18n: kindKey(kind) }),
          STRONG_KINDS.has(kind) ? h('span', { class: 'tag', i18n: 'enroll.recommended' }) : null),
        h('span', { class: 'choice-desc', i18n: `enroll.kindDesc.${kind}` }))));
  }

  // A security key or passkey is offered only where Rust says so (My Account mode, the
  // tenant's factors list passkey): asked once, added to the list when the answer comes.
  // Not offered when the question fails: nothing else depends on it.
  api.securityKeyOffered().then((yes) => {
    if (yes && !allowed.includes('passkey')) {
      allowed.push('passkey');
      if (host.querySelector('[data-testid="enroll-step-kind"]')) showKinds();
    }
  }, () => {});

  function showKinds() {
    const headingKey = 'enroll.chooseTitle';
    const step = allowed.length
      ? h('div', { class: 'step', testid: 'enroll-step-kind' },
        h('h2', { i18n: headingKey }),
        h('ul', { class: 'choices', testid: 'enroll-kinds' }, allowed.map(kindButton)))
      : h('div', { class: 'step', testid: 'enroll-step-kind' },
        h('h2', { i18n: headingKey }),
        h('p', { i18n: 'enroll.noneAllowed' }),
        helpdeskBlock());
    showStep(step);
  }

  const cancel = first ? null : h('button', {
    type: 'button', class: 'secondary', testid: 'enroll-cancel', i18n: 'common.cancel', onclick: onCancel ?? (() => go('home')),
  });

  const el = screenRoot('enroll', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: first ? 'enroll.titleFirst' : 'enroll.title' }),
    h('p', { i18n: first ? 'enroll.introFirst' : 'enroll.intro' }),
    banner.el,
    host,
    cancel ? h('div', { class: 'actions footer-actions' }, cancel) : null);

  showKinds();
  // The router focuses the h1 after this returns; the kind list follows it.
  return { el, cleanup: () => stepCleanup?.() };
}
