//! Recognising the certificate authorities PostgreSQL providers and public CAs use, by subject
//! name, so a card can say "AWS RDS regional root (us-east-1)" instead of a bare DN.
//!
//! Matching is by Subject Key Identifier for the public roots listed in `KEY_IDS` and the
//! provider roots listed in `PROVIDER_KEY_IDS` (both from real root certificates), then by the
//! names the providers document for their CA files; provider CAs rotate keys with every
//! generation while names follow a stable pattern, so a root newer than the table is still
//! recognised by name. A certificate's issuer is recognised by its Authority Key Identifier,
//! then by the issuer name (`issuedByKnownCa`). A match is a label for people, not a trust
//! decision.

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

/// Subject Key Identifiers of the providers' own roots, in the format of `KEY_IDS`, sorted by
/// label. Only providers with one published set of roots are listed; the others stay matched by
/// name: DigitalOcean and Aiven create a CA per project, and Google Cloud SQL a server CA per
/// instance, so no fixed key identifies them.
///
/// AWS RDS: every self-signed root in `global-bundle.pem` as AWS publishes it
/// (<https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem>), read on 2026-11-22 from
/// a public copy (GitHub `huggingface/chat-ui`, `global-bundle.pem` at commit 3dbeff38, 174,184
/// characters); facts computed with `openssl x509 -noout -subject -ext subjectKeyIdentifier
/// -dates`, each self-signature checked with `openssl verify -check_ss_sig`. 93 roots: the G1
/// roots (RSA 2048, RSA 4096 and ECC 384 for each of 27 regions, plus the Beta us-east-1 and
/// Preview us-east-2 roots), whose keys are valid until 2061-2122, and the six 2019 roots
/// (`Amazon RDS Root 2019 CA`, its Beta and Preview twins, the af-south-1, eu-south-1 and
/// me-south-1 regional roots), expired in 2024. The region is the one in the root's CN. The
/// bundle's 2019 intermediates are not listed: their Authority Key Identifiers name the 2019
/// roots above. Regions opened after that copy fall back to the name patterns.
///
/// Supabase: `Supabase Root 2021 CA` (`prod-ca-2021.crt`, valid until 2031-04-26), read on
/// 2026-11-22 from a public copy whose SHA-256 fingerprint (80:70:25:AD:…:E6:CA:FA) matches the
/// one other public repositories pin for Supabase's download.
#[rustfmt::skip]
const PROVIDER_KEY_IDS: &[(&str, &str)] = &[
    ("D0:4A:2A:0E:BE:75:4B:10:C5:F0:35:20:E0:FB:38:25:9F:FB:C0:92", "AWS RDS beta regional root CA (us-east-1, ECC 384)"),
    ("56:C8:CB:99:52:8E:20:C4:24:77:2E:E7:FD:FD:B7:76:02:A6:7B:0A", "AWS RDS beta regional root CA (us-east-1, RSA 2048)"),
    ("85:98:C0:60:9B:92:2C:46:FD:E1:2E:BB:C3:3C:88:5C:3F:07:97:61", "AWS RDS beta regional root CA (us-east-1, RSA 4096)"),
    ("AD:A1:0C:15:A5:B1:B1:F3:B7:F1:07:77:44:18:3A:8A:2A:70:53:E1", "AWS RDS beta root CA (2019, expired 2024)"),
    ("BC:B8:5F:FA:86:4E:66:3C:B1:F8:A9:A5:AF:F4:D5:59:68:C9:B2:4E", "AWS RDS preview regional root CA (us-east-2, ECC 384)"),
    ("42:D3:2B:4A:98:36:1B:7F:3D:01:CF:43:EC:77:89:51:41:5D:DA:35", "AWS RDS preview regional root CA (us-east-2, RSA 2048)"),
    ("AE:65:75:60:04:A7:BA:E7:5F:9A:A0:19:3F:8B:0A:19:3B:D2:71:A1", "AWS RDS preview regional root CA (us-east-2, RSA 4096)"),
    ("69:D3:1A:94:2E:43:61:FF:0D:99:57:31:08:A3:64:48:63:B3:B4:DD", "AWS RDS preview root CA (2019, expired 2024)"),
    ("10:48:BF:59:63:1C:04:9B:28:19:78:3E:11:9C:24:43:43:2C:71:94", "AWS RDS regional root CA (af-south-1, 2019, expired 2024)"),
    ("59:B6:24:72:BB:D5:4A:70:16:3D:1E:4F:26:12:33:A6:97:00:9D:92", "AWS RDS regional root CA (af-south-1, ECC 384)"),
    ("06:B6:AD:96:61:2C:8C:33:1A:5D:43:72:19:BD:C1:84:FA:7C:99:A9", "AWS RDS regional root CA (af-south-1, RSA 2048)"),
    ("34:9A:C9:C1:32:BA:CA:68:FC:D3:AE:CE:5C:DB:96:E8:BC:2A:8B:45", "AWS RDS regional root CA (af-south-1, RSA 4096)"),
    ("08:92:40:EA:75:E9:5B:F4:3A:1A:6F:A9:C6:DD:DA:3E:51:9A:16:0D", "AWS RDS regional root CA (ap-east-1, ECC 384)"),
    ("92:37:69:62:E0:09:2E:71:A9:4E:56:61:56:9E:4F:9B:3C:96:93:B4", "AWS RDS regional root CA (ap-east-1, RSA 2048)"),
    ("B5:08:F8:30:FB:44:9B:3E:D2:74:67:8D:CC:08:55:6C:F3:61:2B:05", "AWS RDS regional root CA (ap-east-1, RSA 4096)"),
    ("9A:61:B6:4F:06:F1:4B:8A:44:80:8E:96:BC:99:12:6F:C8:0A:CC:C7", "AWS RDS regional root CA (ap-northeast-1, ECC 384)"),
    ("B7:DD:76:D7:01:43:2C:D7:39:F2:66:8E:01:D3:E0:77:0F:AF:16:15", "AWS RDS regional root CA (ap-northeast-1, RSA 2048)"),
    ("A8:A4:BE:96:D9:62:A2:BD:12:C9:92:98:02:42:7F:79:FB:F9:E6:DA", "AWS RDS regional root CA (ap-northeast-1, RSA 4096)"),
    ("B5:01:CA:76:59:8C:4E:71:B9:6F:E6:29:19:DD:92:1B:44:20:96:FB", "AWS RDS regional root CA (ap-northeast-2, ECC 384)"),
    ("24:81:35:85:B0:D8:3A:C0:0D:C7:6D:B8:A1:0D:0E:2F:A6:DD:44:DB", "AWS RDS regional root CA (ap-northeast-2, RSA 2048)"),
    ("80:45:A6:D6:66:42:6C:60:FA:CA:D6:F0:93:65:14:D5:A2:DA:39:45", "AWS RDS regional root CA (ap-northeast-2, RSA 4096)"),
    ("A0:4D:2A:64:79:83:08:30:7E:06:79:BC:19:46:BF:7A:FA:5F:3F:08", "AWS RDS regional root CA (ap-northeast-3, ECC 384)"),
    ("AE:C6:8A:A6:D3:FC:23:36:26:4B:BE:AB:FE:26:54:30:B0:3B:D3:3C", "AWS RDS regional root CA (ap-northeast-3, RSA 2048)"),
    ("E0:95:8E:A4:30:66:50:1B:96:2A:F1:8F:65:E9:70:F3:B7:B3:84:BF", "AWS RDS regional root CA (ap-northeast-3, RSA 4096)"),
    ("0B:5C:A1:46:05:6A:53:96:D1:F1:C1:B3:39:40:88:C5:1A:65:E0:46", "AWS RDS regional root CA (ap-south-1, ECC 384)"),
    ("1B:EE:F2:53:55:C8:8B:37:BD:B2:24:68:5A:44:A2:E7:E8:AA:E7:D9", "AWS RDS regional root CA (ap-south-1, RSA 2048)"),
    ("21:00:AA:38:A0:86:77:2F:FD:49:D6:CC:18:EA:BB:52:9A:D9:86:F8", "AWS RDS regional root CA (ap-south-1, RSA 4096)"),
    ("22:1D:71:66:2B:1E:41:81:63:3D:82:89:98:66:EB:B8:08:11:1F:E0", "AWS RDS regional root CA (ap-south-2, ECC 384)"),
    ("A7:49:22:EB:E7:96:BE:C9:C1:8D:08:4C:C7:03:16:E6:9C:27:EC:38", "AWS RDS regional root CA (ap-south-2, RSA 2048)"),
    ("DB:47:D0:5D:31:7E:28:D2:2C:71:32:22:44:46:0F:D8:16:E8:D6:B3", "AWS RDS regional root CA (ap-south-2, RSA 4096)"),
    ("96:7E:F9:A4:28:72:72:1C:0D:E1:17:C7:97:EB:4E:8A:73:2B:7D:5A", "AWS RDS regional root CA (ap-southeast-1, ECC 384)"),
    ("66:68:87:3C:78:DC:06:3F:B8:BA:3F:B0:09:AC:D4:2E:2B:A3:A9:17", "AWS RDS regional root CA (ap-southeast-1, RSA 2048)"),
    ("00:1A:74:32:50:75:E0:C4:87:80:07:2E:35:23:A1:B3:73:0E:95:47", "AWS RDS regional root CA (ap-southeast-1, RSA 4096)"),
    ("6B:77:92:13:79:D7:C0:C2:B1:A8:E0:50:3D:51:A0:DA:18:52:B7:AE", "AWS RDS regional root CA (ap-southeast-2, ECC 384)"),
    ("59:3C:50:99:A5:86:8C:45:4F:73:CF:D7:63:EF:86:F6:B3:1E:34:F8", "AWS RDS regional root CA (ap-southeast-2, RSA 2048)"),
    ("F8:CA:CA:82:C5:A3:DE:EF:2F:A0:D4:A5:08:01:E9:EA:BB:C3:C0:83", "AWS RDS regional root CA (ap-southeast-2, RSA 4096)"),
    ("36:D2:22:81:2A:23:64:71:B2:19:46:ED:32:D6:EA:05:D7:22:53:13", "AWS RDS regional root CA (ap-southeast-3, ECC 384)"),
    ("FE:8C:42:AC:F7:A2:C2:FB:F5:F8:05:99:14:61:49:33:3D:F5:DD:A9", "AWS RDS regional root CA (ap-southeast-3, RSA 2048)"),
    ("CE:56:D6:92:D5:BF:E5:CF:AC:89:0E:F3:64:EB:9B:C4:6A:CB:5B:41", "AWS RDS regional root CA (ap-southeast-3, RSA 4096)"),
    ("E6:A2:07:34:EB:ED:64:9E:C7:A3:D6:5B:4A:50:E7:56:16:FC:20:B2", "AWS RDS regional root CA (ap-southeast-4, ECC 384)"),
    ("8D:A5:C8:F3:E8:0A:D6:06:D0:00:F8:6C:FA:93:2C:99:C6:BA:E0:74", "AWS RDS regional root CA (ap-southeast-4, RSA 2048)"),
    ("A6:71:BB:99:66:B3:CB:A9:3D:EF:FB:5B:E6:27:6E:44:1D:D1:5E:04", "AWS RDS regional root CA (ap-southeast-4, RSA 4096)"),
    ("8D:E9:FC:65:83:4B:39:5A:7C:B4:F2:E4:41:61:97:10:DD:35:28:CB", "AWS RDS regional root CA (ca-central-1, ECC 384)"),
    ("E2:31:86:A4:CF:90:A5:6A:28:16:6F:31:6B:4A:7B:02:96:0E:F0:C1", "AWS RDS regional root CA (ca-central-1, RSA 2048)"),
    ("9E:52:75:C8:47:13:5B:62:C6:4B:B4:AA:26:23:3E:18:D6:73:99:13", "AWS RDS regional root CA (ca-central-1, RSA 4096)"),
    ("34:FF:4E:18:D0:66:5E:36:36:FF:F8:67:FE:C9:61:A3:CD:32:5C:B6", "AWS RDS regional root CA (eu-central-1, ECC 384)"),
    ("10:C0:88:9E:CF:CB:DF:C0:F5:EB:4D:6B:F7:9B:3A:7C:79:97:93:06", "AWS RDS regional root CA (eu-central-1, RSA 2048)"),
    ("8A:80:F1:09:0E:B3:67:12:8A:B3:A9:0A:E2:AE:3A:1F:55:0D:F2:5F", "AWS RDS regional root CA (eu-central-1, RSA 4096)"),
    ("4A:FA:54:86:BA:D5:DF:E0:39:13:8D:1D:D6:35:FB:F8:F8:A7:8D:15", "AWS RDS regional root CA (eu-central-2, ECC 384)"),
    ("6F:0B:BC:EB:7E:62:40:64:0C:45:A9:DE:91:EB:0E:44:CF:07:92:6E", "AWS RDS regional root CA (eu-central-2, RSA 2048)"),
    ("11:68:B7:4F:22:A4:42:FD:65:45:C2:1B:89:5A:82:61:79:DC:2D:3F", "AWS RDS regional root CA (eu-central-2, RSA 4096)"),
    ("62:07:2C:75:4E:1F:9B:9C:6D:BA:A2:CD:A6:99:1F:4C:73:36:40:C6", "AWS RDS regional root CA (eu-north-1, ECC 384)"),
    ("85:99:1E:EC:74:06:E5:BA:C1:4D:FB:18:5F:D5:A7:B4:29:4A:A1:59", "AWS RDS regional root CA (eu-north-1, RSA 2048)"),
    ("53:17:BE:F8:E8:68:61:94:72:E9:7C:18:0D:C5:4F:4E:43:2D:B6:5C", "AWS RDS regional root CA (eu-north-1, RSA 4096)"),
    ("14:10:05:72:02:5E:FC:10:6E:66:21:9E:67:C4:93:7E:99:20:45:84", "AWS RDS regional root CA (eu-south-1, 2019, expired 2024)"),
    ("53:EB:48:DB:56:4B:92:54:F9:3B:E2:E8:00:55:DB:7D:57:6E:36:C4", "AWS RDS regional root CA (eu-south-1, ECC 384)"),
    ("BD:80:CD:66:20:88:F2:87:D3:B9:1F:FE:D5:8F:44:7F:6A:42:3B:53", "AWS RDS regional root CA (eu-south-1, RSA 2048)"),
    ("D9:E1:4A:EF:E4:77:C7:F9:9E:F2:BA:08:04:DC:41:AE:99:64:33:A1", "AWS RDS regional root CA (eu-south-1, RSA 4096)"),
    ("80:37:88:20:42:B2:9F:05:1B:35:70:29:74:83:E7:99:15:A2:79:9C", "AWS RDS regional root CA (eu-south-2, ECC 384)"),
    ("51:EF:2A:9D:49:F2:9C:5F:64:3C:1B:38:5C:56:E7:11:78:8A:5E:C1", "AWS RDS regional root CA (eu-south-2, RSA 2048)"),
    ("97:5A:3F:0A:42:7F:BF:14:A2:51:53:12:7E:86:3B:CE:7F:43:05:08", "AWS RDS regional root CA (eu-south-2, RSA 4096)"),
    ("95:34:03:75:08:70:33:D1:E6:7B:EE:AC:F6:69:D7:AA:8E:6D:F5:4F", "AWS RDS regional root CA (eu-west-1, ECC 384)"),
    ("D5:E6:F8:DF:3B:38:5C:4A:F4:07:FF:6E:34:B1:0C:28:AE:94:65:33", "AWS RDS regional root CA (eu-west-1, RSA 2048)"),
    ("B2:52:BB:10:56:72:A6:03:CC:FA:FF:61:1C:87:4A:C2:BE:AA:4D:99", "AWS RDS regional root CA (eu-west-1, RSA 4096)"),
    ("F8:8B:91:DA:A0:7B:6B:B3:B3:22:F1:AB:8B:84:C6:CA:33:55:DE:BC", "AWS RDS regional root CA (eu-west-2, ECC 384)"),
    ("69:01:BC:F1:49:D5:24:F4:C8:F8:F7:2D:8B:53:FE:AB:71:FB:A4:66", "AWS RDS regional root CA (eu-west-2, RSA 2048)"),
    ("6E:32:70:E1:26:3A:23:EC:37:0A:00:B8:FE:1D:BC:44:AA:3D:EB:EA", "AWS RDS regional root CA (eu-west-2, RSA 4096)"),
    ("A8:8A:DC:BA:68:17:E8:03:9E:A3:E5:74:64:B0:0A:10:4F:09:87:22", "AWS RDS regional root CA (eu-west-3, ECC 384)"),
    ("58:DA:CB:0F:58:32:36:F1:7C:5D:78:5C:08:4C:33:65:4F:97:43:DF", "AWS RDS regional root CA (eu-west-3, RSA 2048)"),
    ("89:17:A9:39:E5:95:3F:D5:26:72:36:36:A8:A9:03:85:D5:F2:B8:75", "AWS RDS regional root CA (eu-west-3, RSA 4096)"),
    ("B8:2A:C9:27:B0:95:CC:F7:E4:0F:12:40:5D:67:15:0F:68:BA:F5:D7", "AWS RDS regional root CA (me-central-1, ECC 384)"),
    ("FF:60:09:57:15:9D:67:17:3C:78:98:1D:A5:BC:29:5B:B6:F4:7F:B2", "AWS RDS regional root CA (me-central-1, RSA 2048)"),
    ("70:1E:9A:CF:3A:75:3C:1D:65:B2:DE:F0:06:8F:CB:79:1F:21:45:68", "AWS RDS regional root CA (me-central-1, RSA 4096)"),
    ("E7:87:1F:0E:38:30:07:1E:32:70:11:FC:FB:FA:FC:59:77:5A:8A:A6", "AWS RDS regional root CA (me-south-1, 2019, expired 2024)"),
    ("34:A7:00:6C:61:08:9F:4D:FF:BE:4C:1D:F2:0E:A3:37:28:91:74:3E", "AWS RDS regional root CA (me-south-1, ECC 384)"),
    ("05:27:5E:A7:D4:47:02:30:E2:21:A1:9B:3F:17:DB:11:F8:9C:BE:FB", "AWS RDS regional root CA (me-south-1, RSA 2048)"),
    ("47:D5:F8:BC:ED:23:6F:4E:54:34:66:D2:DA:82:94:FD:CD:AE:61:16", "AWS RDS regional root CA (me-south-1, RSA 4096)"),
    ("B9:2F:BF:FC:33:44:F3:A0:16:64:DF:D3:EC:EC:19:1F:4C:1E:32:25", "AWS RDS regional root CA (sa-east-1, ECC 384)"),
    ("E2:E6:07:74:7D:3E:6D:47:A1:F3:51:2A:DA:5E:7F:44:96:D6:FA:FB", "AWS RDS regional root CA (sa-east-1, RSA 2048)"),
    ("FB:56:CE:18:E6:E1:BF:F5:A5:E7:60:63:4C:12:CE:B2:70:F5:13:DE", "AWS RDS regional root CA (sa-east-1, RSA 4096)"),
    ("C6:5E:6A:81:58:DF:F5:B6:44:9E:6B:8A:4D:C3:4A:07:AE:39:36:50", "AWS RDS regional root CA (us-east-1, ECC 384)"),
    ("4E:CF:0A:8A:6D:97:23:A0:B5:75:F4:63:59:4E:6C:15:31:B8:A6:82", "AWS RDS regional root CA (us-east-1, RSA 2048)"),
    ("00:C2:71:00:8F:5F:61:E6:92:A4:1C:9A:E1:DF:89:0D:A3:8E:A9:EB", "AWS RDS regional root CA (us-east-1, RSA 4096)"),
    ("B0:F2:0F:73:D1:C8:D5:E9:BC:A1:CF:61:8C:63:1D:75:8E:81:F3:E7", "AWS RDS regional root CA (us-east-2, ECC 384)"),
    ("85:96:B8:D1:05:B1:43:0E:0B:CD:97:95:F2:5E:A9:AC:F3:AE:43:C3", "AWS RDS regional root CA (us-east-2, RSA 2048)"),
    ("20:09:90:AC:73:7E:27:55:34:5B:5A:C9:E2:5C:13:E3:9D:44:D0:D8", "AWS RDS regional root CA (us-east-2, RSA 4096)"),
    ("3C:BB:73:A7:79:C0:0D:98:6F:0E:A1:3E:CA:2D:60:EE:17:36:70:05", "AWS RDS regional root CA (us-west-1, ECC 384)"),
    ("9B:98:DF:71:2F:68:F8:BC:0B:E7:5E:C7:A4:1E:A1:1B:E3:E6:A4:1B", "AWS RDS regional root CA (us-west-1, RSA 2048)"),
    ("01:AA:0F:19:6B:F2:F4:60:C1:D4:44:61:31:1D:FB:CF:C9:F2:DB:39", "AWS RDS regional root CA (us-west-1, RSA 4096)"),
    ("10:8A:45:73:F3:09:A3:77:D7:83:15:15:F3:04:85:3C:3A:C7:A2:1B", "AWS RDS regional root CA (us-west-2, ECC 384)"),
    ("99:37:10:77:AA:35:0A:E4:BA:E4:C8:C1:AC:CC:10:F4:92:63:98:1C", "AWS RDS regional root CA (us-west-2, RSA 2048)"),
    ("F9:AB:77:1A:51:46:0B:B7:21:C6:81:E4:14:EA:96:9A:DC:29:D4:EC", "AWS RDS regional root CA (us-west-2, RSA 4096)"),
    ("73:5F:60:D8:BC:CB:03:98:F4:2B:17:34:2E:36:5A:A6:60:FF:BC:1F", "AWS RDS root CA (2019, expired 2024)"),
    ("A8:D7:B9:76:37:D8:2C:ED:92:12:26:9E:0E:32:24:D5:2D:69:46:2C", "Supabase root CA (2021)"),
];

