//! Layers into one configuration: each key from the first layer that sets it.

use std::collections::BTreeMap;

use serde_json::Map;

use super::layer::problem;
use super::schema::{self, Partial};
use super::Settings;
use super::{
    ClientSecretSource, HelpdeskMode, HelpdeskService, Layer, SettingsError, SignIn, SignInMethod,
    Source, DEFAULT_FACTORS, DEFAULT_SCOPE,
};

impl Settings {
    /// Merges layers, highest precedence first. A section (`helpdesk`) comes whole from one
    /// layer: an agent list is never mixed from two sources.
    pub fn from_layers(layers: &[Layer]) -> Result<Self, SettingsError> {
        let mut merged = Map::new();
        let mut origins = BTreeMap::new();
        for layer in layers {
            for (key, value) in &layer.values {
                if !merged.contains_key(key) {
                    merged.insert(key.clone(), value.clone());
                    origins.insert(key.clone(), layer.source.clone());
                }
            }
        }
        let origin_of = |key: &str| {
            let top = key.split('.').next().unwrap_or(key);
            origins.get(top).cloned().unwrap_or(Source::Default)
        };
        // Each layer was checked on its own; this cannot fail, but if it did, the message
        // would still name the right source.
        let partial =
            schema::parse(merged).map_err(|(key, what)| problem(&origin_of(&key), &key, what))?;
        let required = |key: &str| SettingsError {
            origin: layers
                .iter()
                .map(|l| l.source.location())
                .collect::<Vec<_>>()
                .join(", "),
            key: key.into(),
            problem: "is required".into(),
        };
        let Partial {
            organization,
            domain,
            client_id,
            client_secret,
            realm,
            audience,
            scope,
            sign_in,
            connection,
            redirect_port,
            username,
            factors,
            language,
            helpdesk_text,
            helpdesk_url,
            helpdesk,
        } = partial;

        let (helpdesk, helpdesk_service) = match helpdesk {
            None => (None, None),
            Some(section) => {
                let missing = |key: &str, what: &str| {
                    problem(&origin_of("helpdesk"), &format!("helpdesk.{key}"), what)
                };
                let max_session = section
                    .max_session_minutes
                    .map_or(crate::helpdesk::MAX_SESSION, |minutes| {
                        std::time::Duration::from_secs(minutes.0 * 60)
                    });
                let service =
                    match (section.service_url, section.api_identifier) {
                        (None, None) => None,
                        (Some(url), Some(api)) => Some(HelpdeskService {
                            url: url.0,
                            api_identifier: api.0,
                            max_session,
                        }),
                        (Some(_), None) => {
                            return Err(missing(
                                "api_identifier",
                                "is required with service_url (the helpdesk API's identifier, \
                             the audience of agents' sign-ins)",
                            ))
                        }
                        (None, Some(_)) => return Err(missing(
                            "service_url",
                            "is required with api_identifier (where the helpdesk service answers)",
                        )),
                    };
                // With the service, the app's direct mode (a Management client and its
                // agents) is optional; without it, both are required as before.
                let direct = match (section.management_client_id, section.agents) {
                    (Some(id), Some(agents)) => Some(HelpdeskMode {
                        management_client_id: id.0,
                        agents: agents.0,
                        max_session,
                    }),
                    (None, None) if service.is_some() => None,
                    (None, _) => {
                        return Err(missing(
                            "management_client_id",
                            "is required to turn helpdesk mode on (the client id of the \
                             machine-to-machine application for the Management API)",
                        ))
                    }
                    (_, None) => {
                        return Err(missing(
                            "agents",
                            "is required to turn helpdesk mode on (who may use it: \
                             emails or @domains)",
                        ))
                    }
                };
                (direct, service)
            }
        };
        let language_managed = language.is_some() && origin_of("language").is_managed();
        Ok(Self {
            domain: domain.ok_or_else(|| required("domain"))?.0,
            client_id: client_id.ok_or_else(|| required("client_id"))?.0,
            client_secret: client_secret.unwrap_or(ClientSecretSource::None),
            realm: realm.map(|t| t.0),
            audience: audience.map(|t| t.0),
            scope: scope.map_or_else(|| DEFAULT_SCOPE.to_owned(), |t| t.0),
            sign_in: SignIn {
                method: sign_in.unwrap_or(SignInMethod::Password),
                connection: connection.map(|t| t.0),
                redirect_port: redirect_port.map(|p| p.0),
            },
            username: username.unwrap_or_default(),
            factors: factors.map_or_else(|| DEFAULT_FACTORS.to_vec(), |f| f.0),
            language: language.map(|l| l.0),
            language_managed,
            helpdesk_text: helpdesk_text.map(|t| t.0),
            helpdesk_url: helpdesk_url.map(|u| u.0),
            helpdesk,
            helpdesk_service,
            organization: organization.map(|t| t.0),
            origins,
        })
    }
}
