//! Unicode rules for text people show one another as a name: one spelling
//! for what looks the same (NFKC: `Ａｎｎａ` is `Anna`, `ﬁ` is `fi`), and
//! none of the invisible format characters (general category Cf) that
//! reorder text or hide differences: direction overrides and isolates,
//! zero-width spaces and joiners, word joiners, byte-order marks.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::GeneralCategory;

const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// Compatibility-composed (NFKC) text.
pub fn nfkc(text: &str) -> Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfkc().normalize(text)
}

/// Whether `text` holds a format character. The one exception is a zero-
/// width joiner inside an emoji sequence (👩‍💻), which draws one picture.
pub fn has_format_characters(text: &str) -> bool {
    let categories = CodePointMapData::<GeneralCategory>::new();
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(at, &c)| {
        categories.get(c) == GeneralCategory::Format
            && !(c == ZERO_WIDTH_JOINER
                && at > 0
                && ends_emoji(categories.get(chars[at - 1]))
                && chars
                    .get(at + 1)
                    .is_some_and(|&next| categories.get(next) == GeneralCategory::OtherSymbol))
    })
}

/// An emoji, or what may end one: a variation selector or a skin tone.
fn ends_emoji(category: GeneralCategory) -> bool {
    matches!(
        category,
        GeneralCategory::OtherSymbol
            | GeneralCategory::ModifierSymbol
            | GeneralCategory::NonspacingMark
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_spellings_become_one() {
        assert_eq!(nfkc("Ａｎｎａ"), "Anna");
        assert_eq!(nfkc("ﬁsh"), "fish");
        // Й as И plus a combining breve is composed into one letter.
        assert_eq!(nfkc("\u{0418}\u{0306}"), "\u{0419}");
        assert_eq!(nfkc("Анна Каренина"), "Анна Каренина");
    }

    #[test]
    fn invisible_format_characters_are_found() {
        for sneaky in [
            "admin\u{202E}nimda",
            "An\u{200B}na",
            "An\u{200D}na",
            "An\u{200C}na",
            "\u{2066}Anna\u{2069}",
            "\u{FEFF}Anna",
            "An\u{2060}na",
            "\u{200E}Anna",
            "Anna\u{00AD}",
        ] {
            assert!(has_format_characters(sneaky), "{sneaky:?}");
        }
    }

    #[test]
    fn names_and_emoji_sequences_are_fine() {
        for fine in [
            "Анна Каренина",
            "Jean-Paul O'Neil",
            "李小龍",
            "👩\u{200D}💻 Anna",
            "👍\u{1F3FD}",
            "❤\u{FE0F}\u{200D}🔥",
        ] {
            assert!(!has_format_characters(fine), "{fine:?}");
        }
    }
}
