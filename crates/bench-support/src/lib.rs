//! # bench-support — paired, interleaved sampling
//!
//! The ratio of two workloads on a noisy machine. Not published: only the
//! workspace's benchmarks and `cargo xtask bench` use it.
//!
//! Timing `ours` for five seconds and then the `baseline` for five seconds
//! compares two different machines whenever a neighbour wakes up in between;
//! on a shared 2-vCPU VM that drift is ±25% or more, larger than the margins
//! the benchmarks judge. Here the two sides instead take turns in short
//! samples (tens of milliseconds each, who goes first alternating every pair),
//! each pair yields one ratio, and the result is the median of those ratios:
//! a slow stretch hits both halves of a pair alike and cancels out.
//!
//! The benchmarks of `wsc-core`, `wsc-hyper` and `wsc-ureq` use it next to
//! criterion (which still reports each side's own distribution), and
//! `cargo xtask bench` reads the line [`PairedResult::report_line`] prints.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use bench_support::Paired;
//! let spin = |n: u64, cost: u64| {
//!     let start = Instant::now();
//!     let mut x = 0u64;
//!     for i in 0..n * cost {
//!         x = std::hint::black_box(x.wrapping_add(i));
//!     }
//!     start.elapsed()
//! };
//! let result = Paired::new("doc")
//!     .pairs(5)
//!     .sample_time(Duration::from_millis(2))
//!     .run(|n| spin(n, 200), |n| spin(n, 100));
//! assert_eq!(result.ratios().len(), 5);
//! assert!(result.median_ratio() > 1.0); // ours does twice the work
//! ```

use std::time::Duration;

/// The prefix of the machine-readable line [`PairedResult::report_line`] builds.
pub const REPORT_PREFIX: &str = "wsc-bench-pair ";

/// A paired comparison to run: how many pairs, how long each sample lasts.
#[derive(Debug, Clone)]
pub struct Paired {
    name: String,
    pairs: usize,
    sample_time: Duration,
    calls_per_iteration: Option<u64>,
}

impl Paired {
    /// A comparison named `name` with 101 pairs of ~20 ms samples, or 21 pairs
    /// when `WSC_BENCH_QUICK` is set.
    pub fn new(name: impl Into<String>) -> Self {
        let quick = std::env::var_os("WSC_BENCH_QUICK").is_some();
        Self {
            name: name.into(),
            pairs: if quick { 21 } else { 101 },
            sample_time: Duration::from_millis(20),
            calls_per_iteration: None,
        }
    }

    /// Sets the number of pairs (at least 1; odd counts have a true median).
    pub fn pairs(mut self, pairs: usize) -> Self {
        self.pairs = pairs.max(1);
        self
    }

    /// Sets how long one sample of one side should last. A workload whose
    /// single iteration takes longer runs one iteration per sample.
    pub fn sample_time(mut self, time: Duration) -> Self {
        self.sample_time = time;
        self
    }

    /// Records that one iteration makes `calls` calls (a throughput
    /// benchmark's batch), so a reader can turn times into calls per second
    /// without keeping its own copy of the batch size.
    pub fn calls_per_iteration(mut self, calls: u64) -> Self {
        self.calls_per_iteration = Some(calls);
        self
    }

    /// Runs the comparison. Each closure runs its workload `n` times and
    /// returns the time that took (the shape of criterion's `iter_custom`).
    ///
    /// The iteration count per sample is calibrated on `ours` first (which
    /// also warms both sides up) and is the same for both sides.
    pub fn run<O, B>(self, mut ours: O, mut baseline: B) -> PairedResult
    where
        O: FnMut(u64) -> Duration,
        B: FnMut(u64) -> Duration,
    {
        let iters = calibrate(&mut ours, self.sample_time);
        // One unrecorded pair: the baseline's first run warms its caches too.
        let _ = (ours(iters), baseline(iters));
        let mut ours_ns = Vec::with_capacity(self.pairs);
        let mut baseline_ns = Vec::with_capacity(self.pairs);
        for pair in 0..self.pairs {
            let (o, b) = if pair % 2 == 0 {
                let o = ours(iters);
                (o, baseline(iters))
            } else {
                let b = baseline(iters);
                (ours(iters), b)
            };
            ours_ns.push(per_iteration_ns(o, iters));
            baseline_ns.push(per_iteration_ns(b, iters));
        }
        PairedResult {
            name: self.name,
            iters_per_sample: iters,
            calls_per_iteration: self.calls_per_iteration,
            ours_ns,
            baseline_ns,
        }
    }
}

