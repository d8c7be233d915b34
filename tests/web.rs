//! The page in a real browser: `wasm-pack test --headless --chrome` (see `make test`).
//! Mounts the app into fresh elements and drives it the way a person does, and checks the JS
//! API's contract (DESIGN.md §4): camelCase plain objects, `PGP-…` codes, clear JS errors.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Object, Reflect};
use pg_preflight_web::state::DEBOUNCE_MS;
use pg_preflight_web::{mount, parse_connection_string, rules, start, EmbedHandle};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Document, Element, Event, EventInit, HtmlDocument, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const REQUIRE: &str = "postgresql://u@db.example.com/app?sslmode=require";
/// Parses, but libpq refuses to connect with it: a value-level error.
const BAD_SSLMODE: &str = "postgresql://u@db.example.com/app?sslmode=requir";

// ---- helpers ----

/// The second module's functions, handed to the page as its loader would hand the module
/// (`useDeferredModule`): a test build has no pg-preflight-deferred.js beside it, but links the
/// same crate.
fn deferred_here() {
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    let module = Object::new();
    let review = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(
        pg_preflight_deferred::review_material_js,
    );
    let generate = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |spec, options: JsValue| pg_preflight_deferred::generate_role_script(spec, Some(options)),
    );
    let inspect = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
        |text, options: JsValue| pg_preflight_deferred::inspect_pem(text, Some(options)),
    );
    Reflect::set(&module, &"reviewMaterial".into(), &review.into_js_value()).unwrap();
    Reflect::set(
        &module,
        &"writeRoleScript".into(),
        &generate.into_js_value(),
    )
    .unwrap();
    Reflect::set(&module, &"readPem".into(), &inspect.into_js_value()).unwrap();
    let loader = Closure::<dyn Fn() -> JsValue>::new(move || module.clone().into());
    pg_preflight_web::use_deferred_module(loader.into_js_value().unchecked_into());
}

/// The errors panel's module, handed over the same way (`useExplainModule`). The second
/// module's stand-in above has no `explainPastedError`, so an explanation asked of the wrong
/// module fails.
fn explain_here() {
    thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    let module = Object::new();
    let explain =
        Closure::<dyn Fn(JsValue, JsValue, f64, JsValue) -> Result<JsValue, JsValue>>::new(
            pg_preflight_deferred::explain_error_js,
        );
    Reflect::set(
        &module,
        &"explainPastedError".into(),
        &explain.into_js_value(),
    )
    .unwrap();
    let loader = Closure::<dyn Fn() -> JsValue>::new(move || module.clone().into());
    pg_preflight_web::use_explain_module(loader.into_js_value().unchecked_into());
}

async fn check(input: JsValue) -> Result<JsValue, JsValue> {
    deferred_here();
    pg_preflight_web::check(input).await
}

async fn generate_role_script(spec: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    deferred_here();
    pg_preflight_web::generate_role_script(spec, options).await
}

