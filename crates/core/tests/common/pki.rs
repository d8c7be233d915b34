//! Certificates made by the machine's `openssl` for one test, in a directory of their own: a
//! root, intermediates and leaves with the extensions a real CA gives them (the same shape as
//! `tests/pki/check-scenarios.py` makes, in Rust so a core test can build the scenario it
//! needs instead of a committed fixture). Valid from an hour ago for ten years: callers check
//! at `Pki::now()`.

use std::path::PathBuf;
use std::process::Command;

pub struct Pki {
    dir: PathBuf,
}

/// Extensions of a CA certificate (RFC 5280 §4.2.1.9, §4.2.1.3).
pub const CA_EXTENSIONS: &str = "basicConstraints=critical,CA:TRUE\n\
keyUsage=critical,keyCertSign,cRLSign\n\
subjectKeyIdentifier=hash\n\
authorityKeyIdentifier=keyid\n";

/// Extensions of a TLS server certificate for `db.example.com`.
pub const SERVER_EXTENSIONS: &str = "basicConstraints=CA:FALSE\n\
keyUsage=critical,digitalSignature\n\
extendedKeyUsage=serverAuth\n\
subjectAltName=DNS:db.example.com\n\
subjectKeyIdentifier=hash\n\
authorityKeyIdentifier=keyid\n";

impl Pki {
    /// A fresh directory for the test `name` (emptied if a previous run left it).
    pub fn new(name: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("pg-preflight-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Pki { dir }
    }

    /// A time inside every certificate's validity.
    pub fn now() -> pg_preflight_core::UnixTime {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        pg_preflight_core::UnixTime::from_seconds(since_epoch.as_secs() as i64)
    }

    /// A self-signed root CA (P-256); its PEM.
    pub fn root(&self, name: &str, common_name: &str) -> Vec<u8> {
        self.new_key_request(
            name,
            common_name,
            &self.crt(name),
            &[
                "-x509",
                "-days",
                "3650",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-addext",
                "subjectKeyIdentifier=hash",
            ],
        );
        self.pem(name)
    }

    /// A certificate for `common_name` with `extensions`, issued by the CA `issuer` made
    /// before; its PEM.
    pub fn issue(&self, name: &str, common_name: &str, issuer: &str, extensions: &str) -> Vec<u8> {
        let csr = self.path(&format!("{name}.csr"));
        let ext = self.path(&format!("{name}.ext"));
        std::fs::write(&ext, extensions).unwrap_or_else(|e| panic!("{ext}: {e}"));
        self.new_key_request(name, common_name, &csr, &["-new"]);
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &self.crt(issuer),
            "-CAkey",
            &self.key(issuer),
            "-CAcreateserial",
            "-out",
            &self.crt(name),
            "-days",
            "825",
            "-extfile",
            &ext,
        ]);
        self.pem(name)
    }

    /// `openssl req` with a new P-256 key for `name` and the subject `CN=common_name`,
    /// writing `out`; `extra` makes it a request (`-new`) or a self-signed certificate.
    fn new_key_request(&self, name: &str, common_name: &str, out: &str, extra: &[&str]) {
        let key = self.key(name);
        let subject = format!("/CN={common_name}");
        let mut args = vec![
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            out,
            "-subj",
            &subject,
        ];
        args.extend_from_slice(extra);
        self.openssl(&args);
    }

    fn path(&self, file: &str) -> String {
        self.dir.join(file).to_string_lossy().into_owned()
    }

    fn key(&self, name: &str) -> String {
        self.path(&format!("{name}.key"))
    }

    fn crt(&self, name: &str) -> String {
        self.path(&format!("{name}.crt"))
    }

    fn pem(&self, name: &str) -> Vec<u8> {
        let crt = self.crt(name);
        std::fs::read(&crt).unwrap_or_else(|e| panic!("{crt}: {e}"))
    }

    fn openssl(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap_or_else(|e| panic!("openssl (needed to make this test's certificates): {e}"));
        assert!(
            out.status.success(),
            "openssl {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// PEM files one after the other, as a chain file holds them.
pub fn concat(pems: &[&[u8]]) -> Vec<u8> {
    pems.concat()
}
