// Tauri's bridge, stubbed for scripts/bench-page: the answers MFA Desk's first screen gets in
// demo mode (signed out, no pending recovery code), and what `page_facts` (lib.rs) tells the
// page before its scripts. A measuring aid, never part of the app.
document.documentElement.dataset.platform = 'linux';
window.__MFA_DESK_DEMO__ = true;
window.__TAURI_INTERNALS__ = {
  invoke(command) {
    const answers = {
      app_state: {
        tenant: { domain: '127.0.0.1:3540', name: 'MFA Desk demo' }, signInIdentifier: 'email', demo: true,
        factors: ['otp', 'sms', 'voice', 'email', 'push'], signIn: 'password', locale: 'en', localeManaged: false,
        helpdesk: null, helpdeskMode: true, pendingRecoveryCode: null, signedIn: null, keyringError: null, configError: null,
      },
      demo_outbox: [], demo_totp: [], demo_pending_push: null, first_screen_shown: null,
    };
    return Promise.resolve(answers[command] ?? null);
  },
};
