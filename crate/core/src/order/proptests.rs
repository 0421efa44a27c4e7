//! Property tests of the masker: whatever arrives (platform-masked text, plaintext from a
//! decrypt, noise), masked buyer fields hold no mobile number and no valid-check-digit ID,
//! checked with an independent, deliberately naive matcher (any substring, no boundaries).

use super::mask::{mask_buyer, mask_text};
use super::package::UserInfo;
use proptest::prelude::*;

/// Normalises full-width digits and X so the naive matchers see what a reader sees.
fn ascii(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '０'..='９' => b'0' + (c as u32 - '０' as u32) as u8,
            'Ｘ' | 'ｘ' | 'x' => b'X',
            c if c.is_ascii() => c as u8,
            _ => b'~',
        })
        .collect()
}

/// Any `1[3-9]\d{9}` anywhere, boundaries ignored.
fn naive_phone(s: &str) -> bool {
    ascii(s).windows(11).any(|w| w[0] == b'1' && (b'3'..=b'9').contains(&w[1]) && w[2..].iter().all(u8::is_ascii_digit))
}

/// Any 18 characters `\d{17}[\dX]` whose check digit is right, boundaries ignored.
fn naive_id(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    ascii(s).windows(18).any(|w| {
        if !w[..17].iter().all(u8::is_ascii_digit) || !(w[17].is_ascii_digit() || w[17] == b'X') {
            return false;
        }
        let sum: u32 = w[..17].iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
        C[(sum % 11) as usize] == w[17]
    })
}

fn valid_id(prefix17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let sum: u32 = prefix17.bytes().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{prefix17}{}", C[(sum % 11) as usize] as char)
}

/// Text made of pieces a remark really contains, glued in any order: plain phones (with and
/// without separators, full-width), valid IDs, digit noise, Chinese, emails, WeChat mentions.
fn remarkish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "1[3-9][0-9]{9}",
        "1[3-9][0-9] [0-9]{4} [0-9]{4}",
        "[0-9]{1,30}",
        "[1-6][0-9]{16}".prop_map(|p| valid_id(&p)),
        "[0-9]{17}".prop_map(|p| valid_id(&p)),
        "[a-z0-9.]{1,8}@[a-z0-9]{1,8}\\.(com|cn)",
        "(微信|vx|wx)[：: ]?[a-z][a-z0-9_]{5,12}",
        "[一-龥，。 *+=-]{0,6}",
        "[０-９]{1,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn masked_text_holds_no_phone_or_id(s in remarkish()) {
        let m = mask_text(&s);
        prop_assert!(!naive_phone(&m), "phone left in {:?} -> {:?}", s, m);
        prop_assert!(!naive_id(&m), "ID left in {:?} -> {:?}", s, m);
    }

    #[test]
    fn masked_buyer_holds_no_phone_or_id(
        receiver in remarkish(), phone in remarkish(), address in remarkish(), remark in remarkish(),
    ) {
        let u = UserInfo { receiver, phone, address, buyer_remark: remark };
        let m = mask_buyer(&u);
        for field in [m.receiver.as_str(), m.phone.as_str(), m.address.as_str(), m.remark.as_str()] {
            prop_assert!(!naive_phone(field), "phone left: {:?} -> {:?}", u, m);
            prop_assert!(!naive_id(field), "ID left: {:?} -> {:?}", u, m);
        }
        // Idempotent: masking a masked block changes nothing.
        let again = mask_buyer(&UserInfo {
            receiver: m.receiver.to_string(), phone: m.phone.to_string(),
            address: m.address.to_string(), buyer_remark: m.remark.to_string(),
        });
        prop_assert_eq!(&again.receiver, &m.receiver);
        prop_assert_eq!(&again.remark, &m.remark);
    }

    #[test]
    fn arbitrary_unicode_is_masked_too(s in any::<String>()) {
        let m = mask_text(&s);
        prop_assert!(!naive_phone(&m) && !naive_id(&m), "{:?} -> {:?}", s, m);
    }
}

#[test]
fn the_naive_matchers_themselves_work() {
    assert!(naive_phone("x13812345678"));
    assert!(!naive_phone("12812345678"));
    assert!(naive_id("11010519491231002X"));
    assert!(!naive_id("110105194912310021"));
    assert_eq!(valid_id("11010519491231002"), "11010519491231002X");
}
