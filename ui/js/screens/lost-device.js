// The lost-device path, one guided flow from "I lost my phone or authenticator" on the
// sign-in screen: sign in → recovery code → save the new code (the export dialog) → which
// methods were lost (with what Auth0 removes along with each) → remove them → set up a
// replacement → a summary of what changed. Without a recovery code: the helpdesk, and what
// to tell them. Auth0's rules (cascades, the last method) come from Rust in each method view.
import { h, lock, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { enrollableKinds, keepSignIn, session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { cascadeKey, kindBadge, methodLabel } from '../kinds.js';
import { helpdeskBlock } from '../helpdesk.js';
import { icon } from '../icons.js';
import { announce } from '../announce.js';
import { endIfSessionExpired } from '../session-expiry.js';

// What happened so far, for the summary.
const journey = { removed: [], before: [], newCodeSaved: false, account: '' };

function resetJourney() {
  journey.removed = [];
  journey.before = [];
  journey.newCodeSaved = false;
  journey.account = '';
}

const browserMode = () => session.app?.signIn === 'browser';
const usable = (list) => list.filter((a) => a.usable);

function backToSignIn() {
  return h('button', { type: 'button', class: 'link-button', testid: 'lost-back', i18n: 'lost.backToSignIn', onclick: () => go('signin') });
}

function intro() {
  const haveCode = h('button', {
    type: 'button', class: 'primary', testid: 'lost-have-code', i18n: 'lost.haveCode',
    onclick: () => {
      if (!browserMode()) {
        go('lost', { step: 'signin' });
        return;
      }
      // The hosted page asks for the recovery code and shows the new one itself.
      go('browser-wait', {
        hintKey: 'lost.browserHint',
        back: () => go('lost'),
        next: (view) => signedIn(view),
      });
    },
  });
  return [
    h('h1', { i18n: 'lost.title' }),
    h('p', { i18n: 'lost.intro' }),
    h('ol', { class: 'steps', testid: 'lost-steps' },
      h('li', { i18n: 'lost.stepSignIn' }),
      h('li', { i18n: 'lost.stepCode' }),
      h('li', { i18n: 'lost.stepWhich' }),
      h('li', { i18n: 'lost.stepReplace' })),
    h('h2', { i18n: 'lost.question' }),
    h('div', { class: 'actions' },
      haveCode,
      h('button', { type: 'button', class: 'secondary', testid: 'lost-no-code', i18n: 'lost.noCode', onclick: () => go('lost', { step: 'no-code' }) })),
    h('div', { class: 'actions' }, backToSignIn()),
  ];
}

// After a sign-in: the recovery code if the person must verify, else straight on.
function signedIn(result) {
  keepSignIn(result);
  journey.account = result.account;
  if (result.next === 'verify') {
    go('recover', {
      next: () => {
        journey.newCodeSaved = true;
        go('lost', { step: 'which' });
      },
    });
  } else if (result.next === 'enroll') {
    // Nothing was set up, so nothing can be lost: set up a first method.
    go('enroll', { first: true });
  } else {
    go('lost', { step: 'which' });
  }
}

function signIn(banner) {
  const userId = uid('user');
  const passId = uid('pass');
  const user = h('input', {
    id: userId, type: 'email', testid: 'lost-username', autocomplete: 'username', autocapitalize: 'off',
    spellcheck: 'false', maxlength: '320', value: journey.account,
  });
  const pass = h('input', { id: passId, type: 'password', testid: 'lost-password', autocomplete: 'current-password', maxlength: '1024' });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'lost-signin-submit', i18n: 'signin.submit' });
  const refresh = () => lock(submit, 'incomplete', !user.value.trim() || !pass.value);
  user.addEventListener('input', refresh);
  pass.addEventListener('input', refresh);
  refresh();
  const form = h('form', { class: 'stack', novalidate: true, testid: 'lost-signin-form' },
    h('div', { class: 'field' }, h('label', { for: userId, i18n: 'signin.username' }), user),
    h('div', { class: 'field' }, h('label', { for: passId, i18n: 'signin.password' }), pass),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    try {
      journey.account = user.value.trim();
      const result = await withBusy(submit, 'signin.submitting', () => api.signIn(journey.account, pass.value), form);
      pass.value = '';
      signedIn(result);
    } catch (err) {
      banner.show(err, { lockButtons: [submit] });
      pass.value = '';
      refresh();
      pass.focus();
    }
  });
  return [
    h('h1', { i18n: 'lost.signInTitle' }),
    h('p', { i18n: 'lost.signInBody' }),
    banner.el,
    form,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'link-button', testid: 'lost-back', i18n: 'lost.back', onclick: () => go('lost') })),
  ];
}

