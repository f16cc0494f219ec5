// Browser sign-in (IT's sign_in: "browser"): the sign-in screen offers "Continue in your
// browser" instead of the password form (signin.js); the waiting screen here shows how long
// the app waits, with Cancel; then the usual screens. Rust opens the browser and receives
// the answer.
import { h, uid } from '../dom.js';
import { bind } from '../i18n.js';
import { callbackTexts } from '../browser-texts.js';
import { go, screenRoot } from '../router.js';
import { goHome } from '../after-signin.js';
import { api } from '../api.js';
import { keepSignIn } from '../state.js';
import { errorBanner, errorKey } from '../widgets/error-banner.js';
import { countdown } from '../widgets/countdown.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';

// Where a browser sign-in goes once Rust has the session (helpdesk mode, for an agent).
function signedIn(view) {
  keepSignIn(view);
  if (view.next === 'enroll') go('enroll', { first: true });
  else goHome({ methods: view });
}

/**
 * The "continue in your browser" screen.
 * hintKey: an extra instruction for the hosted page (the lost-device path asks for the
 *          recovery code there); next(view): where to go once signed in (default: home).
 */
export function browserWaitScreen({ hintKey = null, next = signedIn, back = () => go('signin') } = {}) {
  const headingId = uid('h');
  const banner = errorBanner();
  let alive = true;
  let waiting = false;
  let clock = null;

  const noticeText = h('span', {});
  const notice = h('p', { class: 'warning with-icon', testid: 'browser-notice', role: 'status', hidden: true },
    icon('warning'), noticeText);
  const timer = h('div', { testid: 'browser-deadline' });
  const cancel = h('button', { type: 'button', class: 'secondary', testid: 'browser-cancel', i18n: 'common.cancel' });
  const waitingBlock = h('div', { class: 'waiting', testid: 'browser-waiting', 'aria-busy': 'true' },
    h('progress', { 'aria-labelledby': headingId }),
    timer,
    h('div', { class: 'actions' }, cancel));
  const outcome = h('div', { class: 'outcome stack', testid: 'browser-outcome', hidden: true });

  function stopWaiting() {
    waiting = false;
    clock?.stop();
    waitingBlock.hidden = true;
  }

  function fail(err) {
    stopWaiting();
    notice.hidden = true;
    banner.show(err);
    outcome.dataset.outcome = err.code;
    const retry = h('button', { type: 'button', class: 'primary', testid: 'browser-retry', i18n: 'browser.retry', onclick: begin });
    outcome.replaceChildren(h('div', { class: 'actions' },
      retry,
      h('button', { type: 'button', class: 'link-button', testid: 'browser-back', i18n: 'browser.back', onclick: back })));
    outcome.hidden = false;
    retry.focus();
  }

  async function waitForAnswer() {
    while (alive) {
      const result = await api.browserSignInWait();
      if (!alive) return;
      if (result.status === 'signedIn') {
        stopWaiting();
        announce('browser.signedIn');
        next(result);
        return;
      }
      if (result.status === 'restarted') {
        // The tenant has no My Account API for MFA Desk: Rust opened the sign-in again (MFA
        // API) in a new tab, with a new deadline.
        clock?.stop();
        clock = countdown({ until: result.expiresAt, key: 'browser.waitingFor', purpose: 'browser-expiry' });
        timer.replaceChildren(clock.el);
        bind(noticeText, 'browser.restarted');
        notice.dataset.code = result.code;
        notice.hidden = false;
        announce('browser.restarted');
        continue;
      }
      // A callback for another sign-in was refused; the real one may still come.
      bind(noticeText, errorKey(result.code));
      notice.dataset.code = result.code;
      notice.hidden = false;
    }
  }

  async function begin() {
    banner.clear();
    outcome.hidden = true;
    notice.hidden = true;
    waitingBlock.hidden = false;
    waiting = true;
    try {
      const started = await api.browserSignInStart(callbackTexts());
      if (!alive) return;
      clock?.stop();
      clock = countdown({ until: started.expiresAt, key: 'browser.waitingFor', purpose: 'browser-expiry' });
      timer.replaceChildren(clock.el);
      announce('browser.opened');
      await waitForAnswer();
    } catch (err) {
      if (!alive) return;
      fail(err);
    }
  }

  cancel.addEventListener('click', async () => {
    alive = false;
    stopWaiting();
    await api.browserSignInCancel().catch(() => {});
    back();
  });

  const el = screenRoot('browser-wait', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'browser.waitTitle' }),
    h('p', { i18n: 'browser.waitBody' }),
    hintKey ? h('p', { class: 'callout with-icon', testid: 'browser-hint' }, icon('info'), h('span', { i18n: hintKey })) : null,
    notice,
    banner.el,
    waitingBlock,
    outcome);
  begin();
  return {
    el,
    cleanup() {
      const wasWaiting = waiting;
      alive = false;
      clock?.stop();
      if (wasWaiting) api.browserSignInCancel().catch(() => {});
    },
  };
}
