// Helpdesk mode's front door: what it is and who may use it, then the agent's own fresh
// sign-in in the system browser (with MFA, for the helpdesk service). That sign-in opens the
// helpdesk session; the find screen follows.
import { h, uid } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { agentSignIn } from '../widgets/agent-sign-in.js';
import { startAgentSession } from '../helpdesk-mode.js';

export function helpdeskEntryScreen({ error } = {}) {
  const headingId = uid('h');
  const banner = errorBanner();
  const demoHint = h('p', { class: 'callout', testid: 'helpdesk-demo-hint', i18n: 'helpdesk.entry.demoHint', hidden: true });

  const signIn = agentSignIn({
    startKey: 'helpdesk.entry.start',
    startTestid: 'helpdesk-start',
    onSignedIn: (view) => {
      startAgentSession(view);
      go('helpdesk-find');
    },
  });

  const back = h('button', {
    type: 'button', class: 'link-button', testid: 'helpdesk-back', i18n: 'helpdesk.entry.back',
    onclick: () => go('signin'),
  });

  api.helpdeskStatus()
    .then((status) => { demoHint.hidden = !status.demo; })
    .catch((err) => banner.show(err));
  if (error) banner.show(error);

  const el = screenRoot('helpdesk-entry', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'helpdesk.entry.title' }),
    h('p', { i18n: 'helpdesk.entry.intro' }),
    h('ul', { class: 'steps', testid: 'helpdesk-rules' },
      h('li', { i18n: 'helpdesk.entry.ruleAgents' }),
      h('li', { i18n: 'helpdesk.entry.ruleVerify' }),
      h('li', { i18n: 'helpdesk.entry.ruleIdle' }),
      h('li', { i18n: 'helpdesk.entry.ruleAudit' })),
    banner.el,
    demoHint,
    h('p', { class: 'hint', i18n: 'helpdesk.entry.browser' }),
    signIn.el,
    h('div', { class: 'actions footer-actions' }, back));
  return { el, cleanup: () => signIn.stop() };
}
