//! PKCS#12 (`.p12`/`.pfx`) bundles as pgjdbc users have them (RFC 7292): the certificates and
//! the private key inside, decrypted with the bundle's password.
//!
//! `PFX { version 3, authSafe ContentInfo(data → AuthenticatedSafe), macData? }`;
//! `AuthenticatedSafe` is a sequence of `ContentInfo`s, each plain `data` or `encryptedData`
//! (RFC 5652 §8) holding `SafeContents`, a sequence of `SafeBag`s: `keyBag` (PKCS#8),
//! `pkcs8ShroudedKeyBag` (encrypted PKCS#8) and `certBag` (X.509 in an OCTET STRING).

use super::decrypt::{self, DecryptError};
use super::der::{self, Tlv};
use zeroize::Zeroizing;

const DATA: &str = "1.2.840.113549.1.7.1";
const ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";

/// What a bundle holds. Keys are unencrypted PKCS#8 DER, wiped when dropped.
#[derive(Debug, Default)]
pub struct Contents {
    pub certificates: Vec<Vec<u8>>,
    pub keys: Vec<Zeroizing<Vec<u8>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pkcs12Error {
    Malformed(&'static str),
    Decrypt(DecryptError),
}

fn malformed(what: &'static str) -> Pkcs12Error {
    Pkcs12Error::Malformed(what)
}

/// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }` → (type, content).
fn content_info<'a>(tlv: &Tlv<'a>) -> Result<(String, Option<Tlv<'a>>), Pkcs12Error> {
    let parts = (tlv.tag == der::SEQUENCE)
        .then(|| der::children(tlv.value))
        .flatten()
        .ok_or(malformed("bad ContentInfo"))?;
    let oid = parts
        .first()
        .filter(|p| p.tag == der::OID)
        .and_then(|p| der::oid_text(p.value))
        .ok_or(malformed("ContentInfo without a type"))?;
    let content = parts
        .get(1)
        .filter(|p| p.tag == 0xa0)
        .and_then(|p| der::read(p.value))
        .map(|(inner, _)| inner);
    Ok((oid, content))
}

/// Opens a bundle. `passphrase` may be empty (bundles exported without a password).
pub fn open(der_bytes: &[u8], passphrase: &[u8]) -> Result<Contents, Pkcs12Error> {
    let pfx = der::sequence(der_bytes).ok_or(malformed("not a PKCS#12 PFX"))?;
    let (kind, content) = content_info(pfx.get(1).ok_or(malformed("no authSafe"))?)?;
    if kind != DATA {
        return Err(malformed("public-key-protected bundles are not supported"));
    }
    let octets = content
        .filter(|c| c.tag == der::OCTET_STRING)
        .ok_or(malformed("authSafe without data"))?;
    let safes = der::sequence(octets.value).ok_or(malformed("bad AuthenticatedSafe"))?;
    let mut contents = Contents::default();
    for safe in &safes {
        let (kind, content) = content_info(safe)?;
        let safe_contents: Zeroizing<Vec<u8>> = match kind.as_str() {
            DATA => Zeroizing::new(
                content
                    .filter(|c| c.tag == der::OCTET_STRING)
                    .ok_or(malformed("data without octets"))?
                    .value
                    .to_vec(),
            ),
            ENCRYPTED_DATA => decrypt_encrypted_data(
                content.ok_or(malformed("empty encryptedData"))?,
                passphrase,
            )?,
            _ => continue,
        };
        read_safe_contents(&safe_contents, passphrase, &mut contents)?;
    }
    Ok(contents)
}

/// `EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] IMPLICIT octets } }`.
fn decrypt_encrypted_data(
    content: Tlv<'_>,
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let fields = (content.tag == der::SEQUENCE)
        .then(|| der::children(content.value))
        .flatten()
        .ok_or(malformed("bad EncryptedData"))?;
    let info = fields
        .get(1)
        .filter(|f| f.tag == der::SEQUENCE)
        .and_then(|f| der::children(f.value))
        .ok_or(malformed("bad EncryptedContentInfo"))?;
    let algorithm = info
        .get(1)
        .filter(|a| a.tag == der::SEQUENCE)
        .ok_or(malformed("no content algorithm"))?;
    let encrypted = info
        .get(2)
        .filter(|e| e.tag == 0x80)
        .ok_or(malformed("no encrypted content"))?;
    // Rebuild `SEQUENCE { algorithm, OCTET STRING }` and reuse the PKCS#8 decryption.
    let mut inner = Vec::with_capacity(algorithm.value.len() + encrypted.value.len() + 16);
    der::write(der::SEQUENCE, algorithm.value, &mut inner);
    der::write(der::OCTET_STRING, encrypted.value, &mut inner);
    let mut outer = Vec::with_capacity(inner.len() + 6);
    der::write(der::SEQUENCE, &inner, &mut outer);
    let plain = decrypt::password_based(&outer, passphrase).map_err(Pkcs12Error::Decrypt)?;
    if der::sequence(&plain).is_none() {
        return Err(Pkcs12Error::Decrypt(DecryptError::WrongPassphrase));
    }
    Ok(plain)
}

fn read_safe_contents(
    bytes: &[u8],
    passphrase: &[u8],
    contents: &mut Contents,
) -> Result<(), Pkcs12Error> {
    let bags = der::sequence(bytes).ok_or(malformed("bad SafeContents"))?;
    for bag in &bags {
        let parts = (bag.tag == der::SEQUENCE)
            .then(|| der::children(bag.value))
            .flatten()
            .ok_or(malformed("bad SafeBag"))?;
        let kind = parts
            .first()
            .filter(|p| p.tag == der::OID)
            .and_then(|p| der::oid_text(p.value))
            .ok_or(malformed("SafeBag without a type"))?;
        let value = parts
            .get(1)
            .filter(|p| p.tag == 0xa0)
            .map(|p| p.value)
            .ok_or(malformed("SafeBag without a value"))?;
        match kind.as_str() {
            KEY_BAG => contents.keys.push(Zeroizing::new(value.to_vec())),
            SHROUDED_KEY_BAG => {
                let key = decrypt::pkcs8(value, passphrase).map_err(Pkcs12Error::Decrypt)?;
                contents.keys.push(key);
            }
            CERT_BAG => {
                let cert_bag = der::sequence(value).ok_or(malformed("bad CertBag"))?;
                let is_x509 = cert_bag
                    .first()
                    .and_then(|p| der::oid_text(p.value))
                    .is_some_and(|oid| oid == X509_CERTIFICATE);
                let octets = cert_bag
                    .get(1)
                    .filter(|p| p.tag == 0xa0)
                    .and_then(|p| der::expect(p.value, der::OCTET_STRING))
                    .map(|(octets, _)| octets);
                if let (true, Some(octets)) = (is_x509, octets) {
                    contents.certificates.push(octets.to_vec());
                }
            }
            _ => {}
        }
    }
    Ok(())
}
