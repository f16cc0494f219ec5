// The only module that talks to Rust. Every rejection becomes
// { code, retryAt?, helpdesk, outcomeUnknown, missingScopes?, detail? } so screens never look
// at error text (`detail` only for Tauri's own refusals, which are plain strings).

// Tauri's bridge, which Tauri puts in every page before its scripts; `invoke` from
// @tauri-apps/api is this very call. The app does not ask Tauri for that library as
// `window.__TAURI__` (withGlobalTauri): 41 KB of scripts for every window and plugin API,
// parsed and run before the page's own, for this one function (README, "Performance").
function rawInvoke() {
  const bridge = window.__TAURI_INTERNALS__;
  return bridge && ((command, args) => bridge.invoke(command, args));
}

function toAppError(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string') {
    return {
      code: error.code,
      retryAt: typeof error.retryAt === 'number' ? error.retryAt : undefined,
      helpdesk: error.helpdesk === true,
      outcomeUnknown: error.outcomeUnknown === true,
      missingScopes: Array.isArray(error.missingScopes) ? error.missingScopes.map(String) : undefined,
    };
  }
  // Tauri itself rejects with a plain string (e.g. a command not allowed).
  return { code: 'unknown', detail: typeof error === 'string' ? error : undefined };
}

async function call(command, args) {
  const invoke = rawInvoke();
  if (!invoke) throw { code: 'ipc_unavailable' };
  return answer(invoke(command, args));
}

async function answer(pending) {
  try {
    return await pending;
  } catch (error) {
    throw toAppError(error);
  }
}

// early.js asked for the app state before any module had arrived: the first call takes that
// answer, any later one asks again.
function appState() {
  const early = window.__MFA_DESK_EARLY__;
  if (early?.appState) {
    const pending = early.appState;
    early.appState = null;
    return answer(pending);
  }
  return call('app_state');
}

export const api = {
  appState,
  firstScreenShown: (marks) => call('first_screen_shown', { marks }),
  signIn: (username, password) => call('sign_in', { username, password }),
  signOut: () => call('sign_out'),
  browserSignInStart: (texts) => call('browser_sign_in_start', { texts }),
  browserSignInWait: () => call('browser_sign_in_wait'),
  browserSignInCancel: () => call('browser_sign_in_cancel'),
  openHelpdesk: () => call('open_helpdesk'),
  preparePhoneCheck: () => call('prepare_phone_check'),
  normalizePhone: (country, number) => call('normalize_phone', { country, number }),

  enrollStart: (kind, { phone, email } = {}) => call('enroll_start', { kind, phone, email }),
  enrollResend: (channel) => call('enroll_resend', channel ? { channel } : {}),
  enrollConfirm: (code) => call('enroll_confirm', { code }),
  copyTotpSecret: () => call('copy_totp_secret'),

  pushWait: () => call('push_wait'),
  pushCancel: () => call('push_cancel'),

  verifyStart: (authenticatorId) => call('verify_start', { authenticatorId }),
  verifyResend: (authenticatorId) => call('verify_resend', { authenticatorId }),
  verifyConfirm: (code) => call('verify_confirm', { code }),
  recover: (code) => call('recover', { code }),

  listAuthenticators: () => call('list_authenticators'),
  removeAuthenticator: (id) => call('remove_authenticator', { id }),
  renameMethod: (id, name) => call('rename_method', { id, name }),
  setPhoneChannel: (id, voice) => call('set_phone_channel', { id, voice }),
  recoveryCodeNew: () => call('recovery_code_new'),

  recoveryCodeCopy: () => call('recovery_code_copy'),
  recoveryCodeSave: (labels) => call('recovery_code_save', { labels }),
  recoveryCodeConfirm: () => call('recovery_code_confirm'),

  // "Add a security key or passkey" (My Account mode): start, then each step in turn.
  securityKeyOffered: () => call('security_key_offered'),
  securityKeyStart: () => call('security_key_start'),
  securityKeyNext: () => call('security_key_next'),
  securityKeyPin: (pin) => call('security_key_pin', { pin }),
  securityKeySetPin: (pin, repeat) => call('security_key_set_pin', { pin, repeat }),
  securityKeyCancel: () => call('security_key_cancel'),

  // Helpdesk mode, through the helpdesk service: the agent's session (a fresh browser
  // sign-in), the caller, verifying them, actions, four eyes, the playbook, history.
  helpdeskStatus: () => call('helpdesk_status'),
  helpdeskAgentSignInStart: (texts) => call('helpdesk_agent_sign_in_start', { texts }),
  helpdeskAgentSignInWait: () => call('helpdesk_agent_sign_in_wait'),
  helpdeskEnd: () => call('helpdesk_end'),
  helpdeskWaitEnd: () => call('helpdesk_wait_end'),
  helpdeskFind: (query) => call('helpdesk_find', { query }),
  helpdeskOpenCaller: (userId) => call('helpdesk_open_caller', { userId }),
  helpdeskCallerEvents: (userId) => call('helpdesk_caller_events', { userId }),
  helpdeskVerifyCaller: (userId, { method, detail, reason, ticket }) =>
    call('helpdesk_verify_caller', { userId, method, detail, reason, ticket }),
  helpdeskVerifyPush: (userId, { reason, ticket }) => call('helpdesk_verify_push', { userId, reason, ticket }),
  helpdeskPushWait: (userId) => call('helpdesk_push_wait', { userId }),
  helpdeskRemoveMethod: (userId, methodId) => call('helpdesk_remove_method', { userId, methodId }),
  helpdeskReset: (userId, confirmation) => call('helpdesk_reset', { userId, confirmation }),
  helpdeskIssueRecoveryCode: (userId) => call('helpdesk_issue_recovery_code', { userId }),
  helpdeskSendEnrollment: (userId, locale) => call('helpdesk_send_enrollment', { userId, locale }),
  helpdeskForgetBrowsers: (userId) => call('helpdesk_forget_browsers', { userId }),
  helpdeskEndSessions: (userId) => call('helpdesk_end_sessions', { userId }),
  helpdeskUnblock: (userId) => call('helpdesk_unblock', { userId }),
  helpdeskApprovals: () => call('helpdesk_approvals'),
  helpdeskApprovalWait: (approvalId) => call('helpdesk_approval_wait', { approvalId }),
  helpdeskApprove: (approvalId) => call('helpdesk_approve', { approvalId }),
  helpdeskRefuse: (approvalId, reason) => call('helpdesk_refuse', { approvalId, reason }),
  helpdeskPlaybookPlan: (userId, then) => call('helpdesk_playbook_plan', { userId, then }),
  helpdeskPlaybookStep: (userId) => call('helpdesk_playbook_step', { userId }),
  helpdeskPlaybookCancel: (userId) => call('helpdesk_playbook_cancel', { userId }),
  helpdeskHistory: (user) => call('helpdesk_history', { user: user || null }),
  helpdeskHistoryExport: (user) => call('helpdesk_history_export', { user: user || null }),

  demoOutbox: () => call('demo_outbox'),
  demoPush: (decision) => call('demo_push', { decision }),
  demoPendingPush: () => call('demo_pending_push'),
  demoTotp: () => call('demo_totp'),
};
