//! Pace tests: the wait's bounds and spread over random inputs, the wait before a 确定 counted
//! from the run's last one (time passed in), the journal's step naming it, the report's pace and
//! the setting's validation.

use super::events::{FillEvent, Outcome};
use super::live::{LiveRun, LiveStepRequest};
use super::pace::*;
use super::plan::{FillMode, FillRun};
use super::report::report;
use super::tests_fill::{new_run, pid};
use super::wal::RecoverRequest;

/// A ship run whose items 0.. were confirmed and answered at the given times.
fn shipped_at(times: &[i64], pace: Pace) -> FillRun {
    let mut run = new_run(times.len() as u32 + 1, FillMode::Ship);
    run.pace = pace;
    for (it, at) in run.items.iter_mut().zip(times) {
        it.confirms = 1;
        it.status = super::plan::ItemStatus::Shipped;
        it.updated_at = *at;
    }
    run
}

#[test]
fn the_wait_stays_within_the_pace_bounds() {
    assert_eq!(wait_ms(Pace::Person, 0), PERSON_MIN_MS);
    assert_eq!(wait_ms(Pace::Person, u32::MAX), PERSON_MAX_MS);
    assert_eq!(wait_ms(Pace::Person, u32::MAX / 2), 2_000);
    for r in [0, 1, 7, 1 << 31, u32::MAX - 1, u32::MAX] {
        assert_eq!(wait_ms(Pace::Fast, r), 0, "fast never waits");
        let w = wait_ms(Pace::Person, r);
        assert!((PERSON_MIN_MS..=PERSON_MAX_MS).contains(&w), "{r} → {w}");
    }
    assert_eq!(Pace::default(), Pace::Person, "a person's pace is the default");
}

#[test]
fn random_inputs_spread_evenly_over_every_millisecond_of_the_range() {
    // 2^20 inputs evenly over all u32 values: each of the 2,001 waits gets 524 or 525 of them.
    let span = (PERSON_MAX_MS - PERSON_MIN_MS + 1) as usize;
    let mut counts = vec![0usize; span];
    for i in 0u32..(1 << 20) {
        counts[(wait_ms(Pace::Person, i << 12) - PERSON_MIN_MS) as usize] += 1;
    }
    let (lo, hi) = (counts.iter().min().copied().unwrap(), counts.iter().max().copied().unwrap());
    assert!(lo >= 524 && hi <= 525, "uneven: {lo}..{hi}");
    // Monotone in the random value: a higher draw never waits less.
    let mut last = 0;
    for i in 0u32..=4096 {
        let w = wait_ms(Pace::Person, i.saturating_mul(1 << 20));
        assert!(w >= last);
        last = w;
    }
}

#[test]
fn the_wait_before_a_confirm_counts_from_the_last_confirm_of_the_run() {
    let run = shipped_at(&[10_000], Pace::Person);
    let next = pid(1);
    let w = wait_ms(Pace::Person, 123_456_789);
    assert_eq!(wait_before(&run, &next, 123_456_789, 10_000), w, "right after the last answer: the whole wait");
    assert_eq!(wait_before(&run, &next, 123_456_789, 10_400), w - 400, "time already spent counts");
    assert_eq!(wait_before(&run, &next, 123_456_789, 10_000 + i64::from(w)), 0);
    assert_eq!(wait_before(&run, &next, 123_456_789, 99_000_000), 0, "after a pause: no wait");
    assert_eq!(wait_before(&run, &next, 123_456_789, 5_000), w, "a clock that went back waits no longer than the pace");
    // The run's first 确定, the order itself (a retry after a check), fill mode, fast: no wait.
    let first = shipped_at(&[], Pace::Person);
    assert_eq!(wait_before(&first, &pid(0), u32::MAX, 0), 0);
    assert_eq!(wait_before(&run, &pid(0), u32::MAX, 10_000), 0);
    let mut fill = run.clone();
    fill.mode = FillMode::Fill;
    assert_eq!(wait_before(&fill, &next, u32::MAX, 10_000), 0);
    assert_eq!(wait_before(&shipped_at(&[10_000], Pace::Fast), &next, u32::MAX, 10_000), 0);
    // The latest of several counts.
    let run = shipped_at(&[3_000, 9_000, 4_000], Pace::Person);
    assert_eq!(wait_before(&run, &pid(3), 0, 9_000), PERSON_MIN_MS);
}