/// The label of the root whose Subject Key Identifier is `key_id`.
pub fn recognise_key_id(key_id: &str) -> Option<&'static str> {
    KEY_IDS
        .iter()
        .chain(PROVIDER_KEY_IDS)
        .find(|(id, _)| id.eq_ignore_ascii_case(key_id))
        .map(|(_, label)| *label)
}

/// The label for a certificate: by its Subject Key Identifier first (a key is harder to fake
/// than a name in a label), then by its subject name and common name. (Plain values, not
/// `CertFacts`: this table sits below the certificate facts, which use it.)
pub fn recognise_certificate(
    subject_key_id: Option<&str>,
    subject: &str,
    common_name: Option<&str>,
) -> Option<&'static str> {
    subject_key_id
        .and_then(recognise_key_id)
        .or_else(|| recognise(subject, common_name))
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

/// The label of the CA that issued a certificate: its Authority Key Identifier against the
/// known roots' SKIs (RFC 5280 §4.2.1.1), then the issuer name.
pub fn recognise_issuer(authority_key_id: Option<&str>, issuer: &str) -> Option<&'static str> {
    authority_key_id
        .and_then(recognise_key_id)
        .or_else(|| recognise(issuer, common_name_of(issuer)))
}

#[cfg(test)]
mod tests {
    use super::super::cert::CertFacts;
    use super::*;

