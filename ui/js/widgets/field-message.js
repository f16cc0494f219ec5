// Messages tied to one field.
//
// fieldMessage: what is wrong with what was typed, shown under the field. Rust checks every
// field before sending anything and answers with an input error code; the screen shows it
// here (not in its banner), marks the field aria-invalid and leaves what was typed in place.
//
// reasonHint: why a submit button is disabled (an empty field, an incomplete code), visible
// while that holds and read with both the field and the button.
import { describe, h, uid, undescribe } from '../dom.js';
import { bind } from '../i18n.js';
import { errorKey } from './error-banner.js';
import { icon } from '../icons.js';

// The codes Rust answers for each kind of field when it refused what was typed.
const EMPTY_OR_LONG = ['input_empty', 'input_too_long'];
export const FIELD_CODES = {
  email: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'invalid_email', 'email_missing_at',
    'email_missing_local_part', 'email_missing_domain', 'email_invalid_domain', 'email_has_spaces',
    'email_full_width']),
  username: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'invalid_username', 'username_has_spaces']),
  password: new Set(['password_too_long']),
  code: new Set([...EMPTY_OR_LONG, 'invalid_code_format', 'code_not_digits']),
  phone: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'invalid_phone', 'phone_extra_text', 'unsupported_phone']),
  recovery: new Set([...EMPTY_OR_LONG, 'invalid_recovery_code_format']),
  text: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'input_control_characters']),
  name: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'input_control_characters', 'input_surrounding_spaces']),
  caller: new Set([...EMPTY_OR_LONG, 'input_multiple_lines', 'input_control_characters', 'invalid_user_reference',
    'invalid_user_id', 'invalid_email', 'email_missing_at', 'email_missing_local_part', 'email_missing_domain',
    'email_invalid_domain', 'email_has_spaces', 'email_full_width']),
};

export function fieldMessage(field, testid) {
  const id = uid('field-error');
  const text = h('span', {});
  // The icon joins the message when it is first shown: a screen whose fields are all right
  // draws no SVG, which WebKit's web process pays for in code pages (issue 24: ~0.2 MiB for
  // the sign-in screen's two hidden messages).
  const el = h('p', { id, class: 'field-error', testid, role: 'alert', hidden: true }, text);

  function clear() {
    el.hidden = true;
    text.textContent = '';
    delete text.dataset.i18n;
    delete el.dataset.code;
    field.removeAttribute('aria-invalid');
    undescribe(field, id);
  }

  function show(code) {
    if (el.firstChild === text) el.prepend(icon('warning'));
    el.dataset.code = code;
    bind(text, errorKey(code));
    el.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    describe(field, id);
    // After the field takes focus (which may scroll), bring the message into view too.
    requestAnimationFrame(() => el.scrollIntoView?.({ block: 'nearest' }));
  }

  return { el, show, clear, isShown: () => !el.hidden };
}

// `drawn`: the hint where the screen's markup has it already, shown (index.html's sign-in
// template: the first screen says why Sign in waits from its first frame).
export function reasonHint(field, button, testid, drawn = null) {
  const el = drawn ?? h('p', { id: uid('reason'), class: 'hint reason', testid, hidden: true });
  const { id } = el;
  return {
    el,
    /** key: the catalogue key saying why, or null once the reason is gone. */
    set(key, args) {
      if (key) {
        bind(el, key, args);
        el.hidden = false;
        describe(field, id);
        describe(button, id);
      } else {
        el.hidden = true;
        undescribe(field, id);
        undescribe(button, id);
      }
    },
  };
}

// The webview turns line breaks pasted into a one-line field into spaces: what was pasted
// would change behind the person's back. Such a paste is refused whole, with the code Rust
// uses for the same refusal. `around`: line breaks before or after the text are fine (they
// are surrounding spaces, dropped by Rust); without it any line break refuses the paste.
export function refuseLineBreaks(field, message, { around = true } = {}) {
  field.addEventListener('paste', (event) => {
    const pasted = event.clipboardData?.getData('text/plain') ?? '';
    const text = around ? pasted.trim() : pasted;
    if (/[\n\r\v\f\u0085\u2028\u2029]/.test(text)) {
      event.preventDefault();
      message.show('input_multiple_lines');
    }
  });
}
