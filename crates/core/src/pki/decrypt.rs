//! Decrypting private keys with the passphrase libpq calls `sslpassword`, entirely in memory.
//! Decrypted material lives in `Zeroizing` buffers and is wiped when dropped.
//!
//! - PKCS#8 `EncryptedPrivateKeyInfo` with PBES2 (PBKDF2 or scrypt; AES-CBC, DES-EDE3-CBC) and
//!   PBES1 (RFC 8018 §6) via the `pkcs8` crate;
//! - PKCS#8 with PKCS#12 PBE and SHA-1/3DES (RFC 7292 App. B and C), as `openssl pkcs8 -v1
//!   PBE-SHA1-3DES` and older Java tools write it;
//! - OpenSSL's legacy PEM encryption (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: <cipher>,<iv>`,
//!   key = MD5-based `EVP_BytesToKey` with the first 8 IV bytes as salt).

use super::der;
use aes::cipher::{BlockModeDecrypt, InnerIvInit, KeyIvInit};
use md5::{Digest, Md5};
use sha1::Sha1;
use zeroize::Zeroizing;

/// Why a key could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    /// The padding or the decrypted structure is wrong: almost always the passphrase.
    WrongPassphrase,
    /// A scheme pg-preflight does not implement (named).
    Unsupported(String),
    /// The encrypted structure itself is malformed.
    Malformed(&'static str),
}

/// The legacy PEM ciphers (`DEK-Info`) [`legacy_pem`] decrypts: OpenSSL's `PEM_read_bio`
/// names, the ones `openssl rsa -aes128|-aes192|-aes256|-des3|-des` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LegacyCipher {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
    Des,
}

impl LegacyCipher {
    /// The cipher a `DEK-Info` header names (`AES-128-CBC,<iv>`), or why it cannot be used.
    fn from_dek_info(dek_info: &str) -> Result<LegacyCipher, DecryptError> {
        let name = dek_info.split(',').next().unwrap_or_default().trim();
        match name.to_ascii_uppercase().as_str() {
            "AES-128-CBC" => Ok(LegacyCipher::Aes128),
            "AES-192-CBC" => Ok(LegacyCipher::Aes192),
            "AES-256-CBC" => Ok(LegacyCipher::Aes256),
            "DES-EDE3-CBC" => Ok(LegacyCipher::DesEde3),
            "DES-CBC" => Ok(LegacyCipher::Des),
            _ => Err(DecryptError::Unsupported(format!("legacy PEM cipher {name}"))),
        }
    }
}

/// `SEQUENCE { AlgorithmIdentifier, OCTET STRING }` read: its two fields, the algorithm's
/// elements and the algorithm's OID.
type EncryptedInfo<'a> = (Vec<der::Tlv<'a>>, Vec<der::Tlv<'a>>, String);

fn encrypted_info(der_bytes: &[u8]) -> Result<EncryptedInfo<'_>, DecryptError> {
    let fields = der::sequence(der_bytes)
        .ok_or(DecryptError::Malformed("not an EncryptedPrivateKeyInfo"))?;
    let algorithm = fields
        .first()
        .filter(|f| f.tag == der::SEQUENCE)
        .and_then(|f| der::children(f.value))
        .ok_or(DecryptError::Malformed("no encryption algorithm"))?;
    let oid = algorithm
        .first()
        .filter(|p| p.tag == der::OID)
        .and_then(|p| der::oid_text(p.value))
        .ok_or(DecryptError::Malformed("no encryption algorithm"))?;
    Ok((fields, algorithm, oid))
}

