//! Which driver will read the string: auto-detected unless the user says otherwise.

use pg_preflight_core::Dialect;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct DriverPickerProps {
    /// The user's choice; `None` is auto-detect.
    pub selected: Option<Dialect>,
    /// What auto-detection chose, shown in the auto option.
    pub detected: Option<Dialect>,
    pub on_change: Callback<Option<Dialect>>,
}

const AUTO: &str = "auto";

/// How a driver is named for people (the core's `name()` is the machine name).
pub fn driver_label(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Libpq => "libpq (psql, psycopg, pgAdmin, …)",
        Dialect::Jdbc => "JDBC (pgjdbc)",
        // Prisma 7's client connects through `@prisma/adapter-pg`, which hands the URL to pg
        // (Prisma's "Database drivers" page, v7): node-postgres reads it.
        Dialect::NodePostgres => "node-postgres (pg, Prisma 7 with adapter-pg)",
        Dialect::Asyncpg => "asyncpg",
        Dialect::Sqlalchemy => "SQLAlchemy URL",
        Dialect::Pgx => "Go pgx",
        // quaint, the Rust engine: Prisma Client up to 6 without a driver adapter, and Migrate.
        Dialect::Prisma => "Prisma engine (Prisma ≤ 6, Migrate)",
        Dialect::Npgsql => "Npgsql (.NET)",
    }
}

#[function_component(DriverPicker)]
pub fn driver_picker(props: &DriverPickerProps) -> Html {
    let onchange = props.on_change.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        Dialect::from_name(&value)
    });
    let auto_text = match props.detected {
        Some(dialect) => format!("Auto-detect (reading it as {})", dialect.name()),
        None => "Auto-detect".to_string(),
    };
    html! {
        <label class="pgp-label pgp-driver">
            <span class="pgp-label-text">{ "Driver" }</span>
            <select class="pgp-select" {onchange}>
                <option value={AUTO} selected={props.selected.is_none()}>{ auto_text }</option>
                { for Dialect::ALL.iter().map(|&d| html! {
                    <option value={d.name()} selected={props.selected == Some(d)}>
                        { driver_label(d) }
                    </option>
                }) }
            </select>
        </label>
    }
}
