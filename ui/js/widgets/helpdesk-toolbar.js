// The bar on every helpdesk screen: who is acting and what their sign-in lets them do, the
// way between finding a caller, the approvals (for agents who may approve) and the history,
// and ending the session. A <nav> so screen readers list it as navigation.
import { h, present } from '../dom.js';
import { go } from '../router.js';
import { api } from '../api.js';
import { icon } from '../icons.js';
import { agentSession, currentAgent, endAgentSession, onAgentChange } from '../helpdesk-mode.js';

// "helpdesk:act" → its words: granted ones plain, missing ones struck through and said so.
function permissionList(view) {
  const permissions = view?.permissions ?? [];
  return h('ul', { class: 'permission-list', testid: 'helpdesk-permissions' },
    permissions.map(({ permission, granted }) => h('li', {
      class: granted ? 'permission permission-granted' : 'permission permission-missing',
      testid: 'helpdesk-permission', 'data-permission': permission, 'data-granted': String(granted),
    },
    icon(granted ? 'check' : 'warning'),
    h('code', {}, permission), ' ',
    h('span', { class: 'visually-hidden', i18n: granted ? 'helpdesk.toolbar.granted' : 'helpdesk.toolbar.notGranted' }))));
}

export function helpdeskToolbar(active) {
  const link = (name, testid, key) => h('button', {
    type: 'button', class: name === active ? 'secondary small is-current' : 'link-button', testid, i18n: key,
    'aria-current': name === active ? 'page' : null,
    onclick: () => go(name),
  });
  const end = h('button', {
    type: 'button', class: 'secondary small', testid: 'helpdesk-end', i18n: 'helpdesk.toolbar.end',
    onclick: async () => {
      end.disabled = true;
      try {
        await api.helpdeskEnd();
      } catch {
        /* ending locally is what matters; Rust drops the session either way */
      }
      endAgentSession(null);
    },
  });
  const who = h('p', { class: 'hint', testid: 'helpdesk-agent', i18n: 'helpdesk.toolbar.agent', args: { agent: currentAgent() ?? '' } });
  const rights = h('div', { class: 'inline hint' });
  const links = h('div', { class: 'inline' });
  function fill(view) {
    rights.replaceChildren(h('span', { i18n: 'helpdesk.toolbar.permissions' }), permissionList(view));
    links.replaceChildren(...present(
      link('helpdesk-find', 'helpdesk-nav-find', 'helpdesk.toolbar.find'),
      view?.canApprove ? link('helpdesk-approvals', 'helpdesk-nav-approvals', 'helpdesk.toolbar.approvals') : null,
      link('helpdesk-history', 'helpdesk-nav-history', 'helpdesk.toolbar.history'),
      end));
  }
  fill(agentSession());
  const nav = h('nav', { class: 'helpdesk-toolbar', testid: 'helpdesk-toolbar', i18nAttrs: { 'aria-label': 'helpdesk.toolbar.label' } },
    h('div', { class: 'stack' }, who, rights),
    links);
  // A new sign-in may bring other permissions; a toolbar no longer on screen stops listening.
  onAgentChange((view) => {
    if (!nav.isConnected) return false;
    fill(view);
    return true;
  });
  return nav;
}
