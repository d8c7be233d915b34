//! `sslrootcert=system` next to a private CA: libpq then loads only the operating system's
//! trust store (OpenSSL's default verify paths) and ignores any CA file, so a server whose
//! certificate comes from a private CA fails verification.
//!
//! What counts as private or public is decided by [`known_cas`](super::known_cas): a
//! certificate recognised as a provider's own CA (AWS RDS, Google Cloud SQL, Supabase,
//! DigitalOcean, Aiven) is private; one recognised as a public root or public issuing CA
//! (Let's Encrypt, DigiCert, Microsoft, Amazon Trust Services, GTS, Sectigo USERTrust) is
//! public. A self-signed certificate that is not recognised as public is private. Anything
//! else is unknown and raises nothing: the table names few public CAs, and a warning on every
//! chain it does not list would be noise.

use super::cert::CertFacts;
use super::intake::{Field, Intake};
use super::known_cas;
use crate::diagnostic::{Diagnostic, Fix};
use crate::registry::Rule;

pub static RULES: &[&Rule] = &[&RULE_SYSTEM_WITH_CA_FILE, &RULE_SYSTEM_PRIVATE_SERVER_CA];

/// Who operates a CA, as far as the known-CA table tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Public,
    Private,
    Unknown,
}

fn label_trust(label: Option<&str>) -> Trust {
    match label {
        Some(label) if known_cas::is_public(label) => Trust::Public,
        Some(_) => Trust::Private,
        None => Trust::Unknown,
    }
}

/// The trust of a certificate itself (it may be the root).
fn own_trust(facts: &CertFacts) -> Trust {
    match label_trust(facts.known_ca) {
        Trust::Unknown if facts.self_issued => Trust::Private,
        trust => trust,
    }
}

/// The trust of the CA that issued `facts`, recognised from the issuer name (and, with key
/// identifiers, from the authority key identifier).
fn issuer_trust(facts: &CertFacts) -> Trust {
    label_trust(issuer_label(facts))
}

fn issuer_label(facts: &CertFacts) -> Option<&'static str> {
    known_cas::recognise_issuer(facts.authority_key_id.as_deref(), &facts.issuer)
}

fn certificates(intakes: &[Intake], field: Field) -> Vec<&CertFacts> {
    intakes
        .iter()
        .filter(|i| i.field == field)
        .flat_map(|i| i.certificates().map(|(_, facts)| facts))
        .collect()
}

fn fix() -> Fix {
    Fix::advice("Set `sslrootcert` to the CA file (the private root that signed the server's certificate) instead of `system`")
}

rule!(
    RULE_SYSTEM_WITH_CA_FILE,
    "PGP-CERT-012",
    Warning,
    "sslrootcert=system ignores the CA file given",
    "With `sslrootcert=system` libpq verifies the server against the operating system's trust \
store only; a CA file handed over with the connection is not used. A CA file that is not a \
public root usually means the server's certificate comes from a private CA, which the system \
store does not hold, so the connection fails with `certificate verify failed`. Point \
`sslrootcert` at the CA file instead.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"
    ]
);

/// libpq docs, `sslrootcert`: "the special value `system` may be specified instead, in which
/// case the trusted CA roots from the SSL implementation will be loaded" — a CA file given
/// alongside is not read. Silent when every certificate in it is a recognised public CA.
pub fn check_ca_file_ignored(sslrootcert: Option<&str>, intakes: &[Intake]) -> Option<Diagnostic> {
    if sslrootcert != Some("system") {
        return None;
    }
    let cas = certificates(intakes, Field::RootCert);
    let private: Vec<&&CertFacts> = cas
        .iter()
        .filter(|f| own_trust(f) != Trust::Public)
        .collect();
    let first = private.first()?;
    Some(
        Diagnostic::new(
            &RULE_SYSTEM_WITH_CA_FILE,
            format!(
                "The connection string says `sslrootcert=system`, so libpq ignores the CA file given, which holds `{}`{}: it is not a public root the system store would contain.",
                first.subject,
                first
                    .known_ca
                    .map(|label| format!(" ({label})"))
                    .unwrap_or_default()
            ),
        )
        .with_fix(fix()),
    )
}

