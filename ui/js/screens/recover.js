// Recovery code sign-in. Using the code burns it; Rust returns a new one,
// which goes straight to the export dialog.
import { h, lock, uid, withBusy } from '../dom.js';
import { bind } from '../i18n.js';
import { go, screenRoot } from '../router.js';
import { goHome } from '../after-signin.js';
import { api } from '../api.js';
import { errorBanner } from '../widgets/error-banner.js';
import { FIELD_CODES, fieldMessage } from '../widgets/field-message.js';
import { helpdeskBlock } from '../helpdesk.js';
import { endIfSessionExpired } from '../session-expiry.js';

const CODE_LENGTH = 24;
// Letters and digits typed so far, for the count; Rust reads the code (case, spaces,
// dashes and full-width forms are fine) and says what is wrong with anything else.
const charactersOf = (value) => value
  .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  .replace(/[\s\-\u2010-\u2015\u2212\u30FC]/g, '');

// next(): where to go once the new code is stored (default: home, suggesting clean-up).
export function recoverScreen({ next = () => goHome({ recovered: true }) } = {}) {
  const headingId = uid('h');
  const inputId = uid('rc');
  const hintId = uid('rc-hint');
  const countId = uid('rc-count');
  const banner = errorBanner();

  // No maxlength: a pasted code cut short would be refused as wrong, with no hint why.
  const input = h('input', {
    id: inputId, type: 'text', name: 'recovery-code', class: 'recovery-field', testid: 'recovery-input',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', autocorrect: 'off',
    'aria-describedby': `${hintId} ${countId}`, translate: 'no',
  });
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'recovery-submit', i18n: 'recover.submit' });
  // The count says how far along the code is, and while Submit is disabled, why.
  const count = h('p', { id: countId, class: 'hint', testid: 'recovery-count' });
  submit.setAttribute('aria-describedby', countId);
  const message = fieldMessage(input, 'recovery-error');

  function refresh() {
    const kept = charactersOf(input.value);
    const incomplete = /^[a-z0-9]*$/i.test(kept) && kept.length < CODE_LENGTH;
    bind(count, incomplete ? 'recover.incomplete' : 'recover.count', { n: kept.length, total: CODE_LENGTH });
    count.dataset.incomplete = String(incomplete);
    lock(submit, 'incomplete', incomplete);
  }
  input.addEventListener('input', () => {
    message.clear();
    refresh();
  });
  refresh();

  const form = h('form', { class: 'stack', novalidate: true, testid: 'recovery-form' },
    h('div', { class: 'field' },
      h('label', { for: inputId, i18n: 'recover.label' }),
      input,
      h('p', { id: hintId, class: 'hint', i18n: 'recover.hint' }),
      message.el,
      count),
    h('div', { class: 'actions' },
      submit,
      h('button', { type: 'button', class: 'link-button', testid: 'recover-back', i18n: 'recover.back', onclick: () => go('verify') })));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    banner.clear();
    message.clear();
    try {
      const recoveryCode = await withBusy(submit, 'common.checking', () => api.recover(input.value), form);
      input.value = '';
      go('export', { code: recoveryCode, context: 'recovery', next });
    } catch (err) {
      if (endIfSessionExpired(err)) return;
      if (FIELD_CODES.recovery.has(err.code)) {
        // Nothing was sent: the code stays as typed, to be corrected in place.
        message.show(err.code);
        input.focus();
        return;
      }
      banner.show(err, { lockButtons: [submit] });
      if (err.code === 'wrong_recovery_code') {
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
