// Demo mode only: a side panel standing in for the phone, mailbox and
// authenticator app. Polls every 2 s while it is open and the window visible.
import { h, uid } from '../dom.js';
import { bind, has } from '../i18n.js';
import { api } from '../api.js';
import { isPushPending, onPushPending } from '../state.js';
import { kindKey } from '../kinds.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { demoInboxOpen, storeDemoInboxOpen } from '../prefs.js';
import { errorKey } from '../widgets/error-banner.js';

const POLL_MS = 2000;

export function initDemoInbox(aside) {
  const titleId = uid('demo');
  const bodyId = uid('demo-body');
  let open = demoInboxOpen();
  let timer = null;
  let lastOutbox = '';

  const toggle = h('button', { type: 'button', class: 'secondary small', testid: 'demo-inbox-toggle', 'aria-controls': bodyId });
  const pushStatus = h('p', { testid: 'demo-push-status' });
  // A helpdesk's request to verify a caller shows the words the agent reads out.
  const pushBinding = h('p', { class: 'demo-binding', testid: 'demo-push-binding', hidden: true });
  const approve = h('button', { type: 'button', class: 'primary small', testid: 'demo-approve', i18n: 'demo.approve' });
  const deny = h('button', { type: 'button', class: 'danger small', testid: 'demo-deny', i18n: 'demo.deny' });
  const totpList = h('ul', { class: 'demo-list', testid: 'demo-totp' });
  const outbox = h('ol', { class: 'demo-list', testid: 'demo-outbox', reversed: true });
  const problem = h('p', { class: 'warning-text', testid: 'demo-error', hidden: true });

  const body = h('div', { id: bodyId, class: 'demo-body' },
    h('p', { class: 'demo-note', i18n: 'demo.note' }),
    h('section', { class: 'demo-section' }, h('h3', { i18n: 'demo.pushTitle' }), pushStatus, pushBinding, h('div', { class: 'actions' }, approve, deny)),
    h('section', { class: 'demo-section' }, h('h3', { i18n: 'demo.totpTitle' }), totpList),
    h('section', { class: 'demo-section' }, h('h3', { i18n: 'demo.outboxTitle' }), outbox),
    problem);

  aside.setAttribute('aria-labelledby', titleId);
  aside.replaceChildren(
    h('div', { class: 'demo-head' }, h('h2', { id: titleId, i18n: 'demo.title' }), toggle),
    body);
  aside.hidden = false;

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
    body.hidden = !open;
    aside.classList.toggle('collapsed', !open);
    toggle.setAttribute('aria-expanded', String(open));
    bind(toggle, open ? 'demo.hide' : 'demo.show');
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
