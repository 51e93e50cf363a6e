//! The requester's side: the bookmarkable status page (and what it may show).

pub mod api;
pub mod status;
