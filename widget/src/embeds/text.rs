//! Every word of an embed's placeholder, per language, as an exhaustive `match`:
//! a missing Dutch (or English) text does not compile. Sentences are put together
//! from parts and the service's name (no `format!`: it would bring `core::fmt`).

use crate::prelude::*;

use protocol::Lang;

#[derive(Clone, Copy)]
pub enum Part {
    /// Title of a placeholder whose iframe has no `title`: "Content from …".
    ContentFrom,
    /// Who the content comes from when the embed names no service.
    AnotherSite,
    /// "… It is only loaded with your permission, because …"
    WhyBefore,
    WhyAfter,
    Purpose,
    LoadOnce,
    /// "Always allow YouTube": before and after the service's name.
    AlwaysBefore,
    AlwaysAfter,
}

#[inline(always)]
pub fn part(lang: Lang, part: Part) -> &'static str {
    use Part::*;
    match lang {
        Lang::En => match part {
            ContentFrom => "Content from ",
            AnotherSite => "another website",
            WhyBefore => "This is only loaded with your permission, because ",
            WhyAfter => " can then set cookies and learn that you visit this page.",
            Purpose => "Purpose: ",
            LoadOnce => "Load once",
            AlwaysBefore => "Always allow ",
            AlwaysAfter => "",
        },
        Lang::Nl => match part {
            ContentFrom => "Inhoud van ",
            AnotherSite => "een andere website",
            WhyBefore => "Dit laden we alleen met uw toestemming, omdat ",
            WhyAfter => " dan cookies kan plaatsen en kan zien dat u deze pagina bezoekt.",
            Purpose => "Doel: ",
            LoadOnce => "Eén keer laden",
            AlwaysBefore => "",
            AlwaysAfter => " altijd toestaan",
        },
    }
}

/// `parts` and `values` interleaved into one string.
pub fn join(pieces: &[&str]) -> String {
    let mut out = String::new();
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_always_allow_label_names_the_service_in_each_language() {
        let label = |lang| {
            join(&[
                part(lang, Part::AlwaysBefore),
                "YouTube",
                part(lang, Part::AlwaysAfter),
            ])
        };
        assert_eq!(label(Lang::En), "Always allow YouTube");
        assert_eq!(label(Lang::Nl), "YouTube altijd toestaan");
    }
}
