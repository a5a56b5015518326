//! Stage timings: the wall and CPU time of each build stage, so the next bottleneck is
//! visible (`cairn build --timings`). CPU time counts every thread of the process, so a stage
//! that runs in parallel shows more CPU than wall time.

use std::fmt::Write;
use std::time::{Duration, Instant};

use cpu_time::ProcessTime;

/// One stage's times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageTime {
    /// The stage, e.g. `render Markdown`.
    pub name: &'static str,
    /// Elapsed wall-clock time.
    pub wall: Duration,
    /// CPU time of all threads during the stage.
    pub cpu: Duration,
}

/// Collects stage times as the build goes.
#[derive(Debug, Clone)]
pub struct StageTimings {
    stages: Vec<StageTime>,
    wall: Instant,
    cpu: Option<ProcessTime>,
}

impl Default for StageTimings {
    fn default() -> Self {
        Self::start()
    }
}

impl StageTimings {
    /// Starts timing the first stage.
    pub fn start() -> Self {
        StageTimings {
            stages: Vec::new(),
            wall: Instant::now(),
            cpu: ProcessTime::try_now().ok(),
        }
    }

    /// Ends the current stage under `name` and starts the next one.
    pub fn lap(&mut self, name: &'static str) {
        let cpu_now = ProcessTime::try_now().ok();
        let cpu = match (self.cpu, cpu_now) {
            (Some(before), Some(now)) => now.duration_since(before),
            _ => Duration::ZERO,
        };
        self.stages.push(StageTime {
            name,
            wall: self.wall.elapsed(),
            cpu,
        });
        self.wall = Instant::now();
        self.cpu = cpu_now;
    }

    /// The stages timed so far, in order.
    pub fn stages(&self) -> &[StageTime] {
        &self.stages
    }

    /// A table of the stages with their share of the total.
    pub fn render(&self) -> String {
        let total_wall: Duration = self.stages.iter().map(|s| s.wall).sum();
        let total_cpu: Duration = self.stages.iter().map(|s| s.cpu).sum();
        let mut out = format!(
            "{:<22} {:>10} {:>10} {:>7}\n",
            "stage", "wall ms", "cpu ms", "wall %"
        );
        for stage in &self.stages {
            let share = if total_wall.is_zero() {
                0.0
            } else {
                100.0 * stage.wall.as_secs_f64() / total_wall.as_secs_f64()
            };
            let _ = writeln!(
                out,
                "{:<22} {:>10.1} {:>10.1} {:>6.1}%",
                stage.name,
                stage.wall.as_secs_f64() * 1e3,
                stage.cpu.as_secs_f64() * 1e3,
                share
            );
        }
        let _ = writeln!(
            out,
            "{:<22} {:>10.1} {:>10.1}",
            "total",
            total_wall.as_secs_f64() * 1e3,
            total_cpu.as_secs_f64() * 1e3
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::StageTimings;

    #[test]
    fn laps_record_stages_in_order() {
        let mut timings = StageTimings::start();
        timings.lap("one");
        timings.lap("two");
        let names: Vec<&str> = timings.stages().iter().map(|s| s.name).collect();
        assert_eq!(names, vec!["one", "two"]);
        assert!(timings.render().contains("total"));
    }
}
