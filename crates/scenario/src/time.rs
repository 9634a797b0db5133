//! Encounter volume over time: monthly southwest-border volumes of FY2022–FY2024 (CBP's
//! published totals, in thousands) give seasonality and trend; the planted surge adds extra
//! volume in its window. Maps encounter index → timestamp by inverse CDF, so encounters come
//! out in time order. Knows nothing of persons.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

/// Monthly SW border encounters, October 2021 .. September 2024 (thousands).
pub const MONTHLY_K: [f64; 36] = [
    164.0, 174.0, 179.0, 154.0, 166.0, 222.0, 235.0, 241.0, 207.0, 200.0, 204.0,
    227.0, // FY22
    231.0, 235.0, 252.0, 157.0, 155.0, 193.0, 211.0, 206.0, 144.0, 183.0, 232.0,
    269.0, // FY23
    240.0, 242.0, 302.0, 176.0, 189.0, 189.0, 179.0, 170.0, 130.0, 104.0, 107.0,
    101.0, // FY24
];

/// The surge window and its size.
#[derive(Clone, Debug)]
pub struct SurgeWindow {
    pub start: NaiveDate,
    /// Inclusive last day.
    pub end: NaiveDate,
    /// Expected extra encounters over the window.
    pub extra: f64,
}

pub struct Timeline {
    pub start: NaiveDate,
    pub days: usize,
    /// Cumulative share of encounters up to the end of each day (last = 1).
    cdf: Vec<f64>,
    /// Base (non-surge) and surge weight per day.
    base: Vec<f64>,
    surge: Vec<f64>,
    pub surge_window: SurgeWindow,
    pub n: u64,
}

fn month_weight(start: NaiveDate, d: NaiveDate) -> f64 {
    let months = (d.year() - start.year()) * 12 + d.month() as i32 - start.month() as i32;
    // Calendar alignment: the table starts in October.
    let offset = start.month0() as i32 - 9;
    let i = (months + offset).rem_euclid(36) as usize;
    let dim = days_in_month(d);
    MONTHLY_K[i] / dim as f64
}

fn days_in_month(d: NaiveDate) -> u32 {
    let (y, m) = (d.year(), d.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt())
        .map(|l| l.day())
        .unwrap_or(30)
}

impl Timeline {
    /// `surge_share`: extra surge encounters as a share of `n`.
    pub fn new(start: NaiveDate, years: u32, n: u64, surge_share: f64) -> Timeline {
        let end = NaiveDate::from_ymd_opt(
            start.year() + years as i32,
            start.month(),
            start.day().min(28),
        )
        .unwrap_or(start);
        let days = ((end - start).num_days().max(28)) as usize;
        // Surge: ten weeks starting on the Monday after 58% of the period.
        let mut s0 = start + Duration::days((days as f64 * 0.58) as i64);
        while s0.weekday() != Weekday::Mon {
            s0 += Duration::days(1);
        }
        let s_end = s0 + Duration::days(7 * 10 - 1);
        let base: Vec<f64> = (0..days)
            .map(|i| month_weight(start, start + Duration::days(i as i64)))
            .collect();
        let base_total: f64 = base.iter().sum();
        // Trapezoid: ramp up 2 weeks, plateau, ramp down 2 weeks.
        let mut surge = vec![0.0; days];
        let s0i = (s0 - start).num_days() as usize;
        let len = 70usize;
        for k in 0..len {
            let i = s0i + k;
            if i >= days {
                break;
            }
            let w = if k < 14 {
                (k + 1) as f64 / 14.0
            } else if k + 14 >= len {
                (len - k) as f64 / 14.0
            } else {
                1.0
            };
            surge[i] = w;
        }
        let surge_total: f64 = surge.iter().sum();
        // Scale the surge so that it is `surge_share` of all encounters.
        let scale = if surge_total > 0.0 {
            base_total * surge_share / (1.0 - surge_share) / surge_total
        } else {
            0.0
        };
        for s in &mut surge {
            *s *= scale;
        }
        let total: f64 = base_total + surge.iter().sum::<f64>();
        let mut cdf = Vec::with_capacity(days);
        let mut acc = 0.0;
        for i in 0..days {
            acc += base[i] + surge[i];
            cdf.push(acc / total);
        }
        let extra = surge.iter().sum::<f64>() / total * n as f64;
        Timeline {
            start,
            days,
            cdf,
            base,
            surge,
            surge_window: SurgeWindow {
                start: s0,
                end: s_end,
                extra,
            },
            n,
        }
    }

    /// Timestamp of encounter `i` of `n` (non-decreasing in `i`).
    pub fn time_of(&self, i: u64) -> DateTime<Utc> {
        let u = (i as f64 + 0.5) / self.n.max(1) as f64;
        let d = self.cdf.partition_point(|&c| c < u).min(self.days - 1);
        let lo = if d == 0 { 0.0 } else { self.cdf[d - 1] };
        let hi = self.cdf[d];
        let frac = if hi > lo {
            ((u - lo) / (hi - lo)).clamp(0.0, 0.999_999)
        } else {
            0.5
        };
        // More crossings at night: bend the day so that ~60% fall between 20:00 and 06:00.
        let tod = night_bend(frac);
        let secs = (tod * 86_400.0) as i64;
        let date = self.start + Duration::days(d as i64);
        let dt = date
            .and_hms_opt(0, 0, 0)
            .map(|n| Utc.from_utc_datetime(&n))
            .unwrap_or_else(|| Utc.timestamp_opt(0, 0).single().unwrap_or_default());
        dt + Duration::seconds(secs)
    }

    /// Day index of a timestamp.
    pub fn day_of(&self, t: DateTime<Utc>) -> usize {
        ((t.date_naive() - self.start).num_days().max(0) as usize).min(self.days - 1)
    }

    /// Probability that a new arrival on `day` belongs to the surge.
    pub fn surge_prob(&self, day: usize) -> f64 {
        let d = day.min(self.days - 1);
        let t = self.base[d] + self.surge[d];
        if t > 0.0 {
            self.surge[d] / t
        } else {
            0.0
        }
    }

    /// Year index 0.. of a day (for nationality trends).
    pub fn year_of(&self, day: usize) -> usize {
        (day / 365).min(2)
    }
}

/// Monotone map [0,1) → [0,1) of the day that puts more mass at night.
fn night_bend(f: f64) -> f64 {
    // Piecewise-linear CDF inverse: 00–06 h gets 30%, 06–20 h gets 40%, 20–24 h gets 30%.
    if f < 0.30 {
        f / 0.30 * 0.25
    } else if f < 0.70 {
        0.25 + (f - 0.30) / 0.40 * (14.0 / 24.0)
    } else {
        (20.0 / 24.0) + (f - 0.70) / 0.30 * (4.0 / 24.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn monotone_and_in_range() {
        let start = NaiveDate::from_ymd_opt(2021, 10, 1).unwrap_or_default();
        let t = Timeline::new(start, 3, 10_000, 0.004);
        let mut prev = t.time_of(0);
        for i in 1..10_000 {
            let x = t.time_of(i);
            assert!(x >= prev);
            prev = x;
        }
        assert!(prev.date_naive() < NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default());
        assert!(
            t.surge_window.extra > 30.0 && t.surge_window.extra < 50.0,
            "{}",
            t.surge_window.extra
        );
    }
}