/// Whether the scheme of an encrypted key can be decrypted here, read without the passphrase:
/// a key nobody could open here is said to be so at once, not after a passphrase is asked for.
/// `dek_info` is the legacy PEM header (`None` for PKCS#8).
pub fn scheme_supported(der_bytes: &[u8], dek_info: Option<&str>) -> Result<(), DecryptError> {
    if let Some(dek_info) = dek_info {
        return LegacyCipher::from_dek_info(dek_info).map(|_| ());
    }
    // A malformed structure is reported when decryption is tried.
    let Ok((_, _, oid)) = encrypted_info(der_bytes) else {
        return Ok(());
    };
    if Pkcs12Pbe::from_oid(&oid).is_some() {
        return Ok(());
    }
    pkcs8::EncryptedPrivateKeyInfoRef::try_from(der_bytes)
        .map(|_| ())
        .map_err(|_| DecryptError::Unsupported(format!("encryption scheme {oid}")))
}

/// Decrypts a PKCS#8 `EncryptedPrivateKeyInfo` into the DER of a `PrivateKeyInfo`.
pub fn pkcs8(der_bytes: &[u8], passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let plain = password_based(der_bytes, passphrase)?;
    // A wrong passphrase sometimes passes the padding check by chance: check the structure.
    if super::key::pkcs8(&plain).is_none() {
        return Err(DecryptError::WrongPassphrase);
    }
    Ok(plain)
}

/// Decrypts `SEQUENCE { AlgorithmIdentifier, OCTET STRING }` — the shape of PKCS#8's
/// `EncryptedPrivateKeyInfo` — with a password-based scheme. PKCS#12 `EncryptedData` content
/// is decrypted by rebuilding that shape around it.
pub fn password_based(
    der_bytes: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let (fields, algorithm, oid) = encrypted_info(der_bytes)?;
    if let Some(scheme) = Pkcs12Pbe::from_oid(&oid) {
        let params = algorithm
            .get(1)
            .ok_or(DecryptError::Malformed("no PBE parameters"))?;
        let data = fields
            .get(1)
            .filter(|f| f.tag == der::OCTET_STRING)
            .ok_or(DecryptError::Malformed("no encrypted data"))?;
        return pkcs12_pbe(scheme, params.value, data.value, passphrase);
    }
    let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der_bytes)
        .map_err(|_| DecryptError::Unsupported(format!("encryption scheme {oid}")))?;
    let document = info.decrypt(passphrase).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::DecryptFailed) => {
            DecryptError::WrongPassphrase
        }
        pkcs8::Error::EncryptedPrivateKey(other) => DecryptError::Unsupported(other.to_string()),
        _ => DecryptError::WrongPassphrase,
    })?;
    Ok(Zeroizing::new(document.as_bytes().to_vec()))
}

/// RFC 7292 Appendix B.2: the PKCS#12 key derivation with SHA-1 (u = 20, v = 64 bytes).
fn pkcs12_kdf(
    passphrase: &[u8],
    salt: &[u8],
    iterations: u64,
    id: u8,
    size: usize,
) -> Zeroizing<Vec<u8>> {
    const U: usize = 20;
    const V: usize = 64;
    // The password as a BMPString with a terminating NUL (App. B.1).
    let mut password: Zeroizing<Vec<u8>> =
        Zeroizing::new(Vec::with_capacity(passphrase.len() * 2 + 2));
    for c in String::from_utf8_lossy(passphrase).encode_utf16() {
        password.extend_from_slice(&c.to_be_bytes());
    }
    password.extend_from_slice(&[0, 0]);
    let repeat = |input: &[u8]| -> Vec<u8> {
        if input.is_empty() {
            return Vec::new();
        }
        let length = V * input.len().div_ceil(V);
        input.iter().copied().cycle().take(length).collect()
    };
    let mut i_block: Zeroizing<Vec<u8>> = Zeroizing::new(repeat(salt));
    i_block.extend_from_slice(&repeat(&password));
    let mut out = Zeroizing::new(Vec::with_capacity(size));
    while out.len() < size {
        let mut hasher = Sha1::new();
        hasher.update([id; V]);
        hasher.update(i_block.as_slice());
        let mut a = hasher.finalize().to_vec();
        for _ in 1..iterations {
            a = Sha1::digest(&a).to_vec();
        }
        out.extend_from_slice(a.get(..U).unwrap_or(&a));
        let b: Vec<u8> = a.iter().copied().cycle().take(V).collect();
        for chunk in i_block.chunks_mut(V) {
            let mut carry = 1u16;
            for (byte, add) in chunk.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*byte) + u16::from(*add) + carry;
                *byte = (sum & 0xff) as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(size);
    out
}

/// The PKCS#12 password-based schemes (RFC 7292 Appendix C), all with SHA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pkcs12Pbe {
    Rc4 { key: usize },
    TripleDes,
    TwoKeyTripleDes,
    Rc2 { key: usize },
}

