//! `EXPLAIN` of a query built with diesel, so that tests can check that the
//! queries the server really runs are served by indexes.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};

#[derive(Debug, Clone, Copy, QueryId)]
struct Explain<Q>(Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> Query for Explain<Q> {
    type SqlType = diesel::sql_types::Text;
}

impl<Q> RunQueryDsl<PgConnection> for Explain<Q> {}

/// PostgreSQL's plan for `query`, one line per node.
pub fn explain<Q>(conn: &mut PgConnection, query: Q) -> QueryResult<String>
where
    Q: QueryFragment<Pg> + QueryId,
{
    Ok(Explain(query).load::<String>(conn)?.join("\n"))
}
