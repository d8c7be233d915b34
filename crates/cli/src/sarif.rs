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
