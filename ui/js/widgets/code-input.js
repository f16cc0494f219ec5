// One one-time-code field. Accepts pasted codes with spaces or dashes (and
// full-width digits from Japanese input methods); Submit stays disabled until
// six digits are present. Rust normalises the code again.
import { h, lock, uid, unlock, withBusy } from '../dom.js';

const FULLWIDTH = /[\uFF10-\uFF19]/g;

export function digitsOf(value) {
  return value.replace(/[\s-]/g, '');
}

export const isCompleteCode = (value) => /^\d{6}$/.test(digitsOf(value));

function sanitize(value) {
  return value
    .replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000]/g, ' ')
    .replace(/[\uFF0D\u30FC\u2010-\u2015]/g, '-')
    .replace(/[^\d\s-]/g, '');
}

/** onSubmit(code) is awaited while the button shows a busy label. */
export function codeInput({ onSubmit, labelKey = 'code.label', submitKey = 'code.submit' }) {
  const id = uid('code');
  const hintId = uid('code-hint');
  const input = h('input', {
    id, name: 'code', type: 'text', class: 'code-field', testid: 'code-input',
    autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: '20',
    spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off',
    'aria-describedby': hintId,
  });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'code-submit', i18n: submitKey });
  const form = h('form', { class: 'code-form', novalidate: true },
    h('label', { for: id, i18n: labelKey }),
    input,
    h('p', { id: hintId, class: 'hint', i18n: 'code.hint' }),
    h('div', { class: 'actions' }, submit));

  const refresh = () => lock(submit, 'incomplete', !isCompleteCode(input.value));

  async function submitNow() {
    if (!isCompleteCode(input.value) || submit.disabled) return;
    await withBusy(submit, 'code.submitting', () => onSubmit(input.value.trim()), form);
    refresh();
  }

  input.addEventListener('input', (event) => {
    const clean = sanitize(input.value);
    if (clean !== input.value) input.value = clean;
    refresh();
    // A pasted or autofilled complete code is submitted straight away.
    const pasted = event.inputType === 'insertFromPaste' || event.inputType === 'insertReplacementText' || !event.inputType;
    if (pasted && isCompleteCode(input.value)) submitNow();
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
      refresh();
      input.focus();
    },
    setInvalid(invalid) {
      if (invalid) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    lockSubmit: (reason, on) => (on ? lock(submit, reason) : unlock(submit, reason)),
  };
}
