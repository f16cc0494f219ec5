// "Your helpdesk sign-in has run out": the agent's token expired (the helpdesk session and
// the open caller are still there). The dialog runs the agent's browser sign-in over the
// screen; the call that found the token expired then runs again. Resolves with the new
// session view, or null when the agent cancels.
import { h, uid } from '../dom.js';
import { holdFocus } from '../modal.js';
import { agentSignIn } from './agent-sign-in.js';
import { announce } from '../announce.js';

export function signInAgainDialog() {
  return new Promise((resolve) => {
    const headingId = uid('h');
    const descId = uid('d');
    let release = null;
    const signIn = agentSignIn({
      startKey: 'helpdesk.again.start',
      startTestid: 'helpdesk-again-start',
      onSignedIn: (view) => close(view),
    });
    const dismiss = h('button', {
      type: 'button', class: 'link-button', testid: 'helpdesk-again-cancel', i18n: 'helpdesk.again.notNow',
      onclick: () => close(null),
    });
    const dialog = h('div', {
      class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', testid: 'helpdesk-again-dialog',
      'aria-labelledby': headingId, 'aria-describedby': descId,
    },
    h('h2', { id: headingId, i18n: 'helpdesk.again.title' }),
    h('p', { id: descId, i18n: 'helpdesk.again.body' }),
    signIn.el,
    h('div', { class: 'actions' }, dismiss));
    const backdrop = h('div', { class: 'backdrop' }, dialog);

    function close(view) {
      signIn.stop();
      release?.({ restoreFocus: true });
      backdrop.remove();
      if (view) announce('helpdesk.again.done');
      resolve(view);
    }

    document.getElementById('modal-root').append(backdrop);
    release = holdFocus(backdrop, { onEscape: () => close(null) });
    announce('helpdesk.again.title');
    signIn.focus();
  });
}
