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
  // Each screen's module is fetched the first time it is shown.
  const screen = (file, name) => () => import(`./js/screens/${file}.js`).then((m) => m[name]);
  register('config-error', screen('config-error', 'configErrorScreen'));
  register('signin', screen('signin', 'signinScreen'));
  register('home', screen('home', 'homeScreen'));
  register('enroll', screen('enroll', 'enrollScreen'));
  register('verify', screen('verify', 'verifyScreen'));
  register('recover', screen('recover', 'recoverScreen'));
  register('export', screen('recovery-export', 'exportScreen'));
  register('browser-wait', screen('browser-signin', 'browserWaitScreen'));
  register('lost', screen('lost-device', 'lostScreen'));
  register('helpdesk-entry', screen('helpdesk-entry', 'helpdeskEntryScreen'));
  register('helpdesk-find', screen('helpdesk-find', 'helpdeskFindScreen'));
  register('helpdesk-caller', screen('helpdesk-caller', 'helpdeskCallerScreen'));
  register('helpdesk-playbook', screen('helpdesk-playbook', 'helpdeskPlaybookScreen'));
  register('helpdesk-approvals', screen('helpdesk-approvals', 'helpdeskApprovalsScreen'));
  register('helpdesk-history', screen('helpdesk-history', 'helpdeskHistoryScreen'));

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
