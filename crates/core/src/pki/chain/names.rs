//! Does the server certificate name the host the client connects to?
//!
//! Two rule sets, chosen by [`super::Policy`]:
//!
//! **Strict** (RFC 6125 §6.4, as x509-limbo and rustls-webpki expect):
//! - a DNS host is compared only with dNSName SANs, case-insensitively; the subject CN is never
//!   used (RFC 6125 §6.4.4 allows the CN only when there is no SAN at all, and modern verifiers
//!   dropped even that);
//! - a wildcard is accepted only as the whole left-most label (`*.example.com`); it matches
//!   exactly one non-empty label, never the apex and never across dots. Partial-label wildcards
//!   (`f*.example.com`, `xn--*.example.com`) never match (RFC 6125 §6.4.3 allows refusing them,
//!   and they would be impossible inside A-labels);
//! - presented names must be valid ASCII host names (RFC 5280 §7.2: IDNs are stored as A-labels);
//! - an IP host (dotted quad or RFC 4291 text) is compared only with iPAddress SANs, byte for
//!   byte.
//!
//! **libpq** (PostgreSQL 18 `pgtls_verify_peer_name_matches_certificate_guts` and
//! `pq_verify_peer_name_matches_certificate_name` in `fe-secure-openssl.c` /
//! `fe-secure-common.c`):
//! - the host is an IP address when `inet_aton` (so `127.1` and `0x7f.0.0.1` count) or
//!   `inet_pton(AF_INET6)` accepts it;
//! - every dNSName and iPAddress SAN is examined in order; dNSNames compare case-insensitively,
//!   or as a wildcard that must start with `*.` and whose `*` matches one label without dots
//!   (so `f*.example.com` never matches: libpq, unlike OpenSSL's `X509_check_host`, does not
//!   accept partial-label wildcards); iPAddress SANs compare as bytes with the parsed host;
//! - the subject's first commonName is used only when no SAN of the host's own type exists:
//!   a DNS host falls back to the CN only without dNSName SANs, an IP host only without
//!   iPAddress SANs (even when dNSNames exist — libpq's documented departure from RFC 6125);
//!   the CN is compared as a name (exact or `*.` wildcard), so a CN of `127.0.0.1` matches that
//!   IP host;
//! - an iPAddress SAN that is neither 4 nor 16 bytes, or a name with an embedded NUL, is an
//!   error (libpq refuses the connection).

use super::error::ChainError;
use super::model::ChainCert;
use super::Policy;
use crate::pki::x509::extensions::GeneralName;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Checks that `cert` names `host` under `policy`.
pub fn check_host(cert: &ChainCert, host: &str, policy: Policy) -> Result<(), ChainError> {
    let outcome = match policy {
        Policy::Strict => strict_match(cert, host),
        Policy::Libpq => libpq_match(cert, host),
    };
    outcome.map_err(|reason| ChainError::HostMismatch {
        host: host.to_string(),
        dns_names: cert.dns_names(),
        ip_addresses: cert.ip_addresses(),
        common_name: cert.common_names.first().cloned(),
        reason,
    })
}

fn strict_match(cert: &ChainCert, host: &str) -> Result<(), String> {
    let sans = cert.subject_alt_names.as_deref().unwrap_or_default();
    if let Some(ip) = parse_ip_strict(host) {
        let wanted = ip_bytes(ip);
        if sans
            .iter()
            .any(|n| matches!(n, GeneralName::Ip(b) if *b == wanted))
        {
            return Ok(());
        }
        return Err(if sans.iter().any(|n| matches!(n, GeneralName::Ip(_))) {
            "no iPAddress SAN equals the address".into()
        } else {
            "an IP address is matched only against iPAddress SANs, and the certificate has none"
                .into()
        });
    }
    if !is_valid_host_name(host) {
        return Err("the host is neither an IP address nor a valid DNS name".into());
    }
    if cert.subject_alt_names.is_none() {
        return Err("the certificate has no subjectAltName; the common name is not used".into());
    }
    for name in sans {
        if let GeneralName::Dns(pattern) = name {
            if strict_dns_match(pattern, host) {
                return Ok(());
            }
        }
    }
    Err(if sans.iter().any(|n| matches!(n, GeneralName::Dns(_))) {
        "no dNSName SAN matches (wildcards cover exactly one left-most label)".into()
    } else {
        "the certificate has no dNSName SAN; the common name is not used".into()
    })
}

