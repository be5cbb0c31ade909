//! `[watch]`: how `sluice watch` looks at the inbox. A file is read only once its size and
//! modification time have stayed the same for `settle_seconds`; `poll_seconds` replaces the
//! operating system's file events (which network shares often never send) with a look at
//! the inbox every so often.

use std::time::Duration;

use toml::Spanned;

use super::check::Checker;
use super::schema::WatchSection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchSettings {
    pub settle: Duration,
    /// Look every so often instead of waiting for file events; `None`: file events.
    pub poll: Option<Duration>,
}

pub const DEFAULT_SETTLE: Duration = Duration::from_secs(5);

/// Shorter than this and a copy that pauses for a moment would be read half; longer than
/// a day and nobody would wait for it.
const SHORTEST: f64 = 0.1;
const LONGEST: f64 = 86_400.0;

impl Default for WatchSettings {
    fn default() -> WatchSettings {
        WatchSettings {
            settle: DEFAULT_SETTLE,
            poll: None,
        }
    }
}

/// Seconds as a duration, if they are a sensible wait (see [`SHORTEST`], [`LONGEST`]).
pub fn seconds(value: f64) -> Option<Duration> {
    (value.is_finite() && (SHORTEST..=LONGEST).contains(&value))
        .then(|| Duration::from_secs_f64(value))
}

impl Checker<'_> {
    pub(super) fn watch_settings(&mut self, section: Option<&WatchSection>) -> WatchSettings {
        let Some(section) = section else {
            return WatchSettings::default();
        };
        let mut read = |value: &Spanned<f64>, key: &str| {
            let duration = seconds(*value.get_ref());
            if duration.is_none() {
                self.problem(
                    value.span(),
                    key,
                    format!(
                        "{} is not a usable number of seconds: give one from {SHORTEST} to {LONGEST}",
                        value.get_ref()
                    ),
                );
            }
            duration
        };
        let settle = section
            .settle_seconds
            .as_ref()
            .and_then(|v| read(v, "watch.settle_seconds"))
            .unwrap_or(DEFAULT_SETTLE);
        let poll = section
            .poll_seconds
            .as_ref()
            .and_then(|v| read(v, "watch.poll_seconds"));
        WatchSettings { settle, poll }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_accept_fractions_and_refuse_nonsense() {
        assert_eq!(seconds(0.2), Some(Duration::from_millis(200)));
        assert_eq!(seconds(5.0), Some(Duration::from_secs(5)));
        assert_eq!(seconds(0.0), None);
        assert_eq!(seconds(-1.0), None);
        assert_eq!(seconds(f64::NAN), None);
        assert_eq!(seconds(1e9), None);
    }
}
