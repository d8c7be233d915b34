//! SARIF 2.1.0 output, for code-scanning dashboards. The connection string is the artifact;
//! regions are byte offsets into it (`charOffset`/`charLength` in UTF-8 units, as produced).

use pg_preflight_core::diagnostic::{Diagnostic, Severity};
use pg_preflight_core::registry;
use serde_json::{json, Value};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn report(_input: &str, diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = registry::all()
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.explanation.trim()},
                "helpUri": format!("https://github.com/pg-preflight/pg-preflight/blob/main/{}", rule.doc_anchor()),
                "defaultConfiguration": {"level": level(rule.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": format!("{}: {}", d.title, d.detail)},
            });
            if let Some(span) = d.span {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": "connection-string"},
                        "region": {"charOffset": span.start, "charLength": span.end.saturating_sub(span.start)},
                    }
                }]);
            }
            if let Some(fix) = &d.fix {
                result["properties"] = json!({"fix": fix.title, "replacement": fix.replacement});
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pg-preflight",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pg-preflight/pg-preflight",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
