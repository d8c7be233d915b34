//! Certificates and keys: intake of every format people paste, and the facts shown for them.
//! Pure: the current time is always a parameter.

pub mod cert;
pub mod chain;
pub mod convert;
pub mod crypto;
pub mod decrypt;
pub mod der;
pub mod intake;
pub mod key;
pub mod keymatch;
pub mod known_cas;
pub mod name;
pub mod oids;
pub mod pem;
pub mod pkcs12;
pub mod review;
pub mod rules;
pub mod shared_identity;
pub mod system_roots;
pub mod text;
pub mod time;
pub mod x509;

pub use rules::RULES;
