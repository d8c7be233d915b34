//! The page's WebAssembly modules loaded when first needed (ARCHITECTURE.md, "Modules"), built
//! from this one crate by scripts/build-deferred.sh:
//! - feature `certs` (the default), `pg-preflight-deferred`: what a connection string alone
//!   never needs — certificate and key intake, chain verification, the known-CA table,
//!   signature arithmetic and the role-script generator. The page fetches it while idle after
//!   its first paint, so it is usually there before anyone pastes a certificate.
//! - feature `explain`, `pg-preflight-explain`: a pasted client error explained against the
//!   inputs. It needs the connection-string analysis as well as the certificate review, and
//!   the message tables; kept apart so the certificate panel does not wait for them (measured:
//!   with it, the second module was 491 KB gzip instead of 306 KB). Loaded when the errors panel
//!   is first used.
//!
//! Their exports are the first module's, not the public API's: `pg-preflight-web`'s
//! `inspectPem`, `generateRoleScript` and `explainError` (Promises) call `readPem`,
//! `writeRoleScript` and `explainPastedError` (named apart: a test build links these with the
//! first module), and its `check` joins `reviewMaterial`'s findings with its own. Each
//! validates its own arguments, so the messages are the same whichever module a caller reached.
//!
//! **Architecture Invariant:** like the first module, nothing here logs, stores or sends what
//! it is given, and no error quotes it.

#[cfg(feature = "certs")]
mod certs;
#[cfg(feature = "certs")]
pub use certs::*;

#[cfg(feature = "explain")]
mod explain;
#[cfg(feature = "explain")]
pub use explain::*;
