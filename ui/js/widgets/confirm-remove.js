// Modal confirmation naming the method, and what Auth0 removes along with it.
import { h, uid, withBusy } from '../dom.js';
import { holdFocus } from '../modal.js';
import { cascadeKey, methodLabel } from '../kinds.js';
import { errorBanner } from './error-banner.js';
import { endIfSessionExpired } from '../session-expiry.js';

/** Resolves when closed; `remove()` performs the removal and may throw. */
export function confirmRemove(authenticator, { remove }) {
  return new Promise((resolve) => {
    const headingId = uid('h');
    const descId = uid('d');
    const label = methodLabel(authenticator);
    const banner = errorBanner();
    const cascade = cascadeKey(authenticator.cascade);
    const isLast = authenticator.removesLastMethod;
    const cancel = h('button', { type: 'button', class: 'secondary', testid: 'cancel-remove', i18n: 'common.cancel' });
    const confirm = h('button', { type: 'button', class: 'danger', testid: 'confirm-remove', i18n: 'remove.confirm' });

    const dialog = h('div', {
      class: 'dialog', role: 'dialog', 'aria-modal': 'true', testid: 'remove-dialog',
      'aria-labelledby': headingId, 'aria-describedby': descId,
    },
    h('h2', { id: headingId, i18n: 'remove.title', args: { method: label } }),
    h('div', { id: descId },
      h('p', { i18n: 'remove.body' }),
      cascade ? h('p', { class: 'with-icon', testid: 'remove-cascade' }, h('span', { i18n: cascade })) : null,
      isLast ? h('p', { class: 'warning-text', testid: 'remove-last', i18n: 'remove.lastMethod' }) : null),
    banner.el,
    h('div', { class: 'actions' }, cancel, confirm));
    const backdrop = h('div', { class: 'backdrop' }, dialog);

    let release = null;
    function close(result) {
      release({ restoreFocus: !result });
      backdrop.remove();
      resolve(result);
    }
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', async () => {
      banner.clear();
      try {
        await withBusy(confirm, 'remove.removing', remove, dialog);
        close(true);
      } catch (err) {
        if (err.code === 'session_expired') {
          close(false);
          endIfSessionExpired(err);
          return;
        }
        banner.show(err, { lockButtons: [confirm] });
      }
    });

    document.getElementById('modal-root').append(backdrop);
    release = holdFocus(backdrop, { onEscape: () => !confirm.classList.contains('is-busy') && close(false) });
    cancel.focus();
  });
}
