//! What the user gave besides the message: the connection string read by its driver, and the
//! certificate and key review split by side, so that a chain finding is known to be about the
//! server's chain or the client's.

use crate::check::{analyze_connection, assemble, CheckInput, MaterialReport, Report};
use crate::conninfo::dialect::Dialect;
use crate::conninfo::{self, keywords, redact, Analysis, CheckOptions};
use crate::diagnostic::Diagnostic;
use crate::input::Field;
use crate::pki::review::Material;
use std::collections::BTreeMap;

/// The inputs given with a pasted error.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExplainInput<'a> {
    /// The configuration, when given: the string, its driver, the files, the time.
    pub check: Option<CheckInput<'a>>,
    /// What the front end found about the key file itself (its mode; only the CLI sees files).
    pub key_file: Option<&'a Diagnostic>,
}

/// The inputs, read.
#[derive(Debug, Default)]
pub struct Known {
    /// The string and its dialect, when given.
    pub dsn: Option<(String, Dialect)>,
    /// libpq's keywords: the string's own for libpq, its libpq equivalent for other drivers.
    pub params: BTreeMap<String, String>,
    /// The parameters as the string's own driver reads them (for libpq, the same as `params`).
    pub driver_params: BTreeMap<String, String>,
    pub password_given: bool,
    /// Which certificate and key inputs were given.
    pub given: Vec<Field>,
    /// The review of the CA and the server's chain (with the string).
    pub server_side: Option<Report>,
    /// The review of the client certificate, key and client CA (with the string).
    pub client_side: Option<Report>,
    pub key_file: Option<Diagnostic>,
    /// The string's own findings (`conninfo::analyze`, as `check` reports them): a cause the
    /// review of the string already shows (an IPv6-only host, a driver that prepares
    /// statements behind a transaction pooler) is judged from them.
    pub string_findings: Vec<Diagnostic>,
    /// The string's secrets, to be masked wherever a pasted log repeats them.
    pub secrets: Secrets,
    /// The string as libpq would take it, secrets left out, when its driver is another
    /// (`conninfo::Analysis::libpq_equivalent`): what to give libpq instead of a URL it cannot
    /// read.
    pub libpq_equivalent: Option<String>,
}

/// The two halves of the certificate and key review an explanation judges with: the server's
/// chain against the CA file, and the client's certificate and key against the client CA (or
/// the CA file), so that a chain finding is known to be about one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Server,
    Client,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Server, Side::Client];

    /// Its field's name in [`SideReviews`]' JSON.
    pub fn name(self) -> &'static str {
        match self {
            Side::Server => "server",
            Side::Client => "client",
        }
    }

    /// The fields this side's review reads, given which fields are present: the client chain
    /// is checked against the client CA, or the CA file when only that was given (the review's
    /// own rule).
    pub fn fields(self, client_ca_given: bool) -> &'static [Field] {
        match self {
            Side::Server => &[Field::RootCert, Field::ServerChain],
            Side::Client if client_ca_given => &[Field::ClientCert, Field::ClientKey, Field::ClientCa],
            Side::Client => &[Field::ClientCert, Field::ClientKey, Field::RootCert],
        }
    }

    /// The texts of `request` restricted to this side's fields (the key's passphrase kept),
    /// as the page sends them to its certificate module; `None` when the side has nothing to
    /// review.
    pub fn request(self, request: &crate::input::CheckRequest) -> Option<crate::input::CheckRequest> {
        let mut only = crate::input::CheckRequest {
            key_passphrase: request.key_passphrase.clone(),
            ..Default::default()
        };
        let fields = self.fields(request.client_ca.is_some());
        for &field in fields {
            *only.slot_mut(field) = request.slot(field).map(str::to_string);
        }
        only.has_material().then_some(only)
    }

    /// The material of `input` restricted to this side's fields (the key's passphrase kept);
    /// `None` when the side has nothing to review. Its review is asked with the context
    /// `check::analyze_connection` gives for this material.
    pub fn material<'a>(self, input: &CheckInput<'a>) -> Option<Material<'a>> {
        let mut material = input.material;
        let mut only = Material {
            key_passphrase: material.key_passphrase,
            ..Material::default()
        };
        let fields = self.fields(material.client_ca.is_some());
        for &field in fields {
            *only.slot(field) = *material.slot(field);
        }
        fields
            .iter()
            .any(|&field| only.slot(field).is_some())
            .then_some(only)
    }
}

