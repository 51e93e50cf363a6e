//! The form's language. Its words are the edge's (`desk::request_form`, in the
//! markup) and `protocol::validate`'s (the validation messages, shown as the
//! visitor goes).

use protocol::Lang;

/// The language this build shows: with the feature `only-en` or `only-nl` (the
/// form module per language, the loader fetching the page's) always that one,
/// whatever is asked, so the other language's words, messages and month names are
/// dead code and leave the module. Every place that picks words by language
/// passes its language through here.
#[inline(always)]
pub fn shown(lang: Lang) -> Lang {
    if cfg!(feature = "only-nl") {
        Lang::Nl
    } else if cfg!(feature = "only-en") {
        Lang::En
    } else {
        lang
    }
}
