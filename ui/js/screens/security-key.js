// "Add a security key or passkey" (My Account mode, tenant with passkeys on): what it is,
// then each step the app's WebAuthn client asks for (insert the key, touch it, its PIN or a
// new one), then naming the new key. Every failure shows its own message; cancel works at
// every step.
import { h, lock, uid } from '../dom.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { FIELD_CODES, fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';
import { enterPinForm, setPinForm } from './security-key-pin.js';

const NAME_CODES = FIELD_CODES.name;

export function securityKeySteps(ctx) {
  let ended = false;
  // Leaving the wizard (its Cancel, Back, another screen) while the key waits ends the
  // ceremony too; moving from one of its steps to the next does not.
  let moving = false;
  const abandon = () => {
    if (moving || ended) return;
    ended = true;
    api.securityKeyCancel().catch(() => {});
  };
  const showRunning = (el) => {
    moving = true;
    ctx.showStep(el, abandon);
    moving = false;
  };
  const cancelButton = () => h('button', {
    type: 'button', class: 'secondary', testid: 'security-key-cancel', i18n: 'securityKey.stop',
    onclick: (event) => {
      lock(event.currentTarget, 'busy');
      api.securityKeyCancel().catch(ctx.fail);
    },
  });

  const start = h('button', { type: 'button', class: 'primary', testid: 'security-key-start', i18n: 'securityKey.start' });
  start.addEventListener('click', async () => {
    try {
      await ctx.busy(start, 'securityKey.starting', () => api.securityKeyStart());
    } catch (err) {
      ctx.fail(err);
      return;
    }
    run();
  });
  ctx.showStep(h('div', { class: 'step', testid: 'security-key-step-intro' },
    h('h2', { i18n: 'securityKey.title' }),
    h('p', { i18n: 'securityKey.what' }),
    h('p', { i18n: 'securityKey.how' }),
    h('div', { class: 'actions' }, start, ctx.backButton())));

  async function run() {
    while (!ended) {
      let step;
      try {
        step = await api.securityKeyNext();
      } catch (err) {
        failed(err);
        return;
      }
      if (step.step === 'done') {
        nameKey(step);
        return;
      }
      show(step);
    }
  }

  function show(step) {
    if (step.step === 'enter_pin') {
      const form = enterPinForm(step, (pin) => api.securityKeyPin(pin), [cancelButton()]);
      showRunning(form.el);
      form.focus();
    } else if (step.step === 'set_pin') {
      const form = setPinForm(step, (pin, repeat) => api.securityKeySetPin(pin, repeat), [cancelButton()]);
      showRunning(form.el);
      form.focus();
    } else {
      const insert = step.step === 'insert_key';
      showRunning(h('div', { class: 'step', testid: insert ? 'security-key-step-insert' : 'security-key-step-touch' },
        h('h2', { i18n: insert ? 'securityKey.insertTitle' : 'securityKey.touchTitle' }),
        h('p', { i18n: insert ? 'securityKey.insertText' : 'securityKey.touchText' }),
        h('div', { class: 'actions' }, cancelButton())));
    }
  }

  // The ceremony ended without a passkey: its own message, and the way back.
  function failed(err) {
    ended = true;
    ctx.showKinds();
    if (err.code === 'security_key_cancelled') announce('error.security_key_cancelled');
    else ctx.fail(err);
  }

  function nameKey(done) {
    ended = true;
    const id = uid('key-name');
    const input = h('input', {
      id, type: 'text', testid: 'security-key-name', autocomplete: 'off', spellcheck: 'false',
    });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'security-key-name-save', i18n: 'securityKey.saveName' });
    const skip = h('button', {
      type: 'button', class: 'secondary', testid: 'security-key-name-skip', i18n: 'securityKey.skipName',
      onclick: () => ctx.done(done.methods),
    });
    const message = fieldMessage(input, 'security-key-name-error');
    const empty = reasonHint(input, save, 'security-key-name-empty');
    refuseLineBreaks(input, message, { around: false });
    const refresh = () => {
      const missing = input.value === '';
      empty.set(missing ? 'securityKey.nameEmpty' : null);
      lock(save, 'incomplete', missing);
    };
    input.addEventListener('input', () => {
      message.clear();
      refresh();
    });
    refresh();
    const form = h('form', { class: 'step', novalidate: true, testid: 'security-key-step-name' },
      h('h2', { i18n: 'securityKey.nameTitle' }),
      h('p', { role: 'status', i18n: 'securityKey.added' }),
      h('div', { class: 'field' },
        h('label', { for: id, i18n: 'securityKey.nameLabel' }), input, message.el, empty.el,
        h('p', { class: 'hint', i18n: 'securityKey.nameHint' })),
      h('div', { class: 'actions' }, save, skip));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (save.disabled) return;
      try {
        ctx.done(await ctx.busy(save, 'common.saving', () => api.renameMethod(done.methodId, input.value)));
      } catch (err) {
        if (NAME_CODES.has(err.code)) message.show(err.code);
        else ctx.fail(err, { lockButtons: [save] });
        input.focus();
      }
    });
    ctx.showStep(form);
    input.focus();
  }
}
