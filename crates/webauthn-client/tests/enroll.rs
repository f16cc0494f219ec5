//! A passkey made by the app's WebAuthn client on a security key, enrolled through the My
//! Account API of the local Auth0 over real HTTP (§S5.3), and every way the ceremony can end
//! without one. The key is the software key of `soft-security-key`: the library's CTAP2
//! client talks to it over the same `Token` trait a USB key is reached through.

mod support;

use mfa_core::my_account::passkey::AttestationResponse;
use mfa_core::{ApiError, ErrorCode};
use soft_security_key::{Presence, SoftKey, PIN_RETRIES};
use support::*;
use webauthn_client::{CeremonyError, Prompt};

fn pin_prompts(shown: &[Prompt]) -> Vec<(Option<u32>, bool)> {
    shown
        .iter()
        .filter_map(|p| match p {
            Prompt::EnterPin {
                retries_left,
                after_wrong_pin,
            } => Some((*retries_left, *after_wrong_pin)),
            _ => None,
        })
        .collect()
}

async fn enroll_ok(env: &Env, key: &SoftKey, pins: &'static [&'static str]) -> AttestationResponse {
    let token = env.me_token().await;
    let (started, registration) = env.registration(&token).await;
    let (made, _) = ceremony(&[key], registration, waits(), types_pins(pins)).await;
    let made = made.unwrap();
    let method = env
        .my_account()
        .verify_passkey(&token, &started.auth_session, &made)
        .await
        .unwrap();
    assert_eq!(method.method_type, "passkey");
    made
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_shows_the_retries_left_then_the_passkey_is_enrolled_and_signs_in() {
    let env = Env::start().await;
    let token = env.me_token().await;
    let key = SoftKey::with_pin("1234");
    let (started, registration) = env.registration(&token).await;
    assert_eq!(registration.options.rp.id, "127.0.0.1");
    let (made, shown) = ceremony(
        &[&key],
        registration,
        waits(),
        types_pins(&["9999", "1234"]),
    )
    .await;
    let made = made.unwrap();

    // The first prompt shows the key's eight tries; after the wrong PIN, seven and why.
    assert_eq!(
        pin_prompts(&shown),
        [(Some(PIN_RETRIES), false), (Some(PIN_RETRIES - 1), true)]
    );
    assert!(shown.contains(&Prompt::TouchKey), "{shown:?}");
    assert_eq!(
        key.retries(),
        PIN_RETRIES,
        "the right PIN restores the tries"
    );
    let credentials = key.credentials();
    assert_eq!(credentials.len(), 1);
    let credential = &credentials[0];
    assert!(
        credential.discoverable,
        "residentKey: required reaches the key as rk"
    );
    assert!(credential.user_verified);
    assert_eq!(credential.rp_id, "127.0.0.1");
    assert_eq!(credential.user_id, b"auth0|64d0c0ffee0000000000a002");
    assert_eq!(
        made.authenticator_attachment.as_deref(),
        Some("cross-platform")
    );
    assert_eq!(made.response.transports, ["usb"]);
    assert!(made.response.attestation_object.len() <= 2000);

    let method = env
        .my_account()
        .verify_passkey(&token, &started.auth_session, &made)
        .await
        .unwrap();
    assert!(method.id.starts_with("passkey|dev_"), "{method:?}");
    assert!(method.confirmed);
    let listed = env.my_account().registered_passkeys(&token).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key_id.as_deref(), Some(made.raw_id.as_str()));

    // The hosted sign-in page takes the same key (the library's getAssertion, PIN asked).
    let next = hosted_sign_in(&env, &key, "1234").await;
    assert_eq!(next.0, 302, "{next:?}");
    assert!(next.1.starts_with("/u/mfa?state="), "{next:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_without_a_pin_gets_one_set_by_the_rules_of_the_key() {
    let env = Env::start().await;
    let key = SoftKey::without_pin();
    key.set_min_pin_length(6);
    let token = env.me_token().await;
    let (started, registration) = env.registration(&token).await;
    let mut chosen = ["12", "123456"].into_iter();
    let (made, shown) = ceremony(&[&key], registration, waits(), |prompt| match prompt {
        Prompt::SetPin { .. } => Act::NewPin(chosen.next().unwrap()),
        Prompt::EnterPin { .. } => Act::Cancel,
        _ => Act::Wait,
    })
    .await;
    let made = made.unwrap();
    let set_prompts: Vec<&Prompt> = shown
        .iter()
        .filter(|p| matches!(p, Prompt::SetPin { .. }))
        .collect();
    assert_eq!(
        set_prompts,
        [
            &Prompt::SetPin {
                min_length: 6,
                max_bytes: 63,
                refused: None
            },
            &Prompt::SetPin {
                min_length: 6,
                max_bytes: 63,
                refused: Some(ErrorCode::SecurityKeyPinTooShort)
            },
        ]
    );
    // The PIN just set is not asked for again.
    assert!(pin_prompts(&shown).is_empty(), "{shown:?}");
    assert!(key.has_pin());
    assert!(key.credentials()[0].user_verified);
    env.my_account()
        .verify_passkey(&token, &started.auth_session, &made)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_key_twice_is_refused_as_already_registered() {
    let env = Env::start().await;
    let key = SoftKey::with_pin("1234");
    enroll_ok(&env, &key, &["1234"]).await;

    let token = env.me_token().await;
    let (_, registration) = env.registration(&token).await;
    assert_eq!(
        registration.exclude.len(),
        1,
        "the app excludes the person's passkeys"
    );
    let (made, shown) = ceremony(&[&key], registration, waits(), types_pins(&["1234"])).await;
    let refused = made.unwrap_err();
    assert_eq!(refused, CeremonyError::AlreadyRegistered);
    assert_eq!(refused.code(), ErrorCode::SecurityKeyAlreadyRegistered);
    // The key waited for a touch before it said so (CTAP 2.1 §6.1.2), and made nothing.
    assert!(shown.contains(&Prompt::TouchKey));
    assert_eq!(key.credentials().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pin_blocks_when_the_last_try_is_wrong() {
    let env = Env::start().await;
    let key = SoftKey::with_pin("1234");
    key.set_retries(2);
    let token = env.me_token().await;
    let (_, registration) = env.registration(&token).await;
    let (made, shown) = ceremony(
        &[&key],
        registration,
        waits(),
        types_pins(&["0000", "1111"]),
    )
    .await;
    let refused = made.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::SecurityKeyPinBlocked);
    assert_eq!(pin_prompts(&shown), [(Some(2), false), (Some(1), true)]);
    assert_eq!(key.retries(), 0);
    assert!(key.credentials().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_wrong_pins_in_a_row_ask_for_the_key_to_be_reinserted() {
    let env = Env::start().await;
    let key = SoftKey::with_pin("1234");
    let token = env.me_token().await;
    let (_, registration) = env.registration(&token).await;
    let pins = &["0000", "1111", "2222", "1234"];
    let (made, shown) = ceremony(&[&key], registration.clone(), waits(), types_pins(pins)).await;
    assert_eq!(made.unwrap_err(), CeremonyError::ReinsertKey);
    assert_eq!(pin_prompts(&shown).len(), 3);
    assert_eq!(key.retries(), PIN_RETRIES - 3);

    // Plugged in again, the right PIN works and the tries come back.
    key.reinsert();
    let (made, _) = ceremony(&[&key], registration, waits(), types_pins(&["1234"])).await;
    made.unwrap();
    assert_eq!(key.retries(), PIN_RETRIES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_at_the_pin_prompt_or_while_the_key_blinks_ends_the_ceremony() {
    let env = Env::start().await;
    let token = env.me_token().await;
    let key = SoftKey::with_pin("1234");
    let (_, registration) = env.registration(&token).await;
    let (made, _) = ceremony(
        &[&key],
        registration.clone(),
        waits(),
        |prompt| match prompt {
            Prompt::EnterPin { .. } => Act::Cancel,
            _ => Act::Wait,
        },
    )
    .await;
    assert_eq!(made.unwrap_err().code(), ErrorCode::SecurityKeyCancelled);
    assert_eq!(
        key.retries(),
        PIN_RETRIES,
        "a cancelled prompt costs no try"
    );

    key.set_presence(Presence::NeverTouches);
    let started = std::time::Instant::now();
    let (made, shown) = ceremony(&[&key], registration, waits(), |prompt| match prompt {
        Prompt::EnterPin { .. } => Act::Pin("1234"),
        Prompt::TouchKey => Act::Cancel,
        _ => Act::Wait,
    })
    .await;
    assert_eq!(made.unwrap_err(), CeremonyError::Cancelled);
    assert!(shown.contains(&Prompt::TouchKey));
    assert!(
        started.elapsed().as_secs() < 10,
        "cancel ends the wait at once"
    );
    assert!(key.credentials().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_never_touched_times_out_and_no_key_at_all_is_no_key_found() {
    let env = Env::start().await;
    let token = env.me_token().await;
    let key = SoftKey::with_pin("1234");
    key.set_presence(Presence::NeverTouches);
    let (_, registration) = env.registration(&token).await;
    let (made, _) = ceremony(
        &[&key],
        registration.clone(),
        short_waits(),
        types_pins(&["1234"]),
    )
    .await;
    let refused = made.unwrap_err();
    assert_eq!(refused, CeremonyError::TimedOut);
    assert_eq!(refused.code(), ErrorCode::SecurityKeyTimedOut);

    let (made, shown) = ceremony(&[], registration, short_waits(), |_| Act::Wait).await;
    assert_eq!(made.unwrap_err().code(), ErrorCode::SecurityKeyNotFound);
    assert_eq!(shown, [Prompt::InsertKey]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_made_for_another_rp_id_is_refused_by_auth0() {
    let env = Env::start().await;
    let token = env.me_token().await;
    let key = SoftKey::with_pin("1234");
    let (started, mut registration) = env.registration(&token).await;
    // As if the options had been tampered with on the way: another RP ID (and so origin).
    registration.options.rp.id = "login.example.org".into();
    let (made, _) = ceremony(&[&key], registration, waits(), types_pins(&["1234"])).await;
    let refused = env
        .my_account()
        .verify_passkey(&token, &started.auth_session, &made.unwrap())
        .await
        .unwrap_err();
    let ApiError::InvalidRequest { description } = &refused else {
        panic!("{refused:?}");
    };
    assert!(description.starts_with("/authn_response"), "{description}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_verifies_no_one_is_not_supported_where_the_tenant_requires_verification() {
    let env = Env::start().await;
    let token = env.me_token().await;
    let key = SoftKey::without_pin_support();

    // A tenant that requires user verification (`passkey_user_verification: required`).
    let (_, mut registration) = env.registration(&token).await;
    registration
        .options
        .authenticator_selection
        .as_mut()
        .expect("Auth0 sends an authenticator selection (§S5.3)")
        .user_verification = Some("required".into());
    let (made, shown) = ceremony(&[&key], registration, waits(), |_| Act::Cancel).await;
    let refused = made.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::SecurityKeyNotSupported);
    assert!(
        pin_prompts(&shown).is_empty(),
        "no PIN is asked for: {shown:?}"
    );
    // Refused before anything was made: no makeCredential (0x01) reached the key.
    assert!(!key.commands().contains(&0x01), "{:?}", key.commands());
    assert!(key.credentials().is_empty());

    // Where the tenant only prefers verification, the same key makes a passkey without it.
    let made = enroll_ok(&env, &key, &[]).await;
    assert!(!made.id.is_empty());
    assert!(!key.credentials()[0].user_verified);
}
