//! Statements whose filters vary: the text grows with numbered parameters
//! as values are bound, so that numbers and values never drift apart.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Double, Text, Timestamptz, Uuid as SqlUuid};

enum Value {
    Text(String),
    Uuid(uuid::Uuid),
    Time(DateTime<Utc>),
    Double(f64),
    BigInt(i64),
}

/// A statement being written, with its parameters.
#[derive(Default)]
pub struct Statement {
    text: String,
    values: Vec<Value>,
}

impl Statement {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn placeholder(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// A parameter's placeholder, such as `$3`, for text to use.
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.placeholder(Value::Text(value.into()))
    }

    pub fn uuid(&mut self, value: uuid::Uuid) -> String {
        self.placeholder(Value::Uuid(value))
    }

    pub fn time(&mut self, value: DateTime<Utc>) -> String {
        self.placeholder(Value::Time(value))
    }

    pub fn double(&mut self, value: f64) -> String {
        self.placeholder(Value::Double(value))
    }

    pub fn big_int(&mut self, value: i64) -> String {
        self.placeholder(Value::BigInt(value))
    }

    /// ` AND {column} = $n`, when there is a value to match.
    pub fn and_is(&mut self, column: &str, value: Option<uuid::Uuid>) -> &mut Self {
        if let Some(value) = value {
            let value = self.uuid(value);
            self.push(&format!(" AND {column} = {value}"));
        }
        self
    }

    /// ` AND {column} >= since AND {column} <= until`, for the bounds given.
    pub fn and_within(
        &mut self,
        column: &str,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> &mut Self {
        if let Some(since) = since {
            let since = self.time(since);
            self.push(&format!(" AND {column} >= {since}"));
        }
        if let Some(until) = until {
            let until = self.time(until);
            self.push(&format!(" AND {column} <= {until}"));
        }
        self
    }

    pub fn query(self) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut query = diesel::sql_query(self.text).into_boxed();
        for value in self.values {
            query = match value {
                Value::Text(v) => query.bind::<Text, _>(v),
                Value::Uuid(v) => query.bind::<SqlUuid, _>(v),
                Value::Time(v) => query.bind::<Timestamptz, _>(v),
                Value::Double(v) => query.bind::<Double, _>(v),
                Value::BigInt(v) => query.bind::<BigInt, _>(v),
            };
        }
        query
    }

    /// `EXPLAIN` of the statement, for the tests that check the indexes
    /// serve it.
    pub fn explain(mut self) -> Self {
        self.text.insert_str(0, "EXPLAIN ");
        self
    }
}
