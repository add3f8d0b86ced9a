//! A deterministic corpus of course files and learner plans for the
//! benchmarks (and for the test that `--jobs` does not change the output).
//!
//! The same options and seed give the same bytes on every machine: the
//! random numbers come from a SplitMix64 generator written out here, and
//! every date is fixed, so audit with `--as-of 2025-11-01`. Courses are 2–4
//! KB; about a third break one to three rules. Plans name generated courses
//! and have goals of their own, so only the plans generated to be
//! incomplete fail.
//!
//! Shared by `examples/gen_corpus.rs`, `benches/engine.rs` and
//! `tests/cli/perf.rs` through `#[path]`: it is not part of the library.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// The date a generated corpus is meant to be audited as of.
pub const AS_OF: &str = "2025-11-01";

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub courses: usize,
    pub plans: usize,
    pub seed: u64,
    /// Every course breaks exactly this many distinct rules (a catalogue
    /// in poor shape: the most findings a run carries); `None`: about a
    /// third break one to three.
    pub faults_per_course: Option<usize>,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    /// Courses and plans generated to fail at least one rule.
    pub violating: usize,
}

/// SplitMix64: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A date in `year`, months `month_lo..=month_hi`, as ISO text (UK
/// day/month/year for one in ten, as authors write both).
fn date(rng: &mut Rng, year: u32, month_lo: u32, month_hi: u32) -> String {
    let month = month_lo + rng.below((month_hi - month_lo + 1) as usize) as u32;
    let day = 1 + rng.below(28) as u32;
    if rng.chance(1, 10) {
        format!("{day}/{month}/{year}")
    } else {
        format!("{year}-{month:02}-{day:02}")
    }
}

const SUBJECTS: &[&str] = &[
    "English",
    "Maths",
    "Digital Skills",
    "Customer Service",
    "Business Administration",
    "Health and Social Care",
    "Warehousing and Storage",
    "Team Leading",
    "Hospitality",
    "Early Years Education",
    "Accounting",
    "Data Analysis",
];
const BODIES: &[&str] = &[
    "Pearson",
    "City & Guilds",
    "NCFE",
    "OCR",
    "AQA",
    "Highfield",
];
const OWNERS: &[&str] = &[
    "Head of English",
    "Head of Maths",
    "Curriculum Manager",
    "Apprenticeship Lead",
    "Head of Adult Learning",
];
const SYSTEMS: &[&str] = &[
    "Onefile ePortfolio",
    "Smart Assessor",
    "Aptem",
    "ProSolution",
];
const ROLES: &[&str] = &[
    "Tutor",
    "Assessor",
    "Skills Coach",
    "Learning Support Assistant",
    "Internal Quality Assurer",
];
const CHECKS: &[&str] = &[
    "polls",
    "directed_questioning",
    "quizzes",
    "breakout_tasks",
    "exit_tickets",
];
const TASKS: &[&str] = &[
    "Persuasive letter",
    "Reflective account of practice",
    "Case study analysis",
    "Recorded professional discussion",
    "Workplace observation",
    "Portfolio of evidence",
    "Presentation to the team (live online)",
    "Timed written test",
    "Project plan and risk log",
    "Spreadsheet of monthly figures",
];
const SUPPORT: &[&str] = &["device_loan", "data_sim", "offline_pack", "drop_in_it_help"];

/// The ways a generated course breaks the rules: each names the rule it
/// is meant to break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    ApprovalPending,    // BLP001
    StaleAccessibility, // BLP002
    NoMonitoring,       // BLP003
    SlowFollowUp,       // BLP004
    SlowFeedback,       // BLP005
    BadDeadline,        // BLP006 (and DOC002)
    NoAuthenticity,     // BLP007
    ShortRetention,     // BLP008
    PreventUnchecked,   // BLP009
    NoPastoral,         // BLP010
    NoUnderstanding,    // BLP011
    StaleTraining,      // BLP014
    LowStudyTime,       // BLP015
    LowValue,           // EVL003
    UnknownKey,         // DOC003
}

