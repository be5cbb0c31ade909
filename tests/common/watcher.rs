//! `sluice watch` as a child process, as an operator (or systemd) runs it: started on a
//! pipeline, its log read line by line as it comes, stopped with a signal.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Watcher {
    child: Option<Child>,
    log: Arc<Mutex<Vec<String>>>,
    log_reader: Option<JoinHandle<()>>,
    stdout: Option<JoinHandle<String>>,
}

/// How a watcher ended.
pub struct Ended {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// From the signal (or the call that waited) to the exit.
    pub took: Duration,
}

impl Watcher {
    /// `sluice watch --pipeline PIPELINE ARGS…`, from `/` and with the default log level.
    pub fn start(pipeline: &Path, args: &[&str]) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
            .arg("watch")
            .arg("--pipeline")
            .arg(pipeline)
            .args(args)
            .current_dir("/")
            .env_remove("SLUICE_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sluice watch starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr piped");
        let lines = Arc::clone(&log);
        let log_reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().expect("log").push(line);
            }
        });
        let mut out = child.stdout.take().expect("stdout piped");
        let stdout = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = out.read_to_string(&mut text);
            text
        });
        Watcher {
            child: Some(child),
            log,
            log_reader: Some(log_reader),
            stdout: Some(stdout),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// The log so far, one line each.
    pub fn log(&self) -> String {
        self.log.lock().expect("log").join("\n")
    }

    /// How many lines of the log so far contain `text`.
    pub fn count(&self, text: &str) -> usize {
        self.log
            .lock()
            .expect("log")
            .iter()
            .filter(|l| l.contains(text))
            .count()
    }

    /// Waits until `times` lines of the log contain `text`; fails the test after `within`.
    pub fn wait_for(&self, text: &str, times: usize, within: Duration) {
        let start = Instant::now();
        while self.count(text) < times {
            assert!(
                start.elapsed() < within,
                "no {times} line(s) with {text:?} in the watcher's log after {within:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends a signal (`TERM`, `INT`) as `kill -s` does.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args(["-s", name, &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -s {name} failed");
    }

    /// Waits for the watcher to exit; fails the test (and kills it) after `within`.
    pub fn ended(mut self, within: Duration) -> Ended {
        let start = Instant::now();
        let mut child = self.child.take().expect("running");
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > within {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "sluice watch did not exit within {within:?}:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = start.elapsed();
        if let Some(reader) = self.log_reader.take() {
            let _ = reader.join();
        }
        let stdout = self
            .stdout
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        Ended {
            code: status.code(),
            stdout,
            stderr: self.log(),
            took,
        }
    }

    /// SIGTERM, then [`Watcher::ended`].
    pub fn stop(self) -> Ended {
        self.signal("TERM");
        self.ended(Duration::from_secs(20))
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A generated month (see `sluice::synthetic`) big enough that a run of it takes a good
/// part of a second even in a release build: `dir/pipeline.toml` and its inbox, filled.
pub fn generated_month(dir: &Path) -> std::path::PathBuf {
    let spec = sluice::synthetic::Spec {
        customers: 5000,
        month: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"),
        seed: 7,
        mistyped_numbers: true,
    };
    sluice::synthetic::generate(&spec)
        .expect("a month")
        .write(dir)
        .expect("write the month")
}
