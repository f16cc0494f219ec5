// Recovery code sign-in. Using the code burns it; Rust returns a new one,
// which goes straight to the export dialog.
import { h, lock, uid, withBusy } from '../dom.js';
import { bind } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { goHome } from '../after-signin.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { helpdeskBlock } from '../helpdesk.js';
import { endIfSessionExpired } from '../session-expiry.js';

const CODE_LENGTH = 24;
const charactersOf = (value) => value.replace(/[\s-]/g, '');

export function recoverScreen() {
  const headingId = uid('h');
  const inputId = uid('rc');
  const hintId = uid('rc-hint');
  const countId = uid('rc-count');
  const banner = errorBanner();

  const input = h('input', {
    id: inputId, type: 'text', name: 'recovery-code', class: 'recovery-field', testid: 'recovery-input',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', autocorrect: 'off',
    maxlength: '64', 'aria-describedby': `${hintId} ${countId}`, translate: 'no',
  });
  const count = h('p', { id: countId, class: 'hint', testid: 'recovery-count' });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'recovery-submit', i18n: 'recover.submit' });

  function refresh() {
    const n = charactersOf(input.value).length;
    bind(count, 'recover.count', { n, total: CODE_LENGTH });
    lock(submit, 'incomplete', !(n === CODE_LENGTH && /^[a-z0-9]+$/i.test(charactersOf(input.value))));
  }
  input.addEventListener('input', refresh);
  refresh();

  const form = h('form', { class: 'stack', novalidate: true, testid: 'recovery-form' },
    h('div', { class: 'field' },
      h('label', { for: inputId, i18n: 'recover.label' }),
      input,
      h('p', { id: hintId, class: 'hint', i18n: 'recover.hint' }),
      count),
    h('div', { class: 'actions' },
      submit,
      h('button', { type: 'button', class: 'link-button', testid: 'recover-back', i18n: 'recover.back', onclick: () => go('verify') })));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    input.removeAttribute('aria-invalid');
    try {
      const recoveryCode = await withBusy(submit, 'common.checking', () => api.recover(input.value.trim()), form);
      input.value = '';
      go('export', { code: recoveryCode, context: 'recovery', next: () => goHome({ recovered: true }) });
    } catch (err) {
      if (endIfSessionExpired(err)) return;
      banner.show(err, { lockButtons: [submit] });
      if (err.code === 'wrong_recovery_code' || err.code === 'invalid_recovery_code_format') {
        input.setAttribute('aria-invalid', 'true');
        input.select();
        input.focus();
      }
    }
  });

  const el = screenRoot('recover', { 'aria-labelledby': headingId },
    h('h1', { id: headingId, i18n: 'recover.title' }),
    h('p', { i18n: 'recover.intro' }),
    banner.el,
    form,
    h('section', { class: 'panel help', 'aria-labelledby': `${headingId}-help` },
      h('h2', { id: `${headingId}-help`, i18n: 'recover.noCodeTitle' }),
      h('p', { i18n: 'recover.noCodeBody' }),
      helpdeskBlock()));
  return { el };
}