const FAULTS: [Fault; 15] = [
    Fault::ApprovalPending,
    Fault::StaleAccessibility,
    Fault::NoMonitoring,
    Fault::SlowFollowUp,
    Fault::SlowFeedback,
    Fault::BadDeadline,
    Fault::NoAuthenticity,
    Fault::ShortRetention,
    Fault::PreventUnchecked,
    Fault::NoPastoral,
    Fault::NoUnderstanding,
    Fault::StaleTraining,
    Fault::LowStudyTime,
    Fault::LowValue,
    Fault::UnknownKey,
];

/// The id of course number `index`.
pub fn course_id(index: usize) -> String {
    format!("GEN-C{index:06}")
}

/// Course number `index`: its YAML text, and whether it breaks a rule.
pub fn course(index: usize, rng: &mut Rng) -> (String, bool) {
    course_with(index, rng, None)
}

/// [`course`], with exactly `faults` distinct rules broken when given.
pub fn course_with(index: usize, rng: &mut Rng, faults: Option<usize>) -> (String, bool) {
    let wanted = faults;
    let mut faults: Vec<Fault> = Vec::new();
    if let Some(n) = wanted {
        // Not the unknown key: a format problem, not a rule of a policy.
        let rules = &FAULTS[..FAULTS.len() - 1];
        while faults.len() < n.min(rules.len()) {
            let fault = rules[rng.below(rules.len())];
            if !faults.contains(&fault) {
                faults.push(fault);
            }
        }
    } else if rng.chance(1, 3) {
        for _ in 0..rng.range(1, 3) {
            let fault = FAULTS[rng.below(FAULTS.len())];
            if !faults.contains(&fault) {
                faults.push(fault);
            }
        }
    }
    let has = |f: Fault| faults.contains(&f);
    let subject = rng.pick(SUBJECTS);
    let level = rng.range(1, 4);
    let mode = match rng.below(20) {
        0 | 1 => "online",
        // Face-to-face courses skip the blended policy: only faultless ones.
        2 if faults.is_empty() => "face_to_face",
        _ => "blended",
    };
    let mut y = String::with_capacity(4096);
    let w = &mut y;
    let _ = writeln!(w, "# Generated course {index} (blcheck benchmark corpus).");
    // Real course files carry their authors' notes: 4 to 12 comment lines.
    for n in 0..rng.range(4, 12) {
        let _ = writeln!(
            w,
            "# Note {n}: reviewed with the {} team; see the {} handbook, section {}.{}.",
            rng.pick(SUBJECTS),
            rng.pick(BODIES),
            rng.range(1, 9),
            rng.range(1, 20)
        );
    }
    let _ = writeln!(w, "kind: Course");
    let _ = writeln!(w, "id: {}", course_id(index));
    let _ = writeln!(w, "title: {subject} Level {level} ({})", 2025 + index % 2);
    let _ = writeln!(w, "owner: {}", rng.pick(OWNERS));
    let _ = writeln!(w, "provider: Skills and Training Services");
    if rng.chance(1, 5) {
        let _ = writeln!(w, "subcontractor: Northern Training Partnership");
    }
    if rng.chance(1, 2) {
        let _ = writeln!(w, "policies: [sts-blended-learning, ld-evaluation]");
    }
    let _ = writeln!(w, "\nqualification:");
    let _ = writeln!(w, "  awarding_body: {}", rng.pick(BODIES));
    let _ = writeln!(
        w,
        "  number: \"6{:02}/{:04}/{}\"",
        rng.below(100),
        rng.below(10_000),
        rng.below(10)
    );
    let _ = writeln!(w, "  level: {level}");
    let _ = writeln!(w, "\ndelivery:");
    let _ = writeln!(w, "  mode: {mode}");
    let _ = writeln!(w, "  guided_learning_hours: {}", rng.range(30, 180));
    let _ = writeln!(w, "  components:");
    let components = rng.range(2, 4);
    for c in 0..components {
        let kind = match c {
            0 => "live_online",
            1 if mode == "online" => "recorded",
            1 => "face_to_face",
            _ => ["self_study", "recorded", "live_online"][rng.below(3)],
        };
        let _ = writeln!(w, "    - type: {kind}");
        let _ = writeln!(w, "      hours: {}", rng.range(5, 60));
        if kind == "live_online" && !has(Fault::NoUnderstanding) {
            let a = rng.pick(CHECKS);
            let b = rng.pick(CHECKS);
            let _ = writeln!(w, "      understanding_checks: [{a}, {b}]");
        }
    }
    let _ = writeln!(w, "\nawarding_body_approval:");
    let status = if has(Fault::ApprovalPending) {
        "pending"
    } else {
        "approved"
    };
    let _ = writeln!(w, "  status: {status}");
    let _ = writeln!(w, "  reference: AB-BL-2024-{:04}", rng.below(10_000));
    let _ = writeln!(w, "  date: {}", date(rng, 2024, 1, 12));
    let _ = writeln!(w, "\naccessibility_review:");
    let reviewed = if has(Fault::StaleAccessibility) {
        date(rng, 2024, 1, 9)
    } else {
        date(rng, 2025, 1, 10)
    };
    let _ = writeln!(w, "  date: {reviewed}");
    let _ = writeln!(w, "  reviewer: Digital Learning Lead");
    let _ = writeln!(w, "  standard: WCAG 2.2 AA");
    let outcome = if rng.chance(1, 4) {
        "pass_with_actions"
    } else {
        "pass"
    };
    let _ = writeln!(w, "  outcome: {outcome}");
    let _ = writeln!(w, "\nattendance:");
    let monitoring = if has(Fault::NoMonitoring) {
        "none"
    } else {
        ["per_session", "weekly", "fortnightly", "monthly"][rng.below(4)]
    };
    let _ = writeln!(w, "  monitoring: {monitoring}");
    let _ = writeln!(w, "  minimum_percent: {}", rng.range(80, 95));
    let follow_up = if has(Fault::SlowFollowUp) {
        rng.range(6, 15)
    } else {
        rng.range(1, 5)
    };
    let _ = writeln!(w, "  follow_up_days: {follow_up}");
    let _ = writeln!(w, "\nassessment:");
    let feedback = if has(Fault::SlowFeedback) {
        rng.range(16, 30)
    } else {
        rng.range(5, 15)
    };
    let _ = writeln!(w, "  feedback_days: {feedback}");
    let _ = writeln!(w, "  deadlines_published: true");
    if has(Fault::NoAuthenticity) {
        let _ = writeln!(w, "  authenticity: []");
    } else {
        let _ = writeln!(w, "  authenticity: [declaration, similarity_check]");
    }
    let _ = writeln!(w, "  assignments:");
    let assignments = rng.range(2, 10);
    for a in 0..assignments {
        let _ = writeln!(w, "    - id: A{}", a + 1);
        let _ = writeln!(w, "      title: {}", rng.pick(TASKS));
        let deadline = if has(Fault::BadDeadline) && a == assignments - 1 {
            "2026/02/30".to_string()
        } else {
            date(rng, 2025 + (a as u32 % 2), 1, 12)
        };
        let _ = writeln!(w, "      deadline: {deadline}");
    }
    let _ = writeln!(w, "\nlearner_support:");
    let _ = writeln!(
        w,
        "  online_contact: Course tutor on Teams, Mon-Fri 09:00-17:00"
    );
    let _ = writeln!(w, "  response_hours: {}", [24, 48, 72][rng.below(3)]);
    if !has(Fault::NoPastoral) {
        let _ = writeln!(w, "  pastoral: Learner Support Team");
    }
    let _ = writeln!(w, "\ndigital_access:");
    let _ = writeln!(w, "  assessed_at_enrolment: true");
    let _ = writeln!(
        w,
        "  support: [{}, {}]",
        rng.pick(SUPPORT),
        rng.pick(SUPPORT)
    );
    let _ = writeln!(w, "\nonline_safety:");
    let _ = writeln!(w, "  materials_reviewed: {}", date(rng, 2025, 1, 10));
    let _ = writeln!(w, "  reviewer: Designated Safeguarding Lead");
    let _ = writeln!(w, "  prevent_checked: {}", !has(Fault::PreventUnchecked));
    let _ = writeln!(w, "\ndata_protection:");
    let _ = writeln!(w, "  records_system: {}", rng.pick(SYSTEMS));
    let retention = if has(Fault::ShortRetention) {
        1
    } else {
        rng.range(3, 7)
    };
    let _ = writeln!(w, "  retention_years: {retention}");
    let _ = writeln!(w, "  records_security: [access_controlled, backed_up]");
    let _ = writeln!(w, "\nstaff:");
    let staff = rng.range(1, 5);
    // A passing course with an out-of-date trainer may carry a waiver.
    let waived = faults.is_empty() && rng.chance(1, 8);
    for s in 0..staff {
        let _ = writeln!(w, "  - role: {}", rng.pick(ROLES));
        let trained = if (waived || has(Fault::StaleTraining)) && s == staff - 1 {
            date(rng, 2022, 1, 12)
        } else {
            date(rng, 2024, 1, 12)
        };
        let _ = writeln!(w, "    online_delivery_training: {trained}");
    }
    let _ = writeln!(w, "\nquality:");
    let _ = writeln!(w, "  last_review: {}", date(rng, 2025, 1, 10));
    let _ = writeln!(w, "  observation: {}", date(rng, 2025, 1, 10));
    // A third are apprenticeships; a course failing on study time needs one.
    let employer = if rng.chance(1, 3) {
        let name = rng.below(1000);
        let hours = if has(Fault::LowStudyTime) {
            rng.range(2, 5)
        } else {
            rng.range(6, 8)
        };
        Some((name, hours))
    } else if has(Fault::LowStudyTime) {
        Some((rng.below(1000), 4))
    } else {
        None
    };
    if let Some((name, hours)) = employer {
        let _ = writeln!(w, "\nemployer:");
        let _ = writeln!(w, "  name: Employer {name} Ltd");
        let _ = writeln!(w, "  contact: Apprenticeship Lead");
        let _ = writeln!(w, "  last_review: 2025-10-06");
        let _ = writeln!(w, "  study_time_hours_per_week: {hours}");
    }
    let _ = writeln!(w, "\nevaluation:");
    let _ = writeln!(w, "  levels: [reaction, learning, behaviour]");
    let enrolled = rng.range(12, 120);
    let _ = writeln!(w, "  enrolled: {enrolled}");
    let _ = writeln!(w, "  responses: {}", enrolled * rng.range(60, 95) / 100);
    let value = if has(Fault::LowValue) {
        rng.range(40, 74)
    } else {
        rng.range(75, 98)
    };
    let _ = writeln!(w, "  value_for_time_percent: {value}");
    let _ = writeln!(w, "  would_recommend_percent: {}", rng.range(75, 98));
    if has(Fault::UnknownKey) {
        let _ = writeln!(w, "\nnotes_for_inspecton: Reviewed at the autumn board.");
    }
    if waived {
        let _ = writeln!(w, "\nwaivers:");
        let _ = writeln!(w, "  - rule: BLP014");
        let _ = writeln!(
            w,
            "    reason: Assessor booked on the online-delivery refresher"
        );
        let _ = writeln!(w, "    approved_by: Quality Improvement and Audit Manager");
        let _ = writeln!(w, "    expires: 2025-12-31");
    }
    (y, !faults.is_empty())
}

