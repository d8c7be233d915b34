//! Chain building and verification over the fixtures of `scripts/make-pki-fixtures.sh`
//! (`fixtures/pki/chain/`), under both policies, through one `check` helper: the leaf, the
//! trusted and untrusted files, the options, and the expected verdict (path length when valid,
//! the exact set of error kinds when not).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use pg_preflight_core::pki::chain::{
    disagreement, verify, ChainError, ChainReport, Labels, Limits, Policy, Purpose, VerifyOptions,
};
use pg_preflight_core::pki::intake::{intake, Field};
use pg_preflight_core::pki::time::UnixTime;

const NOW: &str = "2026-06-01T00:00:00Z";

fn der(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pki/chain")
        .join(format!("{name}.crt"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    intake(&bytes, Field::ServerChain)
        .items
        .into_iter()
        .next()
        .map(|i| i.der)
        .unwrap_or_else(|| panic!("{name}: no certificate"))
}

fn fingerprint(name: &str) -> String {
    pg_preflight_core::pki::cert::parse(&der(name))
        .unwrap()
        .fingerprint_sha256
}

#[derive(Debug, Clone, Copy)]
enum Expect<'a> {
    /// Valid, with a path of this many certificates.
    Valid(usize),
    /// Invalid with exactly these error kinds (any order).
    Invalid(&'a [&'a str]),
}

struct Case<'a> {
    leaf: &'a str,
    trusted: &'a [&'a str],
    untrusted: &'a [&'a str],
    host: Option<&'a str>,
    purpose: Option<Purpose>,
}

fn case<'a>(leaf: &'a str, trusted: &'a [&'a str], untrusted: &'a [&'a str]) -> Case<'a> {
    Case {
        leaf,
        trusted,
        untrusted,
        host: None,
        purpose: Some(Purpose::Server),
    }
}

impl<'a> Case<'a> {
    fn host(mut self, host: &'a str) -> Self {
        self.host = Some(host);
        self
    }

    fn purpose(mut self, purpose: Option<Purpose>) -> Self {
        self.purpose = purpose;
        self
    }

    fn run(&self, policy: Policy) -> ChainReport {
        let leaf = der(self.leaf);
        let trusted: Vec<Vec<u8>> = self.trusted.iter().map(|n| der(n)).collect();
        let untrusted: Vec<Vec<u8>> = self.untrusted.iter().map(|n| der(n)).collect();
        let mut options = VerifyOptions::new(UnixTime::parse(NOW).unwrap());
        options.policy = policy;
        options.purpose = self.purpose;
        options.host = self.host.map(str::to_string);
        let t: Vec<&[u8]> = trusted.iter().map(Vec::as_slice).collect();
        let u: Vec<&[u8]> = untrusted.iter().map(Vec::as_slice).collect();
        verify(&leaf, &u, &t, &options)
    }

