// Any step can find that the Auth0 transaction expired: start over at sign-in.
import { go } from './router.js';
import { session, setAccount } from './state.js';

export function endIfSessionExpired(err) {
  if (err?.code !== 'session_expired') return false;
  setAccount(null);
  session.authenticators = [];
  go('signin', { error: err });
  return true;
}
