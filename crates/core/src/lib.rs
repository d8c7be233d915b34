//! pg-preflight's pure core.
//!
//! **Architecture Invariant:** nothing here does I/O, reads the clock or an RNG, or panics on
//! any input. Time and randomness are parameters; user mistakes are diagnostics, not `Err`s.

pub mod conninfo;
pub mod diagnostic;
pub mod pki;
pub mod registry;

pub use diagnostic::{Diagnostic, Fix, Severity, Span};