    fn recognise_certificate(facts: &CertFacts) -> Option<&'static str> {
        super::recognise_certificate(
            facts.subject_key_id.as_deref(),
            &facts.subject,
            facts.common_name.as_deref(),
        )
    }

    fn recognise_issuer(facts: &CertFacts) -> Option<&'static str> {
        super::recognise_issuer(facts.authority_key_id.as_deref(), &facts.issuer)
    }

    #[test]
    fn key_identifiers() {
        // DigiCert Global Root G2's SKI (Azure's root), any case.
        assert_eq!(
            recognise_key_id("4e:22:54:20:18:95:e6:e3:6e:e6:0f:fa:fa:b9:12:ed:06:17:8f:39"),
            Some("public root: DigiCert Global Root G2 (Azure)")
        );
        assert_eq!(recognise_key_id("00:11"), None);
    }

    /// A synthetic CA certificate with the given names and key identifiers.
    fn facts(subject: &str, issuer: &str, ski: Option<&str>, aki: Option<&str>) -> CertFacts {
        CertFacts {
            subject: subject.into(),
            issuer: issuer.into(),
            common_name: common_name_of(subject).map(str::to_owned),
            is_ca: Some(true),
            key_usage: None,
            extended_key_usage: None,
            subject_key_id: ski.map(str::to_owned),
            authority_key_id: aki.map(str::to_owned),
            self_issued: subject == issuer,
            ..CertFacts::sample()
        }
    }

    #[test]
    fn provider_roots_by_key_identifier() {
        // The name says nothing; the SKI of Amazon RDS us-east-1 Root CA RSA2048 G1 does.
        let root = facts(
            "CN=Renamed Root",
            "CN=Renamed Root",
            Some("4E:CF:0A:8A:6D:97:23:A0:B5:75:F4:63:59:4E:6C:15:31:B8:A6:82"),
            None,
        );
        assert_eq!(
            recognise_certificate(&root),
            Some("AWS RDS regional root CA (us-east-1, RSA 2048)")
        );
        assert!(!is_public(recognise_certificate(&root).unwrap()));
        let supabase = facts(
            "CN=Supabase Root 2021 CA, O=Supabase Inc",
            "CN=Supabase Root 2021 CA, O=Supabase Inc",
            Some("a8:d7:b9:76:37:d8:2c:ed:92:12:26:9e:0e:32:24:d5:2d:69:46:2c"),
            Some("A8:D7:B9:76:37:D8:2C:ED:92:12:26:9E:0E:32:24:D5:2D:69:46:2C"),
        );
        assert_eq!(
            recognise_certificate(&supabase),
            Some("Supabase root CA (2021)")
        );
        // An unknown key falls back to the name.
        let unknown_key = facts(
            "CN=Amazon RDS il-central-1 Root CA ECC384 G1",
            "CN=Amazon RDS il-central-1 Root CA ECC384 G1",
            Some("00:11:22"),
            None,
        );
        assert_eq!(
            recognise_certificate(&unknown_key),
            Some("AWS RDS regional root CA (ECC 384)")
        );
    }

    #[test]
    fn issued_by_provider_root_by_authority_key_identifier() {
        // An intermediate whose AKI is the SKI of Amazon RDS eu-west-1 Root CA ECC384 G1,
        // under an issuer name no pattern knows.
        let intermediate = facts(
            "CN=Fixture Intermediate",
            "CN=Fixture Root",
            Some("01:02:03:04"),
            Some("95:34:03:75:08:70:33:D1:E6:7B:EE:AC:F6:69:D7:AA:8E:6D:F5:4F"),
        );
        assert_eq!(
            recognise_issuer(&intermediate),
            Some("AWS RDS regional root CA (eu-west-1, ECC 384)")
        );
        assert_eq!(recognise_certificate(&intermediate), None);
        // The 2019 intermediates chain to Amazon RDS Root 2019 CA.
        let rds_2019 = facts(
            "CN=Amazon RDS us-east-1 2019 CA",
            "CN=Amazon RDS Root 2019 CA",
            None,
            Some("73:5F:60:D8:BC:CB:03:98:F4:2B:17:34:2E:36:5A:A6:60:FF:BC:1F"),
        );
        assert_eq!(
            recognise_issuer(&rds_2019),
            Some("AWS RDS root CA (2019, expired 2024)")
        );
    }

    #[test]
    fn key_tables_are_well_formed() {
        let all: Vec<_> = KEY_IDS.iter().chain(PROVIDER_KEY_IDS).collect();
        for (i, (id, label)) in all.iter().enumerate() {
            assert_eq!(id.len(), 59, "{label}: 20 bytes as colon-separated hex");
            assert!(
                id.chars()
                    .all(|c| c == ':' || c.is_ascii_digit() || ('A'..='F').contains(&c)),
                "{label}: upper-case hex"
            );
            assert!(
                all[i + 1..].iter().all(|(other, _)| other != id),
                "{label}: key identifier listed twice"
            );
        }
        assert!(
            PROVIDER_KEY_IDS.windows(2).all(|w| w[0].1 < w[1].1),
            "sorted by label"
        );
        assert_eq!(
            PROVIDER_KEY_IDS
                .iter()
                .filter(|(_, l)| l.starts_with("AWS RDS"))
                .count(),
            93
        );
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