/// Doubles the iteration count until one run of `f` lasts an eighth of the
/// target, then scales it to the target.
fn calibrate(f: &mut impl FnMut(u64) -> Duration, target: Duration) -> u64 {
    let mut iters: u64 = 1;
    loop {
        let elapsed = f(iters);
        if elapsed >= target / 8 || iters >= 1 << 40 {
            let scaled = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-9) * iters as f64;
            return (scaled.round() as u64).max(1);
        }
        iters *= 2;
    }
}

fn per_iteration_ns(time: Duration, iters: u64) -> f64 {
    time.as_secs_f64() * 1e9 / iters as f64
}

/// The samples of one paired comparison, per iteration, in pair order.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedResult {
    /// The comparison's name.
    pub name: String,
    /// Iterations in each sample (the same on both sides).
    pub iters_per_sample: u64,
    /// Calls made by one iteration, when the benchmark said
    /// ([`Paired::calls_per_iteration`]).
    pub calls_per_iteration: Option<u64>,
    /// `ours`' time per iteration in each pair, in nanoseconds.
    pub ours_ns: Vec<f64>,
    /// The baseline's time per iteration in each pair, in nanoseconds.
    pub baseline_ns: Vec<f64>,
}

impl PairedResult {
    /// Each pair's time ratio, ours over baseline (below 1: ours is faster).
    pub fn ratios(&self) -> Vec<f64> {
        self.ours_ns
            .iter()
            .zip(&self.baseline_ns)
            .map(|(o, b)| o / b)
            .collect()
    }

    /// The median of [`ratios`](Self::ratios).
    pub fn median_ratio(&self) -> f64 {
        quantile(self.ratios(), 0.5)
    }

    /// The summary: ratio quartiles and each side's median time.
    pub fn summary(&self) -> PairSummary {
        let ratios = self.ratios();
        PairSummary {
            name: self.name.clone(),
            pairs: ratios.len(),
            iters_per_sample: self.iters_per_sample,
            calls_per_iteration: self.calls_per_iteration,
            ratio_median: quantile(ratios.clone(), 0.5),
            ratio_q1: quantile(ratios.clone(), 0.25),
            ratio_q3: quantile(ratios, 0.75),
            ours_ns: quantile(self.ours_ns.clone(), 0.5),
            baseline_ns: quantile(self.baseline_ns.clone(), 0.5),
        }
    }

    /// The machine-readable line `cargo xtask bench` reads back with
    /// [`PairSummary::from_report_line`]: [`REPORT_PREFIX`] and the
    /// [`summary`](Self::summary) as one JSON object.
    pub fn report_line(&self) -> String {
        let json = serde_json::to_string(&self.summary()).unwrap_or_default();
        format!("{REPORT_PREFIX}{json}")
    }

    /// Prints a human summary and then [`report_line`](Self::report_line).
    pub fn print(&self) {
        let s = self.summary();
        println!(
            "{}: ours {:.1} ns, baseline {:.1} ns per iteration; ratio median {:.3} (quartiles {:.3}..{:.3}) over {} interleaved pairs",
            s.name, s.ours_ns, s.baseline_ns, s.ratio_median, s.ratio_q1, s.ratio_q3, s.pairs,
        );
        println!("{}", self.report_line());
    }
}

/// What one paired comparison found, as reported on one line.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairSummary {
    /// The comparison's name.
    pub name: String,
    /// How many pairs were measured.
    pub pairs: usize,
    /// Iterations in each sample.
    pub iters_per_sample: u64,
    /// Calls made by one iteration, for throughput benchmarks.
    #[serde(default)]
    pub calls_per_iteration: Option<u64>,
    /// The median of the per-pair time ratios (ours over baseline).
    pub ratio_median: f64,
    /// Their first quartile.
    pub ratio_q1: f64,
    /// Their third quartile.
    pub ratio_q3: f64,
    /// `ours`' median time per iteration, in nanoseconds.
    pub ours_ns: f64,
    /// The baseline's median time per iteration, in nanoseconds.
    pub baseline_ns: f64,
}

