//! The scheduled run: what happens to each request (expire, remind, purge).

pub mod purge;
pub mod run;
pub mod task;
