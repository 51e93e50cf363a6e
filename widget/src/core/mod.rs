//! The widget's pure core: the consent cookie format, the decision what to show and
//! what to signal, Google cookie clean-up rules and every text in every language.
//! Plain functions over plain data, tested on the host with `cargo test -p widget`;
//! nothing in here touches the DOM or reads the clock.

#[cfg(test)]
mod choice_cases;
pub mod consent;
pub mod date;
pub mod decide;
#[cfg(test)]
pub mod fixtures;
pub mod ga_cookies;
pub mod json;
#[cfg(test)]
mod returning_cases;
pub mod stored;
pub mod text;
