// Non-secret preferences kept in localStorage. Storage may be unavailable;
// preferences are a convenience, so failures are ignored.
const LOCALE_KEY = 'mfa-desk.locale';
const LAST_METHOD_KEY = 'mfa-desk.last-authenticator';
const DEMO_OPEN_KEY = 'mfa-desk.demo-inbox-open';

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* ignored: see above */
  }
}

export const storedLocale = () => read(LOCALE_KEY);
export const storeLocale = (locale) => write(LOCALE_KEY, locale);
export const lastMethodId = () => read(LAST_METHOD_KEY);
export const storeLastMethodId = (id) => write(LAST_METHOD_KEY, id);
export const demoInboxOpen = () => read(DEMO_OPEN_KEY) !== 'false';
export const storeDemoInboxOpen = (open) => write(DEMO_OPEN_KEY, String(open));