/// Plan number `index`, for course `course`: its YAML text, and whether it
/// is generated to fail (about one in six).
pub fn plan(index: usize, course: &str, rng: &mut Rng) -> (String, bool) {
    let broken = rng.chance(1, 6);
    let mut y = String::with_capacity(2048);
    let w = &mut y;
    let _ = writeln!(w, "# Generated learner plan {index}.");
    let _ = writeln!(w, "kind: LearnerPlan");
    let _ = writeln!(w, "id: GEN-ILP-{index:06}");
    let _ = writeln!(w, "learner: L{index:06}");
    let _ = writeln!(w, "course: {course}");
    let _ = writeln!(w, "initial_assessment:");
    let _ = writeln!(w, "  date: 2025-09-{:02}", rng.range(1, 12));
    let _ = writeln!(w, "  starting_point:");
    let _ = writeln!(w, "    english: Entry {}", rng.range(1, 3));
    let _ = writeln!(w, "    maths: Level {}", rng.range(1, 2));
    let _ = writeln!(w, "  support_needs: []");
    if !broken {
        let _ = writeln!(
            w,
            "  prior_learning: [GCSE grade {} ({})]",
            rng.range(1, 5),
            2015 + rng.below(10)
        );
    }
    let _ = writeln!(w, "goals:");
    for g in 0..rng.range(1, 3) {
        // The plan's own numbers make every plan's text its own (ILP009).
        let _ = writeln!(
            w,
            "  - goal: Goal {g} of learner {index} - {}",
            rng.pick(TASKS)
        );
        let _ = writeln!(w, "    target_date: 2026-0{}-15", rng.range(3, 7));
        let _ = writeln!(w, "    milestones:");
        for m in 0..rng.range(1, 3) {
            let _ = writeln!(w, "      - step: Step {m} towards goal {g} for {index}");
            let _ = writeln!(
                w,
                "        due: 2025-1{}-{:02}",
                rng.range(1, 2),
                rng.range(1, 28)
            );
            let _ = writeln!(w, "        measure: {} of 6 criteria met", rng.range(3, 6));
            let _ = writeln!(w, "        status: in_progress");
        }
    }
    let _ = writeln!(w, "learner_agreed: 2025-09-{:02}", rng.range(13, 20));
    let _ = writeln!(w, "reviews:");
    let _ = writeln!(w, "  - date: 2025-10-{:02}", rng.range(1, 28));
    let _ = writeln!(w, "    by: Tutor");
    let _ = writeln!(w, "    summary: On track; next review in six weeks");
    let _ = writeln!(w, "access: [learner, tutor]");
    (y, broken)
}

/// Where file `index` of a kind goes: a thousand files a folder.
fn place(out: &Path, kind: &str, index: usize) -> PathBuf {
    out.join(kind)
        .join(format!("{:03}", index / 1000))
        .join(format!("{kind}-{index:06}.yaml"))
}

/// Writes the corpus under `out` (`courses/NNN/…`, `plans/NNN/…`).
pub fn generate(out: &Path, options: &Options) -> io::Result<Stats> {
    let mut rng = Rng::new(options.seed);
    let mut stats = Stats::default();
    let mut write = |path: PathBuf, text: &str, broken: bool| -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        stats.files += 1;
        stats.bytes += text.len() as u64;
        stats.violating += usize::from(broken);
        Ok(())
    };
    for i in 0..options.courses {
        let (text, broken) = course_with(i, &mut rng, options.faults_per_course);
        write(place(out, "courses", i), &text, broken)?;
    }
    for i in 0..options.plans {
        let course = course_id(if options.courses == 0 {
            0
        } else {
            rng.below(options.courses)
        });
        let (text, broken) = plan(i, &course, &mut rng);
        write(place(out, "plans", i), &text, broken)?;
    }
    Ok(stats)
}
