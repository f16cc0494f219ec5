// The caller: who they are, where that leaves them, their methods, how the agent verified
// them, what the agent may do and their recent events. Actions stay disabled, with the
// reason on screen, until the verification is recorded (the service refuses them too).
// After an action the list is read again and the agent gets the words to tell the caller;
// an action waiting for a second agent shows how that turns out.
import { h, present, uid } from '../dom.js';
import { bind } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';
import { endIfHelpdeskEnded, helpdeskCall, noteActivity } from '../helpdesk-mode.js';
import { callerFacts } from '../helpdesk-caller-facts.js';
import { methodList } from '../helpdesk-labels.js';
import { verifyPanel } from '../widgets/helpdesk-verify.js';
import { actionsPanel, confirmAction } from '../widgets/helpdesk-actions.js';
import { methodsPanel } from '../widgets/helpdesk-methods.js';
import { eventsPanel } from '../widgets/helpdesk-events.js';
import { approvalWait } from '../widgets/helpdesk-approval-wait.js';

/** outcome: an ActionOutcomeView (or { action, nextStep } after the playbook) to show first. */
export function helpdeskCallerScreen({ userId, caller: given = null, outcome = null }) {
  const headingId = uid('h');
  const actionsHeading = uid('h');
  const banner = errorBanner();
  const host = h('div', { class: 'caller-host', 'aria-busy': 'true' });
  const heading = h('h1', { id: headingId, i18n: 'helpdesk.caller.title' });
  const ended = (err, closeDialog) => {
    if (!endIfHelpdeskEnded(err)) return false;
    closeDialog?.();
    return true;
  };
  const events = eventsPanel({ userId, onEnded: ended });
  let caller = null;
  let verify = null;
  let waiting = null;
  let ranOut = false;
  let expiry = null;

  const who = () => caller.user.email ?? caller.user.userId;

  // True once the caller is open in Rust's session: only then may their events be asked for.
  async function load() {
    host.setAttribute('aria-busy', 'true');
    try {
      render(await helpdeskCall(() => api.helpdeskOpenCaller(userId)));
      return true;
    } catch (err) {
      host.setAttribute('aria-busy', 'false');
      if (!ended(err)) banner.show(err);
      return false;
    }
  }

  function outcomePanel(result) {
    if (!result) return null;
    return h('section', { class: 'notice outcome', role: 'status', tabindex: '-1', testid: 'helpdesk-outcome', 'data-action': result.action, 'data-next-step': result.nextStep },
      h('p', { class: 'with-icon' }, icon('check'), h('strong', { i18n: `helpdesk.done.${result.action}`, args: { email: who() } })),
      result.nextStep ? [h('h2', { class: 'outcome-heading', i18n: 'helpdesk.next.heading' }),
        h('p', { class: 'next-step', testid: 'helpdesk-next-step', i18n: `helpdesk.next.${result.nextStep}` })] : null,
      result.methodsStale ? h('p', { class: 'warning-text', testid: 'helpdesk-methods-stale', i18n: 'helpdesk.caller.methodsStale' }) : null);
  }

  function standingCallout() {
    const attrs = { testid: 'helpdesk-standing', 'data-standing': caller.standing };
    if (caller.standing === 'only_recovery_code') {
      return h('div', { class: 'warning', ...attrs },
        h('p', { class: 'with-icon' }, icon('warning'), h('strong', { i18n: 'helpdesk.standing.trapTitle' })),
        h('p', { i18n: 'helpdesk.standing.trapBody' }));
    }
    if (caller.standing === 'no_methods') {
      return h('div', { class: 'callout', ...attrs }, h('p', { i18n: 'helpdesk.standing.none' }));
    }
    return h('div', { class: 'callout', ...attrs },
      h('p', { class: 'with-icon' }, icon('info'), h('strong', { i18n: 'helpdesk.standing.holdsTitle' })),
      methodList(caller.heldFactors),
      h('p', { i18n: 'helpdesk.standing.holdsBody' }));
  }

  // The service's clock decides; when its time passes the screen says so and asks again.
  function watchExpiry() {
    clearTimeout(expiry);
    const until = caller.verification?.expiresAt;
    if (!until) return;
    expiry = setTimeout(() => {
      ranOut = true;
      render({ ...caller, verification: null });
      announce('helpdesk.verify.ranOut');
    }, Math.max(0, until * 1000 - Date.now()) + 250);
  }

  function render(view) {
    caller = view;
    noteActivity(view.idleExpiresAt);
    host.setAttribute('aria-busy', 'false');
    bind(heading, 'helpdesk.caller.titleWho', { who: caller.user.name ?? who() });
    verify?.stop();
    verify = verifyPanel({
      caller,
      onVerified: (next) => {
        outcome = null;
        ranOut = false;
        if (!next) { load(); return; }
        render(next);
        // Keyboard users land where the now-enabled actions are.
        document.getElementById(actionsHeading)?.focus();
      },
      onEnded: ended,
      onChange: () => render({ ...caller, verification: null }),
    });
    watchExpiry();
    host.replaceChildren(...present(
      waiting?.el,
      outcomePanel(outcome),
      callerFacts({ ...caller.user, blocked: caller.blocked || caller.user.blocked }),
      h('p', {}, h('button', {
        type: 'button', class: 'link-button', testid: 'helpdesk-caller-history', i18n: 'helpdesk.caller.history',
        onclick: () => go('helpdesk-history', { user: caller.user.userId }),
      })),
      standingCallout(),
      methodsPanel({ caller, onOutcome: after, onEnded: ended }),
      ranOut ? h('p', { class: 'warning with-icon', role: 'status', testid: 'helpdesk-verification-ran-out' },
        icon('warning'), h('span', { i18n: 'helpdesk.verify.ranOut' })) : null,
      verify.el,
      actionsPanel({
        caller,
        headingId: actionsHeading,
        onAction: async (action) => after(await confirmAction(caller, action, ended)),
        onPlaybook: () => go('helpdesk-playbook', { userId, caller }),
      }),
      events.el));
  }

  function after(result) {
    if (!result) return;
    if (result.status === 'pendingApproval' && result.approval) {
      outcome = null;
      waiting?.stop();
      waiting = approvalWait({
        approval: result.approval,
        who: who(),
        onEnded: ended,
        onApproved: async (approval) => {
          await load();
          events.reload();
          // Rust read the caller again and applied the core's rule.
          return approval.nextStep ?? null;
        },
      });
      render(result.caller);
      announce('helpdesk.approval.waiting', { action: { t: `helpdesk.action.${result.action}` }, email: who() });
      waiting.el.focus();
      return;
    }
    announce(`helpdesk.done.${result.action}`, { email: who() });
    events.reload();
    if (result.recoveryCode) {
      go('export', {
        code: result.recoveryCode,
        context: 'helpdesk',
        next: () => go('helpdesk-caller', { userId, caller: result.caller, outcome: result }),
      });
      return;
    }
    outcome = result;
    render(result.caller);
    // The dialog is gone: focus (and the screen reader) moves to what happened and what to say.
    document.querySelector('[data-testid="helpdesk-outcome"]')?.focus();
  }

  // The events wait for the caller to be open: asked for beside the opening, they raced it
  // and could be refused as "caller not open".
  if (given) {
    render(given);
    events.reload();
  } else {
    load().then((opened) => opened && events.reload());
  }

  const el = screenRoot('helpdesk-caller', { 'aria-labelledby': headingId },
    helpdeskToolbar(null),
    heading,
    banner.el,
    host);
  return {
    el,
    cleanup() {
      clearTimeout(expiry);
      verify?.stop();
      waiting?.stop();
    },
  };
}
