// Find the caller by the email they give (exact, then lower-cased: Rust does both) or by an
// Auth0 user id. One match opens straight away; several are listed with what tells them apart.
import { h, lock, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { FIELD_CODES, fieldMessage, reasonHint, refuseLineBreaks } from '../widgets/field-message.js';
import { helpdeskToolbar } from '../widgets/helpdesk-toolbar.js';
import { announce } from '../announce.js';
import { endIfHelpdeskEnded, helpdeskCall } from '../helpdesk-mode.js';
import { callerFacts } from '../helpdesk-caller-facts.js';

export function helpdeskFindScreen({ query = '' } = {}) {
  const headingId = uid('h');
  const inputId = uid('query');
  const hintId = uid('hint');
  const banner = errorBanner();
  const results = h('div', { testid: 'helpdesk-results-area', 'aria-live': 'polite' });
  const input = h('input', {
    id: inputId, type: 'text', testid: 'helpdesk-search-input', value: query,
    autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', 'aria-describedby': hintId,
  });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'helpdesk-search-submit', i18n: 'helpdesk.find.submit' });
  const message = fieldMessage(input, 'helpdesk-search-error');
  const why = reasonHint(input, submit, 'helpdesk-search-why');
  refuseLineBreaks(input, message);
  const refresh = () => {
    const empty = !input.value.trim();
    lock(submit, 'incomplete', empty);
    why.set(empty ? 'helpdesk.find.typeFirst' : null);
  };
  input.addEventListener('input', () => { message.clear(); refresh(); });
  refresh();

  function showResults(found) {
    if (found.length === 0) {
      results.replaceChildren(h('p', { class: 'callout', testid: 'helpdesk-no-results', i18n: 'helpdesk.find.none', args: { query: input.value.trim() } }));
      announce('helpdesk.find.none', { query: input.value.trim() });
      return;
    }
    if (found.length === 1) {
      announce('helpdesk.find.one');
      go('helpdesk-caller', { userId: found[0].userId });
      return;
    }
    announce('helpdesk.find.several', { n: found.length });
    results.replaceChildren(
      h('p', { i18n: 'helpdesk.find.several', args: { n: found.length } }),
      h('ul', { class: 'choices', testid: 'helpdesk-results' },
        found.map((user) => h('li', {},
          h('button', {
            type: 'button', class: 'choice', testid: 'helpdesk-result', 'data-user-id': user.userId,
            onclick: () => go('helpdesk-caller', { userId: user.userId }),
          }, h('span', { class: 'choice-text' },
            h('span', { class: 'choice-title' }, user.name ?? user.email ?? user.userId),
            callerFacts(user, { compact: true }))))))
    );
  }

  const form = h('form', { class: 'stack', novalidate: true, testid: 'helpdesk-search-form', role: 'search' },
    h('div', { class: 'field' },
      h('label', { for: inputId, i18n: 'helpdesk.find.label' }),
      h('div', { class: 'inline' }, input, submit),
      h('p', { class: 'hint', id: hintId, i18n: 'helpdesk.find.hint' }),
      message.el,
      why.el));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    results.replaceChildren();
    try {
      showResults(await withBusy(submit, 'helpdesk.find.searching', () => helpdeskCall(() => api.helpdeskFind(input.value.trim())), form));
    } catch (err) {
      if (endIfHelpdeskEnded(err)) return;
      if (FIELD_CODES.caller.has(err.code)) {
        message.show(err.code);
        input.focus();
      } else {
        banner.show(err, { lockButtons: [submit] });
      }
    }
  });

  const el = screenRoot('helpdesk-find', { 'aria-labelledby': headingId },
    helpdeskToolbar('helpdesk-find'),
    h('h1', { id: headingId, i18n: 'helpdesk.find.title' }),
    h('p', { i18n: 'helpdesk.find.intro' }),
    banner.el,
    form,
    results);
  return { el };
}
