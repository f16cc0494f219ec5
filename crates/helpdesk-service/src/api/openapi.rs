//! The OpenAPI document, generated from the handlers' annotations and served at
//! `/v1/openapi.json` (no sign-in needed: it describes, it reveals nothing).

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{actions, approvals, callers, error, execute, history, me, verify};

#[derive(OpenApi)]
#[openapi(
    info(title = "MFA Desk helpdesk service", version = "1",
        description = "Every request carries the agent's Auth0 access token for the helpdesk API \
                       (Bearer). Errors are {\"code\": …} in MFA Desk's ErrorCode contract."),
    paths(me::me, callers::find, callers::profile, callers::events, verify::checklist, verify::push,
        verify::status, actions::act, approvals::list, approvals::one, approvals::approve, approvals::refuse,
        history::audit),
    components(schemas(error::ErrorBody, execute::Done, crate::actions::Action)),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "agent",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
