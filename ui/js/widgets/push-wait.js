// Waits for a Guardian push to be answered (Rust polls Auth0 inside push_wait).
// Optional QR for enrollment, with its five-minute validity as a countdown.
import { h, uid } from '../dom.js';
import { api } from '../api.js';
import { setPushPending } from '../state.js';
import { countdown } from './countdown.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { endIfSessionExpired } from '../session-expiry.js';

const OUTCOME_KEYS = { push_rejected: 'push.rejected', code_expired: 'push.expired' };

/**
 * qr:         { qrDataUrl, expiresAt } while enrolling, else null
 * messageKey / args: what to tell the person (e.g. where the push went)
 * onApproved: (result) => void
 * onRetry:    (event) => void, start over (new QR / new push)
 * onCancel:   () => void
 */
export function pushWaiter({ qr, messageKey, args, banner, onApproved, onRetry, onCancel }) {
  let alive = true;
  let waiting = false;
  let expiry = null;
  const labelId = uid('push');

  const cancel = h('button', { type: 'button', class: 'secondary', testid: 'push-cancel', i18n: 'common.cancel' });
  const waitingBlock = h('div', { class: 'waiting', testid: 'push-waiting', 'aria-busy': 'true' },
    h('progress', { 'aria-labelledby': labelId }),
    h('p', { id: labelId, i18n: 'push.waiting' }),
    h('div', { class: 'actions' }, cancel));
  const outcome = h('div', { class: 'outcome', testid: 'push-outcome', hidden: true });

  let qrBlock = null;
  if (qr) {
    const image = h('img', { class: 'qr', testid: 'push-qr', src: qr.qrDataUrl, width: 200, height: 200, i18nAttrs: { alt: 'push.qrAlt' } });
    expiry = countdown({
      until: qr.expiresAt, key: 'countdown.qrExpiry', doneKey: 'push.qrExpired', purpose: 'expiry',
      onDone: () => { image.hidden = true; },
    });
    qrBlock = h('div', { class: 'qr-block' },
      h('ol', { class: 'steps' },
        h('li', { i18n: 'push.stepInstall' }),
        h('li', { i18n: 'push.stepScan' }),
        h('li', { i18n: 'push.stepApprove' })),
      image,
      expiry.el);
  }

  function finish() {
    waiting = false;
    setPushPending(false);
    expiry?.stop();
  }

  function showOutcome(key, code) {
    waitingBlock.hidden = true;
    qrBlock?.remove();
    const retry = h('button', { type: 'button', class: 'primary', testid: 'push-retry', i18n: 'push.retry', onclick: onRetry });
    outcome.dataset.outcome = code;
    outcome.replaceChildren(
      h('p', { class: 'with-icon', role: 'alert' }, icon(code === 'push_rejected' ? 'cross' : 'warning'), h('span', { i18n: key })),
      h('div', { class: 'actions' }, retry));
    outcome.hidden = false;
    retry.focus();
  }

  async function wait() {
    waiting = true;
    setPushPending(true);
    announce(messageKey, args);
    try {
      const result = await api.pushWait();
      if (!alive) return;
      finish();
      announce('push.approved');
      onApproved(result);
    } catch (err) {
      if (!alive) return;
      finish();
      if (err.code === 'cancelled') return;
      if (endIfSessionExpired(err)) return;
      if (OUTCOME_KEYS[err.code]) showOutcome(OUTCOME_KEYS[err.code], err.code);
      else {
        banner.show(err);
        showOutcome('push.failed', err.code);
      }
    }
  }

  cancel.addEventListener('click', async () => {
    alive = false;
    finish();
    try {
      await api.pushCancel();
    } catch {
      /* the wait is abandoned either way */
    }
    onCancel();
  });

  const el = h('div', { class: 'push stack' },
    h('p', { testid: 'push-message', i18n: messageKey, args }),
    qrBlock, waitingBlock, outcome);
  wait();

  return {
    el,
    cleanup() {
      const wasWaiting = waiting;
      alive = false;
      finish();
      if (wasWaiting) api.pushCancel().catch(() => {});
    },
  };
}
