// Shows an error from Rust by code. With retryAt in the future it also shows a
// countdown and keeps the given buttons disabled until then. The countdown
// sits outside the role="alert" element so its ticking is not re-announced.
import { h, lock, unlock } from '../dom.js';
import { bind, has } from '../i18n.js';
import { countdown, nowSeconds } from './countdown.js';
import { helpdeskBlock } from '../helpdesk.js';
import { announceText } from '../announce.js';

export function errorKey(code) {
  return code && has(`error.${code}`) ? `error.${code}` : 'error.unknown';
}

export function errorBanner({ testid = 'error-banner' } = {}) {
  const message = h('p', { class: 'banner-message' });
  const extra = h('div', { class: 'banner-extra' });
  const alert = h('div', { role: 'alert', class: 'banner-alert' }, message, extra);
  const el = h('div', { class: 'banner banner-error', testid, hidden: true }, alert);
  let timer = null;
  let locked = [];

  function clear() {
    timer?.stop();
    timer?.el.remove();
    timer = null;
    locked.forEach((button) => unlock(button, 'retry'));
    locked = [];
    message.textContent = '';
    delete message.dataset.i18n;
    extra.replaceChildren();
    el.hidden = true;
    delete el.dataset.code;
  }

  /**
   * err: { code, retryAt?, helpdesk?, detail?, missingScopes? }; lockButtons: disabled until
   * retryAt; note: a catalogue key said after the message ("Nothing was changed.").
   */
  function show(err, { lockButtons = [], helpdesk = false, onRetryReady, note } = {}) {
    clear();
    const code = err?.code ?? 'unknown';
    el.dataset.code = code;
    bind(message, errorKey(code));
    if (err?.missingScopes?.length) {
      // The permission IT must grant, named exactly as Auth0's dashboard shows it.
      extra.append(h('p', { testid: 'error-missing-scopes' },
        h('span', { i18n: 'helpdesk.grantScopes' }), ' ',
        ...err.missingScopes.flatMap((scope, i) => [i ? ', ' : null, h('code', { class: 'selectable' }, scope)])));
    }
    if (note) extra.append(h('p', { testid: 'error-note', i18n: note }));
    if (helpdesk || err?.helpdesk) extra.append(helpdeskBlock());
    if (err?.detail) {
      extra.append(h('details', { class: 'technical' },
        h('summary', { i18n: 'error.technicalDetails' }),
        h('code', { class: 'selectable' }, err.detail)));
    }
    el.hidden = false;
    // An alert rendered before its screen is attached is not announced.
    if (!el.isConnected) setTimeout(() => { if (el.isConnected) announceText(message.textContent); }, 300);
    if (err?.retryAt && err.retryAt > nowSeconds()) {
      locked = lockButtons.filter(Boolean);
      locked.forEach((button) => lock(button, 'retry'));
      timer = countdown({
        until: err.retryAt,
        key: 'countdown.retry',
        doneKey: 'countdown.retryReady',
        purpose: 'retry',
        onDone: () => {
          locked.forEach((button) => unlock(button, 'retry'));
          locked = [];
          onRetryReady?.();
        },
      });
      el.append(timer.el);
    }
  }

  return { el, show, clear };
}