impl Pkcs12Pbe {
    fn from_oid(oid: &str) -> Option<Pkcs12Pbe> {
        Some(match oid {
            "1.2.840.113549.1.12.1.1" => Pkcs12Pbe::Rc4 { key: 16 },
            "1.2.840.113549.1.12.1.2" => Pkcs12Pbe::Rc4 { key: 5 },
            "1.2.840.113549.1.12.1.3" => Pkcs12Pbe::TripleDes,
            "1.2.840.113549.1.12.1.4" => Pkcs12Pbe::TwoKeyTripleDes,
            "1.2.840.113549.1.12.1.5" => Pkcs12Pbe::Rc2 { key: 16 },
            "1.2.840.113549.1.12.1.6" => Pkcs12Pbe::Rc2 { key: 5 },
            _ => return None,
        })
    }
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`; key (ID 1) and IV
/// (ID 2) come from the PKCS#12 KDF.
fn pkcs12_pbe(
    scheme: Pkcs12Pbe,
    params: &[u8],
    data: &[u8],
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let parts = der::children(params).ok_or(DecryptError::Malformed("bad PBE parameters"))?;
    let salt = parts
        .first()
        .filter(|p| p.tag == der::OCTET_STRING)
        .ok_or(DecryptError::Malformed("no salt"))?
        .value;
    let iterations = parts
        .get(1)
        .filter(|p| p.tag == der::INTEGER)
        .and_then(|p| der::small_uint(p.value))
        .filter(|&n| (1..=10_000_000).contains(&n))
        .ok_or(DecryptError::Malformed("bad iteration count"))?;
    let key = |size| pkcs12_kdf(passphrase, salt, iterations, 1, size);
    let iv = || pkcs12_kdf(passphrase, salt, iterations, 2, 8);
    match scheme {
        Pkcs12Pbe::TripleDes => cbc_decrypt::<des::TdesEde3>(&key(24), &iv(), data),
        Pkcs12Pbe::TwoKeyTripleDes => cbc_decrypt::<des::TdesEde2>(&key(16), &iv(), data),
        Pkcs12Pbe::Rc2 { key: size } => {
            let cipher = rc2::Rc2::new_with_eff_key_len(&key(size), size * 8);
            let decryptor = cbc::Decryptor::inner_iv_slice_init(cipher, &iv())
                .map_err(|_| DecryptError::Malformed("bad IV length"))?;
            unpad_decrypt(decryptor, data)
        }
        Pkcs12Pbe::Rc4 { key: size } => Ok(rc4_apply(&key(size), data)),
    }
}

/// RC4, the stream cipher of the oldest PKCS#12 schemes: key schedule, then XOR the stream.
fn rc4_apply(key: &[u8], data: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut state: Zeroizing<Vec<u8>> = Zeroizing::new((0..=255u8).collect());
    if key.is_empty() {
        return Zeroizing::new(data.to_vec());
    }
    let at = |state: &[u8], i: u8| state.get(usize::from(i)).copied().unwrap_or(0);
    let mut j: u8 = 0;
    for i in 0..=255u8 {
        let k = key.get(usize::from(i) % key.len()).copied().unwrap_or(0);
        j = j.wrapping_add(at(&state, i)).wrapping_add(k);
        state.swap(usize::from(i), usize::from(j));
    }
    let (mut i, mut j) = (0u8, 0u8);
    let mut out = Zeroizing::new(Vec::with_capacity(data.len()));
    for &byte in data {
        i = i.wrapping_add(1);
        j = j.wrapping_add(at(&state, i));
        state.swap(usize::from(i), usize::from(j));
        let index = at(&state, i).wrapping_add(at(&state, j));
        out.push(byte ^ at(&state, index));
    }
    out
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>, DecryptError>
where
    C: aes::cipher::BlockCipherDecrypt + aes::cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| DecryptError::Malformed("bad key or IV length"))?;
    unpad_decrypt(decryptor, data)
}

/// Decrypts and strips PKCS#7 padding; bad padding almost always means a wrong passphrase.
fn unpad_decrypt(
    decryptor: impl BlockModeDecrypt,
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let mut buffer = Zeroizing::new(data.to_vec());
    let length = decryptor
        .decrypt_padded::<aes::cipher::block_padding::Pkcs7>(&mut buffer)
        .map_err(|_| DecryptError::WrongPassphrase)?
        .len();
    buffer.truncate(length);
    Ok(buffer)
}

/// OpenSSL `EVP_BytesToKey(cipher, MD5, salt, pass, 1)`: D_i = MD5(D_{i-1} || pass || salt).
fn evp_bytes_to_key(passphrase: &[u8], salt: &[u8], size: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(size + 16));
    let mut previous: Vec<u8> = Vec::new();
    while out.len() < size {
        let mut hasher = Md5::new();
        hasher.update(&previous);
        hasher.update(passphrase);
        hasher.update(salt);
        previous = hasher.finalize().to_vec();
        out.extend_from_slice(&previous);
    }
    out.truncate(size);
    out
}

fn hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// Decrypts a legacy encrypted PEM body given its `DEK-Info` value.
pub fn legacy_pem(
    body: &[u8],
    dek_info: &str,
    passphrase: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let (cipher, iv_hex) = dek_info
        .split_once(',')
        .ok_or(DecryptError::Malformed("DEK-Info without an IV"))?;
    let iv = hex(iv_hex.trim()).ok_or(DecryptError::Malformed("DEK-Info IV is not hex"))?;
    let salt = iv
        .get(..8)
        .ok_or(DecryptError::Malformed("DEK-Info IV too short"))?;
    let plain = match LegacyCipher::from_dek_info(cipher)? {
        LegacyCipher::Aes128 => {
            cbc_decrypt::<aes::Aes128>(&evp_bytes_to_key(passphrase, salt, 16), &iv, body)?
        }
        LegacyCipher::Aes192 => {
            cbc_decrypt::<aes::Aes192>(&evp_bytes_to_key(passphrase, salt, 24), &iv, body)?
        }
        LegacyCipher::Aes256 => {
            cbc_decrypt::<aes::Aes256>(&evp_bytes_to_key(passphrase, salt, 32), &iv, body)?
        }
        LegacyCipher::DesEde3 => {
            cbc_decrypt::<des::TdesEde3>(&evp_bytes_to_key(passphrase, salt, 24), &iv, body)?
        }
        LegacyCipher::Des => {
            cbc_decrypt::<des::Des>(&evp_bytes_to_key(passphrase, salt, 8), &iv, body)?
        }
    };
    if super::key::pkcs1(&plain).is_none() && super::key::sec1(&plain).is_none() {
        return Err(DecryptError::WrongPassphrase);
    }
    Ok(plain)
}

#[cfg(test)]
mod rc4_tests {
    /// RFC 6229 §2: key 0x0102030405, first keystream bytes.
    #[test]
    fn rfc6229_keystream() {
        let stream = super::rc4_apply(&[1, 2, 3, 4, 5], &[0; 8]);
        assert_eq!(
            stream.as_slice(),
            [0xb2, 0x39, 0x63, 0x05, 0xf0, 0x3d, 0xc0, 0x27]
        );
    }
}
