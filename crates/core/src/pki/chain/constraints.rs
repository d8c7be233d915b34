//! Name constraints (RFC 5280 §4.2.1.10, applied as §6.1.3 (b), (c) and §6.1.4 (g)).
//!
//! Every CA in the path, trust anchor included (as OpenSSL and rustls-webpki do), constrains the
//! certificates below it, except self-issued intermediates (§6.1.3 (b)). Each CA's constraints
//! are checked on their own, which is the same as intersecting permitted subtrees down the path.
//!
//! Supported forms: dNSName (a constraint matches the name and every sub-domain at a label
//! boundary; a leading dot means sub-domains only), iPAddress (address and contiguous mask,
//! 8 or 32 bytes), rfc822Name (mailbox, host, or `.domain`), uniformResourceIdentifier (host
//! part, same rules as dNSName), directoryName (RDN prefix of the subject, compared in the
//! canonical form RFC 5280 §7.1 asks for: case and white space folded). A constraint of another
//! form restricts nothing when no name of that form is present; when one is, the name cannot be
//! checked and is treated as outside a permitted subtree.

use super::error::ChainError;
use super::model::{canonical_rdn, name_rdns, ChainCert, NameConstraints};
use super::names::is_valid_host_name;
use super::Policy;
use crate::pki::x509::extensions::GeneralName;

