// The caller's recent events (the last 30 days of Auth0's logs, read by the service): what
// happened in plain words, newest first, with the app and Auth0's description when known.
// What the caller says ("I never got a push") can be checked against it.
import { h, present, uid, withBusy } from '../dom.js';
import { has } from '../i18n.js';
import { api } from '../api.js';
import { helpdeskCall } from '../helpdesk-mode.js';
import { errorBanner } from './error-banner.js';

// Kinds that tell of trouble are marked, so a run of failures stands out.
const TROUBLE = new Set(['sign_in_failed', 'wrong_password', 'wrong_code', 'push_denied', 'push_failed',
  'too_many_codes', 'wrong_recovery_code', 'blocked', 'helpdesk_push_denied']);

function eventRow(event) {
  const key = has(`helpdesk.event.${event.kind}`) ? `helpdesk.event.${event.kind}` : 'helpdesk.event.other';
  return h('li', { class: `event-row${TROUBLE.has(event.kind) ? ' event-trouble' : ''}`, testid: 'helpdesk-event', 'data-kind': event.kind, 'data-code': event.code },
    h('span', { class: 'event-time hint' },
      event.at ? h('time', { datetime: new Date(event.at * 1000).toISOString(), i18n: 'print.date', args: { date: { date: event.at } } }) : '—'),
    h('span', { class: 'event-what' },
      h('strong', { i18n: key }),
      event.app ? h('span', { class: 'hint', testid: 'helpdesk-event-app' }, ' · ', h('span', { i18n: 'helpdesk.events.app', args: { app: event.app } })) : null,
      event.description ? h('span', { class: 'event-description hint', testid: 'helpdesk-event-description' }, event.description) : null));
}

/** The panel loads itself; reload() reads the events again. onEnded(err) as elsewhere. */
export function eventsPanel({ userId, onEnded }) {
  const headingId = uid('h');
  const banner = errorBanner({ testid: 'helpdesk-events-error' });
  const list = h('div', { testid: 'helpdesk-events-area', 'aria-busy': 'true' });
  const refresh = h('button', { type: 'button', class: 'secondary small', testid: 'helpdesk-events-refresh', i18n: 'helpdesk.events.refresh' });

  async function reload() {
    banner.clear();
    list.setAttribute('aria-busy', 'true');
    try {
      const events = await withBusy(refresh, null, () => helpdeskCall(() => api.helpdeskCallerEvents(userId)));
      list.replaceChildren(...present(events.length
        ? h('ol', { class: 'event-list', testid: 'helpdesk-events' }, events.map(eventRow))
        : h('p', { class: 'hint', testid: 'helpdesk-events-empty', i18n: 'helpdesk.events.empty' })));
    } catch (err) {
      if (!onEnded(err)) banner.show(err);
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }
  refresh.addEventListener('click', reload);

  const el = h('section', { class: 'panel', 'aria-labelledby': headingId, testid: 'helpdesk-events-panel' },
    h('div', { class: 'panel-head' },
      h('h2', { id: headingId, i18n: 'helpdesk.events.title' }),
      refresh),
    h('p', { class: 'hint', i18n: 'helpdesk.events.intro' }),
    banner.el,
    list);
  return { el, reload };
}
