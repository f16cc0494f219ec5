// The IT-configured helpdesk contact (text and/or URL), or a generic line.
import { h } from './dom.js';
import { api } from './api.js';
import { session } from './state.js';

const SAFE_URL = /^(https:|mailto:|tel:)/i;

export function helpdeskBlock() {
  const help = session.app?.helpdesk;
  if (!help || (!help.text && !help.url)) {
    return h('p', { class: 'helpdesk', testid: 'helpdesk', i18n: 'helpdesk.none' });
  }
  // Rust opens IT's address in the system browser or mail app; the webview cannot open any.
  let link = null;
  if (help.url && SAFE_URL.test(help.url)) {
    link = h('button', {
      type: 'button', class: 'link-button', testid: 'helpdesk-link',
      onclick: () => api.openHelpdesk().catch(() => {}),
    }, help.url);
  } else if (help.url) {
    link = h('span', { class: 'selectable', testid: 'helpdesk-url' }, help.url);
  }
  return h('div', { class: 'helpdesk', testid: 'helpdesk' },
    h('p', { i18n: 'helpdesk.intro' }),
    help.text ? h('p', { class: 'helpdesk-text' }, help.text) : null,
    link ? h('p', {}, link) : null,
  );
}
