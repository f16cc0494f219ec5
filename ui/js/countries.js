// The countries offered in the phone picker (ISO region → calling code).
// Names come from the catalogue: "country.<ISO>".
export const COUNTRIES = [
  ['US', '1'], ['CA', '1'], ['GB', '44'], ['IE', '353'], ['FR', '33'], ['BE', '32'],
  ['CH', '41'], ['LU', '352'], ['DE', '49'], ['NL', '31'], ['ES', '34'], ['PT', '351'],
  ['IT', '39'], ['SE', '46'], ['JP', '81'], ['KR', '82'], ['CN', '86'], ['IN', '91'],
  ['SG', '65'], ['AU', '61'], ['NZ', '64'], ['BR', '55'], ['MX', '52'],
].map(([iso, dial]) => ({ iso, dial }));

const LOCALE_DEFAULT = { en: 'US', ja: 'JP', fr: 'FR' };

// Best guess: the region of the OS language ("fr-CA" → CA), else the app locale's.
export function defaultCountry(locale) {
  const region = (navigator.language || '').split('-')[1]?.toUpperCase();
  if (region && COUNTRIES.some((c) => c.iso === region)) return region;
  return LOCALE_DEFAULT[locale] ?? 'US';
}
