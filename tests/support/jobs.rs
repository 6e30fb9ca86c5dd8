//! Reading the jobs table, to see background work as the server left it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Int4, Jsonb, Nullable, Text, Timestamptz};

use super::database::TestDatabase;

#[derive(Debug, QueryableByName)]
pub struct JobRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
    #[diesel(sql_type = Timestamptz)]
    pub run_at: DateTime<Utc>,
    /// Set while a worker holds the job.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub leased_until: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub dead_at: Option<DateTime<Utc>>,
}

impl TestDatabase {
    /// Every job still in the table, oldest first.
    pub fn jobs(&self) -> Vec<JobRow> {
        diesel::sql_query(
            "SELECT kind, payload, attempts, run_at, leased_until, last_error, dead_at FROM jobs ORDER BY created_at, id",
        )
        .load(&mut self.connect())
        .expect("read jobs")
    }

    /// Waits until the jobs satisfy `done`, and returns them.
    pub async fn wait_for_jobs(&self, what: &str, done: impl Fn(&[JobRow]) -> bool) -> Vec<JobRow> {
        for _ in 0..150 {
            let jobs = self.jobs();
            if done(&jobs) {
                return jobs;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("jobs never reached: {what}; they are {:#?}", self.jobs());
    }

    /// Waits until no job is waiting or running: every one is done or dead.
    pub async fn wait_for_idle_jobs(&self) {
        self.wait_for_jobs("no live jobs", |jobs| {
            jobs.iter().all(|job| job.dead_at.is_some())
        })
        .await;
    }
}
