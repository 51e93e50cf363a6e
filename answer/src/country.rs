//! Countries as ISO 3166-1 alpha-2 codes, and which of them are in the European
//! Economic Area (where no transfer safeguard is needed, GDPR chapter V).

/// Every officially assigned ISO 3166-1 alpha-2 code, in order.
const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The 27 EU member states plus Iceland, Liechtenstein and Norway.
const EEA: &str =
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK";

/// Whether `code` is an assigned alpha-2 code (upper case, exactly as written).
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2 && ASSIGNED.split(' ').any(|c| c == code)
}

/// Whether `code` is an EEA country.
pub fn in_eea(code: &str) -> bool {
    code.len() == 2 && EEA.split(' ').any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let assigned: Vec<&str> = ASSIGNED.split(' ').collect();
        assert_eq!(assigned.len(), 249, "ISO 3166-1 has 249 assigned codes");
        assert!(
            assigned.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeats"
        );
        let eea: Vec<&str> = EEA.split(' ').collect();
        assert_eq!(eea.len(), 30);
        assert!(eea.iter().all(|c| is_assigned(c)));
        for (code, assigned, eea) in [
            ("NL", true, true),
            ("NO", true, true),
            ("CH", true, false),
            ("GB", true, false),
            ("US", true, false),
            ("CA", true, false),
            ("UK", false, false),
            ("EU", false, false),
            ("nl", false, false),
            ("", false, false),
            ("NLD", false, false),
            ("N", false, false),
        ] {
            assert_eq!(is_assigned(code), assigned, "{code}");
            assert_eq!(in_eea(code), eea, "{code}");
        }
    }
}
