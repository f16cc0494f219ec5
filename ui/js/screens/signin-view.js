// The sign-in screen's look for the tenant's settings; its markup is index.html's
// signin-template. first-paint.js draws it before main.js's modules have arrived (issue 24),
// signin.js gives it its behaviour.
import { bind } from '../i18n.js';
import { fromTemplate } from '../templates.js';

export const asksForUsername = (app) => app?.signInIdentifier === 'username';

/** The label of the first field, and why Sign in waits while it is empty. */
export const identifierKeys = (usernames) => (usernames
  ? { label: 'signin.usernameLabel', empty: 'signin.emptyUsername' }
  : { label: 'signin.username', empty: 'signin.emptyEmail' });

/** The screen with both fields empty (or `username` filled in), as signin.js expects it. */
export function signinView(app, { notice, username = '' } = {}) {
  const view = fromTemplate('signin-template');
  const { parts } = view;
  if (asksForUsername(app)) {
    const keys = identifierKeys(true);
    bind(parts.userLabel, keys.label);
    bind(parts.userEmpty, keys.empty);
    // An email keyboard would get in the way of a username.
    parts.user.removeAttribute('inputmode');
  }
  parts.user.value = username;
  if (notice) bind(parts.notice, notice);
  else parts.notice.remove();
  if (app?.tenant) {
    parts.tenantName.textContent = app.tenant.name;
    parts.tenantDomain.textContent = app.tenant.domain;
  } else {
    parts.tenant.remove();
    parts.tenantManaged.remove();
  }
  // Where IT chose browser sign-in, its panel replaces the password form.
  (app?.signIn === 'browser' ? parts.form : parts.browser).remove();
  if (!app?.helpdeskMode) parts.helpdesk.remove();
  return view;
}
