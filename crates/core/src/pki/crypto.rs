//! Signature arithmetic lives in the `pg-preflight-crypto` crate (built for speed, see its
//! documentation); this module re-exports it and adds the DER framing of ECDSA signatures,
//! which belongs with the rest of the DER reading.

pub use pg_preflight_crypto::{ec, rsa, Hash};

use super::der;

/// ECDSA-Sig-Value (RFC 3279 §2.2.3) `SEQUENCE { r INTEGER, s INTEGER }` in strict DER: the
/// two integers positive and minimally encoded, nothing after them (as OpenSSL requires, by
/// re-encoding and comparing). Returns the magnitudes of r and s.
pub fn ecdsa_signature_from_der(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let fields = der::sequence(der)?;
    let [r, s] = fields.as_slice() else {
        return None;
    };
    if r.tag != der::INTEGER || s.tag != der::INTEGER {
        return None;
    }
    let mut canonical = Vec::new();
    der::write(
        der::INTEGER,
        &der::unsigned_integer(r.value),
        &mut canonical,
    );
    der::write(
        der::INTEGER,
        &der::unsigned_integer(s.value),
        &mut canonical,
    );
    let mut whole = Vec::new();
    der::write(der::SEQUENCE, &canonical, &mut whole);
    (whole == der && r.value.first()? & 0x80 == 0 && s.value.first()? & 0x80 == 0)
        .then_some((r.value, s.value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_canonical_der_signatures_are_refused() {
        // r = 1, s = 1 canonical; then a padded integer, a negative one, trailing data, long form.
        assert!(
            ecdsa_signature_from_der(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]).is_some()
        );
        for bad in [
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01][..],
            &[0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01],
            &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00],
            &[0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],
            &[0x30, 0x03, 0x02, 0x01, 0x01],
        ] {
            assert!(ecdsa_signature_from_der(bad).is_none(), "{bad:02x?}");
        }
    }
}
