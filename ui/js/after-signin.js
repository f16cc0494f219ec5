// Where the sign-in wizards (verify, enroll, recover) lead once the person has proved it's
// them: their own methods. (A helpdesk agent signs in through the browser instead.)
import { go } from './router.js';

export function goHome(params = {}) {
  go('home', params);
}
