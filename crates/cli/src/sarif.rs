//! SARIF 2.1.0 output, for code-scanning dashboards. The connection string is the artifact;
//! regions are byte offsets into it (`charOffset`/`charLength` in UTF-8 units, as produced).

use pg_preflight_core::registry;
use pg_preflight_core::Field;
use pg_preflight_core::{Diagnostic, Severity};
use serde_json::{json, Value};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn report(diagnostics: &[Diagnostic]) -> Value {
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
            let mut result = serde_json::Map::new();
            result.insert("ruleId".into(), json!(d.code));
            result.insert("level".into(), json!(level(d.severity)));
            result.insert(
                "message".into(),
                json!({"text": format!("{}: {}", d.title, d.detail)}),
            );
            if let Some(span) = d.span {
                result.insert(
                    "locations".into(),
                    json!([{
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.source.map_or("connection-string", Field::source)},
                            "region": {"charOffset": span.start, "charLength": span.end.saturating_sub(span.start)},
                        }
                    }]),
                );
            }
            if let Some(fix) = &d.fix {
                result.insert(
                    "properties".into(),
                    json!({"fix": fix.title, "replacement": fix.replacement}),
                );
            }
            Value::Object(result)
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

/// `explain-error --sarif`: one result per failure found, its rule the failure's id, its
/// message the first cause; the pasted text is the artifact, regions are its lines.
pub fn explanations(report: &pg_preflight_core::ErrorReport) -> Value {
    let rules: Vec<Value> = pg_preflight_core::Failure::ALL
        .iter()
        .map(|failure| {
            json!({
                "id": failure.id(),
                "shortDescription": {"text": failure.title()},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .explanations
        .iter()
        .map(|e| {
            let cause = e
                .causes
                .first()
                .map_or_else(String::new, |c| format!(" Most likely: {} ({})", c.cause.id(), c.detail));
            json!({
                "ruleId": e.failure.id(),
                "level": "error",
                "message": {"text": format!("{}.{cause}", e.title)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": "error-text"},
                        "region": {"startLine": e.line},
                    }
                }],
                "properties": {
                    "causes": e.causes,
                    "fix": e.fix.as_ref().map(|f| json!({"title": f.title, "replacement": f.replacement})),
                },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "pg-preflight explain-error", "rules": rules}},
            "results": results,
        }],
    })
}
