/**
 * MFA Desk: post-login Action for the helpdesk API.
 *
 * The helpdesk service accepts an agent's access token only when it came
 * from a sign-in that passed multi-factor authentication. Auth0 puts no
 * `amr` in access tokens, and Actions may not set restricted claims such as
 * `amr` or `auth_time`, so this Action adds a namespaced claim instead
 * (shared/spec/auth0-server-side.md §S1.6, §S6):
 *
 *   "https://helpdesk.mfa-desk.example/amr": ["mfa"]
 *
 * For tokens whose audience is the helpdesk API it requires MFA on every
 * sign-in (no "remember this browser"), so a token carrying the claim is
 * only issued once MFA has passed in that transaction. It does nothing on
 * refresh-token exchanges: a refreshed token proves no fresh MFA, and the
 * service treats a token without the claim as not MFA-backed. How recent
 * the sign-in was is the token's own `iat`.
 *
 * Settings (Actions > Library > this Action > Secrets), all optional:
 *   HELPDESK_API  the helpdesk API identifier
 *                 (default https://helpdesk.mfa-desk.example/)
 *   MFA_CLAIM     the claim name (default <HELPDESK_API>amr)
 */
const MFA_POLICY = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

exports.onExecutePostLogin = async (event, api) => {
  const helpdeskApi = event.secrets?.HELPDESK_API || 'https://helpdesk.mfa-desk.example/';
  const claim = event.secrets?.MFA_CLAIM || `${helpdeskApi}amr`;

  if (event.transaction?.protocol === 'oauth2-refresh-token') return;

  const audience = event.resource_server?.identifier;
  const stepUpAsked = (event.transaction?.acr_values || []).includes(MFA_POLICY);
  if (audience !== helpdeskApi && !stepUpAsked) return;

  const mfaDone = (event.authentication?.methods || []).some((m) => m.name === 'mfa');
  if (!mfaDone) {
    // Deferred to the end of the flow: no token is issued until MFA passes.
    api.multifactor.enable('any', { allowRememberBrowser: false });
  }
  if (audience === helpdeskApi) {
    api.accessToken.setCustomClaim(claim, ['mfa']);
  }
};
