//! The owner's side of rights requests: the case (e-mail verification, actions and
//! their audit trail), the owner page (session, HTML), exports and the periods
//! configured for requests.

mod auth;
pub mod case;
pub mod csv;
pub(crate) mod detail;
pub mod event;
pub mod exports;
pub mod html;
pub mod list;
pub mod notify;
pub mod pages;
pub mod session;
pub mod settings;
pub(crate) mod texts;
