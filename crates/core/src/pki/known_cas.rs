//! Recognising the certificate authorities PostgreSQL providers and public CAs use, by subject
//! name, so a card can say "AWS RDS regional root (us-east-1)" instead of a bare DN.
//!
//! Matching is by Subject Key Identifier for the public roots listed in `KEY_IDS` (from real
//! root certificates), then by the names the providers document for their CA files; provider
//! CAs rotate keys with every generation while names follow a stable pattern. A certificate's
//! issuer is recognised by its Authority Key Identifier, then by the issuer name
//! (`issuedByKnownCa`). A match is a label for people, not a trust decision.

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

/// Subject Key Identifiers of well-known roots (RFC 5280 §4.2.1.2), as colon-separated
/// upper-case hex like `CertFacts::subject_key_id`. Facts computed with
/// `openssl x509 -noout -ext subjectKeyIdentifier` from the Mozilla root store as Debian's
/// `ca-certificates` 20230311+deb12u1 ships it (`/usr/share/ca-certificates/mozilla/*.crt`).
/// A certificate whose SKI is listed is that root (even renamed or re-issued with the same
/// key); one whose Authority Key Identifier is listed was issued by it.
const KEY_IDS: &[(&str, &str)] = &[
    (
        "4E:22:54:20:18:95:E6:E3:6E:E6:0F:FA:FA:B9:12:ED:06:17:8F:39",
        "public root: DigiCert Global Root G2 (Azure)",
    ),
    (
        "03:DE:50:35:56:D1:4C:BB:66:F0:A3:E2:1B:1B:C3:97:B2:3D:D1:55",
        "public root: DigiCert Global Root CA",
    ),
    (
        "79:B4:59:E6:7B:B6:E5:E4:01:73:80:08:88:C8:1A:58:F6:E9:9B:6E",
        "public root: Let's Encrypt ISRG Root X1",
    ),
    (
        "7C:42:96:AE:DE:4B:48:3B:FA:92:F8:9E:8C:CF:6D:8B:A9:72:37:95",
        "public root: Let's Encrypt ISRG Root X2",
    ),
    (
        "09:CB:59:7F:86:B2:70:8F:1A:C3:39:E3:C0:D9:E9:BF:BB:4D:B2:23",
        "Microsoft RSA root (Azure)",
    ),
    (
        "C8:CB:99:72:70:52:0C:F8:E6:BE:B2:04:57:29:2A:CF:42:10:ED:35",
        "Microsoft ECC root (Azure)",
    ),
    (
        "84:18:CC:85:34:EC:BC:0C:94:94:2E:08:59:9C:C7:B2:10:4E:0A:08",
        "public root: Amazon Trust Services",
    ),
    (
        "B0:0C:F0:4C:30:F4:05:58:02:48:FD:33:E5:52:AF:4B:84:E3:66:52",
        "public root: Amazon Trust Services",
    ),
    (
        "AB:B6:DB:D7:06:9E:37:AC:30:86:07:91:70:C7:9C:C4:19:B1:78:C0",
        "public root: Amazon Trust Services",
    ),
    (
        "D3:EC:C7:3A:65:6E:CC:E1:DA:76:9A:56:FB:9C:F3:86:6D:57:E5:81",
        "public root: Amazon Trust Services",
    ),
    (
        "E4:AF:2B:26:71:1A:2B:48:27:85:2F:52:66:2C:EF:F0:89:13:71:3E",
        "public root: Google Trust Services",
    ),
    (
        "BB:FF:CA:8E:23:9F:4F:99:CA:DB:E2:68:A6:A5:15:27:17:1E:D9:0E",
        "public root: Google Trust Services",
    ),
    (
        "C1:F1:26:BA:A0:2D:AE:85:81:CF:D3:F1:2A:12:BD:B8:0A:67:FD:BC",
        "public root: Google Trust Services",
    ),
    (
        "80:4C:D6:EB:74:FF:49:36:A3:D5:D8:FC:B5:3E:C5:6A:F0:94:1D:8C",
        "public root: Google Trust Services",
    ),
    (
        "53:79:BF:5A:AA:2B:4A:CF:54:80:E1:D8:9B:C0:9D:F2:B2:03:66:CB",
        "public root: Sectigo USERTrust",
    ),
    (
        "E5:9D:59:30:82:47:58:CC:AC:FA:08:54:36:86:7B:3A:B5:04:4D:F0",
        "public root: Baltimore CyberTrust (expired 2025)",
    ),
];

/// The label of the root whose Subject Key Identifier is `key_id`.
pub fn recognise_key_id(key_id: &str) -> Option<&'static str> {
    KEY_IDS
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(key_id))
        .map(|(_, label)| *label)
}

/// The label for a certificate: by its Subject Key Identifier first (a key is harder to fake
/// than a name in a label), then by name.
pub fn recognise_certificate(facts: &super::cert::CertFacts) -> Option<&'static str> {
    facts
        .subject_key_id
        .as_deref()
        .and_then(recognise_key_id)
        .or_else(|| recognise(&facts.subject, facts.common_name.as_deref()))
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

/// The label of the CA that issued `facts`: its Authority Key Identifier against the known
/// roots' SKIs (RFC 5280 §4.2.1.1), then the issuer name.
pub fn recognise_issuer(facts: &super::cert::CertFacts) -> Option<&'static str> {
    facts
        .authority_key_id
        .as_deref()
        .and_then(recognise_key_id)
        .or_else(|| recognise(&facts.issuer, common_name_of(&facts.issuer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_identifiers() {
        // DigiCert Global Root G2's SKI (Azure's root), any case.
        assert_eq!(
            recognise_key_id("4e:22:54:20:18:95:e6:e3:6e:e6:0f:fa:fa:b9:12:ed:06:17:8f:39"),
            Some("public root: DigiCert Global Root G2 (Azure)")
        );
        assert_eq!(recognise_key_id("00:11"), None);
    }

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
