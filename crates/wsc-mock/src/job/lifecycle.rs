//! Where a job is in its life at a given time: the schedule of its phases
//! and what a cancel or stop changed.

use std::time::Duration;

use super::{Intervention, Job, Phase, Plan};
use crate::config::Timings;

/// The phase and how far through it (0.0–1.0) a job is at `now`.
pub(crate) fn phase_at(job: &Job, now: Duration, t: &Timings) -> (Phase, f64) {
    if let Some(Intervention::Cancelled { .. }) = job.intervention {
        return (Phase::Cancelled, 1.0);
    }
    if let Some(Intervention::Stopped { at }) = job.intervention {
        return if now.saturating_sub(at) < t.stopping {
            (Phase::Stopping, 0.0)
        } else {
            (Phase::Stopped, 1.0)
        };
    }
    undisturbed_phase_at(job, now, t)
}

/// The phase a job would be in at `now` had nobody cancelled or stopped it.
pub(super) fn undisturbed_phase_at(job: &Job, now: Duration, t: &Timings) -> (Phase, f64) {
    if let Some(phase) = job.held {
        return (phase, 0.5);
    }
    let speed = job.speed.max(1);
    let diagnosing = t.diagnosing / speed;
    let mut elapsed = now.saturating_sub(job.created_at);
    let steps: [(Phase, Duration); 5] = [
        (Phase::UrlPending, t.url_pending),
        (Phase::Collecting, t.collecting),
        (Phase::Collected, t.collected),
        (Phase::DiagnosisPending, t.diagnosis_pending),
        (Phase::Diagnosing, diagnosing),
    ];
    for (phase, length) in steps {
        if phase == Phase::Collected && job.plan == Plan::FailCollection {
            return (Phase::UrlFailed, 1.0);
        }
        if elapsed < length {
            return (
                phase,
                elapsed.as_secs_f64() / length.as_secs_f64().max(1e-9),
            );
        }
        elapsed -= length;
    }
    match job.plan {
        Plan::Complete => (Phase::Completed, 1.0),
        Plan::FailDiagnosis => (Phase::Failed, 1.0),
        Plan::FailCollection => (Phase::UrlFailed, 1.0),
    }
}

/// True for the phases a job never leaves.
pub(super) fn is_final(phase: Phase) -> bool {
    matches!(
        phase,
        Phase::Completed | Phase::Failed | Phase::UrlFailed | Phase::Cancelled | Phase::Stopped
    )
}

/// When, on a job's own clock, each step of its undisturbed lifecycle begins.
pub(super) struct Schedule {
    pub(super) collecting: Duration,
    pub(super) collected: Duration,
    pub(super) diagnosing: Duration,
    pub(super) end: Duration,
}

pub(super) fn schedule(job: &Job, t: &Timings) -> Schedule {
    let collecting = t.url_pending;
    let collected = collecting + t.collecting;
    let diagnosing = collected + t.collected + t.diagnosis_pending;
    let end = match job.plan {
        Plan::FailCollection => collected,
        Plan::Complete | Plan::FailDiagnosis => diagnosing + t.diagnosing / job.speed.max(1),
    };
    Schedule {
        collecting,
        collected,
        diagnosing,
        end,
    }
}
