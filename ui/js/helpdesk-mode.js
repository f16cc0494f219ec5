// The agent's helpdesk session as the webview sees it: who, with which permissions, until
// when (Rust ends it after fifteen idle minutes and says so on the next call; this timer
// clears the screen at the same moment, so no caller's details stay on an unattended desk),
// signing in again when the agent's token runs out, and leaving.
import { api } from './api.js';
import { go } from './router.js';
import { setAccount } from './state.js';
import { signInAgainDialog } from './widgets/helpdesk-sign-in-again.js';

let timer = null;
let agent = null;
const listeners = new Set();

export const currentAgent = () => agent?.agent ?? null;
/** The SessionView: { agent, idleExpiresAt, tokenExpiresAt, permissions, canApprove }. */
export const agentSession = () => agent;

/** fn(view) runs when the agent's permissions change (a new sign-in); until it returns false. */
export function onAgentChange(fn) {
  listeners.add(fn);
}

function badge(on) {
  const el = document.getElementById('helpdesk-badge');
  if (el) el.hidden = !on;
}

function keep(view) {
  const { status, ...rest } = view;
  agent = rest;
  setAccount(view.agent);
  noteActivity(view.idleExpiresAt);
  for (const fn of [...listeners]) if (fn(agent) === false) listeners.delete(fn);
}

/** The agent signed in (helpdesk_agent_sign_in_wait's view): the session starts. */
export function startAgentSession(view) {
  keep(view);
  badge(true);
  // Rust says when the session ends on its own (idle, too long, screen locked): the screen
  // is cleared then, caller's code and all, even if nothing is clicked.
  const mine = agent;
  api.helpdeskWaitEnd().then(
    () => {},
    (err) => { if (agent === mine || agent?.agent === mine.agent) endAgentSession(err); },
  );
}

/** Every helpdesk answer carries the new idle deadline (epoch seconds). */
export function noteActivity(idleExpiresAt) {
  if (!agent || typeof idleExpiresAt !== 'number') return;
  agent.idleExpiresAt = idleExpiresAt;
  clearTimeout(timer);
  const wait = Math.max(0, idleExpiresAt * 1000 - Date.now()) + 500;
  timer = setTimeout(onIdle, wait);
}

// Rust checks a session's limits every second; this is how long the screen waits for it.
const RUST_ENDS_WITHIN_MS = 3000;

// Rust keeps the real clock (any helpdesk call counts as activity): ask it before ending.
// When the session has lapsed, Rust ends it within a second and helpdesk_wait_end says why
// (idle, or its maximum length: the deadline here is whichever comes first, in whole
// seconds); only if that answer does not come is the screen cleared from here. A caller's
// code on the export dialog goes too: it died with the session in Rust.
async function onIdle() {
  if (!agent) return;
  try {
    const status = await api.helpdeskStatus();
    if (status.session && status.session.idleExpiresAt * 1000 > Date.now()) {
      noteActivity(status.session.idleExpiresAt);
      return;
    }
  } catch {
    /* treat as lapsed */
  }
  const lapsed = agent;
  timer = setTimeout(() => {
    if (agent !== lapsed) return;
    api.helpdeskEnd().catch(() => {});
    endAgentSession({ code: 'helpdesk_session_expired' });
  }, RUST_ENDS_WITHIN_MS);
}

/** Forgets the agent (the header, the timer) without going anywhere. */
export function leaveHelpdesk() {
  clearTimeout(timer);
  timer = null;
  agent = null;
  badge(false);
}

/** Back to helpdesk mode's entry, with a reason to show. */
export function endAgentSession(error) {
  leaveHelpdesk();
  setAccount(null);
  go('helpdesk-entry', error ? { error } : {});
}

/** Handles the errors that end a helpdesk session; true when it did. */
const ENDED = new Set(['helpdesk_session_expired', 'helpdesk_session_too_long', 'helpdesk_screen_locked']);

export function endIfHelpdeskEnded(err) {
  // Another agent signed in over an expired sign-in: their session is already on screen.
  if (err?.moved) return true;
  if (ENDED.has(err?.code) || err?.code === 'not_signed_in') {
    endAgentSession(ENDED.has(err.code) ? err : { code: 'helpdesk_session_expired' });
    return true;
  }
  return false;
}

// One dialog however many calls found the token expired at once (a screen loads the caller
// and their events together); each retries once the agent is back.
let signingInAgain = null;

function signInAgain() {
  signingInAgain ??= signInAgainDialog().then((view) => {
    signingInAgain = null;
    if (!view) return 'cancelled';
    if (view.agent !== currentAgent()) {
      // Someone else signed in: a new session, nothing of the last one carries over.
      startAgentSession(view);
      go('helpdesk-find');
      return 'other';
    }
    keep(view);
    return 'same';
  });
  return signingInAgain;
}

/**
 * Runs a helpdesk call; when the agent's sign-in has run out, the "sign in again" dialog
 * opens over the screen and the call runs again once they are back. Cancelled, or another
 * agent signed in: the first error stands (the screen shows it, or has already moved on).
 */
export async function helpdeskCall(work) {
  try {
    return await work();
  } catch (err) {
    if (err?.code !== 'helpdesk_sign_in_expired') throw err;
    const outcome = await signInAgain();
    if (outcome !== 'same') throw outcome === 'other' ? { code: 'helpdesk_sign_in_expired', moved: true } : err;
    return work();
  }
}