function noCode() {
  return [
    h('h1', { i18n: 'lost.noCodeTitle' }),
    h('p', { i18n: 'lost.noCodeBody' }),
    helpdeskBlock(),
    h('h2', { i18n: 'lost.sayTitle' }),
    h('ul', { testid: 'lost-what-to-say' },
      h('li', { i18n: 'lost.sayWho' }),
      h('li', { i18n: 'lost.sayWhat' }),
      h('li', { i18n: 'lost.sayAsk' })),
    h('p', { class: 'hint', i18n: 'lost.sayCheck' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'link-button', testid: 'lost-back', i18n: 'lost.back', onclick: () => go('lost') }),
      backToSignIn()),
  ];
}

// "Which of these did you lose?": every usable method, with what goes with it.
function which(banner) {
  const list = h('ul', { class: 'choices', testid: 'lost-methods', 'aria-busy': 'true' });
  const remove = h('button', { type: 'button', class: 'danger', testid: 'lost-remove', i18n: 'lost.removeSelected' });
  const none = h('button', { type: 'button', class: 'secondary', testid: 'lost-none', i18n: 'lost.noneLost', onclick: () => go('lost', { step: 'replace' }) });
  const boxes = [];
  let current = [];
  const refresh = () => lock(remove, 'incomplete', !boxes.some((b) => b.checked));

  function row(authenticator) {
    const id = uid('lost');
    const box = h('input', { type: 'checkbox', id, testid: 'lost-method', 'data-id': authenticator.id, 'data-kind': authenticator.kind });
    box.addEventListener('change', refresh);
    boxes.push(box);
    const cascade = cascadeKey(authenticator.cascade);
    return h('li', { class: 'choice lost-choice', 'data-kind': authenticator.kind },
      box,
      h('label', { for: id, class: 'choice-text' },
        h('span', { class: 'choice-title' }, kindBadge(authenticator.kind), ' ', h('span', { class: 'method-name' }, authenticator.name ?? '')),
        cascade ? h('span', { class: 'choice-desc', testid: 'lost-cascade', i18n: cascade }) : null,
        authenticator.removesLastMethod ? h('span', { class: 'choice-desc warning-text', testid: 'lost-last', i18n: 'lost.lastMethod' }) : null));
  }

  async function load() {
    try {
      const methods = await api.listAuthenticators();
      current = methods.authenticators;
      session.authenticators = current;
      journey.before = usable(current).map((a) => a.id);
      const shown = usable(current);
      list.replaceChildren(...(shown.length ? shown.map(row) : [h('li', { class: 'empty', i18n: 'lost.nothingListed' })]));
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err);
    } finally {
      list.setAttribute('aria-busy', 'false');
      refresh();
    }
  }

  remove.addEventListener('click', async () => {
    banner.clear();
    const chosen = boxes.filter((b) => b.checked).map((b) => b.dataset.id);
    try {
      await withBusy(remove, 'remove.removing', async () => {
        for (const id of chosen) {
          const target = current.find((a) => a.id === id);
          // SMS and voice to one phone go together: the second may already be gone.
          if (!target) continue;
          const methods = await api.removeAuthenticator(id);
          journey.removed.push(methodLabel(target));
          for (const gone of current.filter((a) => !methods.authenticators.some((b) => b.id === a.id))) {
            if (gone.id !== id && usable([gone]).length) journey.removed.push(methodLabel(gone));
          }
          current = methods.authenticators;
          session.authenticators = current;
        }
      }, list);
    } catch (err) {
      if (!endIfSessionExpired(err)) banner.show(err);
      await load();
      return;
    }
    announce('lost.removedAnnounce');
    go('lost', { step: 'replace' });
  });

  load();
  return [
    h('h1', { i18n: 'lost.whichTitle' }),
    h('p', { i18n: 'lost.whichBody' }),
    banner.el,
    list,
    h('div', { class: 'actions' }, remove, none),
  ];
}

