//! Meilisearch's filter expressions: parsed into a tree, checked against the
//! filterable attributes, evaluated on stored documents.
//!
//! Grammar: `attr = v`, `!=`, `>`, `>=`, `<`, `<=`, `attr v1 TO v2`,
//! `attr IN [v, …]`, `attr NOT IN […]`, `attr IS [NOT] NULL`,
//! `attr IS [NOT] EMPTY`, `attr [NOT] EXISTS`, joined by `AND`, `OR`, `NOT`
//! and parentheses (`NOT` binds tightest, then `AND`, then `OR`). Values
//! are numbers, 'single' or "double" quoted strings (with `\` escapes) or
//! bare words. Keywords are upper case, as Meilisearch documents them.

use std::cmp::Ordering;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Filter {
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Condition { attribute: String, test: Test },
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Test {
    Equals(String),
    Compare(Operator, String),
    Between(String, String),
    In(Vec<String>),
    IsNull,
    IsEmpty,
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Operator(Operator),
    Word(String),
    Quoted(String),
}

const KEYWORDS: [&str; 9] = [
    "AND", "OR", "NOT", "IN", "TO", "EXISTS", "IS", "NULL", "EMPTY",
];
const SPECIAL: &str = "()[],=!<>\"'";

/// Parses one filter expression; `None` when it is blank.
pub(super) fn parse(expression: &str) -> Result<Option<Filter>, String> {
    let tokens = tokenize(expression)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        tokens,
        position: 0,
    };
    let filter = parser.or()?;
    match parser.peek() {
        None => Ok(Some(filter)),
        Some(token) => Err(format!(
            "Found unexpected {token:?} in the filter `{expression}`."
        )),
    }
}

/// The `filter` search parameter: a string, or an array whose elements are
/// ANDed, an element that is itself an array being its strings ORed.
pub(super) fn from_value(value: &Value) -> Result<Option<Filter>, String> {
    let invalid = || {
        format!("Invalid value type at `.filter`: expected a string or an array, found `{value}`.")
    };
    match value {
        Value::Null => Ok(None),
        Value::String(expression) => parse(expression),
        Value::Array(items) => {
            let mut all = Vec::new();
            for item in items {
                match item {
                    Value::String(expression) => all.extend(parse(expression)?),
                    Value::Array(alternatives) => {
                        let mut any = Vec::new();
                        for alternative in alternatives {
                            let Value::String(expression) = alternative else {
                                return Err(invalid());
                            };
                            any.extend(parse(expression)?);
                        }
                        if !any.is_empty() {
                            all.push(Filter::Or(any));
                        }
                    }
                    _ => return Err(invalid()),
                }
            }
            Ok((!all.is_empty()).then_some(Filter::And(all)))
        }
        _ => Err(invalid()),
    }
}

/// A document's value at `path`, a dotted path reaching into objects.
pub(super) fn lookup<'a>(document: &'a Value, path: &str) -> Option<&'a Value> {
    document.get(path).or_else(|| {
        let (head, rest) = path.split_once('.')?;
        lookup(document.get(head)?, rest)
    })
}

/// Whether an attribute pattern of the settings (`name`, `name.*`-style
/// nesting, or a glob with `*`) covers `attribute`.
pub(super) fn covers(pattern: &str, attribute: &str) -> bool {
    attribute == pattern
        || attribute
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('.'))
        || glob(pattern, attribute)
}

fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or_default();
    for part in parts {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last)
}

impl Filter {
    pub(super) fn matches(&self, document: &Value) -> bool {
        match self {
            Self::And(items) => items.iter().all(|item| item.matches(document)),
            Self::Or(items) => items.iter().any(|item| item.matches(document)),
            Self::Not(inner) => !inner.matches(document),
            Self::Condition { attribute, test } => test.holds(lookup(document, attribute)),
        }
    }