impl PairSummary {
    /// Reads a line built by [`PairedResult::report_line`]; `None` for any
    /// other line (benchmark output mixes both).
    pub fn from_report_line(line: &str) -> Option<Self> {
        serde_json::from_str(line.trim().strip_prefix(REPORT_PREFIX)?).ok()
    }
}

/// The `q` quantile (nearest rank) of `values`; NaN for an empty set.
fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = (q * (values.len() - 1) as f64).round() as usize;
    values[rank.min(values.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake workload whose time per iteration is given: no clock involved.
    fn fake(ns_per_iter: f64) -> impl FnMut(u64) -> Duration {
        move |n| Duration::from_secs_f64(ns_per_iter * n as f64 / 1e9)
    }

    #[test]
    fn the_ratio_is_ours_over_the_baseline() {
        let r = Paired::new("t").pairs(7).run(fake(300.0), fake(200.0));
        assert_eq!(r.ratios().len(), 7);
        assert!(
            (r.median_ratio() - 1.5).abs() < 1e-6,
            "{}",
            r.median_ratio()
        );
        assert!((r.ours_ns[3] - 300.0).abs() < 1e-3);
    }

    #[test]
    fn calibration_aims_at_the_sample_time() {
        // 1 µs per iteration, 20 ms samples: about 20,000 iterations.
        let r = Paired::new("t").pairs(1).run(fake(1_000.0), fake(1_000.0));
        assert!(
            (19_000..=21_000).contains(&r.iters_per_sample),
            "{}",
            r.iters_per_sample
        );
        // A workload slower than the sample time runs once per sample.
        let r = Paired::new("t").pairs(1).run(fake(1e9), fake(1e9));
        assert_eq!(r.iters_per_sample, 1);
    }

    #[test]
    fn a_drifting_machine_cancels_out_within_pairs() {
        // The machine slows down 3x after the 40th sample; ours is always
        // 1.2x the baseline.
        let samples = std::cell::Cell::new(0u32);
        let machine = |ns_per_iter: f64, n: u64| {
            samples.set(samples.get() + 1);
            let slowdown = if samples.get() > 40 { 3.0 } else { 1.0 };
            Duration::from_secs_f64(ns_per_iter * slowdown * n as f64 / 1e9)
        };
        let ours = |n| machine(120.0, n);
        let baseline = |n| machine(100.0, n);
        let r = Paired::new("t").pairs(51).run(ours, baseline);
        // Pairs that straddle the step are the only outliers; the median holds.
        assert!(
            (r.median_ratio() - 1.2).abs() < 1e-6,
            "{}",
            r.median_ratio()
        );
    }

    #[test]
    fn the_report_line_carries_the_summary() {
        let r = Paired::new("build_sign")
            .pairs(3)
            .run(fake(150.0), fake(100.0));
        let line = r.report_line();
        assert!(line.starts_with(REPORT_PREFIX));
        let back = PairSummary::from_report_line(&line).unwrap();
        assert_eq!(back, r.summary());
        assert_eq!(back.name, "build_sign");
        assert_eq!(back.pairs, 3);
        assert!((back.ratio_median - 1.5).abs() < 1e-6);
        assert!((back.baseline_ns - 100.0).abs() < 1e-3);
        assert_eq!(back.calls_per_iteration, None);
        assert_eq!(
            PairSummary::from_report_line("build_sign/ours time: 3 ns"),
            None
        );
        let batch = Paired::new("hyper_64way")
            .pairs(3)
            .calls_per_iteration(20_000)
            .run(fake(150.0), fake(100.0));
        let back = PairSummary::from_report_line(&batch.report_line()).unwrap();
        assert_eq!(back.calls_per_iteration, Some(20_000));
    }

    #[test]
    fn quantiles_use_nearest_rank() {
        assert_eq!(quantile(vec![3.0, 1.0, 2.0], 0.5), 2.0);
        assert_eq!(quantile(vec![4.0, 1.0, 3.0, 2.0, 5.0], 0.25), 2.0);
        assert!(quantile(Vec::new(), 0.5).is_nan());
    }
}
