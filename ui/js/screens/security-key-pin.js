// The PIN fields of "Add a security key or passkey": the key's PIN (tries left shown), and a
// new PIN typed twice for a key that has none, its rules checked by Rust and any refusal shown at
// the field.
// Nothing is trimmed or cut: a PIN is exactly what was typed.
import { pluralKey } from '../i18n.js';
import { h, lock, uid } from '../dom.js';
import { fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';

function pinInput(testid, autocomplete) {
  return h('input', {
    id: uid('pin'), type: 'password', testid, autocomplete, spellcheck: 'false',
    autocapitalize: 'off', autocorrect: 'off',
  });
}

// step: { retriesLeft, afterWrongPin }; submit(pin) sends it.
export function enterPinForm(step, submit, actions) {
  const input = pinInput('security-key-pin', 'off');
  const send = h('button', { type: 'submit', class: 'primary', testid: 'security-key-pin-submit', i18n: 'securityKey.submitPin' });
  const message = fieldMessage(input, 'security-key-pin-error');
  const empty = reasonHint(input, send, 'security-key-pin-empty');
  // A pasted line break would become part of the PIN: refused whole, at the field.
  refuseLineBreaks(input, message, { around: false });
  const refresh = () => {
    const missing = input.value === '';
    empty.set(missing ? 'securityKey.pinEmpty' : null);
    lock(send, 'incomplete', missing);
  };
  input.addEventListener('input', () => {
    message.clear();
    refresh();
  });
  refresh();
  if (step.afterWrongPin) message.show('security_key_pin_wrong');
  const n = step.retriesLeft;
  const retries = n == null ? null : h('p', {
    class: n <= 3 ? 'hint warning' : 'hint', testid: 'security-key-retries',
    i18n: pluralKey('securityKey.retriesLeft', n),
    args: { n },
  });
  const form = h('form', { class: 'step', novalidate: true, testid: 'security-key-step-pin' },
    h('h2', { i18n: 'securityKey.pinTitle' }),
    h('p', { i18n: 'securityKey.pinIntro' }),
    h('div', { class: 'field' },
      h('label', { for: input.id, i18n: 'securityKey.pinLabel' }), input, message.el, empty.el, retries),
    h('div', { class: 'actions' }, send, ...actions));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    lock(send, 'sent');
    // The PIN leaves the field as soon as it is sent: a secret is not kept on screen.
    const pin = input.value;
    input.value = '';
    try {
      await submit(pin);
    } catch (err) {
      message.show(err.code);
      unlockAfter(send, refresh);
    }
  });
  return { el: form, focus: () => input.focus() };
}

function unlockAfter(button, refresh) {
  lock(button, 'sent', false);
  refresh();
}

// step: { minLength, maxBytes, refused }; submit(pin, repeat) sends them.
export function setPinForm(step, submit, actions) {
  const first = pinInput('security-key-new-pin', 'new-password');
  const second = pinInput('security-key-repeat-pin', 'new-password');
  const send = h('button', { type: 'submit', class: 'primary', testid: 'security-key-set-pin-submit', i18n: 'securityKey.setPin' });
  const firstMessage = fieldMessage(first, 'security-key-new-pin-error');
  const secondMessage = fieldMessage(second, 'security-key-repeat-pin-error');
  const empty = reasonHint(second, send, 'security-key-set-pin-empty');
  refuseLineBreaks(first, firstMessage, { around: false });
  refuseLineBreaks(second, secondMessage, { around: false });
  const refresh = () => {
    const missing = first.value === '' || second.value === '';
    empty.set(missing ? 'securityKey.setPinEmpty' : null);
    lock(send, 'incomplete', missing);
  };
  for (const input of [first, second]) {
    input.addEventListener('input', () => {
      firstMessage.clear();
      secondMessage.clear();
      refresh();
    });
  }
  refresh();
  if (step.refused) firstMessage.show(step.refused);
  const form = h('form', { class: 'step', novalidate: true, testid: 'security-key-step-set-pin' },
    h('h2', { i18n: 'securityKey.setPinTitle' }),
    h('p', { i18n: 'securityKey.setPinIntro' }),
    h('p', { class: 'hint', testid: 'security-key-pin-rules', i18n: 'securityKey.setPinRules', args: { min: step.minLength } }),
    h('div', { class: 'field' },
      h('label', { for: first.id, i18n: 'securityKey.newPinLabel' }), first, firstMessage.el),
    h('div', { class: 'field' },
      h('label', { for: second.id, i18n: 'securityKey.repeatPinLabel' }), second, secondMessage.el, empty.el),
    h('div', { class: 'actions' }, send, ...actions));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    // Rust checks the new PIN against the key's rules (webauthn-client's check_as_new) before
    // the key is asked; a refused PIN stays in the fields to be corrected.
    lock(send, 'sent');
    try {
      await submit(first.value, second.value);
    } catch (err) {
      const mismatch = err.code === 'security_key_pin_mismatch';
      (mismatch ? secondMessage : firstMessage).show(err.code);
      unlockAfter(send, refresh);
      (mismatch ? second : first).focus();
    }
  });
  return { el: form, focus: () => first.focus() };
}
