// A one-line helpdesk text field (a reason, a ticket, a detail): label, hint, and what is wrong
// (empty, over Rust's limit, control characters) shown at the field before anything is sent.
// No maxlength: a pasted value cut short would be a silent change.
import { h, uid } from '../dom.js';
import { FIELD_CODES, fieldMessage, refuseLineBreaks } from './field-message.js';

// C0 and C1 control characters (tabs included): Rust refuses them in any helpdesk text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * labelKey, hintKey?: catalogue keys; testid: the input's; maxlength: Rust's limit in
 * characters; required: empty is refused at the field.
 */
export function helpdeskField({ labelKey, hintKey = null, testid, maxlength, required = false }) {
  const id = uid('f');
  const hintId = hintKey ? uid('hint') : null;
  const input = h('input', {
    id, type: 'text', testid, autocomplete: 'off',
    'aria-required': required ? 'true' : null, 'aria-describedby': hintId,
  });
  const label = h('label', { for: id, i18n: labelKey });
  const message = fieldMessage(input, `${testid}-error`);
  refuseLineBreaks(input, message);
  input.addEventListener('input', () => message.clear());
  const el = h('div', { class: 'field' }, label, input,
    hintKey ? h('p', { class: 'hint', id: hintId, i18n: hintKey }) : null,
    message.el);

  return {
    el,
    input,
    label,
    value: () => input.value.trim(),
    /** Shows what is wrong at the field; true when the value may be sent. */
    check(isRequired = required) {
      message.clear();
      const value = input.value.trim();
      const code = isRequired && !value ? 'input_empty'
        : [...value].length > maxlength ? 'input_too_long'
          : CONTROL.test(value) ? 'input_control_characters' : null;
      if (code) message.show(code);
      return !code;
    },
    /** A refusal from Rust about this field: true when it was shown here. */
    showError(err) {
      if (!FIELD_CODES.text.has(err?.code)) return false;
      message.show(err.code);
      return true;
    },
    clear: () => message.clear(),
    focus: () => input.focus(),
  };
}
