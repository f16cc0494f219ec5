// The helpdesk agent's own sign-in, in the system browser: a fresh sign-in with MFA for the
// helpdesk API every time (Rust asks for it). Start, wait with how long and Cancel, then the
// agent's session. Used by helpdesk mode's entry screen and by the "sign in again" dialog.
import { h, lock, unlock } from '../dom.js';
import { bind } from '../i18n.js';
import { api } from '../api.js';
import { callbackTexts } from '../browser-texts.js';
import { errorBanner, errorKey } from './error-banner.js';
import { countdown } from './countdown.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';

/**
 * startKey/startTestid: the button that opens the browser; onSignedIn(sessionView): the agent
 * is in; onCancel(): they stopped waiting.
 */
export function agentSignIn({ startKey, startTestid, onSignedIn, onCancel = () => {} }) {
  const banner = errorBanner({ testid: 'helpdesk-signin-error' });
  const start = h('button', { type: 'button', class: 'primary', testid: startTestid, i18n: startKey });
  const cancel = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-signin-cancel', i18n: 'common.cancel' });
  const timer = h('div', { testid: 'helpdesk-signin-deadline' });
  const noticeText = h('span', {});
  const notice = h('p', { class: 'warning with-icon', role: 'status', testid: 'helpdesk-signin-notice', hidden: true },
    icon('warning'), noticeText);
  const waiting = h('div', { class: 'waiting', testid: 'helpdesk-signin-waiting', 'aria-busy': 'true', hidden: true },
    h('p', { i18n: 'helpdesk.signin.waiting' }),
    h('progress', {}),
    timer,
    h('div', { class: 'actions' }, cancel));
  const startRow = h('div', { class: 'actions' }, start);
  let attempt = 0;
  let clock = null;

  function stopWaiting() {
    clock?.stop();
    clock = null;
    waiting.hidden = true;
    startRow.hidden = false;
    unlock(start, 'busy');
  }

  async function begin() {
    const mine = ++attempt;
    banner.clear();
    notice.hidden = true;
    lock(start, 'busy');
    startRow.hidden = true;
    waiting.hidden = false;
    try {
      const started = await api.helpdeskAgentSignInStart(callbackTexts());
      if (mine !== attempt) return;
      clock = countdown({ until: started.expiresAt, key: 'browser.waitingFor', purpose: 'helpdesk-signin-expiry' });
      timer.replaceChildren(clock.el);
      announce('browser.opened');
      for (;;) {
        const result = await api.helpdeskAgentSignInWait();
        if (mine !== attempt) return;
        if (result.status === 'signedIn') {
          stopWaiting();
          announce('helpdesk.signin.done');
          onSignedIn(result);
          return;
        }
        // A callback for another sign-in was refused; the real one may still come.
        bind(noticeText, errorKey(result.code));
        notice.dataset.code = result.code;
        notice.hidden = false;
      }
    } catch (err) {
      if (mine !== attempt) return;
      stopWaiting();
      bind(start, 'browser.retry');
      banner.show(err);
      start.focus();
    }
  }

  // Stops waiting here and in Rust (the browser's answer, if it still comes, is refused).
  function stop() {
    const wasWaiting = !waiting.hidden;
    attempt += 1;
    stopWaiting();
    if (wasWaiting) api.browserSignInCancel().catch(() => {});
  }

  start.addEventListener('click', begin);
  cancel.addEventListener('click', () => {
    stop();
    onCancel();
    start.focus();
  });

  const el = h('div', { class: 'stack', testid: 'helpdesk-signin' }, banner.el, notice, startRow, waiting);
  return { el, begin, stop, focus: () => start.focus() };
}
