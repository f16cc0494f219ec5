// What the running session knows: the app state from Rust, the signed-in
// account and its authenticators, and whether a push is awaiting an answer.
export const session = {
  app: null,
  account: null,
  authenticators: [],
};

export function setAccount(account) {
  session.account = account;
  accountListeners.forEach((fn) => fn(account));
}

const accountListeners = new Set();
export function onAccountChange(fn) {
  accountListeners.add(fn);
}

export function usableAuthenticators(list = session.authenticators) {
  return list.filter((a) => a.active && a.kind !== 'recovery-code');
}

// How many independent ways to sign in remain. SMS and voice to one phone are
// one way; Auth0 pairs each Guardian push enrollment with an OTP twin.
export function independentMethodCount(list = session.authenticators) {
  const usable = usableAuthenticators(list);
  const phones = new Set(usable.filter((a) => a.kind === 'sms' || a.kind === 'voice').map((a) => a.name));
  const count = (kind) => usable.filter((a) => a.kind === kind).length;
  return phones.size + count('email') + count('push') + Math.max(0, count('otp') - count('push'));
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
