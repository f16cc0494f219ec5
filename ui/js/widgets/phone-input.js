// Country <select> plus the number, typed locally or with its country code. Options are
// re-sorted by their translated names when the language changes. The number is left as
// typed: Rust reads it and says what is wrong at the field.
import { h, uid } from '../dom.js';
import { getLocale, onLocaleChange } from '../i18n.js';
import { COUNTRIES, defaultCountry } from '../countries.js';
import { fieldMessage, refuseLineBreaks } from './field-message.js';

export function phoneInput({ country, number } = {}) {
  const countryId = uid('country');
  const numberId = uid('phone');
  const hintId = uid('phone-hint');
  const select = h('select', { id: countryId, name: 'country', testid: 'phone-country', autocomplete: 'tel-country-code' },
    COUNTRIES.map(({ iso, dial }) => h('option', {
      value: iso, i18n: 'phone.countryOption', args: { country: { t: `country.${iso}` }, dial },
    })));
  select.value = country || defaultCountry(getLocale());

  // No maxlength: a pasted number cut short would be another number.
  const input = h('input', {
    id: numberId, name: 'phone', type: 'tel', testid: 'phone-number', value: number || '',
    autocomplete: 'tel-national', inputmode: 'tel', 'aria-describedby': hintId,
  });
  const message = fieldMessage(input, 'phone-error');
  const countryMessage = fieldMessage(select, 'phone-country-error');
  refuseLineBreaks(input, message);
  input.addEventListener('input', () => message.clear());
  select.addEventListener('change', () => {
    countryMessage.clear();
    message.clear();
  });

  function sortOptions() {
    const collator = new Intl.Collator(getLocale());
    const selected = select.value;
    const options = [...select.options].sort((a, b) => collator.compare(a.textContent, b.textContent));
    select.replaceChildren(...options);
    select.value = selected;
  }
  sortOptions();
  const stop = onLocaleChange(() => (select.isConnected ? sortOptions() : stop()));

  const numberField = h('div', { class: 'field' },
    h('label', { for: numberId, i18n: 'phone.number' }),
    input,
    h('p', { id: hintId, class: 'hint', i18n: 'phone.numberHint' }),
    message.el);

  const el = h('div', { class: 'phone-input' },
    h('div', { class: 'field' }, h('label', { for: countryId, i18n: 'phone.country' }), select, countryMessage.el),
    numberField);

  return {
    el,
    select,
    input,
    /** Extra lines under the number (the reason Continue is disabled). */
    addToNumberField: (child) => numberField.append(child),
    value: () => ({ country: select.value, number: input.value }),
    /** Rust refused the country or the number: say why at that field. */
    refuse(code) {
      if (code === 'invalid_country') {
        countryMessage.show(code);
        select.focus();
      } else {
        message.show(code);
        input.focus();
      }
    },
  };
}
