//! Stage timings: the wall and CPU time of each build stage, so the next bottleneck is
//! visible (`cairn build --timings`). CPU time counts every thread of the process, so a stage
//! that runs in parallel shows more CPU than wall time. The peak memory column is the
//! process's high-water mark at the end of each stage (Linux; blank elsewhere), so the
//! stage that raises it stands out.

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
    /// Peak resident memory of the process so far, in bytes, when the platform tells.
    pub peak_memory: Option<u64>,
    /// Whether this row is a part of the stage above it (CPU time only, summed over
    /// threads), rather than a stage of its own.
    pub part: bool,
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
            peak_memory: peak_memory(),
            part: false,
        });
        self.wall = Instant::now();
        self.cpu = cpu_now;
    }

    /// Records `cpu`, the time spent in one part of the stage just ended (summed over the
    /// threads that did it), as a row under that stage.
    pub fn part(&mut self, name: &'static str, cpu: Duration) {
        self.stages.push(StageTime {
            name,
            wall: Duration::ZERO,
            cpu,
            peak_memory: None,
            part: true,
        });
    }

    /// Records `wall`, the elapsed time of work that ran alongside the stages above (its CPU
    /// time is theirs), as a row under the stage just ended.
    pub fn alongside(&mut self, name: &'static str, wall: Duration) {
        self.stages.push(StageTime {
            name,
            wall,
            cpu: Duration::ZERO,
            peak_memory: None,
            part: true,
        });
    }

    /// The stages timed so far, in order.
    pub fn stages(&self) -> &[StageTime] {
        &self.stages
    }

    /// A table of the stages with their share of the total.
    pub fn render(&self) -> String {
        let stages = || self.stages.iter().filter(|s| !s.part);
        let total_wall: Duration = stages().map(|s| s.wall).sum();
        let total_cpu: Duration = stages().map(|s| s.cpu).sum();
        let mut out = format!(
            "{:<22} {:>10} {:>10} {:>7} {:>9}\n",
            "stage", "wall ms", "cpu ms", "wall %", "peak MiB"
        );
        for stage in &self.stages {
            let cpu = stage.cpu.as_secs_f64() * 1e3;
            if stage.part {
                // A part of the stage shows its CPU time; work alongside, its wall time.
                let (wall, cpu) = if stage.wall.is_zero() {
                    (String::new(), format!("{cpu:.1}"))
                } else {
                    (
                        format!("{:.1}", stage.wall.as_secs_f64() * 1e3),
                        String::new(),
                    )
                };
                let _ = writeln!(out, "  {:<20} {:>10} {:>10}", stage.name, wall, cpu);
                continue;
            }
            let share = if total_wall.is_zero() {
                0.0
            } else {
                100.0 * stage.wall.as_secs_f64() / total_wall.as_secs_f64()
            };
            let memory = stage
                .peak_memory
                .map(|bytes| format!("{:.0}", bytes as f64 / (1024.0 * 1024.0)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<22} {:>10.1} {:>10.1} {:>6.1}% {:>9}",
                stage.name,
                stage.wall.as_secs_f64() * 1e3,
                cpu,
                share,
                memory
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

/// The process's peak resident memory (`VmHWM` in `/proc/self/status`), on Linux.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::StageTimings;
    use std::time::Duration;

    #[test]
    fn laps_record_stages_in_order() {
        let mut timings = StageTimings::start();
        timings.lap("one");
        timings.lap("two");
        timings.part("part of two", Duration::from_millis(5));
        timings.lap("three");
        let names: Vec<&str> = timings.stages().iter().map(|s| s.name).collect();
        assert_eq!(names, vec!["one", "two", "part of two", "three"]);
        let table = timings.render();
        assert!(table.contains("total"));
        assert!(table.contains("  part of two"), "{table}");
        if cfg!(target_os = "linux") {
            assert!(timings.stages()[0].peak_memory.is_some_and(|b| b > 0));
        }
    }

    #[test]
    fn work_alongside_shows_its_wall_time_and_no_cpu() {
        let mut timings = StageTimings::start();
        timings.lap("one");
        timings.alongside("beside one", Duration::from_millis(1234));
        let table = timings.render();
        let row = table.lines().find(|line| line.contains("beside one"));
        let cells: Vec<&str> = row.unwrap_or_default().split_whitespace().collect();
        assert_eq!(cells, ["beside", "one", "1234.0"], "{table}");
        // Not a stage of its own: the total is the one stage's, not more.
        let total = table.lines().find(|line| line.starts_with("total"));
        let total_wall = total.and_then(|line| line.split_whitespace().nth(1));
        let total_wall: f64 = total_wall
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(f64::MAX);
        assert!(total_wall < 1234.0, "{table}");
    }
}
