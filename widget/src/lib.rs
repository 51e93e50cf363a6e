//! The shop-side widget: consent banner, preference centre and rights-request form.

pub mod form;
