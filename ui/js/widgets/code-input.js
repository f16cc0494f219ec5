// One one-time-code field. What is typed or pasted stays exactly as it was: Rust reads the
// code (spaces and dashes between digits and full-width digits are fine) and refuses
// anything else whole, before sending it, with a message at the field. Submit stays
// disabled, with a hint saying so, until the field could hold six digits.
import { h, lock, uid, unlock, withBusy } from '../dom.js';
import { fieldMessage, reasonHint } from './field-message.js';

const DIGITS = 6;

// Only to decide whether Submit is worth enabling: digits with the documented separators
// and fewer than six of them. Anything else goes to Rust, which says what is wrong.
function isIncomplete(value) {
  const kept = value
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-\u2010-\u2015\u2212\u30FC]/g, '');
  return /^\d*$/.test(kept) && kept.length < DIGITS;
}

/** onSubmit(code) is awaited while the button shows a busy label. */
export function codeInput({ onSubmit, labelKey = 'code.label', submitKey = 'code.submit' }) {
  const id = uid('code');
  const hintId = uid('code-hint');
  const input = h('input', {
    id, name: 'code', type: 'text', class: 'code-field', testid: 'code-input',
    autocomplete: 'one-time-code', inputmode: 'numeric',
    spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off',
    'aria-describedby': hintId,
  });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'code-submit', i18n: submitKey });
  const message = fieldMessage(input, 'code-error');
  const incomplete = reasonHint(input, submit, 'code-incomplete');
  const form = h('form', { class: 'code-form', novalidate: true },
    h('label', { for: id, i18n: labelKey }),
    input,
    h('p', { id: hintId, class: 'hint', i18n: 'code.hint' }),
    message.el,
    incomplete.el,
    h('div', { class: 'actions' }, submit));

  const refresh = () => {
    const waiting = isIncomplete(input.value);
    incomplete.set(waiting ? 'code.incomplete' : null);
    lock(submit, 'incomplete', waiting);
  };

  let submitted = null;
  async function submitNow() {
    if (isIncomplete(input.value) || submit.disabled) return;
    message.clear();
    submitted = input.value;
    await withBusy(submit, 'code.submitting', () => onSubmit(submitted), form);
    refresh();
  }

  input.addEventListener('input', (event) => {
    message.clear();
    refresh();
    // A paste or an autofill is submitted straight away: a code goes through, anything
    // else comes back refused whole, with its message.
    const pasted = event.inputType === 'insertFromPaste' || event.inputType === 'insertReplacementText' || !event.inputType;
    if (pasted) submitNow();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitNow();
  });
  refresh();

  return {
    el: form,
    input,
    submit,
    reset() {
      input.value = '';
      message.clear();
      refresh();
      input.focus();
    },
    setInvalid(invalid) {
      if (invalid) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    /** Rust refused what was typed: say why at the field, keep the value. */
    refuse(code) {
      // A refusal of an earlier value the person has since edited says nothing about this one.
      if (input.value !== submitted) return;
      message.show(code);
      input.focus();
    },
    lockSubmit: (reason, on) => (on ? lock(submit, reason) : unlock(submit, reason)),
  };
}
