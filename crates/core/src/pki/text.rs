//! How certificate bytes are shown: fingerprints, serials and key identifiers as colon-separated
//! hex, iPAddress names as addresses. Below everything else in `pki` (ARCHITECTURE.md, "PKI
//! layers"), so the model, the facts and the chain checks share one way of writing them.

/// Colon-separated upper-case hex, as `openssl x509 -fingerprint` prints it.
pub fn hex_colon(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// An iPAddress SAN (RFC 5280 §4.2.1.6: 4 or 16 octets) as text.
pub fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        std::net::Ipv4Addr::from(v4).to_string()
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        std::net::Ipv6Addr::from(v6).to_string()
    } else {
        format!("invalid ({} bytes)", bytes.len())
    }
}
