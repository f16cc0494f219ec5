// Verify the caller by a push to their own phone (the service sends it through Auth0's
// CIBA): the agent reads the binding message aloud, the caller approves only if their phone
// shows the same words. Waiting, approved, denied, expired and "no push on this account"
// each say what to do next.
import { h, lock, present, uid, unlock } from '../dom.js';
import { bind } from '../i18n.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { errorBanner } from './error-banner.js';
import { countdown } from './countdown.js';
import { reasonHint } from './field-message.js';

/**
 * caller: CallerView; fields: { reason, ticket } (helpdeskField); onVerified(callerView|null);
 * onEnded(err): true when the error ended the helpdesk session.
 */
export function pushVerify({ caller, fields, onVerified, onEnded }) {
  const headingId = uid('h');
  const banner = errorBanner({ testid: 'helpdesk-push-error' });
  const send = h('button', { type: 'button', class: 'primary', testid: 'helpdesk-push-send', i18n: 'helpdesk.push.send' });
  const state = h('div', { class: 'stack', testid: 'helpdesk-push-state', 'aria-live': 'polite' });
  const why = reasonHint(send, send, 'helpdesk-push-why');
  let clock = null;
  let attempt = 0;

  const root = h('section', { class: 'verify-way', 'aria-labelledby': headingId, testid: 'helpdesk-verify-push' },
    h('h3', { id: headingId, i18n: 'helpdesk.push.title' }),
    h('p', { class: 'hint', i18n: 'helpdesk.push.intro' }),
    banner.el,
    h('div', { class: 'actions' }, send),
    why.el,
    state);

  const outcome = (status, key, nextKey) => h('div', {
    class: status === 'verified' ? 'notice' : 'warning', testid: 'helpdesk-push-status', 'data-status': status,
  },
  h('p', { class: 'with-icon' }, icon(status === 'verified' ? 'check' : 'warning'), h('strong', { i18n: key })),
  nextKey ? h('p', { testid: 'helpdesk-push-next', i18n: nextKey }) : null);

  function settle(status, key, nextKey, { sendAgain = true } = {}) {
    clock?.stop();
    state.replaceChildren(outcome(status, key, nextKey));
    unlock(send, 'pending');
    why.set(null);
    if (sendAgain) bind(send, 'helpdesk.push.sendAgain');
    else {
      lock(send, 'no-push');
      why.set('helpdesk.push.noPushWhy');
    }
    announce(key);
  }

  function showPending(view) {
    clock?.stop();
    clock = countdown({ until: view.expiresAt, key: 'helpdesk.push.expiresIn', purpose: 'helpdesk-push-expiry' });
    state.replaceChildren(...present(
      h('div', { class: 'binding-box', testid: 'helpdesk-push-binding-box' },
        h('p', { i18n: 'helpdesk.push.readAloud' }),
        h('p', { class: 'binding-message selectable', testid: 'helpdesk-push-binding' }, view.bindingMessage),
        h('p', { class: 'hint', i18n: 'helpdesk.push.askMatch' })),
      h('div', { class: 'waiting', testid: 'helpdesk-push-status', 'data-status': 'pending', 'aria-busy': 'true' },
        h('p', { i18n: 'helpdesk.push.waiting' }), h('progress', {}), clock.el)));
    lock(send, 'pending');
    why.set('helpdesk.push.pendingWhy');
  }

  // The service answers within ~25 s; while the push is pending the screen asks again.
  async function follow(view, mine) {
    let current = view;
    while (current.status === 'pending') {
      showPending(current);
      if (!root.isConnected || mine !== attempt) return;
      current = await helpdeskCall(() => api.helpdeskPushWait(caller.user.userId));
      if (mine !== attempt) return;
    }
    if (current.status === 'verified') {
      settle('verified', 'helpdesk.push.approved', null, { sendAgain: false });
      onVerified(current.caller);
    } else if (current.status === 'denied') {
      settle('denied', 'helpdesk.push.denied', 'helpdesk.push.deniedNext');
    } else {
      settle('expired', 'helpdesk.push.expired', 'helpdesk.push.expiredNext');
    }
  }

  send.addEventListener('click', async () => {
    if (send.disabled) return;
    banner.clear();
    const reasonOk = fields.reason.check();
    const ticketOk = fields.ticket.check();
    if (!reasonOk || !ticketOk) {
      (reasonOk ? fields.ticket : fields.reason).focus();
      return;
    }
    const mine = ++attempt;
    lock(send, 'pending');
    state.replaceChildren(h('p', { class: 'hint', role: 'status', i18n: 'helpdesk.push.sending' }));
    try {
      const view = await helpdeskCall(() => api.helpdeskVerifyPush(caller.user.userId, {
        reason: fields.reason.value(), ticket: fields.ticket.value(),
      }));
      announce('helpdesk.push.sent');
      await follow(view, mine);
    } catch (err) {
      if (mine !== attempt || onEnded(err)) return;
      unlock(send, 'pending');
      why.set(null);
      state.replaceChildren();
      clock?.stop();
      if (err.code === 'push_not_enrolled') {
        settle('no_push', 'helpdesk.push.noPush', 'helpdesk.push.noPushNext', { sendAgain: false });
      } else if (!fields.reason.showError(err)) {
        banner.show(err, { lockButtons: [send] });
      }
    }
  });

  return { el: root, stop: () => { attempt += 1; clock?.stop(); } };
}
