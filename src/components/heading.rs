//! Headings at the level the host page needs: the standalone page's sections are `<h2>` under
//! its `<h1>`; an embed in a docs page sits under the host's own headings, so its sections
//! start at the level the embedder gives (`heading-level`, `headingLevel`).

use yew::prelude::*;

/// The level of the checker's section headings (2 by default); deeper headings follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadingLevel(u8);

impl HeadingLevel {
    /// `level` kept to 1..=5, so a sub-heading is still at most `<h6>`.
    pub fn new(level: u8) -> HeadingLevel {
        HeadingLevel(level.clamp(1, 5))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for HeadingLevel {
    fn default() -> HeadingLevel {
        HeadingLevel(2)
    }
}

#[derive(Debug, Clone, PartialEq, Properties)]
pub struct HeadingProps {
    /// 0 for a section heading, 1 for one inside a section.
    #[prop_or_default]
    pub depth: u8,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Heading)]
pub fn heading(props: &HeadingProps) -> Html {
    let base = use_context::<HeadingLevel>().unwrap_or_default();
    let tag = match base.get().saturating_add(props.depth).min(6) {
        1 => "h1",
        2 => "h2",
        3 => "h3",
        4 => "h4",
        5 => "h5",
        _ => "h6",
    };
    html! {
        <@{tag} class={props.class.clone()}>{ props.children.clone() }</@>
    }
}
