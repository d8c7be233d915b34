//! Security review of a (libpq-equivalent) connection string: the checks libpq does not make.

use super::dialect::Dialect;
use super::options::Effective;
use super::syntax::Conninfo;
use super::CheckOptions;
use crate::diagnostic::Diagnostic;
use crate::registry::Rule;

/// What every check may look at.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The original text (spans point into it).
    pub input: &'a str,
    pub conninfo: &'a Conninfo,
    pub effective: &'a Effective,
    pub dialect: Dialect,
    pub options: &'a CheckOptions,
}

pub static RULES: &[&Rule] = &[];

pub fn check(context: &Context<'_>) -> Vec<Diagnostic> {
    let _ = context;
    Vec::new()
}
