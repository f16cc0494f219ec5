//! Start-up: which tenant (demo, command line or IT's configuration), which secret store
//! (the OS keyring, or memory when there is none), which language. Nothing here needs a window.

use std::sync::Arc;

use mfa_core::browser::BrowserOptions;
use mfa_core::model::FactorKind;
use mfa_core::secret::ClientSecret;
use mfa_core::secret_store::{KeyringStore, MemoryStore, SecretStore, Secrets};
use mfa_core::settings::{self, ClientSecretSource, Settings};
use mfa_core::{Auth0Client, TenantConfig};

use crate::app_state::AppState;
use crate::demo;
use crate::launch::{Launch, ALL_FACTORS, DEMO_CLIENT_ID};
use crate::service::browser_sign_in::BrowserSignIns;
use crate::service::helpdesk::{Helpdesk, HelpdeskSetup};
use crate::service::recovery_code::RecoveryCodes;
use crate::service::session::SignedInSession;
use crate::state::{AppConfig, ConfigProblem, HelpdeskContact, SignInMode, Tenant};

/// Builds the shared state: the tenant, the keyring (or memory when none is available), the
/// language and the helpdesk contact.
pub async fn prepare_state(launch: Launch) -> AppState {
    let (store, keyring_problem) = open_keyring();
    prepare_state_with(launch, store, keyring_problem).await
}

/// As [`prepare_state`], with a given secret store (tests use an in-memory one).
pub async fn prepare_state_with(
    launch: Launch,
    store: Box<dyn SecretStore>,
    keyring_problem: Option<mfa_core::ErrorCode>,
) -> AppState {
    let mut demo = None;
    let mut managed = None;
    let tenant = match launch {
        Launch::Demo {
            emulator,
            helpdesk_service,
        } => match demo::Demo::start(emulator, helpdesk_service).await {
            Ok(running) => {
                let tenant = TenantSpec::new(&running.base_url(), DEMO_CLIENT_ID, "--demo")
                    .named("MFA Desk Demo");
                demo = Some(running);
                tenant.namespaced("demo").build()
            }
            Err(error) => Err(ConfigProblem {
                file: "--demo".into(),
                key: "emulator".into(),
                problem: error.to_string(),
            }),
        },
        Launch::Tenant {
            url,
            client_id,
            realm,
        } => {
            let mut spec = TenantSpec::new(&url, &client_id, "--tenant");
            spec.realm = realm;
            spec.build()
        }
        Launch::Configured => match settings::load(&it_locations()) {
            Ok(Some(settings)) => {
                let tenant = TenantSpec::from_settings(&settings, store.as_ref())
                    .and_then(TenantSpec::build);
                managed = Some(settings);
                tenant
            }
            Ok(None) => {
                let system = it_locations().system_file;
                Err(ConfigProblem {
                    file: system.display().to_string(),
                    key: String::new(),
                    problem: "no configuration file; IT deploys it with the app (start with --demo to try the app)".into(),
                })
            }
            Err(error) => Err(ConfigProblem {
                file: error.origin,
                key: error.key,
                problem: error.problem,
            }),
        },
    };
    let (tenant, config_problem) = match tenant {
        Ok(tenant) => (Some(tenant), None),
        Err(problem) => (None, Some(problem)),
    };
    let locale = managed
        .as_ref()
        .and_then(|s| s.language.clone())
        .unwrap_or_else(system_locale);
    // Helpdesk mode only where a helpdesk service is named: it holds the tenant-wide secret.
    let helpdesk_setup = match (&demo, &managed) {
        (Some(running), _) => running.helpdesk_service().map(HelpdeskSetup::demo),
        (None, Some(settings)) => settings
            .helpdesk_service
            .clone()
            .map(HelpdeskSetup::managed),
        (None, None) => None,
    };
    let helpdesk_contact = managed
        .as_ref()
        .filter(|s| s.helpdesk_text.is_some() || s.helpdesk_url.is_some())
        .map(|s| HelpdeskContact {
            text: s.helpdesk_text.clone(),
            url: s.helpdesk_url.clone(),
        });
    let secrets = Secrets::new(Arc::from(store));
    let codes = RecoveryCodes::new(
        secrets.clone(),
        tenant
            .as_ref()
            .map(|t| (t.keyring_namespace.as_str(), t.domain.as_str())),
        keyring_problem.is_none(),
    );
    let helpdesk = match (helpdesk_setup, &tenant) {
        (Some(setup), Some(tenant)) => Some(Helpdesk::new(setup, tenant.client.http().clone())),
        _ => None,
    };
    // Only where IT ever turned helpdesk mode on: nobody else's start waits on the keyring.
    let had_helpdesk = managed
        .as_ref()
        .is_some_and(|s| s.helpdesk.is_some() || s.helpdesk_service.is_some());
    if let (true, Some(tenant)) = (had_helpdesk, &tenant) {
        Helpdesk::forget_legacy_secret(&secrets, tenant).await;
    }
    AppState {
        config: AppConfig {
            tenant,
            problem: config_problem,
            locale,
            locale_managed: managed.as_ref().is_some_and(|s| s.language_managed),
            helpdesk_contact,
            keyring_problem,
        },
        demo,
        session: SignedInSession::new(secrets),
        codes,
        browser: crate::test_hooks::browser_sign_in_timeout()
            .map_or_else(BrowserSignIns::default, BrowserSignIns::with_timeout),
        helpdesk,
        keys: Default::default(),
    }
}