/// Each side's review ([`Side::material`] run through `check::review_material`). The native
/// front ends make it with [`review_sides`]; the page's certificate module makes it and hands
/// it to the errors module, which holds no certificate code.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SideReviews {
    pub server: Option<MaterialReport>,
    pub client: Option<MaterialReport>,
}

impl SideReviews {
    pub fn get(&self, side: Side) -> Option<&MaterialReport> {
        match side {
            Side::Server => self.server.as_ref(),
            Side::Client => self.client.as_ref(),
        }
    }

    pub fn set(&mut self, side: Side, review: MaterialReport) {
        match side {
            Side::Server => self.server = Some(review),
            Side::Client => self.client = Some(review),
        }
    }
}

/// Both sides reviewed here (the certificate code linked in).
pub fn review_sides(input: &ExplainInput<'_>) -> SideReviews {
    let mut sides = SideReviews::default();
    let Some(check_input) = input.check else {
        return sides;
    };
    for side in Side::ALL {
        if let Some(material) = side.material(&check_input) {
            let (_, context) = analyze_connection(check_input.dsn, check_input.driver, &material);
            let review = crate::check::review_material(&material, &context, check_input.now);
            sides.set(side, review);
        }
    }
    sides
}

/// Secrets to mask in a pasted log: their texts (at least four characters, longest first, so
/// that a secret containing another is masked whole) and the sites they stand at, with their
/// context, for echoes of a word-like one. `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct Secrets {
    pub texts: Vec<String>,
    pub sites: Vec<redact::SecretSite>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} redacted)", self.texts.len())
    }
}

impl Secrets {
    /// The secrets of `dsn` as its driver reads them (`analysis`), and whatever the lenient
    /// finders see in its text (a password the driver would not read, a URL inside a value).
    fn of(dsn: &str, analysis: &Analysis) -> Secrets {
        let mut texts: Vec<String> = analysis
            .params
            .iter()
            .flatten()
            .filter(|(key, _)| {
                let key = key.to_ascii_lowercase();
                keywords::is_secret(&key) || matches!(key.as_str(), "pwd" | "ssl password")
            })
            .map(|(_, value)| value.clone())
            .collect();
        let finds = redact::secret_spans(dsn, None);
        texts.extend(
            finds
                .iter()
                .filter_map(|&(a, b)| dsn.get(a..b).map(str::to_string)),
        );
        let mut sites = analysis.secret_sites.clone();
        sites.extend(redact::secret_sites(dsn, &finds));
        Secrets::from_texts(texts, sites)
    }

    /// `texts` as the string's own hidden secrets are kept (`embedded::texts_to_mask`: at
    /// least four characters, longest first, without repeats).
    pub fn from_texts(texts: Vec<String>, sites: Vec<redact::SecretSite>) -> Secrets {
        // A client splits a URL password holding `@`, `/`, `?`, `#`, `:` or `,` (a host list's
        // separator: pgjdbc's `UnknownHostException: Wk7V@db`) there and quotes a
        // piece of it as a host, port or path (libpq's `could not translate host name
        // "Wk7V@db…"` for `app:Zq9X@Wk7V@db`, seen by an outside review): each piece is
        // masked too.
        let pieces: Vec<String> = texts
            .iter()
            .flat_map(|text| text.split(['@', '/', '?', '#', ':', ',']).map(str::to_string))
            .collect();
        Secrets {
            texts: crate::conninfo::embedded::texts_to_mask(texts.into_iter().chain(pieces)),
            sites,
        }
    }
}