async fn inspect_pem(text: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    deferred_here();
    pg_preflight_web::inspect_pem(text, options).await
}

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A new, empty element attached to the page, so each test has its own app.
fn fresh_container() -> Element {
    deferred_here();
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

/// Lets yew render and, with `DEBOUNCE_MS` extra, lets the debounce timer fire.
async fn settle(extra_ms: u32) {
    TimeoutFuture::new(50 + extra_ms).await;
}

/// Waits until `done()` holds, up to 15 s. yew's scheduler yields to the browser every 16 ms
/// and a debug build renders slowly, so a fixed pause can end before queued work has run.
/// 5 s was once too short for two apps mounting in a debug build on a loaded 2-core machine
/// (`destroy_in_the_same_tick_as_mount_leaves_nothing`, load average 7); the wait ends as soon
/// as `done()` holds, so a longer bound costs nothing when the page is quick.
async fn until(done: impl Fn() -> bool) {
    for _ in 0..750 {
        if done() {
            return;
        }
        TimeoutFuture::new(20).await;
    }
}

fn mount_in(element: &Element, options: Option<JsValue>) -> EmbedHandle {
    mount(element.clone().into(), options).unwrap()
}

/// `object[key] = value`, for building the JS API's input objects.
fn set(object: &Object, key: &str, value: &str) {
    Reflect::set(object, &key.into(), &value.into()).unwrap();
}

fn options(dsn: &str) -> JsValue {
    let object = Object::new();
    set(&object, "dsn", dsn);
    object.into()
}

/// The page's choice for an embed: every panel (`panels: "all"`), since an embed shows the
/// connection string alone by default.
fn every_panel(dsn: &str) -> JsValue {
    let object = Object::new();
    set(&object, "dsn", dsn);
    set(&object, "panels", "all");
    object.into()
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn textarea(root: &Element) -> HtmlTextAreaElement {
    query(root, "textarea")
        .expect("a textarea")
        .dyn_into()
        .unwrap()
}

/// Types `text` as a person would: the value changes, then an `input` event bubbles.
fn type_into(field: &HtmlTextAreaElement, text: &str) {
    input_as(field, text, "insertText");
}

/// Pastes `text` over the field's value: one `input` event of kind `insertFromPaste`.
fn paste_into(field: &HtmlTextAreaElement, text: &str) {
    input_as(field, text, "insertFromPaste");
}

fn input_as(field: &HtmlTextAreaElement, text: &str, kind: &str) {
    field.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type(kind);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&event).unwrap();
}

fn codes_shown(root: &Element) -> Vec<String> {
    let nodes = root.query_selector_all(".pgp-finding[data-code]").unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter_map(|element| element.get_attribute("data-code"))
        .collect()
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

fn has(object: &JsValue, key: &str) -> bool {
    Reflect::has(object, &key.into()).unwrap()
}

fn array(value: &JsValue) -> Vec<JsValue> {
    value.dyn_ref::<Array>().expect("an array").iter().collect()
}

fn error_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .expect("a JS Error")
}

fn diagnostic_codes(analysis: &JsValue) -> Vec<String> {
    array(&get(analysis, "diagnostics"))
        .iter()
        .filter_map(|d| get(d, "code").as_string())
        .collect()
}

// ---- the page ----

#[wasm_bindgen_test]
async fn typing_a_string_shows_a_verdict_and_findings() {
    let root = fresh_container();
    let _handle = mount_in(&root, None);
    settle(0).await;

    let field = textarea(&root);
    let label = field
        .closest("label")
        .unwrap()
        .expect("the field is labelled");
    assert!(label.text_content().unwrap().contains("Connection string"));
    assert!(
        query(&root, ".pgp-verdict").is_none(),
        "nothing to judge yet"
    );

    // Typing waits for a pause (the debounce); a paste is one edit, checked at once.
    type_into(&field, REQUIRE);
    settle(0).await;
    assert!(
        query(&root, ".pgp-verdict").is_none(),
        "typing is checked once it pauses"
    );
    paste_into(&field, BAD_SSLMODE);
    // Well inside the debounce, which the typed edit before it restarted.
    for _ in 0..(DEBOUNCE_MS / 40) {
        if query(&root, ".pgp-verdict").is_some() {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(
        query(&root, ".pgp-verdict")
            .and_then(|v| v.get_attribute("data-outcome"))
            .as_deref(),
        Some("error"),
        "the paste is checked before the debounce"
    );
    type_into(&field, REQUIRE);
    settle(DEBOUNCE_MS + 100).await;

    let verdict = query(&root, ".pgp-verdict").expect("a verdict after the debounce");
    let outcome = verdict.get_attribute("data-outcome").unwrap();
    assert!(
        ["ok", "warning", "error"].contains(&outcome.as_str()),
        "{outcome}"
    );
    let text = verdict.text_content().unwrap();
    assert!(text.contains("Encrypted"), "{text}");
    assert!(text.contains("Host name check enforced"), "{text}");
    assert!(codes_shown(&root).iter().all(|c| c.starts_with("PGP-")));

    // An sslmode libpq refuses at connect time: an error finding, with its documentation.
    type_into(&field, BAD_SSLMODE);
    settle(DEBOUNCE_MS + 100).await;
    let verdict = query(&root, ".pgp-verdict").unwrap();
    assert_eq!(
        verdict.get_attribute("data-outcome").as_deref(),
        Some("error")
    );
    let codes = codes_shown(&root);
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|c| c.starts_with("PGP-")), "{codes:?}");
    assert!(query(&root, ".pgp-group-error .pgp-finding").is_some());
    let link = query(&root, ".pgp-finding .pgp-why a").expect("a doc link");
    assert!(link
        .get_attribute("href")
        .unwrap()
        .contains("rules.md#pgp-"));
}

#[wasm_bindgen_test]
async fn a_string_libpq_rejects_is_reported_as_rejected() {
    let root = fresh_container();
    let _handle = mount_in(&root, None);
    settle(0).await;
    type_into(&textarea(&root), "hots=x");
    settle(DEBOUNCE_MS + 100).await;

    let verdict = query(&root, ".pgp-verdict").expect("a verdict");
    assert_eq!(
        verdict.get_attribute("data-outcome").as_deref(),
        Some("rejected")
    );
    assert!(codes_shown(&root).contains(&"PGP-PARAM-001".to_string()));
}

#[wasm_bindgen_test]
async fn the_password_is_never_shown_and_nothing_is_stored() {
    let root = fresh_container();
    let _handle = mount_in(&root, None);
    settle(0).await;
    let secret = "Sup3rSecretPassw0rdValue";
    type_into(
        &textarea(&root),
        &format!("postgresql://u:{secret}@db.example.com/app?sslmode=disable"),
    );
    settle(DEBOUNCE_MS + 100).await;

    assert!(query(&root, ".pgp-verdict").is_some());
    // The results area (findings, parsed parameters, libpq equivalent) never echoes it; only
    // the text area the user typed into holds it.
    let results = query(&root, ".pgp-results").unwrap();
    let shown = results.inner_html();
    assert!(!shown.contains(secret), "password leaked into the results");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(storage.length().unwrap(), 0);
    let html_document: HtmlDocument = document().dyn_into().unwrap();
    assert_eq!(html_document.cookie().unwrap(), "");
}

#[wasm_bindgen_test]
async fn an_initial_dsn_is_analysed_without_waiting() {
    let root = fresh_container();
    let _handle = mount_in(&root, Some(options(REQUIRE)));
    settle(0).await;
    assert_eq!(textarea(&root).value(), REQUIRE);
    assert!(query(&root, ".pgp-verdict").is_some());
}

#[wasm_bindgen_test]
async fn choosing_a_driver_reanalyses() {
    let root = fresh_container();
    let _handle = mount_in(&root, Some(options(REQUIRE)));
    settle(0).await;
    let select: web_sys::HtmlSelectElement = query(&root, "select")
        .expect("a driver picker")
        .dyn_into()
        .unwrap();
    assert_eq!(select.value(), "auto");
    assert!(select.options().length() >= 9, "auto plus every dialect");
    select.set_value("jdbc");
    select
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    settle(0).await;
    let dialect = query(&root, ".pgp-dialect")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(dialect.contains("JDBC"), "{dialect}");
}

#[wasm_bindgen_test]
async fn destroy_unmounts_and_is_idempotent() {
    let root = fresh_container();
    let mut handle = mount_in(&root, Some(options(REQUIRE)));
    settle(0).await;
    assert!(handle.mounted() && root.child_element_count() > 0);
    handle.destroy();
    settle(0).await;
    assert!(!handle.mounted());
    assert_eq!(root.child_element_count(), 0);
    handle.destroy();
}

/// React's StrictMode mounts, destroys and mounts again in one tick: the first app must not
/// survive (it once did, live, because the destroy ran before the first render).
#[wasm_bindgen_test]
async fn destroy_in_the_same_tick_as_mount_leaves_nothing() {
    let root = fresh_container();
    let mut first = mount_in(&root, Some(options(REQUIRE)));
    first.destroy();
    assert!(!first.mounted());
    until(|| root.child_element_count() == 0).await;
    assert_eq!(
        root.child_element_count(),
        0,
        "the destroyed app is still there"
    );

    let other = fresh_container();
    let mut gone = mount_in(&other, Some(options("host=first")));
    gone.destroy();
    let kept = mount_in(&other, Some(options("host=second")));
    until(|| {
        other
            .query_selector_all(".pgp")
            .map_or(0, |all| all.length())
            == 1
    })
    .await;
    assert!(kept.mounted());
    assert_eq!(
        other.query_selector_all(".pgp").unwrap().length(),
        1,
        "one app, the kept one"
    );
    assert_eq!(
        query(&other, "textarea.pgp-input")
            .unwrap()
            .dyn_into::<HtmlTextAreaElement>()
            .unwrap()
            .value(),
        "host=second"
    );
}

#[wasm_bindgen_test]
async fn start_renders_the_standalone_page_into_app() {
    let root = fresh_container();
    root.set_id("app");
    root.set_inner_html("<p>Loading…</p>");
    start().unwrap();
    settle(0).await;
    assert!(query(&root, "textarea").is_some());
    assert!(!root.inner_html().contains("Loading"));
    root.remove();
}

#[wasm_bindgen_test]
fn mount_rejects_bad_arguments_with_js_errors() {
    let root = fresh_container();
    let not_an_element = mount(JsValue::from_str("#app"), None).unwrap_err();
    assert!(not_an_element.is_instance_of::<js_sys::TypeError>());

    let bad_driver = Object::new();
    set(&bad_driver, "driver", "cobol");
    let error = mount(root.clone().into(), Some(bad_driver.into())).unwrap_err();
    assert!(error_message(&error).contains("unknown driver `cobol`"));

    let unknown_option = Object::new();
    set(&unknown_option, "dns", REQUIRE);
    let error = mount(root.into(), Some(unknown_option.into())).unwrap_err();
    assert!(
        error_message(&error).contains("dns"),
        "{}",
        error_message(&error)
    );
}

// ---- the JS API ----

#[wasm_bindgen_test]
fn parse_returns_camel_case_plain_objects() {
    let analysis = parse_connection_string(REQUIRE.into(), None).unwrap();
    assert_eq!(get(&analysis, "valid").as_bool(), Some(true));
    assert_eq!(
        get(&analysis, "dialect").as_string().as_deref(),
        Some("libpq")
    );
    assert!(has(&analysis, "libpqEquivalent") && !has(&analysis, "libpq_equivalent"));
    // `params` is a plain object (as JSON.parse would give), not a Map.
    let params = get(&analysis, "params");
    assert!(params.is_object() && !params.is_instance_of::<js_sys::Map>());
    assert_eq!(
        get(&params, "host").as_string().as_deref(),
        Some("db.example.com")
    );
    assert_eq!(
        get(&params, "sslmode").as_string().as_deref(),
        Some("require")
    );

    let verdict = get(&analysis, "verdict");
    assert!(has(&verdict, "serverVerified") && has(&verdict, "hostnameVerified"));
}

/// Issue 13 through the JS API: a password that is a word the findings use is neither shown
/// nor masked in the results (outside `params`), and the masks do not depend on its value.
#[wasm_bindgen_test]
async fn js_results_neither_show_nor_reveal_a_password() {
    let shown = async |password: &str| {
        let input = format!("postgresql://app:{password}@db.example.com:5432/app?sslmode=require");
        let analysis = parse_connection_string(input.clone().into(), None).unwrap();
        let _ = Reflect::delete_property(analysis.unchecked_ref::<Object>(), &"params".into());
        let report = check(options(&input)).await.unwrap();
        let text = |v: &JsValue| {
            js_sys::JSON::stringify(v)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        };
        format!("{}\n{}", text(&analysis), text(&report))
    };
    let neutral = shown("Qx7Kv2Zp9Lm4").await;
    for password in ["certificate", "server", "require"] {
        let output = shown(password).await;
        assert_eq!(
            output.matches("********").count(),
            neutral.matches("********").count(),
            "masks depend on the password {password}"
        );
        assert!(
            !output.contains(&format!(":{password}@")),
            "the password {password} is shown"
        );
    }
}

#[wasm_bindgen_test]
fn diagnostics_have_every_contract_field() {
    let analysis = parse_connection_string(BAD_SSLMODE.into(), None).unwrap();
    assert_eq!(
        get(&analysis, "valid").as_bool(),
        Some(true),
        "a value error, not a parse error"
    );
    let diagnostics = array(&get(&analysis, "diagnostics"));
    assert!(!diagnostics.is_empty());
    assert!(diagnostics
        .iter()
        .any(|d| get(d, "severity").as_string().as_deref() == Some("error")));
    for diagnostic in &diagnostics {
        for key in ["code", "severity", "title", "detail", "span", "fix", "doc"] {
            assert!(has(diagnostic, key), "diagnostic without `{key}`");
        }
        assert!(get(diagnostic, "code")
            .as_string()
            .unwrap()
            .starts_with("PGP-"));
        let severity = get(diagnostic, "severity").as_string().unwrap();
        assert!(["error", "warning", "info"].contains(&severity.as_str()));
        let span = get(diagnostic, "span");
        assert!(span.is_null() || (has(&span, "start") && has(&span, "end")));
    }
}

#[wasm_bindgen_test]
fn parse_reports_what_libpq_rejects() {
    let analysis = parse_connection_string("hots=x".into(), None).unwrap();
    assert_eq!(get(&analysis, "valid").as_bool(), Some(false));
    assert!(get(&analysis, "params").is_null());
    assert!(diagnostic_codes(&analysis).contains(&"PGP-PARAM-001".to_string()));
}

#[wasm_bindgen_test]
fn parse_takes_a_driver_name() {
    let auto = parse_connection_string(REQUIRE.into(), Some("auto".into())).unwrap();
    assert_eq!(get(&auto, "detected").as_bool(), Some(true));
    let undefined = parse_connection_string(REQUIRE.into(), Some(JsValue::UNDEFINED)).unwrap();
    assert_eq!(get(&undefined, "detected").as_bool(), Some(true));
    let chosen = parse_connection_string(REQUIRE.into(), Some("libpq".into())).unwrap();
    assert_eq!(get(&chosen, "detected").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn parse_throws_clear_errors_for_bad_arguments() {
    let error = parse_connection_string(REQUIRE.into(), Some("cobol".into())).unwrap_err();
    let message = error_message(&error);
    assert!(message.contains("unknown driver `cobol`") && message.contains("libpq"));

    let error = parse_connection_string(REQUIRE.into(), Some(JsValue::from(42))).unwrap_err();
    assert!(error.is_instance_of::<js_sys::TypeError>());
    let error = parse_connection_string(JsValue::NULL, None).unwrap_err();
    assert!(error.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
async fn check_returns_the_report_shape() {
    let input = Object::new();
    set(&input, "dsn", "hots=x");
    let report = check(input.into()).await.unwrap();
    for key in [
        "diagnostics",
        "certificates",
        "keyMatch",
        "chains",
        "connection",
    ] {
        assert!(has(&report, key), "report without `{key}`");
    }
    assert!(get(&report, "keyMatch").is_null());
    assert_eq!(
        get(&get(&report, "connection"), "valid").as_bool(),
        Some(false)
    );
    assert!(diagnostic_codes(&report).contains(&"PGP-PARAM-001".to_string()));
}

#[wasm_bindgen_test]
async fn check_reads_certificates_and_keys_pasted_as_text() {
    let input = Object::new();
    set(
        &input,
        "ca",
        include_str!("../crates/core/tests/fixtures/pki/root.crt"),
    );
    set(
        &input,
        "cert",
        include_str!("../crates/core/tests/fixtures/pki/client-with-intermediate.crt"),
    );
    set(
        &input,
        "key",
        include_str!("../crates/core/tests/fixtures/pki/client.pbes2-aes256.key"),
    );
    set(&input, "keyPassphrase", "fixture-pass");
    let report = check(input.clone().into()).await.unwrap();
    assert_eq!(get(&report, "keyMatch").as_bool(), Some(true));
    assert_eq!(array(&get(&report, "certificates")).len(), 3);
    assert!(get(&get(&report, "chains"), "client").is_object());
    assert!(get(&report, "connection").is_null());

    set(
        &input,
        "key",
        include_str!("../crates/core/tests/fixtures/pki/server.key"),
    );
    let mismatch = check(input.into()).await.unwrap();
    assert_eq!(get(&mismatch, "keyMatch").as_bool(), Some(false));
    assert!(diagnostic_codes(&mismatch).contains(&"PGP-KEY-004".to_string()));
}

/// The signature arithmetic as the browser runs it (crates/crypto built for wasm32): the
/// self-signatures of a P-384 root (ECDSA-SHA384, the special-form field reduction), a P-521
/// root and an RSA root verify, and one changed bit of a signature is reported.
#[wasm_bindgen_test]
async fn self_signatures_verify_in_the_browser_and_a_changed_bit_is_caught() {
    use pg_preflight_core::pki::pem;
    let roots = [
        include_str!("../crates/core/tests/fixtures/pki/chain/root-b.crt"),
        include_str!("../crates/core/tests/fixtures/pki/chain/root-c.crt"),
        include_str!("../crates/core/tests/fixtures/pki/root.crt"),
    ];
    let check_ca = async |ca: &str| {
        let input = Object::new();
        set(&input, "ca", ca);
        diagnostic_codes(&check(input.into()).await.unwrap())
    };
    assert!(!check_ca(&roots.concat())
        .await
        .contains(&"PGP-CERT-015".to_string()));
    for root in roots {
        let mut der = pem::scan(root).remove(0).body.unwrap();
        // The signature value ends the certificate: flip a bit of its last INTEGER.
        let at = der.len() - 3;
        *der.get_mut(at).unwrap() ^= 0x01;
        let text = pem::base64_encode(&der);
        let lines: Vec<&str> = text
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let tampered = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        );
        assert!(
            check_ca(&tampered)
                .await
                .contains(&"PGP-CERT-015".to_string()),
            "a changed signature bit went unnoticed"
        );
    }
}

/// d·G on P-384 in the browser: the client key matches its certificate, another key does not.
#[wasm_bindgen_test]
async fn a_p384_key_is_matched_to_its_certificate_in_the_browser() {
    let input = Object::new();
    set(
        &input,
        "cert",
        include_str!("../crates/core/tests/fixtures/pki/client-ec.crt"),
    );
    set(
        &input,
        "key",
        include_str!("../crates/core/tests/fixtures/pki/client-ec.sec1.key"),
    );
    assert_eq!(
        get(&check(input.clone().into()).await.unwrap(), "keyMatch").as_bool(),
        Some(true)
    );
    set(
        &input,
        "key",
        include_str!("../crates/core/tests/fixtures/pki/inter.sec1.key"),
    );
    assert_eq!(
        get(&check(input.into()).await.unwrap(), "keyMatch").as_bool(),
        Some(false)
    );
}

#[wasm_bindgen_test]
async fn check_rejects_unknown_fields_and_missing_input() {
    let typo = Object::new();
    set(&typo, "dns", REQUIRE);
    let message = error_message(&check(typo.into()).await.unwrap_err());
    assert!(message.contains("dns"), "{message}");

    let message = error_message(&check(Object::new().into()).await.unwrap_err());
    assert!(message.contains("dsn"), "{message}");

    let not_an_object = check(REQUIRE.into()).await.unwrap_err();
    assert!(not_an_object.is_instance_of::<js_sys::TypeError>());

    // Arrays and Maps are objects, but not the input: a TypeError naming the fields.
    for value in [Array::new().into(), js_sys::Map::new().into()] {
        let error = check(value).await.unwrap_err();
        assert!(error.is_instance_of::<js_sys::TypeError>());
        let message = error_message(&error);
        assert!(
            message.contains("plain object") && message.contains("dsn"),
            "{message}"
        );
    }
    // A field of the wrong type: what was found, never the value itself (a numeric passphrase
    // must not end up in an error tracker), and no position in JSON the caller never wrote.
    let wrong = Object::new();
    set(&wrong, "dsn", "host=db");
    Reflect::set(&wrong, &"keyPassphrase".into(), &98_765_432.into()).unwrap();
    let message = error_message(&check(wrong.into()).await.unwrap_err());
    // (serde-wasm-bindgen reads a JS number as a number; serde_json as an integer.)
    assert!(
        message.contains("invalid type: found a number where a string was expected")
            && !message.contains("98765432"),
        "{message}"
    );
    assert!(
        !message.contains("98765432") && !message.contains(" at line "),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn rules_lists_every_code() {
    let rules = array(&rules().unwrap());
    assert!(!rules.is_empty());
    let codes: Vec<String> = rules
        .iter()
        .map(|rule| get(rule, "code").as_string().unwrap())
        .collect();
    assert!(codes.iter().all(|code| code.starts_with("PGP-")));
    assert!(codes.contains(&"PGP-PARAM-001".to_string()));
    assert!(rules.iter().all(|rule| has(rule, "explanation")));
}

// ---- generateRoleScript and inspectPem (DESIGN.md §4) ----

fn js_object(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
async fn generate_role_script_writes_scram_scripts_with_browser_randomness() {
    let spec = js_object(
        r#"{"dialect":"postgres","serverVersion":15,"database":"appdb","role":"ai_reader","schemas":["app"],"ownerRole":"app_owner","clientCidrs":["203.0.113.0/24"]}"#,
    );
    let first = generate_role_script(spec.clone(), None).await.unwrap();
    assert_eq!(get(&first, "ok"), JsValue::TRUE);
    let sql = get(&first, "sql").as_string().unwrap();
    assert!(sql.contains("GRANT SELECT ON ALL TABLES IN SCHEMA app TO ai_reader_access;"));
    assert!(sql.contains("PASSWORD 'SCRAM-SHA-256$4096:"));
    let password = get(&first, "password").as_string().unwrap();
    assert_eq!(password.len(), 32);
    assert!(
        !sql.contains(&password),
        "the script must not contain the password"
    );
    assert!(get(&first, "hba").as_string().unwrap().contains("hostssl"));
    assert_eq!(
        get(&get(&first, "roles"), "group").as_string().unwrap(),
        "ai_reader_access"
    );
    // A second call draws fresh randomness: another password, another salt.
    let second = generate_role_script(spec, None).await.unwrap();
    assert_ne!(get(&second, "password").as_string().unwrap(), password);
}

#[wasm_bindgen_test]
async fn generate_role_script_refuses_impossible_specs_with_codes() {
    let result = generate_role_script(
        JsValue::from_str(
            r#"{"dialect":"postgres","database":"d","role":"r","acess":"read-write"}"#,
        ),
        None,
    )
    .await
    .unwrap();
    assert_eq!(get(&result, "ok"), JsValue::FALSE);
    assert!(get(&result, "sql").is_null());
    let diagnostics: Array = get(&result, "diagnostics").dyn_into().unwrap();
    assert_eq!(
        get(&diagnostics.get(0), "code").as_string().unwrap(),
        "PGP-GRANT-001"
    );
    // Not an object or string: a TypeError that says what is expected.
    let error = generate_role_script(JsValue::from_f64(3.0), None)
        .await
        .unwrap_err();
    assert!(error.is_instance_of::<js_sys::TypeError>());
    let error = generate_role_script(
        js_object(r#"{"dialect":"postgres","database":"d","role":"r"}"#),
        Some(js_object(r#"{"todya":"2026-01-01"}"#)),
    )
    .await
    .unwrap_err();
    assert!(js_sys::Error::from(error)
        .message()
        .as_string()
        .unwrap()
        .contains("unknown field"));
}

const CLIENT_CERT: &str = include_str!("../crates/core/tests/fixtures/pki/client.crt");

#[wasm_bindgen_test]
async fn inspect_pem_describes_blocks_and_flags_the_wrong_field() {
    let result = inspect_pem(JsValue::from_str(CLIENT_CERT), None)
        .await
        .unwrap();
    assert_eq!(get(&result, "format").as_string().unwrap(), "pem");
    let items: Array = get(&result, "items").dyn_into().unwrap();
    assert_eq!(items.length(), 1);
    let kind = get(&items.get(0), "kind");
    assert_eq!(get(&kind, "type").as_string().unwrap(), "certificate");
    assert!(get(&result, "summary")
        .as_string()
        .unwrap()
        .contains("app_user"));
    // The same certificate where the key belongs is a finding.
    let as_key = js_object(r#"{"as":"key"}"#);
    let result = inspect_pem(JsValue::from_str(CLIENT_CERT), Some(as_key))
        .await
        .unwrap();
    let diagnostics: Array = get(&result, "diagnostics").dyn_into().unwrap();
    assert!(diagnostics.length() > 0);
    let bad = inspect_pem(
        JsValue::from_str(CLIENT_CERT),
        Some(js_object(r#"{"as":"sslkey"}"#)),
    )
    .await;
    assert!(bad.is_err());
}

// ---- the certificate and role panels ----

fn named_field(root: &Element, selector: &str) -> HtmlTextAreaElement {
    query(root, selector).expect(selector).dyn_into().unwrap()
}

fn set_input_value(root: &Element, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement =
        query(root, selector).expect(selector).dyn_into().unwrap();
    input.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn pasted_certificates_get_captions_cards_and_findings() {
    let root = fresh_container();
    let _handle = mount_in(
        &root,
        Some(every_panel(
            "host=db.example.com user=app_user sslmode=verify-full",
        )),
    );
    settle(0).await;
    type_into(
        &named_field(&root, ".pgp-material-cert textarea"),
        CLIENT_CERT,
    );
    settle(DEBOUNCE_MS).await;
    // The review runs in the second module; with every panel (the error box too) a debug build
    // renders slowly, so wait for the caption rather than for a fixed time.
    until(|| query(&root, ".pgp-material-cert .pgp-caption").is_some()).await;
    until(|| query(&root, ".pgp-card[data-role=client]").is_some()).await;
    let caption = query(&root, ".pgp-material-cert .pgp-caption")
        .expect("a caption")
        .text_content()
        .unwrap();
    assert!(caption.contains("app_user"), "{caption}");
    let card = query(&root, ".pgp-card[data-role=client]").expect("a client certificate card");
    assert!(card.text_content().unwrap().contains("SHA-256"));
    // The fixture expired in June 2026 and the page uses the real clock: an error finding.
    assert!(codes_shown(&root).iter().any(|c| c == "PGP-CERT-001"));
    // A secret field never renders its value anywhere else on the page.
    type_into(
        &named_field(&root, ".pgp-material-key textarea"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    settle(DEBOUNCE_MS).await;
    let results = query(&root, ".pgp-results")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(!results.contains("AAAA"));
}

#[wasm_bindgen_test]
async fn the_role_builder_writes_a_script_and_clear_everything_forgets_it() {
    let root = fresh_container();
    let _handle = mount_in(&root, Some(every_panel("")));
    settle(0).await;
    let inputs = root
        .query_selector_all(".pgp-role-form input[type=text]")
        .unwrap();
    assert!(inputs.length() >= 6);
    // Database and role name are the first two text inputs of the form.
    let database: web_sys::HtmlInputElement = inputs.item(0).unwrap().dyn_into().unwrap();
    let role: web_sys::HtmlInputElement = inputs.item(1).unwrap().dyn_into().unwrap();
    for (input, value) in [(&database, "appdb"), (&role, "ai_reader")] {
        input.set_value(value);
        let init = EventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
    }
    set_input_value(
        &root,
        ".pgp-role-form input[placeholder='app_owner']",
        "app_owner",
    );
    settle(0).await;
    let form: web_sys::HtmlFormElement =
        query(&root, ".pgp-role-form").unwrap().dyn_into().unwrap();
    form.request_submit().unwrap();
    settle(0).await;
    let output = query(&root, ".pgp-role-output[data-ok=true]").expect("a script");
    let sql = query(&output, "[data-script=sql] pre")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(sql.contains("GRANT SELECT ON ALL TABLES IN SCHEMA public TO ai_reader_access;"));
    let password = query(&output, ".pgp-password-value")
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(password.len(), 32);
    assert!(!sql.contains(&password));
    let clear: web_sys::HtmlElement = query(&root, ".pgp-clear-all").unwrap().dyn_into().unwrap();
    // With the password still shown, clearing asks first: answered "no", nothing goes.
    let window = web_sys::window().unwrap();
    let answer = |yes: bool| {
        let confirm =
            js_sys::Function::new_no_args(if yes { "return true" } else { "return false" });
        Reflect::set(&window, &"confirm".into(), &confirm).unwrap();
    };
    answer(false);
    clear.click();
    settle(0).await;
    assert!(
        query(&root, ".pgp-password-value").is_some(),
        "Cancel keeps the password"
    );
    answer(true);
    clear.click();
    settle(0).await;
    Reflect::delete_property(&window, &"confirm".into()).unwrap();
    assert!(query(&root, ".pgp-role-output").is_none());
    assert!(!root.text_content().unwrap().contains(&password));
}

// ---- embedding options: panels and heading levels ----

#[wasm_bindgen_test]
async fn panels_pick_exactly_what_shows_and_heading_levels_follow_the_host() {
    let root = fresh_container();
    let none = js_object(
        r#"{"dsn":"postgresql://db.example.com/app?sslmode=require","panels":"none","headingLevel":4}"#,
    );
    let _handle = mount_in(&root, Some(none));
    until(|| query(&root, ".pgp-verdict").is_some()).await;
    let headline = query(&root, ".pgp-headline").expect("a verdict");
    assert_eq!(headline.tag_name(), "H4");
    let group = query(&root, ".pgp-group-title").expect("a findings group");
    assert_eq!(group.tag_name(), "H5");
    // panels="none": the string's findings, and neither snippets nor the summary.
    assert!(query(&root, ".pgp-snippets").is_none());
    assert!(query(&root, ".pgp-summary-panel").is_none());
    assert!(query(&root, ".pgp-material-panel").is_none());

    let other = fresh_container();
    let _with = mount_in(
        &other,
        Some(js_object(
            r#"{"dsn":"postgresql://db.example.com/app?sslmode=require","panels":"snippets"}"#,
        )),
    );
    until(|| query(&other, ".pgp-snippets").is_some()).await;
    assert!(query(&other, ".pgp-summary-panel").is_none());
    assert_eq!(query(&other, ".pgp-headline").unwrap().tag_name(), "H2");

    // No `panels`: the connection string alone (every other panel is opt-in), and `all`
    // brings them all.
    let plain = fresh_container();
    let _plain = mount_in(
        &plain,
        Some(options("postgresql://db.example.com/app?sslmode=require")),
    );
    until(|| query(&plain, ".pgp-verdict").is_some()).await;
    for panel in [
        ".pgp-material-panel",
        ".pgp-roles",
        ".pgp-snippets",
        ".pgp-summary-panel",
    ] {
        assert!(
            query(&plain, panel).is_none(),
            "{panel} shows without being asked for"
        );
    }
    let every = fresh_container();
    let _every = mount_in(
        &every,
        Some(js_object(
            r#"{"dsn":"postgresql://db.example.com/app?sslmode=require","panels":"all"}"#,
        )),
    );
    until(|| query(&every, ".pgp-summary-panel").is_some()).await;
    for panel in [
        ".pgp-material-panel",
        ".pgp-roles",
        ".pgp-snippets",
        ".pgp-summary-panel",
    ] {
        assert!(query(&every, panel).is_some(), "panels=all lacks {panel}");
    }

    for bad in [
        r#"{"headingLevel":9}"#,
        r#"{"headingLevel":2.5}"#,
        r#"{"panels":"graphs"}"#,
    ] {
        let error = mount(fresh_container().into(), Some(js_object(bad))).unwrap_err();
        let message = js_sys::Error::from(error).message().as_string().unwrap();
        assert!(
            message.contains("headingLevel") || message.contains("unknown panel"),
            "{bad}: {message}"
        );
    }
}

#[wasm_bindgen_test]
async fn findings_can_start_collapsed() {
    let root = fresh_container();
    let _handle = mount_in(
        &root,
        Some(js_object(
            r#"{"dsn":"postgresql://db.example.com/app?sslmode=require","panels":"none","findings":"collapsed"}"#,
        )),
    );
    until(|| query(&root, ".pgp-findings-fold .pgp-finding").is_some()).await;
    let fold = query(&root, ".pgp-findings-fold").expect("the findings folded");
    assert!(!fold.has_attribute("open"), "folded at first");
    let brief = query(&root, ".pgp-findings-fold > summary")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(brief.contains("warning"), "{brief}");
    // The verdict stays in view above the fold.
    assert!(query(&root, ".pgp-verdict").is_some());
    let error = mount(
        fresh_container().into(),
        Some(js_object(r#"{"findings":"hidden"}"#)),
    )
    .unwrap_err();
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    assert!(
        message.contains("open") && message.contains("collapsed"),
        "{message}"
    );
}

/// The first explanation of a failed verification, asked through the JS API with `input`.
async fn explained_verify_failure(input: Option<JsValue>) -> JsValue {
    deferred_here();
    explain_here();
    let line = "psql: error: connection to server at \"db.example.com\" (10.0.0.5), port 5432 \
                failed: SSL error: certificate verify failed";
    let report = pg_preflight_web::explain_error(JsValue::from_str(line), input)
        .await
        .expect("explained");
    let explanations: Array = Reflect::get(&report, &"explanations".into())
        .unwrap()
        .unchecked_into();
    explanations.get(0)
}

/// `explainError` is answered by the errors panel's module, not the certificates' one.
#[wasm_bindgen_test]
async fn explain_error_runs_in_the_errors_module() {
    let explanation = explained_verify_failure(None).await;
    let failure = Reflect::get(&explanation, &"failure".into()).unwrap();
    assert_eq!(
        failure.as_string().as_deref(),
        Some("server-certificate-untrusted")
    );
}

/// The errors module holds no certificate code: the certificate module reviews each side and
/// the reviews reach it through the first module. A CA of another PKI is then the confirmed
/// cause of a failed verification (the golden case of `crates/core/tests/explain/cases.txt`).
#[wasm_bindgen_test]
async fn explain_error_judges_with_the_certificate_modules_reviews() {
    let input = Object::new();
    let set = |key: &str, value: &str| {
        Reflect::set(&input, &key.into(), &value.into()).unwrap();
    };
    set(
        "dsn",
        "host=db.example.com dbname=app user=app sslmode=verify-full sslrootcert=/etc/ssl/other-ca.crt",
    );
    set(
        "ca",
        include_str!("../crates/core/tests/fixtures/pki/chain/root-a.crt"),
    );
    set(
        "serverCert",
        &[
            include_str!("../crates/core/tests/fixtures/pki/server.crt"),
            include_str!("../crates/core/tests/fixtures/pki/inter.crt"),
            include_str!("../crates/core/tests/fixtures/pki/root.crt"),
        ]
        .concat(),
    );
    let explanation = explained_verify_failure(Some(input.into())).await;
    let causes: Array = Reflect::get(&explanation, &"causes".into())
        .unwrap()
        .unchecked_into();
    let first = causes.get(0);
    assert_eq!(
        Reflect::get(&first, &"cause".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("ca-does-not-sign-chain")
    );
    assert_eq!(
        Reflect::get(&first, &"confirmed".into()).unwrap().as_bool(),
        Some(true)
    );
}

/// The page's reading of the errors module's report (`deferred::explain_error_for_page`): a
/// cause keeps the codes of the findings that confirm it, and an unrecognised text with a
/// string keeps that string's errors as findings (code and title from the registry, the fix
/// without the password).
#[wasm_bindgen_test]
async fn the_page_reads_confirming_codes_and_string_errors() {
    use pg_preflight_web::state::{ExplainKey, ExplainWanted, MaterialText};
    deferred_here();
    explain_here();
    let wanted = |text: &str, dsn: &str| ExplainWanted {
        id: 1,
        key: ExplainKey {
            text: text.into(),
            dsn: Some(dsn.into()),
            driver: None,
            material: MaterialText::default(),
        },
        now: pg_preflight_core::UnixTime::from_seconds(1_780_272_000),
    };
    let supabase =
        "postgresql://postgres:Pw12345678@db.abcdefghijklmnopqrst.supabase.co:5432/postgres";
    let view = pg_preflight_web::deferred::explain_error_for_page(&wanted(
        "psql: error: connection to server at \"db.abcdefghijklmnopqrst.supabase.co\" \
         (2600:1f18::1), port 5432 failed: Network is unreachable",
        supabase,
    ))
    .await
    .expect("explained");
    let first = view
        .explanations
        .first()
        .and_then(|e| e.causes.first())
        .expect("a cause");
    assert_eq!(first.cause, "ipv6-only-endpoint");
    assert!(first.confirmed);
    assert_eq!(first.codes, ["PGP-PROV-008"]);
    assert!(view.string_errors.is_empty());

    let secret = "S3cretPass99";
    let view = pg_preflight_web::deferred::explain_error_for_page(&wanted(
        "the weather is fine today",
        &format!("postgresql://app:{secret}@db.example.com:5432/app?sslmode=requir"),
    ))
    .await
    .expect("explained");
    assert!(view.explanations.is_empty());
    let codes: Vec<&str> = view.string_errors.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["PGP-SSL-001"]);
    let error = view.string_errors.first().expect("a string error");
    assert_eq!(error.title, "Invalid sslmode value");
    let replacement = error
        .fix
        .as_ref()
        .and_then(|f| f.replacement.clone())
        .expect("a replacement");
    assert_eq!(
        replacement,
        "postgresql://app@db.example.com:5432/app?sslmode=require"
    );
    assert!(!format!("{view:?}").contains(secret));
}
