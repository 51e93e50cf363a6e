//! The shop-side widget: consent banner, preference centre and rights-request form.
//! `widget/loader.js` loads this module and calls [`start`]; the decisions live in
//! the pure [`core`], the DOM work in the other modules.

pub mod core;
pub mod form;
