// After the agent's own sign-in and MFA: Rust checks they are on IT's list and opens the
// helpdesk session. A caller's code never outlives the session that issued it, so none waits.
import { h, uid } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { setAccount } from '../state.js';
import { startAgentSession, leaveHelpdesk } from '../helpdesk-mode.js';

export function helpdeskBeginScreen() {
  const headingId = uid('h');
  api.helpdeskBegin()
    .then((view) => {
      startAgentSession(view);
      go('helpdesk-find');
    })
    .catch((err) => {
      // Refused (not an agent) or unable to connect: the agent's own session is over too.
      leaveHelpdesk();
      setAccount(null);
      go('helpdesk-entry', { error: err });
    });
  const el = screenRoot('helpdesk-begin', { 'aria-labelledby': headingId, 'aria-busy': 'true' },
    h('h1', { id: headingId, i18n: 'helpdesk.begin.title' }),
    h('p', { role: 'status', i18n: 'helpdesk.begin.checking' }));
  return { el };
}
