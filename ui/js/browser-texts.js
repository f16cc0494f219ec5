// What the browser tab says once the app has its answer, in the person's language: the
// employee's sign-in and the helpdesk agent's pass the same texts to Rust.
import { getLocale, t } from './i18n.js';

export function callbackTexts() {
  return {
    lang: getLocale(),
    title: t('app.name'),
    doneHeading: t('browser.page.doneHeading'),
    doneBody: t('browser.page.doneBody'),
    failedHeading: t('browser.page.failedHeading'),
    failedBody: t('browser.page.failedBody'),
    foreignHeading: t('browser.page.foreignHeading'),
    foreignBody: t('browser.page.foreignBody'),
    switchingHeading: t('browser.page.switchingHeading'),
    switchingBody: t('browser.page.switchingBody'),
  };
}