impl Known {
    /// The inputs with each side's review (`sides`). A field whose side was not reviewed
    /// (the page's certificate module could not load) counts as not given: nothing is judged
    /// from a file nobody read.
    pub fn read(input: &ExplainInput<'_>, sides: &SideReviews) -> Known {
        let mut known = Known {
            key_file: input.key_file.cloned(),
            ..Known::default()
        };
        let Some(check_input) = input.check else {
            return known;
        };
        // A text too long to be a string is not checked (`conninfo::MAX_INPUT_BYTES`), nor
        // read for secrets or fixes: it is as if none was given.
        if let Some(dsn) = check_input
            .dsn
            .filter(|dsn| dsn.len() <= conninfo::MAX_INPUT_BYTES)
        {
            let analysis = conninfo::analyze(dsn, check_input.driver, &CheckOptions::default());
            known.password_given = analysis.params.as_ref().is_some_and(|params| {
                params.iter().any(|(key, value)| {
                    matches!(key.to_ascii_lowercase().as_str(), "password" | "pwd")
                        && !value.is_empty()
                })
            });
            known.params = if analysis.dialect == Dialect::Libpq {
                analysis.params.clone().unwrap_or_default()
            } else {
                libpq_params(analysis.libpq_equivalent.as_deref())
            };
            known.driver_params = analysis.params.clone().unwrap_or_default();
            known.dsn = Some((dsn.to_string(), analysis.dialect));
            if analysis.dialect != Dialect::Libpq {
                known.libpq_equivalent = analysis.libpq_equivalent.clone();
            }
            known.secrets = Secrets::of(dsn, &analysis);
            known.string_findings = analysis.diagnostics;
        }
        let mut side_reports = Vec::new();
        for side in Side::ALL {
            let (Some(review), Some(material)) = (sides.get(side), side.material(&check_input))
            else {
                continue;
            };
            let (analysis, _) = analyze_connection(check_input.dsn, check_input.driver, &material);
            side_reports.push((side, assemble(analysis, review.clone())));
        }
        let mut material = check_input.material;
        let client_ca_given = material.client_ca.is_some();
        for field in Field::ALL {
            let reviewed = side_reports
                .iter()
                .any(|(side, _)| side.fields(client_ca_given).contains(&field));
            if material.slot(field).is_some() && reviewed {
                known.given.push(field);
            }
        }
        for (side, report) in side_reports {
            match side {
                Side::Server => known.server_side = Some(report),
                Side::Client => known.client_side = Some(report),
            }
        }
        known
    }

    pub fn param(&self, keyword: &str) -> Option<&str> {
        self.params
            .get(keyword)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// libpq's sslmode as the string sets it (`prefer` when it does not).
    pub fn sslmode(&self) -> &str {
        self.param("sslmode").unwrap_or("prefer")
    }

    /// Whether the string asks for TLS at once: `sslnegotiation=direct` as libpq reads the
    /// string (or its libpq equivalent), or as its own driver reads it (asyncpg goes direct
    /// under `prefer` too, which no libpq equivalent can say). asyncpg's `direct_tls` is an
    /// argument of `connect()`, not a DSN parameter (asyncpg 0.31.0 `connect_utils.py`).
    pub fn uses_direct_tls(&self) -> bool {
        self.param("sslnegotiation") == Some("direct")
            || self
                .driver_params
                .get("sslnegotiation")
                .is_some_and(|v| v == "direct")
    }

    pub fn has(&self, field: Field) -> bool {
        self.given.contains(&field)
    }

    /// The string's own finding with the first of `codes` it has.
    pub fn string_finding(&self, codes: &[&str]) -> Option<&Diagnostic> {
        codes
            .iter()
            .find_map(|code| self.string_findings.iter().find(|d| d.code == *code))
    }

    /// A finding of the server side's review with one of `codes`.
    pub fn server_finding(&self, codes: &[&str]) -> Option<&Diagnostic> {
        finding(self.server_side.as_ref(), codes)
    }

    /// A finding of the client side's review with one of `codes`.
    pub fn client_finding(&self, codes: &[&str]) -> Option<&Diagnostic> {
        finding(self.client_side.as_ref(), codes)
    }
}

fn finding<'a>(report: Option<&'a Report>, codes: &[&str]) -> Option<&'a Diagnostic> {
    report?
        .diagnostics
        .iter()
        .find(|d| codes.contains(&d.code))
}

/// The keywords of a libpq equivalent string (secrets are already left out of it).
fn libpq_params(equivalent: Option<&str>) -> BTreeMap<String, String> {
    equivalent
        .and_then(|text| conninfo::syntax::parse(text).ok())
        .map(|conninfo| {
            conninfo
                .params
                .iter()
                .map(|p| (p.keyword.to_string(), p.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}
