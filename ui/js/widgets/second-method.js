// After a first enrollment: offer a second method straight away, and say why (a lost or
// broken phone then costs nothing but a few minutes, not a call to the helpdesk).
import { h, uid } from '../dom.js';
import { go } from '../router.js';
import { icon } from '../icons.js';

export function secondMethodOffer() {
  const headingId = uid('h');
  const box = h('section', { class: 'callout stack', testid: 'second-method-offer', 'aria-labelledby': headingId },
    h('h2', { id: headingId, class: 'with-icon' }, icon('info'), h('span', { i18n: 'second.title' })),
    h('p', { i18n: 'second.why' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', testid: 'second-method-add', i18n: 'second.add', onclick: () => go('enroll') }),
      h('button', { type: 'button', class: 'secondary', testid: 'second-method-later', i18n: 'second.later', onclick: () => box.remove() })));
  return box;
}
