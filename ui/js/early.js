// The first screen's one round trip to Rust (`app_state`), asked for as soon as the page
// starts, before any module has arrived: a classic script, run as soon as it is fetched
// (issue 24). api.js gives this answer to the page's first appState().
'use strict';
if (window.__TAURI_INTERNALS__) {
  const appState = window.__TAURI_INTERNALS__.invoke('app_state');
  appState.catch(() => {}); // a refusal is the first appState()'s to report
  window.__MFA_DESK_EARLY__ = { appState };
}