/// A name of a constrained certificate, as constraints see it.
#[derive(Debug, Clone)]
enum Subject<'a> {
    Dns(&'a str),
    Ip(&'a [u8]),
    Email(&'a str),
    Uri(&'a str),
    /// Canonical RDNs of a directoryName (or of the subject).
    Directory(Vec<Vec<u8>>, String),
    /// The common name checked as a host name (libpq policy: OpenSSL does this for leaves
    /// without dNSName SANs whose CN looks like a host name).
    CommonNameHost(&'a str),
    /// A SAN that does not decode; never permitted by a subtree of its kind.
    Invalid,
    Other(&'static str),
}

impl Subject<'_> {
    fn text(&self) -> String {
        match self {
            Subject::Dns(d) => format!("DNS:{d}"),
            Subject::Ip(b) => format!("IP:{}", crate::pki::text::ip_text(b)),
            Subject::Email(e) => format!("email:{e}"),
            Subject::Uri(u) => format!("URI:{u}"),
            Subject::Directory(_, text) => format!("DirName:{text}"),
            Subject::CommonNameHost(cn) => format!("CN:{cn}"),
            Subject::Invalid => "an undecodable name".into(),
            Subject::Other(kind) => (*kind).to_string(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Subject::Dns(_) | Subject::CommonNameHost(_) => "dns",
            Subject::Ip(_) => "ip",
            Subject::Email(_) => "email",
            Subject::Uri(_) => "uri",
            Subject::Directory(..) => "dir",
            Subject::Invalid => "invalid",
            Subject::Other(kind) => kind,
        }
    }
}

fn constraint_kind(c: &GeneralName) -> &'static str {
    match c {
        GeneralName::Dns(_) => "dns",
        GeneralName::Ip(_) => "ip",
        GeneralName::Email(_) => "email",
        GeneralName::Uri(_) => "uri",
        GeneralName::Directory(_) => "dir",
        GeneralName::Other(kind) => kind,
        GeneralName::Invalid => "invalid",
    }
}

/// RFC 5280 §4.2.1.10: the extension's own validity. Strict policy only: an empty
/// NameConstraints, a wildcard dNSName, an iPAddress that is not address+mask, or one with a
/// non-contiguous mask is refused.
pub fn check_constraints_wellformed(
    nc: &NameConstraints,
    index: usize,
    cert: &ChainCert,
) -> Result<(), ChainError> {
    let bad = |reason: String| ChainError::InvalidNameConstraints {
        index,
        subject: cert.subject.clone(),
        reason,
    };
    let permitted_empty = nc.permitted.as_ref().is_none_or(Vec::is_empty);
    let excluded_empty = nc.excluded.as_ref().is_none_or(Vec::is_empty);
    if permitted_empty && excluded_empty {
        return Err(bad(
            "nameConstraints has neither permittedSubtrees nor excludedSubtrees".into(),
        ));
    }
    for c in nc.permitted.iter().chain(nc.excluded.iter()).flatten() {
        match c {
            GeneralName::Dns(d) => {
                let body = d.strip_prefix('.').unwrap_or(d);
                if !body.is_empty() && !is_valid_host_name(body) {
                    return Err(bad(format!(
                        "dNSName constraint `{d}` is not a domain name"
                    )));
                }
            }
            GeneralName::Ip(bytes) => {
                if bytes.len() != 8 && bytes.len() != 32 {
                    return Err(bad(format!(
                        "iPAddress constraint of {} bytes is not an address and mask",
                        bytes.len()
                    )));
                }
                let mask = bytes.get(bytes.len() / 2..).unwrap_or_default();
                if !is_contiguous_mask(mask) {
                    return Err(bad("iPAddress constraint mask is not a prefix".into()));
                }
            }
            GeneralName::Invalid => return Err(bad("a constraint does not decode".into())),
            _ => {}
        }
    }
    Ok(())
}

fn is_contiguous_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for byte in mask {
        for bit in (0..8).rev() {
            let set = byte & (1 << bit) != 0;
            if set && seen_zero {
                return false;
            }
            if !set {
                seen_zero = true;
            }
        }
    }
    true
}

/// The names of `cert` that constraints apply to.
fn subjects(cert: &ChainCert, is_leaf: bool, policy: Policy) -> Vec<Subject<'_>> {
    let mut out = Vec::new();
    if !cert.subject_is_empty() {
        out.push(Subject::Directory(
            cert.subject_rdns_canon.clone(),
            cert.subject.clone(),
        ));
    }
    for email in &cert.subject_emails {
        out.push(Subject::Email(email));
    }
    for name in cert.subject_alt_names.iter().flatten() {
        out.push(match name {
            GeneralName::Dns(d) => Subject::Dns(d),
            GeneralName::Ip(b) => Subject::Ip(b),
            GeneralName::Email(e) => Subject::Email(e),
            GeneralName::Uri(u) => Subject::Uri(u),
            GeneralName::Directory(der) => Subject::Directory(
                name_rdns(der).iter().map(|r| canonical_rdn(r)).collect(),
                "(directoryName SAN)".into(),
            ),
            GeneralName::Other(kind) => Subject::Other(kind),
            GeneralName::Invalid => Subject::Invalid,
        });
    }
    let has_dns_san = cert
        .subject_alt_names
        .iter()
        .flatten()
        .any(|n| matches!(n, GeneralName::Dns(_)));
    if policy == Policy::Libpq && is_leaf && !has_dns_san {
        for cn in &cert.common_names {
            if cn.contains('.') && is_valid_host_name(cn) {
                out.push(Subject::CommonNameHost(cn));
            }
        }
    }
    out
}

/// Checks every certificate below `ca_index` in `path` against the CA's constraints.
/// `path[0]` is the leaf.
pub fn check_name_constraints(
    path: &[&ChainCert],
    ca_index: usize,
    nc: &NameConstraints,
    policy: Policy,
) -> Result<(), ChainError> {
    let Some(ca) = path.get(ca_index) else {
        return Ok(());
    };
    for (index, cert) in path.iter().enumerate().take(ca_index) {
        if index > 0 && cert.is_self_issued() {
            continue;
        }
        for subject in subjects(cert, index == 0, policy) {
            let kind = subject.kind();
            if let Some(excluded) = &nc.excluded {
                if let Some(hit) = excluded
                    .iter()
                    .filter(|c| constraint_kind(c) == kind)
                    .find(|c| matches(c, &subject) == Some(true))
                {
                    return Err(violation(index, cert, &subject, ca, "excluded", hit));
                }
            }
            if let Some(permitted) = &nc.permitted {
                let same_kind: Vec<&GeneralName> = permitted
                    .iter()
                    .filter(|c| constraint_kind(c) == kind)
                    .collect();
                if !same_kind.is_empty()
                    && !same_kind.iter().any(|c| matches(c, &subject) == Some(true))
                {
                    return Err(ChainError::NameConstraintViolation {
                        index,
                        subject: cert.subject.clone(),
                        name: subject.text(),
                        constrained_by: format!(
                            "{} permits only {}",
                            ca.subject,
                            same_kind
                                .iter()
                                .map(|c| constraint_text(c))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
                // An undecodable SAN under any DNS constraint cannot be shown to be permitted.
                if matches!(subject, Subject::Invalid)
                    && policy == Policy::Strict
                    && permitted
                        .iter()
                        .any(|c| !matches!(c, GeneralName::Directory(_)))
                {
                    return Err(violation(
                        index,
                        cert,
                        &subject,
                        ca,
                        "permitted",
                        permitted.first().unwrap_or(&GeneralName::Invalid),
                    ));
                }
            }
            // Strict: a malformed dNSName or iPAddress SAN under constraints of its kind.
            if policy == Policy::Strict {
                let constrained = |k: &str| {
                    nc.permitted
                        .iter()
                        .chain(nc.excluded.iter())
                        .flatten()
                        .any(|c| constraint_kind(c) == k)
                };
                let malformed = match &subject {
                    Subject::Dns(d) => constrained("dns") && !is_valid_san_dns(d),
                    Subject::Ip(b) => constrained("ip") && b.len() != 4 && b.len() != 16,
                    _ => false,
                };
                if malformed {
                    return Err(ChainError::NameConstraintViolation {
                        index,
                        subject: cert.subject.clone(),
                        name: subject.text(),
                        constrained_by: format!(
                            "{} constrains names of this kind, and this one is malformed",
                            ca.subject
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

fn violation(
    index: usize,
    cert: &ChainCert,
    subject: &Subject<'_>,
    ca: &ChainCert,
    how: &str,
    constraint: &GeneralName,
) -> ChainError {
    ChainError::NameConstraintViolation {
        index,
        subject: cert.subject.clone(),
        name: subject.text(),
        constrained_by: format!("{} {how} {}", ca.subject, constraint_text(constraint)),
    }
}

fn constraint_text(c: &GeneralName) -> String {
    match c {
        GeneralName::Dns(d) => format!("DNS:{d}"),
        GeneralName::Ip(b) => match (b.get(..b.len() / 2), b.get(b.len() / 2..)) {
            (Some(addr), Some(mask)) => format!(
                "IP:{}/{}",
                crate::pki::text::ip_text(addr),
                mask.iter().map(|m| m.count_ones()).sum::<u32>()
            ),
            _ => "IP:(invalid)".into(),
        },
        GeneralName::Email(e) => format!("email:{e}"),
        GeneralName::Uri(u) => format!("URI:{u}"),
        GeneralName::Directory(_) => "a directoryName subtree".into(),
        GeneralName::Other(kind) => (*kind).to_string(),
        GeneralName::Invalid => "an undecodable constraint".into(),
    }
}

/// A dNSName SAN that can be evaluated: a host name, optionally with a `*.` left-most label.
fn is_valid_san_dns(name: &str) -> bool {
    is_valid_host_name(name.strip_prefix("*.").unwrap_or(name))
}

/// Whether `subject` lies in the subtree `constraint`; `None` when it cannot be decided.
fn matches(constraint: &GeneralName, subject: &Subject<'_>) -> Option<bool> {
    match (constraint, subject) {
        (GeneralName::Dns(c), Subject::Dns(name) | Subject::CommonNameHost(name)) => {
            Some(dns_in_subtree(name, c))
        }
        (GeneralName::Ip(c), Subject::Ip(addr)) => Some(ip_in_subtree(addr, c)),
        (GeneralName::Email(c), Subject::Email(e)) => Some(email_in_subtree(e, c)),
        (GeneralName::Uri(c), Subject::Uri(u)) => {
            Some(uri_host(u).is_some_and(|h| host_in_subtree(&h, c)))
        }
        (GeneralName::Directory(c), Subject::Directory(rdns, _)) => {
            let constraint: Vec<Vec<u8>> = name_rdns(c).iter().map(|r| canonical_rdn(r)).collect();
            Some(
                rdns.len() >= constraint.len() && rdns.iter().zip(&constraint).all(|(a, b)| a == b),
            )
        }
        _ => None,
    }
}

/// dNSName: "example.com" covers example.com and *.example.com; ".example.com" only the
/// sub-domains; "" everything.
fn dns_in_subtree(name: &str, constraint: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let constraint = constraint.to_ascii_lowercase();
    if constraint.is_empty() {
        return true;
    }
    if let Some(domain) = constraint.strip_prefix('.') {
        return name.ends_with(&constraint) && name.len() > domain.len() + 1;
    }
    name == constraint
        || (name.len() > constraint.len()
            && name.ends_with(&constraint)
            && name.as_bytes().get(name.len() - constraint.len() - 1) == Some(&b'.'))
}

/// URI hosts follow the same rules as dNSName, except that a constraint without a leading dot
/// names one host exactly (RFC 5280 §4.2.1.10).
fn host_in_subtree(host: &str, constraint: &str) -> bool {
    if constraint.starts_with('.') {
        dns_in_subtree(host, constraint)
    } else {
        host.eq_ignore_ascii_case(constraint)
    }
}

fn uri_host(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn email_in_subtree(email: &str, constraint: &str) -> bool {
    if constraint.contains('@') {
        // A particular mailbox: local part exact, host case-insensitive.
        return match (email.rsplit_once('@'), constraint.rsplit_once('@')) {
            (Some((l1, h1)), Some((l2, h2))) => l1 == l2 && h1.eq_ignore_ascii_case(h2),
            _ => false,
        };
    }
    let Some((_, host)) = email.rsplit_once('@') else {
        return false;
    };
    host_in_subtree(host, constraint)
}

fn ip_in_subtree(addr: &[u8], constraint: &[u8]) -> bool {
    if constraint.len() != addr.len() * 2 {
        return false;
    }
    let (network, mask) = constraint.split_at(addr.len());
    addr.iter()
        .zip(network)
        .zip(mask)
        .all(|((a, n), m)| a & m == n & m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtrees() {
        assert!(dns_in_subtree("example.com", "example.com"));
        assert!(dns_in_subtree("foo.bar.example.com", "example.com"));
        assert!(!dns_in_subtree("fooexample.com", "example.com"));
        assert!(dns_in_subtree("foo.example.com", ".example.com"));
        assert!(!dns_in_subtree("example.com", ".example.com"));
        assert!(dns_in_subtree("anything", ""));
    }

    #[test]
    fn ip_subtrees() {
        let c = [192, 0, 2, 0, 255, 255, 255, 0];
        assert!(ip_in_subtree(&[192, 0, 2, 1], &c));
        assert!(!ip_in_subtree(&[192, 0, 3, 1], &c));
        assert!(!ip_in_subtree(&[0; 16], &c));
        assert!(is_contiguous_mask(&[255, 255, 0, 0]));
        assert!(!is_contiguous_mask(&[255, 0, 255, 0]));
    }

    #[test]
    fn email_and_uri_subtrees() {
        assert!(email_in_subtree("a@example.com", "example.com"));
        assert!(!email_in_subtree("a@sub.example.com", "example.com"));
        assert!(email_in_subtree("a@sub.example.com", ".example.com"));
        assert!(email_in_subtree("a@Example.com", "a@example.com"));
        assert_eq!(
            uri_host("https://user@Host.example.com:8443/x").as_deref(),
            Some("host.example.com")
        );
        assert!(host_in_subtree("a.example.com", ".example.com"));
    }
}
