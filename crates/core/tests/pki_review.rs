//! The certificate review over real fixtures (scripts/make-pki-fixtures.sh), end to end:
//! files in, certificates, key match and codes out.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pg_preflight_core::pki::review::{review_certificates, ConnectionFacts, Material};
use pg_preflight_core::pki::time::UnixTime;
use pg_preflight_core::Field;

mod common;
use common::fixture;

struct Case<'a> {
    root: Option<&'a str>,
    cert: Option<&'a str>,
    key: Option<&'a str>,
    passphrase: Option<&'a str>,
    server: Option<&'a str>,
    user: Option<&'a str>,
    hosts: &'a [&'a str],
    now: &'a str,
}

const BASE: Case<'static> = Case {
    root: Some("root.crt"),
    cert: Some("client-with-intermediate.crt"),
    key: Some("client.pkcs8.key"),
    passphrase: None,
    server: None,
    user: Some("app_user"),
    hosts: &[],
    now: "2025-06-01T00:00:00Z",
};

fn review_of(case: &Case<'_>) -> pg_preflight_core::pki::review::Review {
    let load = |name: Option<&str>| name.map(fixture);
    let (root, cert, key, server) = (
        load(case.root),
        load(case.cert),
        load(case.key),
        load(case.server),
    );
    let material = Material {
        root_cert: root.as_deref(),
        client_cert: cert.as_deref(),
        client_key: key.as_deref(),
        key_passphrase: case.passphrase.map(str::as_bytes),
        server_chain: server.as_deref(),
        client_ca: None,
    };
    let connection = ConnectionFacts {
        user: case.user.map(str::to_string),
        verify_hosts: case.hosts.iter().map(|h| h.to_string()).collect(),
    };
    review_certificates(&material, &connection, UnixTime::parse(case.now).unwrap())
}

fn run(case: &Case<'_>) -> (Vec<&'static str>, Option<bool>, Vec<String>) {
    let result = review_of(case);
    let mut codes: Vec<&'static str> = result.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    let roles = result.certificates.iter().map(|c| c.role.clone()).collect();
    (codes, result.key_match, roles)
}

#[test]
fn a_sound_client_setup() {
    let (codes, key_match, roles) = run(&BASE);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(key_match, Some(true));
    assert_eq!(roles, ["root", "client", "client-intermediate"]);
}

#[test]
fn expiry_is_reported_at_each_threshold() {
    let at = |now| run(&Case { now, ..BASE }).0;
    assert_eq!(at("2026-04-01T00:00:00Z"), ["PGP-CERT-004"]);
    assert_eq!(at("2026-06-01T00:00:00Z"), ["PGP-CERT-003"]);
    assert_eq!(at("2026-07-01T00:00:00Z"), ["PGP-CERT-001"]);
    assert_eq!(
        at("2024-06-01T00:00:00Z"),
        ["PGP-CERT-002", "PGP-CERT-002", "PGP-CERT-002"]
    );
}

#[test]
fn wrong_key_wrong_purpose_wrong_user() {
    let (codes, key_match, _) = run(&Case {
        key: Some("server.key"),
        ..BASE
    });
    assert_eq!((codes, key_match), (vec!["PGP-KEY-004"], Some(false)));
    // Either file may be the wrong one: the finding names both, so both boxes show it.
    let mismatch = review_of(&Case {
        key: Some("server.key"),
        ..BASE
    });
    let finding = &mismatch.diagnostics[0];
    assert_eq!(
        (finding.source, finding.counterpart),
        (Some(Field::ClientKey), Some(Field::ClientCert))
    );
    assert!(finding.concerns(Field::ClientCert) && finding.concerns(Field::ClientKey));
    assert!(!finding.concerns(Field::RootCert));

    let (codes, key_match, _) = run(&Case {
        cert: Some("client-ec.crt"),
        key: Some("client-ec.sec1.key"),
        ..BASE
    });
    assert_eq!(codes, ["PGP-CERT-001", "PGP-CERT-008"]);
    assert_eq!(key_match, Some(true));

    let (codes, _, _) = run(&Case {
        user: Some("reporting"),
        ..BASE
    });
    assert_eq!(codes, ["PGP-CERT-011"]);

    let (codes, _, roles) = run(&Case {
        server: Some("client.crt"),
        ..BASE
    });
    // Wrong purpose, and its issuer (the intermediate) is in none of the files.
    assert_eq!(codes, ["PGP-CERT-010", "PGP-CHAIN-001"]);
    assert!(roles.iter().any(|r| r == "server"));
}

