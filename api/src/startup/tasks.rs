//! The supervised background tasks every instance runs.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;

use super::Services;
use crate::accounts;
use crate::db;
use crate::jobs::{JobRunner, JobServices, Wakeups, listen_for_wakeups};
use crate::state::AppState;
use crate::supervisor::{Supervisor, TaskError};

/// Started first, stopped last: housekeeping, the job listener, then the
/// job workers.
pub(super) fn start_background_tasks(
    supervisor: &mut Supervisor,
    state: &web::Data<AppState>,
    services: &Services,
) {
    let housekeeping_state = state.clone();
    supervisor.spawn("housekeeping", move |stop| {
        housekeeping(housekeeping_state.clone(), stop)
    });
    let hub = Arc::clone(&state.realtime.hub);
    let database_url = state.config.database_url.clone();
    let presence_state = state.clone();
    supervisor.spawn("presence", move |stop| {
        crate::realtime::presence::keep_presence(presence_state.clone().into_inner(), stop)
    });
    if state.realtime.bus.uses_redis() {
        let bus_state = state.clone();
        supervisor.spawn("bus_subscriber", move |stop| {
            let state = bus_state.clone();
            async move {
                let realtime = &state.realtime;
                realtime
                    .bus
                    .subscribe(realtime.instance, &realtime.hub, stop)
                    .await
            }
        });
        let bus_state = state.clone();
        supervisor.spawn("bus_publisher", move |stop| {
            let state = bus_state.clone();
            async move {
                let realtime = &state.realtime;
                realtime.bus.publish_outbox(realtime.instance, stop).await
            }
        });
    }
    supervisor.spawn("event_relay", move |stop| {
        let (hub, database_url) = (Arc::clone(&hub), database_url.clone());
        async move {
            tokio::task::spawn_blocking(move || {
                crate::realtime::relay::relay_commits(&database_url, &hub, &stop)
            })
            .await?
        }
    });

    let config = &state.config;
    if config.jobs.workers == 0 {
        return;
    }
    let wakeups = Wakeups::default();
    let database_url = config.database_url.clone();
    let listener_wakeups = wakeups.clone();
    supervisor.spawn("job_wakeups", move |stop| {
        let database_url = database_url.clone();
        let wakeups = listener_wakeups.clone();
        async move {
            tokio::task::spawn_blocking(move || listen_for_wakeups(&database_url, &wakeups, &stop))
                .await?
        }
    });

    if let Some(meili) = state.meili.clone() {
        let (pool, search_wakeups) = (state.pool.clone(), wakeups.clone());
        let database_url = config.database_url.clone();
        supervisor.spawn("search_indexer", move |stop| {
            let (meili, pool, wake) = (meili.clone(), pool.clone(), search_wakeups.subscribe());
            let database_url = database_url.clone();
            async move { meili.keep_in_step(database_url, pool, wake, stop).await }
        });
    }

    let runner = JobRunner {
        pool: state.pool.clone(),
        clock: services.clock.clone(),
        settings: config.jobs.clone(),
        services: JobServices {
            mailer: services.mailer.clone(),
            avatars: state.avatars.clone(),
            pictures: state.pictures.clone(),
        },
        wakeups: wakeups.subscribe(),
    };
    for number in 1..=config.jobs.workers {
        let runner = runner.clone();
        supervisor.spawn(format!("job_worker_{number}"), move |stop| {
            let runner = runner.clone();
            async move { runner.work(stop).await.map_err(TaskError::from) }
        });
    }
}

/// Periodic clean-up: forgotten sessions and idle rate-limit buckets.
async fn housekeeping(
    state: web::Data<AppState>,
    stop: tokio_util::sync::CancellationToken,
) -> Result<(), TaskError> {
    // Rate-limit keys are forgotten every minute, so a flood of them is
    // short-lived; sessions that ended long ago every quarter of an hour.
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    let mut every_quarter_hour = tokio::time::interval(Duration::from_secs(15 * 60));
    loop {
        tokio::select! {
            () = stop.cancelled() => return Ok(()),
            _ = every_minute.tick() => {
                state.rate_limits.forget_idle_keys();
                continue;
            }
            _ = every_quarter_hour.tick() => {}
        }
        let now = chrono::Utc::now();
        let retention = state.config.event_retention;
        let (removed, _) = db::run(&state.pool, move |conn| {
            let sessions = accounts::queries::remove_stale_sessions(conn, now)?;
            let holds = crate::core::handles::forget_expired(conn, now)?;
            let registrations = accounts::registrations::forget_expired(conn, now)?;
            let events = crate::events::queries::prune(
                conn,
                now - chrono::Duration::days(retention.days.into()),
                retention.per_person.into(),
            )?;
            let pictures = crate::media::picture_upload::remove_unattached(conn, now)?;
            Ok((sessions, holds + registrations + events + pictures))
        })
        .await?;
        if removed > 0 {
            tracing::info!(
                count = removed,
                "old sessions and their refresh tokens removed"
            );
        }
    }
}
