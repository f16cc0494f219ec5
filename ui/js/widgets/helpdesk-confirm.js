// The confirmation before a helpdesk action: it says exactly what will happen to whose
// account, optionally asks the agent to type the caller's email, and shows a refusal in
// place (with the retry countdown, the permission IT must grant, and "nothing changed").
import { h, lock, uid, withBusy } from '../dom.js';
import { holdFocus } from '../modal.js';
import { errorBanner } from './error-banner.js';


/**
 * title/titleArgs: heading; body: nodes; confirmKey: the button; danger: red button;
 * typed: { expected, labelKey } to require typing `expected` (case-insensitive);
 * run(typed): performs the action and resolves with its result, or throws.
 * Resolves with run's result, or null when cancelled; onEnded(err) handles errors that end
 * the helpdesk session (the dialog then closes).
 */
export function helpdeskConfirm({ title, titleArgs, body, confirmKey, danger = false, typed = null, run, onEnded }) {
  return new Promise((resolve) => {
    const headingId = uid('h');
    const descId = uid('d');
    const banner = errorBanner({ testid: 'helpdesk-confirm-error' });
    const cancel = h('button', { type: 'button', class: 'secondary', testid: 'helpdesk-confirm-cancel', i18n: 'common.cancel' });
    const confirm = h('button', { type: 'button', class: danger ? 'danger' : 'primary', testid: 'helpdesk-confirm-ok', i18n: confirmKey });
    let input = null;
    let typedField = null;
    if (typed) {
      const inputId = uid('typed');
      input = h('input', {
        id: inputId, type: 'text', testid: 'helpdesk-confirm-typed', autocomplete: 'off', spellcheck: 'false',
        autocapitalize: 'off',
      });
      const labelId = uid('typed-label');
      const matches = () => input.value.trim().toLowerCase() === typed.expected.trim().toLowerCase();
      input.addEventListener('input', () => lock(confirm, 'typed', !matches()));
      lock(confirm, 'typed', true);
      // The button waits for the typed email: the label above says so, and the button too.
      confirm.setAttribute('aria-describedby', labelId);
      typedField = h('div', { class: 'field' },
        h('label', { id: labelId, for: inputId, i18n: typed.labelKey, args: { expected: typed.expected } }), input);
    }

    const dialog = h('div', {
      class: 'dialog', role: 'dialog', 'aria-modal': 'true', testid: 'helpdesk-confirm-dialog',
      'aria-labelledby': headingId, 'aria-describedby': descId,
    },
    h('h2', { id: headingId, i18n: title, args: titleArgs }),
    h('div', { id: descId }, body),
    typedField,
    banner.el,
    h('div', { class: 'actions' }, cancel, confirm));
    const backdrop = h('div', { class: 'backdrop' }, dialog);

    let release = null;
    function close(result) {
      release({ restoreFocus: result == null });
      backdrop.remove();
      resolve(result);
    }
    cancel.addEventListener('click', () => close(null));
    confirm.addEventListener('click', async () => {
      if (confirm.disabled) return;
      banner.clear();
      try {
        const result = await withBusy(confirm, 'helpdesk.confirm.working', () => run(input?.value ?? ''), dialog);
        close(result);
      } catch (err) {
        if (onEnded?.(err, () => close(null))) return;
        banner.show(err, {
          lockButtons: [confirm],
          // An answer lost on the way (Rust says so): Auth0 may have acted, so "nothing changed" would be untrue.
          note: err.outcomeUnknown ? null : 'helpdesk.nothingChanged',
        });
      }
    });

    document.getElementById('modal-root').append(backdrop);
    release = holdFocus(backdrop, { onEscape: () => !confirm.classList.contains('is-busy') && close(null) });
    (input ?? cancel).focus();
  });
}
