// Modal dialog naming a method ("Work laptop key"). What was typed or pasted stays as it is
// (no maxlength, nothing trimmed): Rust checks the name before anything is sent
// (input::method_name) and its refusal is shown at the field.
import { h, uid, withBusy } from '../dom.js';
import { holdFocus } from '../modal.js';
import { methodLabel } from '../kinds.js';
import { errorBanner } from './error-banner.js';
import { FIELD_CODES, fieldMessage, refuseLineBreaks } from './field-message.js';
import { endIfSessionExpired } from '../session-expiry.js';

/** Resolves with the new methods view, or null when cancelled. `rename(name)` may throw. */
export function renameMethod(authenticator, { rename }) {
  return new Promise((resolve) => {
    const headingId = uid('h');
    const fieldId = uid('f');
    const hintId = uid('hint');
    const banner = errorBanner();
    const input = h('input', {
      id: fieldId, type: 'text', testid: 'rename-input', autocomplete: 'off',
      'aria-required': 'true', 'aria-describedby': hintId,
    });
    input.value = authenticator.name ?? '';
    const message = fieldMessage(input, 'rename-error');
    refuseLineBreaks(input, message, { around: false });
    input.addEventListener('input', () => message.clear());
    const cancel = h('button', { type: 'button', class: 'secondary', testid: 'cancel-rename', i18n: 'common.cancel' });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'confirm-rename', i18n: 'rename.save' });
    const form = h('form', {
      class: 'dialog', role: 'dialog', 'aria-modal': 'true', testid: 'rename-dialog',
      'aria-labelledby': headingId, novalidate: true,
    },
    h('h2', { id: headingId, i18n: 'rename.title', args: { method: methodLabel(authenticator) } }),
    h('div', { class: 'field' },
      h('label', { for: fieldId, i18n: 'rename.label' }),
      input,
      h('p', { class: 'hint', id: hintId, i18n: 'rename.hint' }),
      message.el),
    banner.el,
    h('div', { class: 'actions' }, cancel, save));
    const backdrop = h('div', { class: 'backdrop' }, form);

    let release = null;
    function close(result) {
      release({ restoreFocus: !result });
      backdrop.remove();
      resolve(result);
    }
    cancel.addEventListener('click', () => close(null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      banner.clear();
      message.clear();
      try {
        const methods = await withBusy(save, 'rename.saving', () => rename(input.value), form);
        close(methods);
      } catch (err) {
        if (err.code === 'session_expired') {
          close(null);
          endIfSessionExpired(err);
          return;
        }
        if (FIELD_CODES.name.has(err.code)) {
          message.show(err.code);
          input.focus();
          return;
        }
        banner.show(err);
      }
    });

    document.getElementById('modal-root').append(backdrop);
    release = holdFocus(backdrop, { onEscape: () => !save.classList.contains('is-busy') && close(null) });
    input.focus();
  });
}
