// What the running session knows: the app state from Rust, the signed-in
// account and its authenticators, and whether a push is awaiting an answer.
export const session = {
  app: null,
  account: null,
  authenticators: [],
  // 'helpdesk' while an agent signs in to helpdesk mode: the wizards then lead there.
  purpose: null,
};

export function setAccount(account) {
  session.account = account;
  accountListeners.forEach((fn) => fn(account));
}

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
