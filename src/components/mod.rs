//! One file per component. Components receive data and callbacks; they never validate — every
//! judgement comes from the core through the model in `state.rs`.
//!
//! Later panels (certificates, role builder) go here beside these, and `app.rs` composes them.

mod connection_input;
mod driver_picker;
mod findings;
mod rich_text;
mod verdict;

pub use connection_input::ConnectionInput;
pub use driver_picker::{driver_label, DriverPicker};
pub use findings::Findings;
pub use rich_text::rich_text;
pub use verdict::VerdictBanner;
