//! HTTP as plain data: routes, answers ([`reply::Reply`]), CORS decisions and form
//! bodies. Nothing here knows the Workers runtime.

pub mod cors;
pub mod etag;
pub mod form;
pub mod owner_route;
pub mod reply;
pub mod route;
