// Start-up: load the app state from Rust, pick the language, choose the first screen.
import { api } from './js/api.js';
import { h } from './js/dom.js';
import { isLocale, setLocale, translateTree } from './js/i18n.js';
import { initAnnouncer } from './js/announce.js';
import { go, initRouter, register } from './js/router.js';
import { session, setAccount } from './js/state.js';
import { storedLocale } from './js/prefs.js';
import { initHeader } from './js/header.js';
import { icon } from './js/icons.js';
import { errorKey } from './js/widgets/error-banner.js';
import { configErrorScreen } from './js/screens/config-error.js';
import { signinScreen } from './js/screens/signin.js';
import { homeScreen } from './js/screens/home.js';
import { enrollScreen } from './js/screens/enroll.js';
import { verifyScreen } from './js/screens/verify.js';
import { recoverScreen } from './js/screens/recover.js';
import { exportScreen } from './js/screens/recovery-export.js';
import { initDemoInbox } from './js/screens/demo-inbox.js';
import { browserWaitScreen } from './js/screens/browser-signin.js';
import { lostScreen } from './js/screens/lost-device.js';
import { helpdeskEntryScreen } from './js/screens/helpdesk-entry.js';
import { helpdeskBeginScreen } from './js/screens/helpdesk-begin.js';
import { helpdeskFindScreen } from './js/screens/helpdesk-find.js';
import { helpdeskCallerScreen } from './js/screens/helpdesk-caller.js';
import { helpdeskHistoryScreen } from './js/screens/helpdesk-history.js';

function chooseLocale(app) {
  if (app?.localeManaged && isLocale(app.locale)) return app.locale;
  const stored = storedLocale();
  if (isLocale(stored)) return stored;
  if (isLocale(app?.locale)) return app.locale;
  const system = (navigator.language || 'en').slice(0, 2);
  return isLocale(system) ? system : 'en';
}

function showKeyringWarning(code) {
  document.getElementById('global-notices').append(
    h('p', { class: 'warning with-icon', testid: 'keyring-warning' },
      icon('warning'),
      h('span', {}, h('span', { i18n: 'app.keyringWarning' }), ' ', h('span', { i18n: errorKey(code) }))));
}

async function start() {
  initAnnouncer(document.getElementById('status'));
  initRouter(document.getElementById('main'));
  register('config-error', configErrorScreen);
  register('signin', signinScreen);
  register('home', homeScreen);
  register('enroll', enrollScreen);
  register('verify', verifyScreen);
  register('recover', recoverScreen);
  register('export', exportScreen);
  register('browser-wait', browserWaitScreen);
  register('lost', lostScreen);
  register('helpdesk-entry', helpdeskEntryScreen);
  register('helpdesk-begin', helpdeskBeginScreen);
  register('helpdesk-find', helpdeskFindScreen);
  register('helpdesk-caller', helpdeskCallerScreen);
  register('helpdesk-history', helpdeskHistoryScreen);

  let app = null;
  let startupError = null;
  try {
    app = await api.appState();
  } catch (err) {
    startupError = err;
  }
  session.app = app;
  await setLocale(chooseLocale(app));
  translateTree(document);
  initHeader(app);

  if (startupError || app.configError) {
    go('config-error', { configError: app?.configError, startupError });
    return;
  }
  if (app.keyringError) showKeyringWarning(app.keyringError);
  if (app.demo) initDemoInbox(document.getElementById('demo-inbox'));
  if (app.signedIn) setAccount(app.signedIn.account);

  const first = () => (app.signedIn ? go('home') : go('signin'));
  if (app.pendingRecoveryCode) {
    go('export', { code: app.pendingRecoveryCode, context: 'pending', next: first });
  } else {
    first();
  }
  // Once the first screen is painted, say so: the start-up benchmark times this signal.
  requestAnimationFrame(() => api.firstScreenShown().catch(() => {}));
}

start();
