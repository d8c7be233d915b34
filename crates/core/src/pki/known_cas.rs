//! Recognising the certificate authorities PostgreSQL providers and public CAs use, by subject
//! name, so a card can say "AWS RDS regional root (us-east-1)" instead of a bare DN.
//!
//! Matching is by the names the providers document for their CA files; key identifiers rotate
//! with every CA generation, names follow a stable pattern. A match is a label for people, not
//! a trust decision.

/// What a certificate's subject says about who operates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pattern {
    /// Matched against the subject's common name (case-insensitive).
    cn: Match,
    /// Matched against the whole subject, when the CN alone is ambiguous.
    subject: Match,
    label: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Any,
    Exact(&'static str),
    Prefix(&'static str),
    Contains(&'static str),
}

impl Match {
    fn matches(self, text: &str) -> bool {
        let text = text.to_ascii_lowercase();
        match self {
            Match::Any => true,
            Match::Exact(x) => text == x.to_ascii_lowercase(),
            Match::Prefix(x) => text.starts_with(&x.to_ascii_lowercase()),
            Match::Contains(x) => text.contains(&x.to_ascii_lowercase()),
        }
    }
}

const fn cn(m: Match, label: &'static str) -> Pattern {
    Pattern {
        cn: m,
        subject: Match::Any,
        label,
    }
}

const fn org(m: Match, label: &'static str) -> Pattern {
    Pattern {
        cn: Match::Any,
        subject: m,
        label,
    }
}

/// Sources: AWS RDS "Using SSL/TLS" (certificate bundles, CA names per region); Azure Database
/// for PostgreSQL "TLS/SSL" (DigiCert Global Root G2, Microsoft RSA Root CA 2017); Google
/// Cloud SQL "Configure SSL/TLS certificates" (Google Cloud SQL Server CA); Supabase
/// "SSL enforcement" (prod-supabase.cer); DigitalOcean and Aiven project CAs; public roots
/// from the Mozilla CA program.
const PATTERNS: &[Pattern] = &[
    cn(
        Match::Prefix("Amazon RDS Root 2019 CA"),
        "AWS RDS root CA (2019)",
    ),
    cn(
        Match::Exact("Amazon RDS Root CA"),
        "AWS RDS root CA (2015, expired 2020)",
    ),
    cn(
        Match::Contains("Root CA RSA2048 G1"),
        "AWS RDS regional root CA (RSA 2048)",
    ),
    cn(
        Match::Contains("Root CA RSA4096 G1"),
        "AWS RDS regional root CA (RSA 4096)",
    ),
    cn(
        Match::Contains("Root CA ECC384 G1"),
        "AWS RDS regional root CA (ECC 384)",
    ),
    cn(Match::Prefix("Amazon RDS"), "AWS RDS certificate authority"),
    cn(
        Match::Prefix("Google Cloud SQL Server CA"),
        "Google Cloud SQL server CA",
    ),
    cn(
        Match::Prefix("Google Cloud SQL Client CA"),
        "Google Cloud SQL client CA",
    ),
    cn(Match::Prefix("Supabase Root"), "Supabase root CA"),
    cn(
        Match::Prefix("Supabase Intermediate"),
        "Supabase intermediate CA",
    ),
    cn(
        Match::Prefix("Microsoft Azure"),
        "Microsoft Azure TLS issuing CA",
    ),
    cn(
        Match::Exact("Microsoft RSA Root Certificate Authority 2017"),
        "Microsoft RSA root (Azure)",
    ),
    cn(
        Match::Exact("Microsoft ECC Root Certificate Authority 2017"),
        "Microsoft ECC root (Azure)",
    ),
    org(
        Match::Contains("O=DigitalOcean"),
        "DigitalOcean managed database CA",
    ),
    org(Match::Contains("Aiven"), "Aiven project CA"),
    cn(
        Match::Exact("ISRG Root X1"),
        "public root: Let's Encrypt ISRG Root X1",
    ),
    cn(
        Match::Exact("ISRG Root X2"),
        "public root: Let's Encrypt ISRG Root X2",
    ),
    cn(
        Match::Exact("DigiCert Global Root G2"),
        "public root: DigiCert Global Root G2 (Azure)",
    ),
    cn(
        Match::Exact("DigiCert Global Root CA"),
        "public root: DigiCert Global Root CA",
    ),
    cn(
        Match::Prefix("Amazon Root CA"),
        "public root: Amazon Trust Services",
    ),
    cn(
        Match::Prefix("GTS Root R"),
        "public root: Google Trust Services",
    ),
    cn(
        Match::Exact("Baltimore CyberTrust Root"),
        "public root: Baltimore CyberTrust (expired 2025)",
    ),
    cn(
        Match::Exact("USERTrust RSA Certification Authority"),
        "public root: Sectigo USERTrust",
    ),
    cn(
        Match::Prefix("Let's Encrypt"),
        "public CA: Let's Encrypt intermediate",
    ),
];

/// The label for a certificate with this subject, if it is a known CA.
pub fn recognise(subject: &str, common_name: Option<&str>) -> Option<&'static str> {
    PATTERNS
        .iter()
        .find(|p| {
            let cn_ok = match (p.cn, common_name) {
                (Match::Any, _) => true,
                (m, Some(cn)) => m.matches(cn),
                (_, None) => false,
            };
            cn_ok && p.subject.matches(subject)
        })
        .map(|p| p.label)
}

/// Whether a label from [`recognise`] names a CA in the public trust stores (operating
/// systems, browsers) rather than a provider's own CA.
pub fn is_public(label: &str) -> bool {
    label.starts_with("public ") || label.starts_with("Microsoft ")
}

/// The common name in an RFC 4514 string as `CertFacts` renders names (`CN=…, O=…`).
fn common_name_of(name: &str) -> Option<&str> {
    name.split(", ")
        .find_map(|part| part.strip_prefix("CN="))
        .map(str::trim)
}

/// The label of the CA that issued `facts`, from the issuer name.
pub fn recognise_issuer(facts: &super::cert::CertFacts) -> Option<&'static str> {
    recognise(&facts.issuer, common_name_of(&facts.issuer))
}

#[cfg(test)]
mod tests {
    use super::recognise;

    #[test]
    fn providers_and_public_roots() {
        let rds = "CN=Amazon RDS us-east-1 Root CA RSA2048 G1, OU=Amazon RDS, O=Amazon Web Services, Inc.";
        assert_eq!(
            recognise(rds, Some("Amazon RDS us-east-1 Root CA RSA2048 G1")),
            Some("AWS RDS regional root CA (RSA 2048)")
        );
        assert_eq!(
            recognise(
                "CN=ISRG Root X1, O=Internet Security Research Group",
                Some("ISRG Root X1")
            ),
            Some("public root: Let's Encrypt ISRG Root X1")
        );
        assert_eq!(
            recognise(
                "CN=Google Cloud SQL Server CA, O=Google, Inc",
                Some("Google Cloud SQL Server CA")
            ),
            Some("Google Cloud SQL server CA")
        );
        assert_eq!(
            recognise("CN=Fixture Root CA", Some("Fixture Root CA")),
            None
        );
        assert_eq!(
            recognise("O=Aiven Ltd, CN=1234 Project CA", Some("1234 Project CA")),
            Some("Aiven project CA")
        );
    }
}
