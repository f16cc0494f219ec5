// What the running session knows: the app state from Rust, the signed-in
// account and its authenticators, and whether a push is awaiting an answer.
export const session = {
  app: null,
  account: null,
  authenticators: [],
  // What the tenant's rules (Auth0's `mfa_requirements`) let this sign-in enroll, decided
  // in Rust; null before a sign-in. And whether the recovery code may verify it.
  enrollable: null,
  recoveryAllowed: true,
};

export function setAccount(account) {
  session.account = account;
  if (account === null) {
    session.enrollable = null;
    session.recoveryAllowed = true;
  }
  accountListeners.forEach((fn) => fn(account));
}

// Keeps what a sign-in view says: who, their methods, and the tenant's rules for them.
export function keepSignIn(view) {
  session.authenticators = view.authenticators ?? [];
  session.enrollable = view.enrollable ?? null;
  session.recoveryAllowed = view.recoveryAllowed ?? true;
  setAccount(view.account);
}

// The kinds the enroll screen offers.
export const enrollableKinds = () => session.enrollable ?? session.app?.factors ?? [];

const accountListeners = new Set();
export function onAccountChange(fn) {
  accountListeners.add(fn);
}

// The demo inbox enables Approve/Deny only while a screen waits on push_wait().
let pushPending = false;
const pushListeners = new Set();
export function setPushPending(value) {
  pushPending = value;
  pushListeners.forEach((fn) => fn(value));
}
export const isPushPending = () => pushPending;
export function onPushPending(fn) {
  pushListeners.add(fn);
}