#[test]
fn the_step_handing_out_the_next_order_names_the_wait() {
    let mut run = new_run(2, FillMode::Ship);
    run.state = super::plan::RunState::Running;
    let mut live = LiveRun::open(RecoverRequest { run, log: None }).unwrap();
    let mut step = |events: Vec<FillEvent>, confirm: Option<String>, now_ms: i64| {
        let v = live.step(LiveStepRequest { events, confirm, lookahead: true, random: u32::MAX, now_ms }).unwrap();
        live.commit();
        v
    };
    let first = step(vec![FillEvent::Next { visible: vec![] }], Some(pid(0)), 1_000);
    assert!(first.confirmed);
    assert_eq!(first.wait_ms, 0, "the run's first 确定 does not wait");
    let shipped = FillEvent::Result { package_id: pid(0), outcome: Outcome::Shipped };
    let second = step(vec![shipped, FillEvent::Next { visible: vec![] }], Some(pid(1)), 1_200);
    assert!(matches!(&second.action, super::events::Action::Fill { package_id, .. } if *package_id == pid(1)));
    assert_eq!(second.wait_ms, PERSON_MAX_MS, "counted from order 0's answer, given now");
}

#[test]
fn the_report_says_the_pace_and_the_average_gap_it_kept() {
    let run = shipped_at(&[1_000, 3_000, 4_000, 200_000, 202_600], Pace::Person);
    let pace = report(&run).unwrap().pace.unwrap();
    assert_eq!(pace.pace, Pace::Person);
    assert_eq!((pace.min_ms, pace.max_ms), (PERSON_MIN_MS, PERSON_MAX_MS));
    // 2,000, 1,000 and 2,600; the gap across a pause (196 s) is left out.
    assert_eq!(pace.gaps, 3);
    assert_eq!(pace.average_gap_ms, Some(1_866));
    let fast = report(&shipped_at(&[5, 105], Pace::Fast)).unwrap().pace.unwrap();
    assert_eq!((fast.pace, fast.min_ms, fast.max_ms, fast.average_gap_ms), (Pace::Fast, 0, 0, Some(100)));
    assert_eq!(report(&shipped_at(&[5], Pace::Person)).unwrap().pace.unwrap().average_gap_ms, None);
    assert_eq!(report(&new_run(2, FillMode::Fill)).unwrap().pace, None, "fill mode: the merchant presses 确定");
    let json = serde_json::to_value(pace).unwrap();
    assert_eq!(json["pace"], "person");
    assert_eq!(json["averageGapMs"], 1_866);
}

#[test]
fn a_run_saved_before_paces_existed_gets_the_default() {
    let mut v = serde_json::to_value(new_run(1, FillMode::Ship)).unwrap();
    assert_eq!(v["pace"], "person");
    v.as_object_mut().unwrap().remove("pace");
    let run: FillRun = serde_json::from_value(v).unwrap();
    assert_eq!(run.pace, Pace::Person);
}

#[test]
fn the_setting_takes_only_the_two_paces() {
    assert_eq!(effective(None).pace, Pace::Person);
    let stored = |p: &str| PaceSettingsRequest { pace: Some(p.into()) };
    assert_eq!(effective(Some(&stored("fast"))).pace, Pace::Fast);
    assert_eq!(effective(Some(&stored("warp"))).pace, Pace::Person, "an unknown stored pace reads as the default");
    let v = effective(None);
    assert_eq!(v.default, Pace::Person);
    assert_eq!(
        v.choices.iter().map(|c| (c.pace, c.min_ms, c.max_ms)).collect::<Vec<_>>(),
        [(Pace::Person, 1_000, 3_000), (Pace::Fast, 0, 0)]
    );
    assert_eq!(apply(Pace::Person, &stored("fast")).unwrap().pace, Pace::Fast);
    assert_eq!(apply(Pace::Fast, &stored(" person ")).unwrap().pace, Pace::Person);
    assert_eq!(apply(Pace::Fast, &PaceSettingsRequest::default()).unwrap().pace, Pace::Fast, "absent: unchanged");
    let err = apply(Pace::Person, &stored("0.1s")).unwrap_err();
    assert!(err.to_string().contains("0.1s") && err.to_string().contains("person"), "{err}");
    let req: PaceSettingsRequest = serde_json::from_str(r#"{"v":1,"pace":"fast","updatedAtMs":5}"#).unwrap();
    assert_eq!(effective(Some(&req)).pace, Pace::Fast, "the stored record reads back");
}