    /// The first attribute the filter uses that no pattern covers.
    pub(super) fn unfilterable(&self, patterns: &[String]) -> Option<&str> {
        match self {
            Self::And(items) | Self::Or(items) => {
                items.iter().find_map(|item| item.unfilterable(patterns))
            }
            Self::Not(inner) => inner.unfilterable(patterns),
            Self::Condition { attribute, .. } => {
                (!patterns.iter().any(|pattern| covers(pattern, attribute)))
                    .then_some(attribute.as_str())
            }
        }
    }
}

impl Test {
    fn holds(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (Self::Exists, found) => found.is_some(),
            (Self::IsNull, found) => matches!(found, Some(Value::Null)),
            (Self::IsEmpty, Some(Value::String(text))) => text.is_empty(),
            (Self::IsEmpty, Some(Value::Array(items))) => items.is_empty(),
            (Self::IsEmpty, Some(Value::Object(fields))) => fields.is_empty(),
            (Self::IsEmpty, _) | (_, None) => false,
            // An array holds when any of its elements does.
            (_, Some(Value::Array(items))) => items.iter().any(|item| self.holds_for(item)),
            (_, Some(scalar)) => self.holds_for(scalar),
        }
    }

    fn holds_for(&self, value: &Value) -> bool {
        match self {
            Self::Equals(expected) => equals(value, expected),
            Self::In(expected) => expected.iter().any(|item| equals(value, item)),
            Self::Compare(operator, bound) => {
                compare(value, bound).is_some_and(|ordering| match operator {
                    Operator::Equal => ordering.is_eq(),
                    Operator::NotEqual => ordering.is_ne(),
                    Operator::Greater => ordering.is_gt(),
                    Operator::GreaterOrEqual => ordering.is_ge(),
                    Operator::Less => ordering.is_lt(),
                    Operator::LessOrEqual => ordering.is_le(),
                })
            }
            Self::Between(low, high) => {
                compare(value, low).is_some_and(Ordering::is_ge)
                    && compare(value, high).is_some_and(Ordering::is_le)
            }
            Self::IsNull | Self::IsEmpty | Self::Exists => false,
        }
    }
}

/// Numbers compare numerically, strings exactly, booleans as `true`/`false`;
/// null never equals anything.
fn equals(value: &Value, expected: &str) -> bool {
    match value {
        Value::Number(number) => expected
            .parse::<f64>()
            .ok()
            .zip(number.as_f64())
            .is_some_and(|(wanted, found)| wanted == found),
        Value::String(text) => text == expected,
        Value::Bool(flag) => expected == if *flag { "true" } else { "false" },
        _ => false,
    }
}

