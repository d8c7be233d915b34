//! pg-preflight's pure core.
//!
//! **Architecture Invariant:** nothing here does I/O, reads the clock or an RNG, or panics on
//! any input. Time and randomness are parameters; user mistakes are diagnostics, not `Err`s.

/// Declares a registry rule next to the check that raises it, the one way rules are declared:
/// `rule!(RULE_NAME, "PGP-AREA-NNN", Warning, "Title", "Explanation…", ["https://…"]);`
/// Without a severity the rule is an error (libpq's own rejections). The rule records the file
/// and line it is declared at, which `docs/rules.md` shows.
macro_rules! rule {
    ($name:ident, $code:literal, $severity:ident, $title:literal, $explanation:expr, [$($reference:literal),* $(,)?]) => {
        pub static $name: $crate::registry::Rule = $crate::registry::Rule {
            code: $code,
            severity: $crate::diagnostic::Severity::$severity,
            title: $title,
            explanation: $explanation,
            references: &[$($reference),*],
            file: file!(),
            line: line!(),
        };
    };
    ($name:ident, $code:literal, $title:literal, $explanation:expr, [$($reference:literal),* $(,)?]) => {
        rule!($name, $code, Error, $title, $explanation, [$($reference),*]);
    };
}

/// The modules, private to the crate: the public API is the façade below. The workspace's own
/// tests, fuzz targets and benchmarks reach the internals with the `internals` feature (the
/// crate's dev-dependency on itself turns it on for its tests); the CLI, the page and the JS
/// API build without it, so they can use nothing else.
macro_rules! internal_modules {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "internals")]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            mod $name;
        )*
    };
}

internal_modules!(
    check, conninfo, diagnostic, explain, grants, input, json, pki, shell, snippets, sort, summary
);

/// Every rule: `all()`, `find(code)`, `rules_markdown()`.
pub mod registry;

// ---- The façade: the contract the front ends use. ----

/// One connection string: `analyze(input, driver, &CheckOptions)`.
pub use crate::conninfo::dialect::{Dialect, Tri, Verdict};
pub use crate::conninfo::options::SslMode;
pub use crate::conninfo::{analyze, Analysis, CheckOptions};

/// A whole configuration: `check(&CheckInput)`, several together `check_set`, and the three
/// steps the page's two WebAssembly modules share out.
pub use crate::check::{
    analyze_connection, assemble, check, check_set, material_of, review_material, CheckInput,
    ConnectionContext, ConnectionSummary, MaterialReport, Report, ReviewRequest, SetReport,
};
pub use crate::input::{CheckRequest, Field};
pub use crate::pki::review::{check_key_file_mode, CertificateSummary, ChainSummary, Material};
pub use crate::pki::time::UnixTime;

/// One pasted or dropped file: `intake(bytes, Field)`; key conversion for drivers.
pub use crate::pki::convert::{convert, ConvertError, KeyFormat};
pub use crate::pki::decrypt::DecryptError;
pub use crate::pki::intake::{intake, intake_with_passphrase, Intake, OpenError};
pub use crate::pki::keymatch::PublicKeyMaterial;
pub use crate::pki::pem::base64_encode;

/// A certificate path: `verify(leaf, intermediates, trusted, &VerifyOptions)`.
pub use crate::pki::chain::{
    verify, ChainLink, ChainReport, Labels, LinkKind, Policy, Purpose, VerifyOptions,
};

/// The role scripts: `generate_from_json(spec, &mut Environment)`.
pub use crate::grants::{generate, generate_from_json, Date, Environment, Generated, RandomSource};

/// A pasted client error explained against the inputs: `explain_error(text, &ExplainInput)`.
pub use crate::explain::failure::{client_setting_name, Cause, Failure, Place};
pub use crate::explain::table::{Client, Evidence, MESSAGES as CLIENT_MESSAGES};
pub use crate::explain::{
    causes::Judged, explain_error, explain_error_reviewed, review_sides, ErrorReport, ExplainInput,
    Explanation, Side, SideReviews, MAX_LINE_BYTES as MAX_ERROR_LINE_BYTES,
    MAX_TEXT_BYTES as MAX_ERROR_TEXT_BYTES,
};

/// Findings.
pub use crate::diagnostic::{
    fix_of, has_errors, is_hardening, Change, Diagnostic, Fix, Severity, Span,
};

/// What the page and the CLI show around the findings: the summary to paste into a ticket, the
/// driver snippets, the user's own string edited and masked.
pub use crate::conninfo::dialect::render;
pub use crate::conninfo::keywords::is_secret as is_secret_keyword;
pub use crate::conninfo::redact::Shown;
pub use crate::conninfo::security::{OTHER_SECRETS_LEFT_OUT, SECRETS_LEFT_OUT};
pub use crate::conninfo::syntax::{self as libpq_syntax};
pub use crate::conninfo::{edit, paste};
pub use crate::json::{error_without_value, message_without_value};
pub use crate::snippets::{snippets, SnippetInput};
pub use crate::sort::sort_by_key;
pub use crate::summary::{role_label, security_summary, RoleFacts};