// "Set up a replacement now": any kind IT allows, through the usual wizard.
function replace() {
  const left = usable(session.authenticators ?? []).length;
  const allowed = enrollableKinds().length > 0;
  const summary = () => go('lost', { step: 'summary' });
  return [
    h('h1', { i18n: 'lost.replaceTitle' }),
    journey.removed.length
      ? h('p', { class: 'notice with-icon', testid: 'lost-removed-notice' }, icon('check'), h('span', { i18n: 'lost.removedNotice' }))
      : null,
    h('p', { i18n: 'lost.replaceBody' }),
    left === 0 ? h('p', { class: 'warning with-icon', testid: 'lost-nothing-left' }, icon('warning'), h('span', { i18n: 'lost.nothingLeft' })) : null,
    allowed
      ? h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'primary', testid: 'lost-replace', i18n: 'lost.replaceNow',
          onclick: () => go('enroll', { next: summary, onCancel: () => go('lost', { step: 'replace' }) }),
        }),
        h('button', { type: 'button', class: 'secondary', testid: 'lost-skip', i18n: 'lost.replaceLater', onclick: summary }))
      : [h('p', { i18n: 'home.noFactorsAllowed' }), helpdeskBlock(), h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', testid: 'lost-skip', i18n: 'common.continue', onclick: summary }))],
  ];
}

function summary() {
  const listId = uid('h');
  const now = usable(session.authenticators ?? []);
  const added = now.filter((a) => !journey.before.includes(a.id));
  const item = (testid, key, args) => h('li', { testid, i18n: key, args });
  return [
    h('h1', { i18n: 'lost.summaryTitle' }),
    h('h2', { id: listId, i18n: 'lost.summaryChanges' }),
    h('ul', { class: 'summary', testid: 'lost-summary', 'aria-labelledby': listId },
      journey.removed.length
        ? journey.removed.map((label) => item('lost-summary-removed', 'lost.summaryRemoved', { method: label }))
        : item('lost-summary-none-removed', 'lost.summaryNoneRemoved'),
      added.length
        ? added.map((a) => item('lost-summary-added', 'lost.summaryAdded', { method: methodLabel(a) }))
        : item('lost-summary-none-added', 'lost.summaryNoneAdded'),
      journey.newCodeSaved
        ? item('lost-summary-code', 'lost.summaryCodeSaved')
        : browserMode() ? item('lost-summary-code', 'lost.summaryCodeBrowser') : null),
    h('p', { i18n: 'lost.summaryFound' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', testid: 'lost-done', i18n: 'lost.done', onclick: () => go('home') })),
  ];
}

// `fresh`: chosen on the sign-in screen (signin.js), a new journey.
export function lostScreen({ step = 'intro', fresh = false } = {}) {
  if (fresh) resetJourney();
  const headingId = uid('h');
  const banner = errorBanner();
  const steps = { intro, signin: signIn, 'no-code': noCode, which, replace, summary };
  const content = (steps[step] ?? intro)(banner);
  const el = screenRoot('lost', { 'aria-labelledby': headingId, 'data-step': step }, content);
  el.querySelector('h1')?.setAttribute('id', headingId);
  return { el };
}
