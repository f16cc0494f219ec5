// Helpdesk mode's front door: what it is and who may use it, the one-time paste of the
// helpdesk application's secret when this computer lacks it, then the agent's own sign-in.
import { h, lock, present, uid, withBusy } from '../dom.js';
import { go, screenRoot } from '../router.js';
import { api } from '../api.js';
import { session } from '../state.js';
import { errorBanner } from '../widgets/error-banner.js';
import { announce } from '../announce.js';
import { icon } from '../icons.js';

export function helpdeskEntryScreen({ error } = {}) {
  const headingId = uid('h');
  const banner = errorBanner();
  const body = h('div', { class: 'step-host', 'aria-busy': 'true' });

  const back = h('button', {
    type: 'button', class: 'link-button', testid: 'helpdesk-back', i18n: 'helpdesk.entry.back',
    onclick: () => { session.purpose = null; go('signin'); },
  });

  function startButton() {
    return h('button', {
      type: 'button', class: 'primary', testid: 'helpdesk-start', i18n: 'helpdesk.entry.start',
      onclick: () => { session.purpose = 'helpdesk'; go('signin'); },
    });
  }

  // The secret is typed into a password field, sent once, and never shown or sent back.
  function secretForm() {
    const inputId = uid('secret');
    const hintId = uid('hint');
    const input = h('input', {
      id: inputId, type: 'password', testid: 'helpdesk-secret-input', autocomplete: 'off',
      spellcheck: 'false', 'aria-describedby': hintId, maxlength: '512',
    });
    const save = h('button', { type: 'submit', class: 'primary', testid: 'helpdesk-secret-save', i18n: 'helpdesk.secret.save' });
    const refresh = () => lock(save, 'incomplete', !input.value.trim());
    input.addEventListener('input', refresh);
    refresh();
    const form = h('form', { class: 'stack', novalidate: true, testid: 'helpdesk-secret-form' },
      h('h2', { i18n: 'helpdesk.secret.title' }),
      h('p', { i18n: 'helpdesk.secret.intro' }),
      h('div', { class: 'field' },
        h('label', { for: inputId, i18n: 'helpdesk.secret.label' }),
        input,
        h('p', { id: hintId, class: 'hint', i18n: 'helpdesk.secret.hint' })),
      h('div', { class: 'actions' }, save));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (save.disabled) return;
      banner.clear();
      try {
        await withBusy(save, 'helpdesk.secret.saving', () => api.helpdeskStoreSecret(input.value), form);
      } catch (err) {
        input.value = '';
        refresh();
        banner.show(err, { lockButtons: [save] });
        input.focus();
        return;
      }
      input.value = '';
      announce('helpdesk.secret.saved');
      render({ secretStored: true, justStored: true });
    });
    return { form, focus: () => input.focus() };
  }

  function render(status) {
    body.setAttribute('aria-busy', 'false');
    // Missing, or refused by Auth0 (IT rotated it): IT pastes the current one. A pasted
    // secret is checked with Auth0 before it replaces anything.
    const secretMissing = !status.secretStored || (error?.code === 'helpdesk_credentials_refused' && !status.justStored);
    if (secretMissing) {
      const { form } = secretForm();
      body.replaceChildren(form);
      return;
    }
    body.replaceChildren(...present(
      status.justStored
        ? h('p', { class: 'notice with-icon', role: 'status', testid: 'helpdesk-secret-stored' }, icon('check'), h('span', { i18n: 'helpdesk.secret.saved' }))
        : null,
      status.demo ? h('p', { class: 'callout', testid: 'helpdesk-demo-hint', i18n: 'helpdesk.entry.demoHint' }) : null,
      h('div', { class: 'actions' }, startButton())));
  }

  api.helpdeskStatus()
    .then(render)
    .catch((err) => { body.setAttribute('aria-busy', 'false'); banner.show(err); });
  if (error) banner.show(error);

  const el = screenRoot('helpdesk-entry', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'helpdesk.entry.title' }),
    h('p', { i18n: 'helpdesk.entry.intro' }),
    h('ul', { class: 'steps', testid: 'helpdesk-rules' },
      h('li', { i18n: 'helpdesk.entry.ruleAgents' }),
      h('li', { i18n: 'helpdesk.entry.ruleVerify' }),
      h('li', { i18n: 'helpdesk.entry.ruleIdle' }),
      h('li', { i18n: 'helpdesk.entry.ruleAudit' })),
    banner.el,
    body,
    h('div', { class: 'actions footer-actions' }, back));
  return { el };
}
