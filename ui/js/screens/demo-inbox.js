// Demo mode only: a side panel standing in for the phone, mailbox and
// authenticator app. Polls every 2 s while it is open and the window visible. Its markup is
// in index.html (demo-inbox-view.js).
import { h } from '../dom.js';
import { bind, has } from '../i18n.js';
import { api } from '../api.js';
import { isPushPending, onPushPending } from '../state.js';
import { kindKey } from '../kinds.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { demoInboxOpen, storeDemoInboxOpen } from '../prefs.js';
import { errorKey } from '../widgets/error-banner.js';
import { showDemoInbox, showOpen } from './demo-inbox-view.js';

const POLL_MS = 2000;

export function initDemoInbox(aside) {
  let open = demoInboxOpen();
  let timer = null;
  let lastOutbox = '';

  // Shown already when it was drawn with the first screen (first-paint.js).
  const parts = showDemoInbox(aside, open);
  // pushBinding: a helpdesk's request to verify a caller shows the words the agent reads out.
  const { toggle, approve, deny, problem, pushStatus, pushBinding, totp: totpList, outbox } = parts;

  let localPending = isPushPending();
  let remote = null;

  // Pending when this app waits for a push, or when the local Auth0 holds one (a helpdesk
  // verifying this person, say); the phone shows a CIBA request's binding message.
  function renderPush() {
    const pending = localPending || remote !== null;
    approve.disabled = !pending;
    deny.disabled = !pending;
    bind(pushStatus, pending ? 'demo.pushPending' : 'demo.pushNone');
    const message = remote?.bindingMessage;
    pushBinding.hidden = !message;
    if (message) bind(pushBinding, 'demo.pushBinding', { message });
  }

  function renderTotp(codes) {
    totpList.replaceChildren(...(codes.length
      ? codes.map((c) => h('li', { testid: 'demo-totp-code', 'data-id': c.authenticatorId, 'data-code': c.code },
        h('span', { class: 'demo-account' }, c.account),
        h('span', { class: 'demo-code', translate: 'no' }, c.code),
        h('span', { class: 'hint', i18n: 'demo.secondsLeft', args: { n: c.secondsLeft } })))
      : [h('li', { class: 'hint', i18n: 'demo.totpEmpty' })]));
  }

  function renderOutbox(messages) {
    const key = JSON.stringify(messages);
    if (key === lastOutbox) return;
    lastOutbox = key;
    outbox.replaceChildren(...(messages.length
      ? [...messages].reverse().map((m) => h('li', { class: 'demo-message', testid: 'demo-outbox-item', 'data-channel': m.channel, 'data-code': m.code ?? '' },
        h('p', { class: 'demo-meta' },
          icon(m.channel),
          has(kindKey(m.channel)) ? h('span', { i18n: kindKey(m.channel) }) : h('span', {}, m.channel),
          h('span', { i18n: 'demo.to', args: { to: m.to } }),
          h('span', { class: 'hint', i18n: 'demo.sentAt', args: { at: { time: m.sentAt } } })),
        m.code ? h('p', { class: 'demo-code', translate: 'no' }, m.code) : null,
        m.text ? h('p', { class: 'demo-text' }, m.text) : null))
      : [h('li', { class: 'hint', i18n: 'demo.outboxEmpty' })]));
  }

  async function poll() {
    try {
      const [messages, codes, push] = await Promise.all([api.demoOutbox(), api.demoTotp(), api.demoPendingPush()]);
      renderOutbox(messages ?? []);
      renderTotp(codes ?? []);
      remote = push ?? null;
      renderPush();
      problem.hidden = true;
    } catch (err) {
      bind(problem, errorKey(err.code));
      problem.hidden = false;
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    if (open && !document.hidden) {
      poll();
      timer = setInterval(poll, POLL_MS);
    }
  }

  function setOpen(value) {
    open = value;
    storeDemoInboxOpen(value);
    showOpen(aside, parts, open);
    schedule();
  }

  async function decide(decision) {
    try {
      await api.demoPush(decision);
      remote = null;
      renderPush();
      announce(decision === 'approve' ? 'demo.approved' : 'demo.denied');
    } catch (err) {
      bind(problem, errorKey(err.code));
      problem.hidden = false;
    }
  }

  approve.addEventListener('click', () => decide('approve'));
  deny.addEventListener('click', () => decide('deny'));
  toggle.addEventListener('click', () => setOpen(!open));
  document.addEventListener('visibilitychange', schedule);
  onPushPending((pending) => { localPending = pending; renderPush(); });
  renderPush();
  setOpen(open);
}
