// "We sent a code to …" + code entry + resend with a real cooldown + switching
// between text and call. Shared by enrollment and verification.
import { h, lock, unlock } from '../dom.js';
import { bind } from '../i18n.js';
import { codeInput } from './code-input.js';
import { FIELD_CODES } from './field-message.js';
import { countdown, nowSeconds } from './countdown.js';
import { announce } from '../announce.js';
import { endIfSessionExpired } from '../session-expiry.js';

const MESSAGE = { otp: 'challenge.otp', sms: 'challenge.sms', voice: 'challenge.voice', email: 'challenge.email' };
const UNKNOWN_DESTINATION = { sms: 'challenge.smsUnknown', voice: 'challenge.voiceUnknown', email: 'challenge.emailUnknown' };
const SWITCH = { sms: { to: 'voice', key: 'challenge.callInstead' }, voice: { to: 'sms', key: 'challenge.textInstead' } };

/**
 * start:    the enroll_start / verify_start result ({ kind, sentTo, resendAvailableAt })
 * banner:   the screen's error banner
 * submit:   async (code) => void, throws app errors
 * resend:   async () => start-shaped result (omit for otp)
 * switchTo: async (kind) => start-shaped result, or null when not offered
 */
export function codeChallenge({ start, banner, submit, resend, switchTo }) {
  let state = start;
  let cooldown = null;

  const message = h('p', { class: 'challenge-message', testid: 'challenge-message' });
  const entry = codeInput({
    onSubmit: async (code) => {
      banner.clear();
      entry.setInvalid(false);
      try {
        await submit(code);
      } catch (err) {
        if (endIfSessionExpired(err)) return;
        if (FIELD_CODES.code.has(err.code)) {
          entry.refuse(err.code);
          return;
        }
        banner.show(err, { lockButtons: [entry.submit] });
        // Empty the field first: a reset forgets earlier marks, and this one must stay.
        entry.reset();
        entry.setInvalid(true);
      }
    },
  });

  const resendButton = h('button', { type: 'button', class: 'secondary', testid: 'resend' });
  const switchButton = h('button', { type: 'button', class: 'link-button', testid: 'switch-channel', hidden: true });
  const cooldownSlot = h('div', { class: 'cooldown' });
  const resendArea = h('div', { class: 'resend-area' }, h('div', { class: 'actions' }, resendButton, switchButton), cooldownSlot);

  function render() {
    const kind = state.kind;
    if (!state.sentTo && UNKNOWN_DESTINATION[kind]) bind(message, UNKNOWN_DESTINATION[kind]);
    else bind(message, MESSAGE[kind] ?? 'challenge.generic', { to: state.sentTo ?? '' });
    resendArea.hidden = !resend || kind === 'otp';
    bind(resendButton, kind === 'voice' ? 'challenge.callAgain' : 'challenge.resend');
    const sw = SWITCH[kind];
    switchButton.hidden = !(sw && switchTo);
    if (sw) bind(switchButton, sw.key);

    cooldown?.stop();
    cooldownSlot.replaceChildren();
    unlock(resendButton, 'cooldown');
    if (state.resendAvailableAt && state.resendAvailableAt > nowSeconds()) {
      lock(resendButton, 'cooldown');
      cooldown = countdown({
        until: state.resendAvailableAt,
        key: 'countdown.resend',
        doneKey: 'countdown.resendReady',
        purpose: 'resend',
        onDone: () => unlock(resendButton, 'cooldown'),
      });
      cooldownSlot.append(cooldown.el);
    }
  }

  async function again(action, button) {
    banner.clear();
    lock(button, 'busy');
    try {
      state = await action();
      render();
      announce(state.kind === 'voice' ? 'challenge.calling' : 'challenge.sentAgain');
      entry.reset();
    } catch (err) {
      if (endIfSessionExpired(err)) return;
      banner.show(err, { lockButtons: [resendButton, switchButton] });
    } finally {
      unlock(button, 'busy');
    }
  }

  resendButton.addEventListener('click', () => again(resend, resendButton));
  switchButton.addEventListener('click', () => again(() => switchTo(SWITCH[state.kind].to), switchButton));

  render();
  const el = h('div', { class: 'challenge stack' }, message, entry.el, resendArea);
  return {
    el,
    focus: () => entry.input.focus(),
    stop: () => cooldown?.stop(),
    kind: () => state.kind,
  };
}
