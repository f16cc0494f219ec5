// Start-up: load the app state from Rust, pick the language, choose the first screen.
import { api } from './js/api.js';
import { h } from './js/dom.js';
import { isLocale, setLocale, translateTree } from './js/i18n.js';
import { initAnnouncer } from './js/announce.js';
import { go, initRouter, preload, register } from './js/router.js';
import { session, setAccount } from './js/state.js';
import { storedLocale } from './js/prefs.js';
import { initHeader } from './js/header.js';
import { icon } from './js/icons.js';
import { errorKey } from './js/widgets/error-banner.js';

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
  register('config-error', () => import('./js/screens/config-error.js').then((m) => m.configErrorScreen));
  register('signin', () => import('./js/screens/signin.js').then((m) => m.signinScreen));
  register('home', () => import('./js/screens/home.js').then((m) => m.homeScreen));
  register('enroll', () => import('./js/screens/enroll.js').then((m) => m.enrollScreen));
  register('verify', () => import('./js/screens/verify.js').then((m) => m.verifyScreen));
  register('recover', () => import('./js/screens/recover.js').then((m) => m.recoverScreen));
  register('export', () => import('./js/screens/recovery-export.js').then((m) => m.exportScreen));
  register('browser-wait', () => import('./js/screens/browser-signin.js').then((m) => m.browserWaitScreen));
  register('lost', () => import('./js/screens/lost-device.js').then((m) => m.lostScreen));
  register('helpdesk-entry', () => import('./js/screens/helpdesk-entry.js').then((m) => m.helpdeskEntryScreen));
  register('helpdesk-begin', () => import('./js/screens/helpdesk-begin.js').then((m) => m.helpdeskBeginScreen));
  register('helpdesk-find', () => import('./js/screens/helpdesk-find.js').then((m) => m.helpdeskFindScreen));
  register('helpdesk-caller', () => import('./js/screens/helpdesk-caller.js').then((m) => m.helpdeskCallerScreen));
  register('helpdesk-history', () => import('./js/screens/helpdesk-history.js').then((m) => m.helpdeskHistoryScreen));

  // Most starts show the sign-in screen: fetch its code while Rust answers.
  preload('signin');
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
  if (app.demo) {
    import('./js/screens/demo-inbox.js').then((m) => m.initDemoInbox(document.getElementById('demo-inbox')));
  }
  if (app.signedIn) setAccount(app.signedIn.account);

  const first = () => (app.signedIn ? go('home') : go('signin'));
  if (app.pendingRecoveryCode) {
    await go('export', { code: app.pendingRecoveryCode, context: 'pending', next: first });
  } else {
    await first();
  }
  // Once the first screen is painted, say so: the start-up benchmark times this signal.
  requestAnimationFrame(() => api.firstScreenShown().catch(() => {}));
}

start();