/// Where IT's configuration is read: the OS's places, as the environment may change them in
/// this build (`test_hooks`: in a release build, at most the person's own file).
fn it_locations() -> settings::Locations {
    let trust = crate::test_hooks::env_trust();
    if trust == settings::EnvTrust::PersonOnly
        && std::env::var_os(settings::SYSTEM_CONFIG_ENV).is_some()
    {
        tracing::warn!(
            "{} ignored: IT's configuration is read from its own place only",
            settings::SYSTEM_CONFIG_ENV
        );
    }
    settings::Locations::from_env(trust, |name| std::env::var_os(name))
}

/// What a tenant is made of, before the HTTP client is built.
struct TenantSpec {
    url: String,
    client_id: String,
    client_secret: Option<mfa_core::SecretString>,
    realm: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    name: Option<String>,
    namespace: Option<String>,
    factors: Vec<FactorKind>,
    sign_in: SignInMode,
    sign_in_identifier: mfa_core::input::IdentifierKind,
    /// Where the values came from, for error messages.
    source: String,
}

impl TenantSpec {
    fn new(url: &str, client_id: &str, source: &str) -> Self {
        Self {
            url: url.into(),
            client_id: client_id.into(),
            client_secret: None,
            realm: None,
            audience: None,
            scope: None,
            name: None,
            namespace: None,
            factors: ALL_FACTORS.to_vec(),
            sign_in: SignInMode::Password,
            sign_in_identifier: Default::default(),
            source: source.into(),
        }
    }

    fn named(mut self, name: &str) -> Self {
        self.name = Some(name.into());
        self
    }

    fn namespaced(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// From IT's configuration; a confidential client's secret comes from the keyring.
    fn from_settings(settings: &Settings, store: &dyn SecretStore) -> Result<Self, ConfigProblem> {
        let mut spec = Self::new(
            &settings.domain,
            &settings.client_id,
            &settings.origin("domain").location(),
        );
        if settings.client_secret == ClientSecretSource::Keyring {
            let entry = format!("{}/client-secret", settings.domain);
            let problem = |what: &str| ConfigProblem {
                file: settings.origin("client_secret").location(),
                key: "client_secret".into(),
                problem: format!("{what} (keyring service \"mfa-desk\", entry \"{entry}\")"),
            };
            spec.client_secret = Some(match store.get(&entry) {
                Ok(Some(secret)) => secret,
                Ok(None) => return Err(problem("the client secret is not in the keyring")),
                Err(_) => {
                    return Err(problem(
                        "the keyring is not available to read the client secret",
                    ))
                }
            });
        }
        spec.realm = settings.realm.clone();
        spec.audience = settings.audience.clone();
        spec.scope = Some(settings.scope.clone());
        spec.name = settings.organization.clone();
        spec.factors = settings.factors.clone();
        spec.sign_in = sign_in_mode(&settings.sign_in);
        spec.sign_in_identifier = settings.username;
        Ok(spec)
    }

    fn build(self) -> Result<Tenant, ConfigProblem> {
        let problem = |key: &str, problem: String| ConfigProblem {
            file: self.source.clone(),
            key: key.into(),
            problem,
        };
        let mut config = TenantConfig::new(&self.url, &self.client_id)
            .map_err(|e| problem("domain", e.to_string()))?;
        config.client_secret = self.client_secret.map(ClientSecret::from);
        config.realm = self.realm;
        config.audience = self.audience;
        if let Some(scope) = self.scope {
            config.scope = scope;
        }
        let domain = config.domain();
        let client = Auth0Client::new(config).map_err(|e| problem("domain", e.to_string()))?;
        Ok(Tenant {
            client,
            name: self.name.unwrap_or_else(|| domain.clone()),
            keyring_namespace: self.namespace.unwrap_or_else(|| domain.clone()),
            domain,
            factors: self.factors,
            sign_in_identifier: self.sign_in_identifier,
            sign_in: self.sign_in,
        })
    }
}

/// IT's `sign_in`, `connection` and `redirect_port` settings.
fn sign_in_mode(setting: &settings::SignIn) -> SignInMode {
    match setting.method {
        settings::SignInMethod::Password => SignInMode::Password,
        settings::SignInMethod::Browser => SignInMode::Browser(BrowserOptions {
            connection: setting.connection.clone(),
            redirect_port: setting.redirect_port,
        }),
    }
}

/// The OS keyring if it answers; otherwise memory, and a problem code the UI explains.
/// A locked keyring may sit behind an unlock prompt nobody answers: the window must not wait
/// for it, so the probe gets a few seconds.
fn open_keyring() -> (Box<dyn SecretStore>, Option<mfa_core::ErrorCode>) {
    let (answer, probe) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = answer.send(KeyringStore::default().get("probe").map(drop));
    });
    let problem = match probe.recv_timeout(std::time::Duration::from_secs(3)) {
        Ok(Ok(())) => return (Box::new(KeyringStore::default()), None),
        Ok(Err(error)) => error.code(),
        Err(_) => mfa_core::ErrorCode::KeyringUnavailable,
    };
    tracing::warn!(
        code = %problem,
        "system keyring unavailable; secrets stay in memory"
    );
    (Box::new(MemoryStore::default()), Some(problem))
}

/// English, Japanese or French, following the system; English otherwise.
fn system_locale() -> String {
    let locale = sys_locale::get_locale()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["ja", "fr"]
        .into_iter()
        .find(|l| locale.starts_with(l))
        .unwrap_or("en")
        .to_owned()
}
