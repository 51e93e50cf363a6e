//! The owner's side of rights requests, as a pure core: the requester's e-mail
//! verification, the owner page (session, forms, HTML), the owner's actions and
//! their audit trail, mail to requesters, exports and the cron's reminders, expiry
//! and purge. `entry::owner` is its wasm-only I/O shell.

pub mod case;
pub mod cron;
pub mod csv;
pub mod form;
pub mod html;
pub mod notice;
pub mod route;
pub mod session;
pub mod settings;
pub mod status;