    /// Checks the verdict under the strict and the libpq policy.
    fn check(&self, strict: Expect<'_>, libpq: Expect<'_>) {
        for (policy, expect) in [(Policy::Strict, strict), (Policy::Libpq, libpq)] {
            let report = self.run(policy);
            let kinds: Vec<String> = report
                .errors
                .iter()
                .map(|e| {
                    serde_json::to_value(e).unwrap()["kind"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            let what = format!(
                "{} (trusted {:?}, untrusted {:?}, host {:?}) under {policy:?}: {:#?}",
                self.leaf, self.trusted, self.untrusted, self.host, report.diagnostics
            );
            match expect {
                Expect::Valid(len) => {
                    assert!(report.valid, "expected valid: {what}");
                    assert_eq!(report.path.len(), len, "path length: {what}");
                    assert_eq!(report.path.first(), Some(&fingerprint(self.leaf)), "{what}");
                    assert!(report.diagnostics.is_empty(), "{what}");
                }
                Expect::Invalid(expected) => {
                    assert!(!report.valid, "expected invalid: {what}");
                    let mut got = kinds.clone();
                    got.sort();
                    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
                    want.sort();
                    assert_eq!(got, want, "{what}");
                    assert_eq!(report.diagnostics.len(), report.errors.len(), "{what}");
                }
            }
        }
    }
}

use Expect::{Invalid, Valid};

#[test]
fn chains_of_one_to_four() {
    case("leaf-1", &["leaf-1"], &[]).check(Valid(1), Valid(1));
    case("leaf-2", &["root-a"], &[]).check(Valid(2), Valid(2));
    case("leaf-3", &["root-a"], &["inter-a1"]).check(Valid(3), Valid(3));
    // Unordered bundle.
    case("leaf-4", &["root-a"], &["inter-a1", "inter-a2"]).check(Valid(4), Valid(4));
    // Duplicates and the root again among the intermediates.
    case(
        "leaf-4",
        &["root-a"],
        &["inter-a1", "inter-a2", "inter-a1", "root-a"],
    )
    .check(Valid(4), Valid(4));
    // Several unrelated anchors.
    case(
        "leaf-4",
        &["root-b", "root-c", "root-a", "root-d"],
        &["inter-a2", "inter-a1"],
    )
    .check(Valid(4), Valid(4));
}

#[test]
fn self_signed_leaf_not_trusted() {
    case("leaf-1", &["root-a"], &[]).check(
        Invalid(&["selfSignedNotTrusted"]),
        Invalid(&["selfSignedNotTrusted"]),
    );
}

#[test]
fn cross_signed_intermediates() {
    // Strict tries the alternatives; libpq's OpenSSL takes the first candidate that is valid
    // now, in the order the chain was sent, and does not come back.
    let c = case("leaf-x", &["root-b"], &["inter-x-by-a", "inter-x-by-b"]);
    c.check(Valid(3), Invalid(&["unknownIssuer"]));
    assert_eq!(c.run(Policy::Strict).path[1], fingerprint("inter-x-by-b"));
    let c = case("leaf-x", &["root-b"], &["inter-x-by-b", "inter-x-by-a"]);
    c.check(Valid(3), Valid(3));
    assert_eq!(c.run(Policy::Libpq).path[1], fingerprint("inter-x-by-b"));
    // Through the cross-signed root B to root A.
    let c = case("leaf-x", &["root-a"], &["inter-x-by-b", "root-b-by-a"]);
    c.check(Valid(4), Valid(4));
    // Both ways available: the shorter path through the trusted root wins.
    case(
        "leaf-x",
        &["root-a", "root-b"],
        &["inter-x-by-b", "inter-x-by-a", "root-b-by-a"],
    )
    .check(Valid(3), Valid(3));
}

#[test]
fn expired_candidate_with_valid_alternative() {
    let c = case(
        "leaf-x",
        &["root-b"],
        &["inter-x-by-b-expired", "inter-x-by-b"],
    );
    c.check(Valid(3), Valid(3));
    assert_eq!(c.run(Policy::Libpq).path[1], fingerprint("inter-x-by-b"));
    case("leaf-x", &["root-b"], &["inter-x-by-b-expired"])
        .check(Invalid(&["expired"]), Invalid(&["expired"]));
}

#[test]
fn broken_links() {
    // Missing intermediate: the precise link is named.
    let c = case("leaf-3", &["root-a"], &[]);
    c.check(Invalid(&["unknownIssuer"]), Invalid(&["unknownIssuer"]));
    let detail = &c.run(Policy::Libpq).diagnostics[0].detail;
    assert!(
        detail.contains("was issued by `CN=Chain Intermediate A1"),
        "{detail}"
    );
    assert!(
        detail.contains("which is in none of the files given"),
        "{detail}"
    );
    // Wrong CA altogether.
    case("leaf-2", &["root-b"], &[])
        .check(Invalid(&["unknownIssuer"]), Invalid(&["unknownIssuer"]));
    // A CA with the same name but another key.
    case("leaf-2", &["rogue-root-a"], &[])
        .check(Invalid(&["badSignature"]), Invalid(&["badSignature"]));
    // The right one among same-named CAs is found.
    case("leaf-2", &["rogue-root-a", "root-a"], &[]).check(Valid(2), Valid(2));
}

#[test]
fn intermediate_only_trust() {
    // Strict RFC 5280 accepts a partial chain to a trusted intermediate; libpq does not.
    let c = case("leaf-3", &["inter-a1"], &[]);
    c.check(Valid(2), Invalid(&["onlyIntermediateTrusted"]));
    let detail = &c.run(Policy::Libpq).diagnostics[0].detail;
    assert!(
        detail.contains("libpq needs the self-signed root in sslrootcert"),
        "{detail}"
    );
    // The root among the untrusted certificates does not help libpq.
    case("leaf-3", &["inter-a1"], &["root-a"])
        .check(Valid(2), Invalid(&["onlyIntermediateTrusted"]));
    // With the root trusted as well, both accept.
    case("leaf-3", &["inter-a1", "root-a"], &[]).check(Valid(2), Valid(3));
}

#[test]
fn ca_constraints() {
    case("leaf-pathlen", &["root-a"], &["inter-p0", "inter-p0-sub"])
        .check(Invalid(&["pathLenExceeded"]), Invalid(&["pathLenExceeded"]));
    case("leaf-noks", &["root-a"], &["inter-noks"]).check(
        Invalid(&["missingKeyCertSign"]),
        Invalid(&["missingKeyCertSign"]),
    );
    case("leaf-by-leaf", &["root-a"], &["leaf-2"]).check(
        Invalid(&["issuerNotCa", "missingKeyCertSign"]),
        Invalid(&["issuerNotCa", "missingKeyCertSign"]),
    );
    case("leaf-critext", &["root-a"], &[]).check(
        Invalid(&["unhandledCriticalExtension"]),
        Invalid(&["unhandledCriticalExtension"]),
    );
}

#[test]
fn validity_periods() {
    case("leaf-future", &["root-a"], &[])
        .check(Invalid(&["notYetValid"]), Invalid(&["notYetValid"]));
    case("leaf-oldroot", &["root-old"], &[]).check(
        Invalid(&["trustAnchorExpired"]),
        Invalid(&["trustAnchorExpired"]),
    );
}

#[test]
fn purposes() {
    case("leaf-client", &["root-a"], &[])
        .purpose(Some(Purpose::Client))
        .check(Valid(2), Valid(2));
    case("leaf-client", &["root-a"], &[])
        .check(Invalid(&["wrongPurpose"]), Invalid(&["wrongPurpose"]));
    case("leaf-2", &["root-a"], &[])
        .purpose(Some(Purpose::Client))
        .check(Invalid(&["wrongPurpose"]), Invalid(&["wrongPurpose"]));
    case("leaf-client", &["root-a"], &[])
        .purpose(None)
        .check(Valid(2), Valid(2));
}

#[test]
fn signature_algorithms() {
    for (leaf, root) in [
        ("leaf-pss", "root-a"),
        ("leaf-pss512", "root-a"),
        ("leaf-sha224", "root-a"),
        ("leaf-p384", "root-b"),
        ("leaf-p521", "root-c"),
        ("leaf-ed25519", "root-d"),
        ("leaf-3", "root-a"),
    ] {
        let untrusted: &[&str] = if leaf == "leaf-3" { &["inter-a1"] } else { &[] };
        let len = if leaf == "leaf-3" { 3 } else { 2 };
        case(leaf, &[root], untrusted).check(Valid(len), Valid(len));
    }
    // SHA-1 verifies, and strict RFC 5280 does not forbid it; OpenSSL 3's default security
    // level does.
    case("leaf-sha1", &["root-a"], &[]).check(Valid(2), Invalid(&["weakSignatureHash"]));
}

#[test]
fn host_names() {
    let ok = |host: &str| {
        case("leaf-2", &["root-a"], &[])
            .host(host)
            .check(Valid(2), Valid(2))
    };
    ok("db.example.com");
    ok("DB.Example.COM");
    ok("r1.replicas.example.com");
    ok("127.0.0.1");
    ok("::1");
    let mismatch = |host: &str| {
        case("leaf-2", &["root-a"], &[])
            .host(host)
            .check(Invalid(&["hostMismatch"]), Invalid(&["hostMismatch"]))
    };
    mismatch("other.example.com");
    mismatch("replicas.example.com");
    mismatch("a.b.replicas.example.com");
    mismatch("127.0.0.2");
    // inet_aton forms count as IP addresses for libpq only.
    case("leaf-2", &["root-a"], &[])
        .host("127.1")
        .check(Invalid(&["hostMismatch"]), Valid(2));
    // CN fallback: libpq uses the CN when there is no dNSName SAN; strict never does.
    case("leaf-cn-only", &["root-a"], &[])
        .host("db.example.com")
        .check(Invalid(&["hostMismatch"]), Valid(2));
}

#[test]
fn name_constraints() {
    case("leaf-nc-ok", &["root-a"], &["inter-nc"]).check(Valid(3), Valid(3));
    case("leaf-nc-bad", &["root-a"], &["inter-nc"]).check(
        Invalid(&["nameConstraintViolation"]),
        Invalid(&["nameConstraintViolation"]),
    );
}

#[test]
fn bounded_work() {
    let leaf = der("leaf-4");
    let (i1, i2, root) = (der("inter-a1"), der("inter-a2"), der("root-a"));
    let mut options = VerifyOptions::new(UnixTime::parse(NOW).unwrap());
    options.limits = Limits {
        max_signature_checks: 1,
        ..Limits::default()
    };
    let report = verify(&leaf, &[&i1, &i2], &[&root], &options);
    assert!(!report.valid);
    assert!(report
        .errors
        .iter()
        .any(|e| matches!(e, ChainError::TooManyCandidates { .. })));
    options.limits = Limits {
        max_certificates: 3,
        ..Limits::default()
    };
    let report = verify(&leaf, &[&i1, &i2], &[&root], &options);
    assert_eq!(
        report.errors,
        vec![ChainError::PathTooLong {
            max_certificates: 3
        }]
    );
}

#[test]
fn unusable_inputs() {
    let at = UnixTime::parse(NOW).unwrap();
    let mut options = VerifyOptions::new(at);
    options.labels = Labels {
        leaf: "server.crt".into(),
        trusted: "root.crt".into(),
        untrusted: "chain.crt".into(),
        untrusted_first: 1,
    };
    let report = verify(b"garbage", &[], &[&der("root-a")], &options);
    assert!(!report.valid);
    assert!(matches!(
        report.errors[0],
        ChainError::LeafUnreadable { .. }
    ));
    assert!(report.diagnostics[0].detail.contains("server.crt"));
    let report = verify(&der("leaf-2"), &[], &[], &options);
    assert_eq!(report.errors, vec![ChainError::NoTrustAnchors]);
    let report = verify(&der("leaf-2"), &[b"junk"], &[&der("root-a")], &options);
    assert!(report.valid);
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].code, "PGP-CHAIN-019");
    assert!(report.diagnostics[0].detail.contains("chain.crt"));
}

#[test]
fn policies_disagree_where_expected() {
    let c = case("leaf-3", &["inter-a1"], &[]);
    let d = disagreement(&c.run(Policy::Strict), &c.run(Policy::Libpq)).unwrap();
    assert_eq!(d.code, "PGP-CHAIN-020");
    assert!(d.detail.contains("PGP-CHAIN-002"), "{}", d.detail);
    let c = case("leaf-2", &["root-a"], &[]);
    assert!(disagreement(&c.run(Policy::Strict), &c.run(Policy::Libpq)).is_none());
}

#[test]
fn every_error_has_a_registered_rule() {
    for rule in pg_preflight_core::pki::chain::RULES {
        assert!(rule.code.starts_with("PGP-CHAIN-"));
    }
}
