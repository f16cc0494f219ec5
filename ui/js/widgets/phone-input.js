// Country <select> plus national number. Options are re-sorted by their
// translated names when the language changes.
import { h, uid } from '../dom.js';
import { getLocale, onLocaleChange, t } from '../i18n.js';
import { COUNTRIES, defaultCountry } from '../countries.js';

export function phoneInput({ country, number } = {}) {
  const countryId = uid('country');
  const numberId = uid('phone');
  const hintId = uid('phone-hint');
  const select = h('select', { id: countryId, name: 'country', testid: 'phone-country', autocomplete: 'tel-country-code' },
    COUNTRIES.map(({ iso, dial }) => h('option', {
      value: iso, i18n: 'phone.countryOption', args: { country: { t: `country.${iso}` }, dial },
    })));
  select.value = country || defaultCountry(getLocale());

  const input = h('input', {
    id: numberId, name: 'phone', type: 'tel', testid: 'phone-number', value: number || '',
    autocomplete: 'tel-national', inputmode: 'tel', maxlength: '32', 'aria-describedby': hintId,
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

  const el = h('div', { class: 'phone-input' },
    h('div', { class: 'field' }, h('label', { for: countryId, i18n: 'phone.country' }), select),
    h('div', { class: 'field' },
      h('label', { for: numberId, i18n: 'phone.number' }),
      input,
      h('p', { id: hintId, class: 'hint', i18n: 'phone.numberHint' })));

  return {
    el,
    select,
    input,
    value: () => ({ country: select.value, number: input.value.trim() }),
  };
}