/// RFC 6125 §6.4.1 and §6.4.3, strict form.
pub fn strict_dns_match(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    if let Some(rest) = pattern.strip_prefix("*.") {
        if !is_valid_host_name(rest) || !rest.contains('.') {
            // `*.com`-style wildcards over a single label are refused.
            return false;
        }
        match host.split_once('.') {
            Some((first, tail)) => !first.is_empty() && tail == rest,
            None => false,
        }
    } else {
        is_valid_host_name(&pattern) && pattern == host
    }
}

/// A DNS name in preferred syntax (RFC 1034 §3.5, RFC 1123 §2.1): ASCII letters, digits and
/// hyphens, labels of 1–63 characters not starting or ending with a hyphen, at most 253
/// characters; underscores are tolerated as in real-world names. No trailing dot.
pub fn is_valid_host_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A host that is an IP address in the strict sense: dotted-quad IPv4 or RFC 4291 IPv6 text.
pub fn parse_ip_strict(host: &str) -> Option<std::net::IpAddr> {
    host.parse::<std::net::IpAddr>().ok()
}

fn ip_bytes(ip: std::net::IpAddr) -> Vec<u8> {
    match ip {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// glibc's `inet_aton`: one to four parts separated by dots, each decimal, octal (leading `0`)
/// or hexadecimal (`0x`); the last part fills the remaining bytes. Trailing white space after
/// the address is accepted, as glibc does.
pub fn inet_aton(host: &str) -> Option<Ipv4Addr> {
    let text = host
        .split(|c: char| c.is_ascii_whitespace())
        .next()
        .unwrap_or_default();
    if text.is_empty() || host.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(parts.len());
    for part in &parts {
        let (digits, radix) =
            if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                (hex, 16)
            } else if part.len() > 1 && part.starts_with('0') {
                (part.get(1..)?, 8)
            } else {
                (*part, 10)
            };
        if part.is_empty() {
            return None;
        }
        let value = if digits.is_empty() {
            // "0x" alone is 0 in glibc.
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        values.push(value);
    }
    let (last, init) = values.split_last()?;
    let mut out: u64 = 0;
    for (i, v) in init.iter().enumerate() {
        if *v > 0xff {
            return None;
        }
        out |= v << (24 - 8 * i);
    }
    let room = 32 - 8 * init.len() as u32;
    if room < 64 && *last >= (1u64 << room) {
        return None;
    }
    out |= last;
    Some(Ipv4Addr::from(u32::try_from(out).ok()?))
}

fn libpq_host_ip(host: &str) -> Option<Vec<u8>> {
    if let Some(v4) = inet_aton(host) {
        return Some(v4.octets().to_vec());
    }
    host.parse::<Ipv6Addr>().ok().map(|v6| v6.octets().to_vec())
}

/// libpq's `wildcard_certificate_match` and exact comparison (`pg_strcasecmp`).
pub fn libpq_name_match(name: &str, host: &str) -> bool {
    if name.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(suffix) = name.strip_prefix('*') else {
        return false;
    };
    if name.len() < 3 || !suffix.starts_with('.') || name.len() > host.len() {
        return false;
    }
    let start = host.len() - suffix.len();
    let Some(tail) = host.get(start..) else {
        return false;
    };
    if !tail.eq_ignore_ascii_case(suffix) {
        return false;
    }
    // The part the `*` stands for must not contain a dot.
    host.get(..start).is_some_and(|head| !head.contains('.'))
}

fn libpq_match(cert: &ChainCert, host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("host name must be specified for a verified SSL connection".into());
    }
    let host_ip = libpq_host_ip(host);
    let sans = cert.subject_alt_names.as_deref().unwrap_or_default();
    let mut check_cn = true;
    for name in sans {
        match name {
            GeneralName::Dns(d) => {
                if host_ip.is_none() {
                    check_cn = false;
                }
                if d.contains('\0') {
                    return Err("SSL certificate's name contains embedded null".into());
                }
                if libpq_name_match(d, host) {
                    return Ok(());
                }
            }
            GeneralName::Ip(bytes) => {
                if host_ip.is_some() {
                    check_cn = false;
                }
                if bytes.len() != 4 && bytes.len() != 16 {
                    return Err(format!(
                        "certificate contains IP address with invalid length {}",
                        bytes.len()
                    ));
                }
                if bytes.len() == 4 {
                    if inet_aton(host).is_some_and(|a| a.octets().as_slice() == bytes.as_slice()) {
                        return Ok(());
                    }
                } else if host
                    .parse::<Ipv6Addr>()
                    .is_ok_and(|a| a.octets().as_slice() == bytes.as_slice())
                {
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    if check_cn {
        if let Some(cn) = cert.common_names.first() {
            if cn.contains('\0') {
                return Err("SSL certificate's name contains embedded null".into());
            }
            if libpq_name_match(cn, host) {
                return Ok(());
            }
            return Err("neither the SANs nor the common name match".into());
        }
        return Err("the certificate has no SAN of the host's type and no common name".into());
    }
    Err(if host_ip.is_some() {
        "no iPAddress SAN equals the address (the common name is not used when iPAddress SANs exist)".into()
    } else {
        "no dNSName SAN matches (the common name is not used when dNSName SANs exist)".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_wildcards() {
        assert!(strict_dns_match("*.example.com", "foo.example.com"));
        assert!(strict_dns_match("DB.Example.com", "db.example.COM"));
        assert!(!strict_dns_match("*.example.com", "example.com"));
        assert!(!strict_dns_match("*.example.com", "a.b.example.com"));
        assert!(!strict_dns_match("f*.example.com", "foo.example.com"));
        assert!(!strict_dns_match(
            "xn--*-1b3c148a.example.com",
            "xn--bliss-1b3c148a.example.com"
        ));
        assert!(!strict_dns_match("*.com", "example.com"));
        assert!(!strict_dns_match("😜.example.com", "xn--628h.example.com"));
    }

    #[test]
    fn libpq_wildcards() {
        assert!(libpq_name_match(
            "*.replicas.example.com",
            "r1.replicas.example.com"
        ));
        assert!(libpq_name_match("DB.example.com", "db.EXAMPLE.com"));
        assert!(!libpq_name_match(
            "*.replicas.example.com",
            "replicas.example.com"
        ));
        assert!(!libpq_name_match("*.example.com", "a.b.example.com"));
        assert!(!libpq_name_match("f*.example.com", "foo.example.com"));
        // libpq's only wildcard rule is "*." at the start: `*.com` matches.
        assert!(libpq_name_match("*.com", "example.com"));
    }

    #[test]
    fn inet_aton_forms() {
        assert_eq!(inet_aton("127.0.0.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(inet_aton("127.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(inet_aton("0x7f.0.0.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(inet_aton("010.0.0.1"), Some(Ipv4Addr::new(8, 0, 0, 1)));
        assert_eq!(inet_aton("2130706433"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(inet_aton("db.example.com"), None);
        assert_eq!(inet_aton("256.0.0.1"), None);
        assert_eq!(inet_aton("1.2.3.4.5"), None);
        assert_eq!(inet_aton(""), None);
    }

    #[test]
    fn host_name_syntax() {
        assert!(is_valid_host_name("db.example.com"));
        assert!(!is_valid_host_name("db..example.com"));
        assert!(!is_valid_host_name("-db.example.com"));
        assert!(!is_valid_host_name("db.example.com."));
        assert!(!is_valid_host_name("*.example.com"));
    }
}