#[test]
fn encrypted_keys_need_the_passphrase_to_match() {
    let locked = run(&Case {
        key: Some("client.pbes2-aes256.key"),
        ..BASE
    });
    assert_eq!((locked.0, locked.1), (vec!["PGP-KEY-001"], None));
    let opened = run(&Case {
        key: Some("client.pbes2-aes256.key"),
        passphrase: Some("fixture-pass"),
        ..BASE
    });
    assert_eq!((opened.0, opened.1), (vec![], Some(true)));
}

#[test]
fn chains_are_judged_by_libpq_and_strictly() {
    let sound = review_of(&BASE);
    let client = sound.chains.client.as_ref().unwrap();
    assert!(client.valid && client.strict_valid);
    assert_eq!(client.path.len(), 3);
    assert!(sound.chains.server.is_none());

    // The server sends only its leaf: the intermediate is in none of the files.
    let bare = review_of(&Case {
        server: Some("server.crt"),
        hosts: &["db.example.com"],
        ..BASE
    });
    let server = bare.chains.server.as_ref().unwrap();
    assert!(!server.valid && !server.strict_valid);

    let with_intermediate = review_of(&Case {
        root: Some("bundle.crt"),
        server: Some("server.crt"),
        hosts: &["db.example.com", "10.0.0.7"],
        ..BASE
    });
    let server = with_intermediate.chains.server.as_ref().unwrap();
    assert!(!server.valid, "10.0.0.7 is not among the IP SANs");
    assert!(with_intermediate
        .diagnostics
        .iter()
        .any(|d| d.code == "PGP-CHAIN-011"));

    let right_host = review_of(&Case {
        root: Some("bundle.crt"),
        server: Some("server.crt"),
        hosts: &["db.example.com", "127.0.0.1", "a.replicas.example.com"],
        ..BASE
    });
    assert!(right_host.chains.server.as_ref().unwrap().valid);
}

fn codes_for_ca(ca: &[u8]) -> Vec<&'static str> {
    let material = Material {
        root_cert: Some(ca),
        ..Material::default()
    };
    let now = UnixTime::parse("2026-06-01T00:00:00Z").unwrap();
    review_certificates(&material, &ConnectionFacts::default(), now)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn a_tampered_self_signature_is_reported_and_a_good_one_is_not() {
    use pg_preflight_core::pki::convert::pem_encode;
    use pg_preflight_core::pki::intake::{intake, Field};
    let root = fixture("root.crt");
    assert!(!codes_for_ca(&root).contains(&"PGP-CERT-015"));
    let read = intake(&root, Field::RootCert);
    let (item, _) = read.certificates().next().unwrap();
    let mut der = item.der.clone();
    // The signature is the last bytes of the DER: flip one bit in it.
    let last = der.len() - 3;
    der[last] ^= 0x01;
    let tampered = pem_encode("CERTIFICATE", &der);
    assert!(codes_for_ca(tampered.as_bytes()).contains(&"PGP-CERT-015"));
}

/// Every root in the operating system's bundle carries a good self-signature (or one made with
/// an algorithm left unchecked): no false alarm on real CA files.
#[test]
fn the_system_bundle_raises_no_self_signature_alarm() {
    let Ok(bundle) = std::fs::read("/etc/ssl/certs/ca-certificates.crt") else {
        eprintln!("SKIPPED: /etc/ssl/certs/ca-certificates.crt is not on this machine");
        return;
    };
    assert!(!codes_for_ca(&bundle).contains(&"PGP-CERT-015"));
}
