// The first screen, drawn as soon as the app state and the catalogue are here (issue 24).
// index.html loads this module on its own, before main.js, so that drawing waits for these
// few modules only, not for main.js's: main.js and the screens' modules arrive meanwhile and
// give what was drawn its behaviour (templates.js). The sign-in screen and the demo inbox are
// drawn here; a start that shows another screen (IT's configuration missing, a recovery code
// left unconfirmed, a session still open) gets only the header here, and its screen from
// main.js.
import { api } from './api.js';
import { isLocale, preloadLocale, setLocale } from './i18n.js';
import { demoInboxOpen, storedLocale } from './prefs.js';
import { showHeaderFacts } from './header-facts.js';
import { keepDrawn } from './templates.js';
import { signinView } from './screens/signin-view.js';
import { showDemoInbox } from './screens/demo-inbox-view.js';

performance.mark('first-paint-run');

// IT's choice, then the person's, then the system's.
function chooseLocale(app) {
  if (app?.localeManaged && isLocale(app.locale)) return app.locale;
  const stored = storedLocale();
  if (isLocale(stored)) return stored;
  if (isLocale(app?.locale)) return app.locale;
  const system = (navigator.language || 'en').slice(0, 2);
  return isLocale(system) ? system : 'en';
}

// The catalogue of the language the system suggests is fetched while Rust answers.
preloadLocale(chooseLocale(null)).catch(() => {}); // setLocale below reports a failure

/** Resolves once the first screen is drawn: { app, startupError } (one of them null) and
 *  whether the first screen was drawn here. */
export const firstPaint = draw();

async function draw() {
  let app = null;
  let startupError = null;
  try {
    app = await api.appState();
  } catch (err) {
    startupError = err;
  }
  performance.mark('app-state');
  await setLocale(chooseLocale(app));
  performance.mark('locale');
  showHeaderFacts(app);
  if (startupError || app.configError) return { app, startupError, drawn: false };
  const drawn = !app.pendingRecoveryCode && !app.signedIn;
  if (drawn) {
    const signin = signinView(app);
    document.getElementById('main').replaceChildren(signin.el);
    keepDrawn('signin', signin);
  }
  if (app.demo) showDemoInbox(document.getElementById('demo-inbox'), demoInboxOpen());
  performance.mark('drawn');
  return { app, startupError, drawn };
}
