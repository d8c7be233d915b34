//! Renders the standalone page's app to HTML at build time and writes it into `index.html`, so
//! the first paint is the running app's own layout and its inputs take text before the
//! WebAssembly arrives; `start()` then hydrates that HTML in place (issue 14: no layout shift).
//!
//!   prerender [INDEX_HTML]
//!
//! Without an argument it rewrites `$TRUNK_STAGING_DIR/index.html`: trunk's post-build hook
//! (Trunk.toml) runs it on every `trunk build` and `trunk serve` rebuild. The app's HTML
//! replaces whatever `<main id="app">` held; the build fails (non-zero exit) when the page has
//! no such element, so a page without its prerendered app is never served.

use pg_preflight_web::app::{page_props, App};
use std::path::PathBuf;
use std::process::ExitCode;
use yew::LocalServerRenderer;

const ROOT_OPEN: &str = "<main id=\"app\">";
const ROOT_CLOSE: &str = "</main>";

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    match run() {
        Ok(path) => {
            eprintln!("prerender: wrote the app's HTML into {}", path.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("prerender: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<PathBuf, String> {
    let path = match std::env::args_os().nth(1) {
        Some(path) => PathBuf::from(path),
        None => std::env::var_os("TRUNK_STAGING_DIR")
            .map(|dir| PathBuf::from(dir).join("index.html"))
            .ok_or("give the index.html to rewrite, or run as trunk's hook (TRUNK_STAGING_DIR)")?,
    };
    let page = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let app = render_app().map_err(|error| format!("cannot render the app: {error}"))?;
    let page = with_app(&page, &app)?;
    std::fs::write(&path, page)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    Ok(path)
}

/// The app with the page's properties, hydratable (yew marks component boundaries so the
/// browser's first render can take the nodes over).
fn render_app() -> std::io::Result<String> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let local = tokio::task::LocalSet::new();
    Ok(local.block_on(&runtime, async {
        LocalServerRenderer::<App>::with_props(page_props())
            .hydratable(true)
            .render()
            .await
    }))
}

/// `page` with the children of `<main id="app">` replaced by `app`.
fn with_app(page: &str, app: &str) -> Result<String, String> {
    let open = page
        .find(ROOT_OPEN)
        .ok_or("the page has no <main id=\"app\"> to render into")?;
    let inner = open + ROOT_OPEN.len();
    let close = page
        .get(inner..)
        .and_then(|rest| rest.find(ROOT_CLOSE))
        .map(|at| inner + at)
        .ok_or("<main id=\"app\"> is never closed")?;
    let (Some(head), Some(tail)) = (page.get(..inner), page.get(close..)) else {
        return Err("the page's <main id=\"app\"> is not at a character boundary".into());
    };
    Ok(format!("{head}{app}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_replaces_the_roots_children_only() {
        let page = "<body><main id=\"app\"><p>Loading</p></main><footer></footer></body>";
        let out = with_app(page, "<div class=\"pgp\"></div>").unwrap();
        assert_eq!(
            out,
            "<body><main id=\"app\"><div class=\"pgp\"></div></main><footer></footer></body>"
        );
    }

    #[test]
    fn a_page_without_the_root_is_refused() {
        assert!(with_app("<body></body>", "x").is_err());
        assert!(with_app("<main id=\"app\">", "x").is_err());
    }

    #[test]
    fn the_rendered_app_has_the_inputs_and_no_browser_only_values() {
        let app = render_app().unwrap();
        assert!(app.contains("class=\"pgp\""), "{app}");
        assert!(app.contains("<textarea"), "the connection string input");
        assert!(app.contains("Certificates and key"));
        assert!(app.contains("Least-privilege role script"));
    }
}
