//! `noxchat search reindex`: rebuilds every index from PostgreSQL without
//! downtime. Each is filled afresh beside the live one, in batches, then
//! swapped in; meanwhile the indexer holds the changes people make in the
//! queue, and applies them to the fresh indexes once they are live.

use diesel::prelude::*;
use meilisearch_sdk::client::SwapIndexes;

use super::{IndexKind, Meili, MeiliError, documents};

/// Documents read and sent at once.
const BATCH: i64 = 1000;
/// How long the indexer holds back, renewed every [`RENEW`].
const HOLD: &str = "5 minutes";
const RENEW: std::time::Duration = std::time::Duration::from_secs(30);

/// Why a rebuild stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error(transparent)]
    Meili(#[from] MeiliError),
    #[error("Meilisearch: {0}")]
    Client(#[from] meilisearch_sdk::errors::Error),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("{0}")]
    Blocking(#[from] tokio::task::JoinError),
}

/// Runs `work` on `conn` on a blocking thread (diesel blocks).
pub(super) async fn blocking<T: Send + 'static>(
    conn: &mut Option<PgConnection>,
    work: impl FnOnce(&mut PgConnection) -> QueryResult<T> + Send + 'static,
) -> Result<T, ReindexError> {
    let Some(mut taken) = conn.take() else {
        return Err(ReindexError::Database(
            diesel::result::Error::BrokenTransactionManager,
        ));
    };
    let (taken, result) = tokio::task::spawn_blocking(move || {
        let result = work(&mut taken);
        (taken, result)
    })
    .await?;
    *conn = Some(taken);
    Ok(result?)
}

fn hold(conn: &mut PgConnection, held: bool) -> QueryResult<usize> {
    let until = if held {
        format!("now() + interval '{HOLD}'")
    } else {
        "NULL".to_owned()
    };
    diesel::sql_query(format!(
        "UPDATE search_mirror SET rebuilding_until = {until}"
    ))
    .execute(conn)
}

/// Renews the hold every [`RENEW`] until cancelled, whatever the rebuild
/// waits on meanwhile.
fn keep_holding(database_url: String) -> tokio_util::sync::CancellationToken {
    let stop = tokio_util::sync::CancellationToken::new();
    let stopped = stop.clone();
    tokio::spawn(async move {
        let Ok(Ok(connection)) =
            tokio::task::spawn_blocking(move || PgConnection::establish(&database_url)).await
        else {
            return;
        };
        let mut conn = Some(connection);
        loop {
            tokio::select! {
                () = stopped.cancelled() => return,
                () = tokio::time::sleep(RENEW) => {}
            }
            if blocking(&mut conn, |conn| hold(conn, true)).await.is_err() {
                tracing::warn!("cannot renew the rebuild's hold on the indexer");
            }
        }
    });
    stop
}

impl Meili {
    fn fresh_name(&self, kind: IndexKind) -> String {
        format!("{}_rebuild", self.index_name(kind))
    }

    /// Rebuilds every index, telling `progress` how far it is.
    pub async fn reindex(
        &self,
        database_url: &str,
        mut progress: impl FnMut(String),
    ) -> Result<(), ReindexError> {
        let url = database_url.to_owned();
        let mut conn =
            Some(tokio::task::spawn_blocking(move || PgConnection::establish(&url)).await??);
        blocking(&mut conn, |conn| hold(conn, true)).await?;
        let renewing = keep_holding(database_url.to_owned());
        let rebuilt = self.rebuild_all(&mut conn, &mut progress).await;
        renewing.cancel();
        blocking(&mut conn, |conn| hold(conn, false)).await?;
        rebuilt
    }

    async fn rebuild_all(
        &self,
        conn: &mut Option<PgConnection>,
        progress: &mut impl FnMut(String),
    ) -> Result<(), ReindexError> {
        // The live indexes must exist to be swapped with.
        self.apply_settings().await?;
        for kind in IndexKind::ALL {
            let fresh = self.fresh_name(kind);
            // A rebuild that died may have left one behind.
            let _ = self.applied(self.client.delete_index(&fresh).await?).await;
            self.configure(kind, &fresh).await?;
            let total = blocking(conn, move |conn| documents::count(conn, kind)).await?;
            let index = self.client.index(&fresh);
            let (mut after, mut sent) = (uuid::Uuid::nil(), 0_i64);
            loop {
                let (docs, last) =
                    blocking(conn, move |conn| documents::batch(conn, kind, after, BATCH)).await?;
                let Some(last) = last else { break };
                sent += i64::try_from(docs.len()).unwrap_or(0);
                self.applied(index.add_or_replace(&docs, Some("id")).await?)
                    .await?;
                progress(format!("{}: {sent}/{total}", kind.name()));
                after = last;
            }
            let swap = SwapIndexes {
                indexes: (self.index_name(kind), fresh.clone()),
                rename: None,
            };
            self.applied(self.client.swap_indexes([&swap]).await?)
                .await?;
            self.applied(self.client.delete_index(&fresh).await?)
                .await?;
            progress(format!("{}: {sent} indexed, live", kind.name()));
        }
        Ok(())
    }
}
