// The bar on every helpdesk screen: who is acting, the way between finding a caller and the
// history, and ending the session. A <nav> so screen readers list it as navigation.
import { h } from '../dom.js';
import { go } from '../router.js';
import { api } from '../api.js';
import { currentAgent, endAgentSession } from '../helpdesk-mode.js';

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
  return h('nav', { class: 'helpdesk-toolbar', testid: 'helpdesk-toolbar', 'aria-label': null, i18nAttrs: { 'aria-label': 'helpdesk.toolbar.label' } },
    h('p', { class: 'hint', testid: 'helpdesk-agent', i18n: 'helpdesk.toolbar.agent', args: { agent: currentAgent() ?? '' } }),
    h('div', { class: 'inline' },
      link('helpdesk-find', 'helpdesk-nav-find', 'helpdesk.toolbar.find'),
      link('helpdesk-history', 'helpdesk-nav-history', 'helpdesk.toolbar.history'),
      end));
}