rule!(
    RULE_SYSTEM_PRIVATE_SERVER_CA,
    "PGP-CERT-013",
    Error,
    "sslrootcert=system but the server's CA is private",
    "The server's chain ends at a CA that is not in any operating system's trust store (a \
provider's own CA, or a self-signed private root). With `sslrootcert=system` libpq trusts only \
the system store, so verification fails. Point `sslrootcert` at the file holding that CA's root \
certificate.",
    [
        "https://www.postgresql.org/docs/18/libpq-connect.html#LIBPQ-CONNECT-SSLROOTCERT",
        "https://www.postgresql.org/docs/18/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES"
    ]
);

/// RFC 5280 §6.1: the path ends at a trust anchor; with `sslrootcert=system` the anchors are
/// the system store's, which never holds a private CA. The top of the server's chain is the
/// last certificate sent; its issuer (or itself, when self-signed) is the anchor.
pub fn check_private_server_ca(
    sslrootcert: Option<&str>,
    intakes: &[Intake],
) -> Option<Diagnostic> {
    if sslrootcert != Some("system") {
        return None;
    }
    let chain = certificates(intakes, Field::ServerChain);
    let top = chain.last()?;
    let (trust, name, label) = if top.self_issued {
        (own_trust(top), &top.subject, top.known_ca)
    } else {
        (issuer_trust(top), &top.issuer, issuer_label(top))
    };
    if trust != Trust::Private {
        return None;
    }
    Some(
        Diagnostic::new(
            &RULE_SYSTEM_PRIVATE_SERVER_CA,
            format!(
                "The server's chain ends at `{name}`{}, a private CA, but the connection string says `sslrootcert=system`: libpq will look for it in the operating system's trust store only and the verification fails.",
                label.map(|l| format!(" ({l})")).unwrap_or_default()
            ),
        )
        .with_fix(fix()),
    )
}

/// Both checks, in order.
pub fn check_against_system_roots(
    sslrootcert: Option<&str>,
    intakes: &[Intake],
) -> Vec<Diagnostic> {
    [
        check_ca_file_ignored(sslrootcert, intakes),
        check_private_server_ca(sslrootcert, intakes),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::intake::intake;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/");

    fn read(name: &str, field: Field) -> Intake {
        intake(
            &std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_default(),
            field,
        )
    }

    fn codes(root: Option<&str>, intakes: &[Intake]) -> Vec<&'static str> {
        check_against_system_roots(root, intakes)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn private_ca_file_with_system() {
        // The fixture root is a private, self-signed CA.
        let ca = [read("root.crt", Field::RootCert)];
        assert_eq!(codes(Some("system"), &ca), ["PGP-CERT-012"]);
        assert!(codes(Some("/etc/ca.pem"), &ca).is_empty());
        assert!(codes(None, &ca).is_empty());
    }

    #[test]
    fn private_server_chain_with_system() {
        // server.crt alone: issued by `Fixture Intermediate CA`, which the table does not know:
        // no claim either way.
        let server = [read("server.crt", Field::ServerChain)];
        assert!(codes(Some("system"), &server).is_empty());
        // bundle.crt (intermediate, then the self-signed fixture root) as the server's chain.
        let with_root = [read("bundle.crt", Field::ServerChain)];
        assert_eq!(codes(Some("system"), &with_root), ["PGP-CERT-013"]);
        assert!(codes(Some("root.crt"), &with_root).is_empty());
        // A public root as the CA file is fine with `system`.
        assert!(codes(Some("system"), &server).is_empty());
    }

    #[test]
    fn provider_and_public_issuers() {
        let found = read("server.crt", Field::ServerChain)
            .certificates()
            .map(|(_, f)| f.clone())
            .next();
        assert!(found.is_some());
        let Some(mut facts) = found else { return };
        facts.self_issued = false;
        facts.issuer = "CN=Amazon RDS us-east-1 Root CA RSA2048 G1, OU=Amazon RDS, O=Amazon Web Services, Inc.".into();
        assert_eq!(issuer_trust(&facts), Trust::Private);
        facts.issuer =
            "CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US".into();
        assert_eq!(issuer_trust(&facts), Trust::Public);
        facts.issuer = "CN=Some Other CA, O=Example".into();
        facts.authority_key_id = None;
        assert_eq!(issuer_trust(&facts), Trust::Unknown);
        // Recognised by the authority key identifier alone: DigiCert Global Root G2's SKI.
        facts.authority_key_id =
            Some("4E:22:54:20:18:95:E6:E3:6E:E6:0F:FA:FA:B9:12:ED:06:17:8F:39".into());
        assert_eq!(issuer_trust(&facts), Trust::Public);
        assert_eq!(
            issuer_label(&facts),
            Some("public root: DigiCert Global Root G2 (Azure)")
        );
    }
}