fn compare(value: &Value, bound: &str) -> Option<Ordering> {
    match value {
        Value::Number(number) => number.as_f64()?.partial_cmp(&bound.parse::<f64>().ok()?),
        Value::String(text) if bound.parse::<f64>().is_err() => Some(text.as_str().cmp(bound)),
        _ => None,
    }
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let token = match c {
            _ if c.is_whitespace() => continue,
            '(' => Token::Open,
            ')' => Token::Close,
            '[' => Token::OpenList,
            ']' => Token::CloseList,
            ',' => Token::Comma,
            '=' => Token::Operator(Operator::Equal),
            '!' if chars.next_if_eq(&'=').is_some() => Token::Operator(Operator::NotEqual),
            '>' if chars.next_if_eq(&'=').is_some() => Token::Operator(Operator::GreaterOrEqual),
            '>' => Token::Operator(Operator::Greater),
            '<' if chars.next_if_eq(&'=').is_some() => Token::Operator(Operator::LessOrEqual),
            '<' => Token::Operator(Operator::Less),
            '"' | '\'' => {
                let mut text = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return Err(format!("Unterminated string in the filter `{input}`."));
                        }
                        Some('\\') => text.extend(chars.next()),
                        Some(quote) if quote == c => break,
                        Some(other) => text.push(other),
                    }
                }
                Token::Quoted(text)
            }
            '!' => return Err(format!("Found a lone `!` in the filter `{input}`.")),
            _ => {
                let mut word = String::from(c);
                while let Some(next) =
                    chars.next_if(|next| !next.is_whitespace() && !SPECIAL.contains(*next))
                {
                    word.push(next);
                }
                Token::Word(word)
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    /// Consumes the keyword `word` if it comes next.
    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Word(next)) if next == word);
        if found {
            self.position += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut items = vec![self.and()?];
        while self.keyword("OR") {
            items.push(self.and()?);
        }
        Ok(group(items, Filter::Or))
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut items = vec![self.not()?];
        while self.keyword("AND") {
            items.push(self.not()?);
        }
        Ok(group(items, Filter::And))
    }

    fn not(&mut self) -> Result<Filter, String> {
        if self.keyword("NOT") {
            return Ok(Filter::Not(Box::new(self.not()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.position += 1;
            let inner = self.or()?;
            return match self.advance() {
                Some(Token::Close) => Ok(inner),
                other => Err(format!("Expected `)`, found {}.", describe(other.as_ref()))),
            };
        }
        self.condition()
    }

    fn value(&mut self) -> Result<String, String> {
        match self.advance() {
            Some(Token::Word(word)) if !KEYWORDS.contains(&word.as_str()) => Ok(word),
            Some(Token::Quoted(text)) => Ok(text),
            other => Err(format!(
                "Expected a value, found {}.",
                describe(other.as_ref())
            )),
        }
    }

    fn list(&mut self) -> Result<Vec<String>, String> {
        if self.advance() != Some(Token::OpenList) {
            return Err("Expected `[` after `IN`.".to_owned());
        }
        let mut values = Vec::new();
        loop {
            if self.peek() == Some(&Token::CloseList) {
                self.position += 1;
                return Ok(values);
            }
            values.push(self.value()?);
            match self.advance() {
                Some(Token::Comma) => {}
                Some(Token::CloseList) => return Ok(values),
                other => {
                    return Err(format!(
                        "Expected `,` or `]`, found {}.",
                        describe(other.as_ref())
                    ));
                }
            }
        }
    }

    fn condition(&mut self) -> Result<Filter, String> {
        let attribute = self.value()?;
        let mut negated = false;
        let test = match self.advance() {
            Some(Token::Operator(Operator::Equal)) => Test::Equals(self.value()?),
            Some(Token::Operator(Operator::NotEqual)) => {
                negated = true;
                Test::Equals(self.value()?)
            }
            Some(Token::Operator(operator)) => Test::Compare(operator, self.value()?),
            Some(Token::Word(word)) if word == "IN" => Test::In(self.list()?),
            Some(Token::Word(word)) if word == "EXISTS" => Test::Exists,
            Some(Token::Word(word)) if word == "NOT" => {
                negated = true;
                if self.keyword("IN") {
                    Test::In(self.list()?)
                } else if self.keyword("EXISTS") {
                    Test::Exists
                } else {
                    return Err(format!(
                        "Expected `IN` or `EXISTS` after `{attribute} NOT`."
                    ));
                }
            }
            Some(Token::Word(word)) if word == "IS" => {
                negated = self.keyword("NOT");
                if self.keyword("NULL") {
                    Test::IsNull
                } else if self.keyword("EMPTY") {
                    Test::IsEmpty
                } else {
                    return Err(format!(
                        "Expected `NULL` or `EMPTY` after `{attribute} IS`."
                    ));
                }
            }
            Some(Token::Word(low) | Token::Quoted(low))
                if !KEYWORDS.contains(&low.as_str()) && self.keyword("TO") =>
            {
                Test::Between(low, self.value()?)
            }
            other => {
                return Err(format!(
                    "Expected an operator after `{attribute}`, found {}.",
                    describe(other.as_ref())
                ));
            }
        };
        let condition = Filter::Condition { attribute, test };
        Ok(if negated {
            Filter::Not(Box::new(condition))
        } else {
            condition
        })
    }
}

fn group(mut items: Vec<Filter>, combine: fn(Vec<Filter>) -> Filter) -> Filter {
    match items.pop() {
        Some(only) if items.is_empty() => only,
        Some(last) => {
            items.push(last);
            combine(items)
        }
        None => combine(items),
    }
}

fn describe(token: Option<&Token>) -> String {
    token.map_or_else(
        || "the end of the filter".to_owned(),
        |token| format!("{token:?}"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn condition(attribute: &str, test: Test) -> Filter {
        Filter::Condition {
            attribute: attribute.to_owned(),
            test,
        }
    }

    fn filter(expression: &str) -> Filter {
        parse(expression)
            .unwrap_or_else(|error| panic!("{expression}: {error}"))
            .expect("a filter")
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tightest() {
        assert_eq!(
            filter("a = 1 OR NOT b = 2 AND c != 'x y'"),
            Filter::Or(vec![
                condition("a", Test::Equals("1".into())),
                Filter::And(vec![
                    Filter::Not(Box::new(condition("b", Test::Equals("2".into())))),
                    Filter::Not(Box::new(condition("c", Test::Equals("x y".into())))),
                ]),
            ])
        );
        assert_eq!(
            filter(r#"(title = "say \"hi\"")"#),
            condition("title", Test::Equals("say \"hi\"".into()))
        );
        assert_eq!(
            filter("n >= -1.5"),
            condition("n", Test::Compare(Operator::GreaterOrEqual, "-1.5".into()))
        );
        assert_eq!(
            filter("id NOT IN [1, \"two\"]"),
            Filter::Not(Box::new(condition(
                "id",
                Test::In(vec!["1".into(), "two".into()])
            )))
        );
        assert_eq!(
            filter("n 1 TO 5"),
            condition("n", Test::Between("1".into(), "5".into()))
        );
        assert_eq!(parse("  ").expect("blank"), None);
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [
            "a =",
            "(a = 1",
            "a = 1)",
            "a IN [1",
            "a IN 1",
            "a",
            "a = 1 AND",
            "a ! 1",
            "a = \"open",
            "a IS 1",
            "AND = 1",
        ] {
            assert!(parse(bad).is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn conditions_evaluate_like_meilisearch() {
        let doc = json!({
            "id": 7, "kind": "topic", "tags": ["a", "b"], "gone": null,
            "hidden": false, "empty": "", "author": {"id": 3},
        });
        let holds = |expression: &str| filter(expression).matches(&doc);
        for yes in [
            "id = 7",
            "id = 7.0",
            "id != 8",
            "id > 6 AND id >= 7 AND id < 8 AND id <= 7",
            "id 7 TO 9",
            "kind = topic",
            "kind IN [post, topic]",
            "tags = b",
            "hidden = false",
            "gone IS NULL",
            "gone EXISTS",
            "missing NOT EXISTS",
            "missing != 1",
            "missing NOT IN [1]",
            "gone != 1",
            "empty IS EMPTY",
            "kind IS NOT EMPTY",
            "author.id = 3",
            "NOT (id = 1 OR id = 2)",
        ] {
            assert!(holds(yes), "{yes}");
        }
        for no in [
            "id = 8",
            "id = \"seven\"",
            "kind = Topic",
            "kind NOT IN [topic]",
            "missing = 1",
            "gone = null",
            "missing IS NULL",
            "id > 7",
            "kind > 5",
            "tags = c",
            "missing IS EMPTY",
        ] {
            assert!(!holds(no), "{no}");
        }
    }

    #[test]
    fn filter_arrays_and_filterable_attributes() {
        let array = from_value(&json!(["kind = topic", ["id = 1", "id = 7"]]))
            .expect("array")
            .expect("filter");
        assert!(array.matches(&json!({"kind": "topic", "id": 7})));
        assert!(!array.matches(&json!({"kind": "topic", "id": 2})));
        assert!(from_value(&json!(5)).is_err());

        let patterns = vec!["kind".to_owned(), "author".to_owned(), "meta_*".to_owned()];
        let used = filter("kind = a AND (author.id = 1 OR meta_x = 2)");
        assert_eq!(used.unfilterable(&patterns), None);
        assert_eq!(
            filter("kind = a OR NOT secret = 1").unfilterable(&patterns),
            Some("secret")
        );
        assert!(covers("*", "anything"));
        assert!(!covers("meta_*", "metax"));
    }
}
