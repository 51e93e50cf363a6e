//! The form's DOM: [`insert`] puts the edge's markup (`GET
//! /api/shops/<shop>/form`, rendered by `desk::request_form`) into a mount point,
//! fitted to the page (heading levels, a second form's ids); [`Form::part`] and
//! [`Form::view`] find its parts when they are needed; [`Form::show_success`]
//! fills in and shows the acknowledgement. The module builds no markup and
//! carries no words of its own but the validation messages (`protocol::validate`),
//! so it stays small.

use crate::prelude::*;

use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::JsString;
use protocol::{Lang, RequestAccepted};
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Element, NodeList};

use super::model::{self, FormField};
use super::net::{hide, join, set_text};
use super::{focus, Form, Session};

/// The first form's id prefix in the edge's markup (`desk::request_form::ID_PREFIX`).
const ID_PREFIX: &str = "pd-rf1-";

/// Opening and closing heading tags by level (index 0 and 1 unused).
const OPENING: [&str; 7] = ["", "", "<h2", "<h3", "<h4", "<h5", "<h6"];
const CLOSING: [&str; 7] = ["", "", "</h2", "</h3", "</h4", "</h5", "</h6"];

/// Puts `markup` into `host` (whatever the shop put there, a no-JavaScript
/// fallback, makes way): its headings (`h2` one level and `h3` two levels below
/// the page's heading before the form) renumbered to fit the page's outline, and
/// the ids of the `number`th form on the page made unique.
pub(super) fn insert(host: &Element, markup: &JsString, number: u32, preceding: Option<u8>) {
    let mut markup = markup.clone();
    // h3 first: h2's new level is never h3's old one after that.
    for (level, below) in [(3, 2), (2, 1)] {
        let to = model::heading_level_below(preceding, below);
        if to != level {
            for tags in [OPENING, CLOSING] {
                markup = markup.replace_all(tags[usize::from(level)], tags[usize::from(to)]);
            }
        }
    }
    if number > 1 {
        markup = markup.replace_all(ID_PREFIX, &prefix(number));
    }
    crate::dom::set(host, "innerHTML", &markup);
}

/// The form's styles, which come with its markup (`data-css` on the form): adopted
/// as a constructed sheet, which a CSP's `style-src` does not restrict, for the
/// whole page once. They are zero-specificity (`:where`), so the shop's own
/// rules win. Older browsers without constructed sheets get the form unstyled,
/// which is fine.
pub(super) fn adopt_styles(host: &Element) {
    let Ok(Some(form)) = host.query_selector("form") else {
        return;
    };
    if let Some(css) = form.get_attribute("data-css") {
        let _ = form.remove_attribute("data-css");
        crate::dom::adopt_sheet(&super::net::document(), &css);
    }
}

/// `pd-rf<number>-`.
fn prefix(number: u32) -> String {
    let mut prefix = String::from("pd-rf");
    model::push_decimal(&mut prefix, number);
    prefix.push('-');
    prefix
}

/// Where one field's error shows and which elements announce it.
pub(super) struct View {
    /// Gets `data-invalid` while the error shows.
    pub wrapper: Element,
    pub error: Element,
    /// Its controls (one, or the radios), which get `aria-invalid`.
    pub controls: NodeList,
    /// Carries `aria-describedby`: the radios' fieldset, else the control.
    pub described: Element,
    /// The hint's id, always part of `aria-describedby`; empty if none.
    pub hint_id: String,
}

impl Form {
    /// The form the edge's markup in `host` (see [`insert`]) holds, as the
    /// `number`th on the page.
    pub(super) fn new(host: &Element, number: u32, url: &str, shop: &str, lang: Lang) -> Rc<Form> {
        Rc::new(Form {
            lang,
            shop: shop.to_owned(),
            url: url.to_owned(),
            host: host.clone(),
            prefix: prefix(number),
            session: RefCell::new(Session::default()),
        })
    }

    /// The first element of this form that matches `selector`. The edge's markup
    /// has every part the module looks for; one missing is a bug, and throws.
    pub(super) fn part(&self, selector: &str) -> Element {
        self.host
            .query_selector(selector)
            .ok()
            .flatten()
            .unwrap_throw()
    }

    /// `field`'s error, found by its id, and what is around it.
    pub(super) fn view(&self, field: FormField) -> View {
        let error = self.part(&join(&[
            "#",
            self.prefix.as_str(),
            field.wire_name(),
            "-error",
        ]));
        let wrapper: Element = crate::dom::get(&error, "parentElement").unchecked_into();
        let controls = wrapper.query_selector_all("[data-field]").unwrap_throw();
        let hint = wrapper.query_selector(".pd-rf-hint").ok().flatten();
        View {
            described: if field == FormField::Right {
                wrapper.clone()
            } else {
                self.control(field)
            },
            hint_id: hint.map(|hint| super::id_of(&hint)).unwrap_or_default(),
            wrapper,
            error,
            controls,
        }
    }

    /// The (first) control of `field` (not a summary link to it, which has the
    /// same `data-field`).
    pub(super) fn control(&self, field: FormField) -> Element {
        self.part(&join(&[
            ".pd-rf-field [data-field=",
            field.wire_name(),
            "]",
        ]))
    }

    /// The acknowledgement, with the request's reference, its due date in the
    /// visitor's words and the link to its status page, in place of the form.
    pub(super) fn show_success(&self, accepted: &RequestAccepted) {
        let success = self.part(".pd-rf-success");
        let date = model::format_date(&accepted.due_date, self.lang)
            .unwrap_or_else(|| accepted.due_date.clone());
        if let Ok(strong) = success.query_selector_all("strong") {
            for (i, text) in [&accepted.reference, &date].into_iter().enumerate() {
                if let Some(strong) = strong.item(i as u32) {
                    set_text(&strong, text);
                }
            }
        }
        let link = self.part(".pd-rf-status-link a");
        crate::dom::attr(
            &link,
            "href",
            &model::status_url(&self.url, &accepted.reference, self.lang),
        );
        hide(&self.part("form"), true);
        hide(&success, false);
        focus(&success);
    }
}
