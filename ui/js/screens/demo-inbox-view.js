// The demo inbox's look, open or closed: first-paint.js shows it with the first screen,
// demo-inbox.js gives it its behaviour. Its markup is in index.html.
import { bind } from '../i18n.js';
import { partsOf } from '../templates.js';

/** Shows the inbox, open or closed, and returns its parts by name. */
export function showDemoInbox(aside, open) {
  const parts = partsOf(aside);
  showOpen(aside, parts, open);
  aside.hidden = false;
  return parts;
}

export function showOpen(aside, { body, toggle }, open) {
  body.hidden = !open;
  aside.classList.toggle('collapsed', !open);
  toggle.setAttribute('aria-expanded', String(open));
  bind(toggle, open ? 'demo.hide' : 'demo.show');
}
