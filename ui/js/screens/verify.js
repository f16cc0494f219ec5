// Verification at sign-in: pick any active method (last used first), answer
// its challenge, or fall back to another method or the recovery code.
import { focusFirstHeading, h, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { goHome } from '../after-signin.js';
import { api } from '../api.js';
import { session } from '../state.js';
import { lastMethodId, storeLastMethodId } from '../prefs.js';
import { errorBanner } from '../widgets/error-banner.js';
import { codeChallenge } from '../widgets/code-challenge.js';
import { pushWaiter } from '../widgets/push-wait.js';
import { kindBadge } from '../kinds.js';
import { helpdeskBlock } from '../helpdesk.js';
import { endIfSessionExpired } from '../session-expiry.js';

export function verifyScreen() {
  const headingId = uid('h');
  const banner = errorBanner();
  const host = h('div', { class: 'step-host' });
  let stepCleanup = null;

  function showStep(stepEl, cleanup = null) {
    stepCleanup?.();
    stepCleanup = cleanup;
    host.replaceChildren(stepEl);
    focusFirstHeading(stepEl);
  }

  // Left out when the tenant's rules do not let the recovery code verify this sign-in.
  const recoveryButton = () => (session.recoveryAllowed ? h('button', {
    type: 'button', class: 'link-button', testid: 'use-recovery', i18n: 'verify.useRecovery', onclick: () => go('recover'),
  }) : null);

  function finish(authenticatorId, methods) {
    storeLastMethodId(authenticatorId);
    session.authenticators = methods.authenticators;
    goHome({ methods });
  }

  function methodButton(authenticator, isLast) {
    return h('li', {},
      h('button', {
        type: 'button', class: 'choice', testid: 'verify-method', 'data-id': authenticator.id, 'data-kind': authenticator.kind,
        onclick: (event) => startChallenge(authenticator, event.currentTarget),
      },
      kindBadge(authenticator.kind),
      h('span', { class: 'method-name' }, authenticator.name ?? ''),
      isLast ? h('span', { class: 'tag', i18n: 'verify.lastUsed' }) : null));
  }

  function showPicker() {
    banner.clear();
    const methods = session.authenticators.filter((a) => a.usable);
    const remembered = lastMethodId();
    methods.sort((a, b) => (b.id === remembered) - (a.id === remembered));
    const step = h('div', { class: 'step', testid: 'verify-step-pick' },
      h('h2', { i18n: 'verify.chooseTitle' }),
      methods.length
        ? h('ul', { class: 'choices', testid: 'verify-methods' }, methods.map((a) => methodButton(a, a.id === remembered)))
        : [h('p', { i18n: 'verify.noMethods' }), helpdeskBlock()],
      h('div', { class: 'actions' }, recoveryButton()));
    showStep(step);
  }

  async function startChallenge(authenticator, trigger) {
    banner.clear();
    let start;
    try {
      start = await withBusy(trigger, null, () => api.verifyStart(authenticator.id), host);
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err, { lockButtons: [trigger] });
      return;
    }
    banner.clear();
    const footer = h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'link-button', testid: 'try-another', i18n: 'verify.tryAnother', onclick: showPicker }),
      recoveryButton());

    if (start.kind === 'push') {
      const waiter = pushWaiter({
        qr: null,
        messageKey: 'push.verifyIntro',
        args: { to: start.sentTo ?? authenticator.name ?? { t: 'push.yourPhone' } },
        banner,
        onApproved: (result) => finish(authenticator.id, result),
        onRetry: (event) => startChallenge(authenticator, event.currentTarget),
        onCancel: showPicker,
      });
      showStep(h('div', { class: 'step', testid: 'verify-step-push' }, h('h2', { i18n: 'push.verifyTitle' }), waiter.el, footer), waiter.cleanup);
      return;
    }

    // SMS and voice for the same phone are separate authenticators; switching
    // channel means resending through the sibling's id.
    const sibling = session.authenticators.find((a) => a.id === authenticator.phoneTwin) ?? null;
    let currentId = authenticator.id;
    const challenge = codeChallenge({
      start,
      banner,
      submit: async (code) => finish(currentId, await api.verifyConfirm(code)),
      resend: () => api.verifyResend(currentId),
      switchTo: sibling
        ? async (kind) => {
          const id = kind === authenticator.kind ? authenticator.id : sibling.id;
          const result = await api.verifyResend(id);
          currentId = id;
          return result;
        }
        : null,
    });
    showStep(h('div', { class: 'step', testid: 'verify-step-code' },
      h('h2', { i18n: start.kind === 'otp' ? 'verify.otpTitle' : 'code.title' }),
      challenge.el,
      footer), challenge.stop);
  }

  showPicker();
  const el = screenRoot('verify', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'verify.title' }),
    h('p', { i18n: 'verify.intro', args: { account: session.account ?? '' } }),
    banner.el,
    host);
  return { el, cleanup: () => stepCleanup?.() };
}
