// Where the sign-in wizards (verify, enroll, recover) lead once the person has proved
// it's them: their own methods, or helpdesk mode when an agent signed in for it.
import { go } from './router.js';
import { session } from './state.js';

export function goHome(params = {}) {
  if (session.purpose === 'helpdesk') go('helpdesk-begin');
  else go('home', params);
}
