// Start-up: the first screen, drawn by first-paint.js, gets its behaviour; a start that shows
// another screen gets that screen.
import { api } from './js/api.js';
import { h } from './js/dom.js';
import { initAnnouncer } from './js/announce.js';
import { go, initRouter, preload, register } from './js/router.js';
import { session, setAccount } from './js/state.js';
import { initHeader, offerAllLanguages } from './js/header.js';
import { icon } from './js/icons.js';
import { errorKey } from './js/widgets/error-banner.js';
import { firstPaint } from './js/first-paint.js';

performance.mark('main-run');

// Rust tells the page before its scripts run whether this is demo mode (lib.rs, `page_facts`):
// the demo inbox is then part of the first screen, its code fetched while Rust answers.
const demoInbox = window.__MFA_DESK_DEMO__ === true ? import('./js/screens/demo-inbox.js') : null;

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

  // Most starts show the sign-in screen: its code is fetched while Rust answers (and
  // first-paint.js draws it).
  preload('signin').then(() => performance.mark('signin-loaded'), () => {});
  const { app, startupError, drawn } = await firstPaint;
  // The window shows what was drawn before the rest of start-up gives it its behaviour.
  if (drawn) await new Promise((resolve) => afterFirstPaint(resolve));
  session.app = app;
  initHeader();

  if (startupError || app.configError) {
    await go('config-error', { configError: app?.configError, startupError });
    afterFirstPaint(offerAllLanguages);
    return;
  }
  if (app.keyringError) showKeyringWarning(app.keyringError);
  if (app.demo) {
    // Drawn with the first screen (first-paint.js); its code was fetched beside the screen's.
    // The screen works even if the inbox cannot.
    try {
      const { initDemoInbox } = await (demoInbox ?? import('./js/screens/demo-inbox.js'));
      initDemoInbox(document.getElementById('demo-inbox'));
      performance.mark('demo-inbox');
    } catch (err) {
      console.error('the demo inbox could not start', err);
    }
  }
  if (app.signedIn) setAccount(app.signedIn.account);

  const first = () => (app.signedIn ? go('home') : go('signin'));
  if (app.pendingRecoveryCode) {
    await go('export', { code: app.pendingRecoveryCode, context: 'pending', next: first });
  } else {
    await first();
  }
  performance.mark('rendered');
  // Once the first screen is painted, say so, with the trace: the start-up benchmark times
  // this signal.
  afterFirstPaint(() => {
    api.firstScreenShown(startupTrace()).catch(() => {});
    offerAllLanguages();
  });
}

// The task after the next frame: the first screen is on the window by then.
const afterFirstPaint = (fn) => requestAnimationFrame(() => setTimeout(fn));

// When the page, each file and each step of start() arrived (ms since navigation began).
function startupTrace() {
  const marks = [];
  const page = performance.getEntriesByType('navigation')[0];
  if (page) marks.push(['html', page.responseEnd], ['dom-interactive', page.domInteractive]);
  for (const file of performance.getEntriesByType('resource')) {
    marks.push([file.name.split('/').pop(), file.responseEnd]);
  }
  for (const mark of performance.getEntriesByType('mark')) marks.push([mark.name, mark.startTime]);
  marks.push(['painted', performance.now()]);
  return marks.sort((a, b) => a[1] - b[1]).map(([name, at]) => [name, Math.round(at)]);
}

start();
