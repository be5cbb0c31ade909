use toml::Spanned;

use super::*;

fn spanned(text: &str) -> Option<Spanned<String>> {
    Some(Spanned::new(0..1, text.to_string()))
}

#[test]
fn the_classification_is_taken_as_written_and_an_empty_value_is_refused() {
    let (class, problems) = resolve(Some(&ClassificationSection {
        subsidiary: spanned("  Acme   GmbH "),
        terms: spanned("Net 14"),
        class: spanned(" "),
        ..ClassificationSection::default()
    }));
    assert_eq!(class.subsidiary, "Acme GmbH");
    assert_eq!(class.terms, "Net 14");
    assert_eq!(class.class, "");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].key, "class");
    assert_eq!(resolve(None), (Classification::default(), Vec::new()));
}

#[test]
fn a_customer_name_is_cut_to_netsuites_83_characters_keeping_the_number() {
    let mapping = Mapping::new(&NETSUITE);
    let long = "Grace Hopper of the United States Navy ".repeat(4);
    let name = mapping.contact_name(&crate::targets::mapping::ContactFacts {
        id: "C10001",
        login: "",
        name: &long,
        email: "",
    });
    assert!(name.chars().count() <= 83, "{name}");
    assert!(name.ends_with("… (C10001)"), "{name}");
}
