// The agent's helpdesk session as the webview sees it: who, until when (Rust ends it after
// fifteen idle minutes and says so on the next call; this timer clears the screen at the
// same moment, so no caller's details stay on an unattended desk), and leaving it.
import { api } from './api.js';
import { go } from './router.js';
import { session, setAccount } from './state.js';

let timer = null;
let agent = null;

export const currentAgent = () => agent;

function badge(on) {
  const el = document.getElementById('helpdesk-badge');
  if (el) el.hidden = !on;
}

/** A session view from helpdesk_begin. */
export function startAgentSession(view) {
  agent = view.agent;
  setAccount(view.agent);
  badge(true);
  noteActivity(view.idleExpiresAt);
  // Rust says when the session ends on its own (idle, too long, screen locked): the screen
  // is cleared then, caller's code and all, even if nothing is clicked.
  const mine = agent;
  api.helpdeskWaitEnd().then(
    () => {},
    (err) => { if (agent === mine) endAgentSession(err); },
  );
}

/** Every helpdesk answer carries the new idle deadline (epoch seconds). */
export function noteActivity(idleExpiresAt) {
  if (!agent || typeof idleExpiresAt !== 'number') return;
  clearTimeout(timer);
  const wait = Math.max(0, idleExpiresAt * 1000 - Date.now()) + 500;
  timer = setTimeout(onIdle, wait);
}

// Rust keeps the real clock (any helpdesk call counts as activity): ask it before ending.
// A caller's code on the export dialog goes too: it died with the session in Rust.
async function onIdle() {
  if (!agent) return;
  try {
    const status = await api.helpdeskStatus();
    if (status.agent && status.idleExpiresAt * 1000 > Date.now()) {
      noteActivity(status.idleExpiresAt);
      return;
    }
  } catch {
    /* treat as lapsed */
  }
  api.helpdeskEnd().catch(() => {});
  endAgentSession({ code: 'helpdesk_session_expired' });
}

/** Forgets the agent (the header, the timer, the purpose) without going anywhere. */
export function leaveHelpdesk() {
  clearTimeout(timer);
  timer = null;
  agent = null;
  session.purpose = null;
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
  if (ENDED.has(err?.code) || err?.code === 'not_signed_in') {
    endAgentSession(ENDED.has(err.code) ? err : { code: 'helpdesk_session_expired' });
    return true;
  }
  return false;
}
