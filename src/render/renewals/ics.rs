//! `--format ics`: an iCalendar file (RFC 5545) an owner can subscribe to.
//! Each document is an all-day event on its renewal date with a reminder
//! `--within` days before. The same register and as-of date give the same
//! bytes: UIDs come from the id and renewal date, DTSTAMP from the as-of
//! date, never from the clock.
//!
//! The `icalendar` crate builds the calendar and escapes its text; two
//! things of its output are put right afterwards (`conform`), because the
//! crate offers no setting for them: it folds so that a last chunk can be
//! 76 octets, and it writes a DTSTAMP (of the clock) into every component,
//! alarms too, where RFC 5545 allows none.

use crate::render::text::terminal_safe;
use crate::renewals::{Renewal, RenewalReport};
use anyhow::{Context, Result};
use chrono::{Days, NaiveDate, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property};

pub fn render(report: &RenewalReport, out: &mut Vec<u8>) -> Result<()> {
    // `Calendar::new` would name the crate as the product; blcheck is.
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//blcheck//renewals//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name("Policy renewals");
    calendar.description(&format!(
        "Renewal dates of policies and policy documents, as of {}",
        report.as_of
    ));
    // Subscribed calendars refresh daily: the register changes slowly.
    calendar.ttl(&TimeDelta::days(1));
    let stamp = stamp(report.as_of);
    let reminder = TimeDelta::try_days(i64::from(report.within_days))
        .context("--within is too many days for a calendar reminder")?;
    for renewal in &report.documents {
        calendar.push(event(renewal, report, stamp, reminder)?);
    }
    out.extend_from_slice(conform(&calendar.done().to_string()).as_bytes());
    Ok(())
}

/// The longest content line, in octets without its CRLF (RFC 5545, 3.1).
const LINE_OCTETS: usize = 75;

/// The crate's calendar as RFC 5545 wants it: every content line unfolded
/// (the crate folds with CRLF and one space, and escapes line breaks in
/// text, so a CRLF followed by a space is always one of its folds), the
/// DTSTAMP of each VALARM left out, and every line folded again at
/// `LINE_OCTETS`.
fn conform(calendar: &str) -> String {
    let unfolded = calendar.replace("\r\n ", "");
    let mut out = String::with_capacity(calendar.len());
    let mut in_alarm = false;
    for line in unfolded.split_terminator("\r\n") {
        match line {
            "BEGIN:VALARM" => in_alarm = true,
            "END:VALARM" => in_alarm = false,
            _ if in_alarm && (line.starts_with("DTSTAMP:") || line.starts_with("DTSTAMP;")) => {
                continue
            }
            _ => {}
        }
        fold(line, &mut out);
    }
    out
}

/// Writes `line` folded: chunks of at most `LINE_OCTETS` octets, each
/// continuation starting with the one space that unfolding removes, and no
/// UTF-8 character split (RFC 5545, 3.1). Where it can, a fold falls
/// between two characters that are not whitespace: unfolding keeps
/// whitespace on either side, but parsers in use trim the end of each
/// physical line (the `ical` crate) or the start of a continuation, and a
/// title would lose a space.
fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let cut = fold_point(rest, room);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to cut `text` so that the first part has at most `room` octets:
/// the last character boundary not beside whitespace, or else the last
/// character boundary.
fn fold_point(text: &str, room: usize) -> usize {
    let mut last = room;
    while !text.is_char_boundary(last) {
        last -= 1;
    }
    let beside_space = |at: usize| {
        text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace)
            || text[at..].chars().next().is_some_and(char::is_whitespace)
    };
    text[..last]
        .char_indices()
        .map(|(at, _)| at)
        .chain([last])
        .rev()
        .find(|&at| at > 0 && !beside_space(at))
        .unwrap_or(last)
}

/// The as-of date at midnight UTC: what DTSTAMP says "this was made".
fn stamp(as_of: NaiveDate) -> chrono::DateTime<Utc> {
    as_of.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn event(
    renewal: &Renewal,
    report: &RenewalReport,
    stamp: chrono::DateTime<Utc>,
    reminder: TimeDelta,
) -> Result<Event> {
    let e = &renewal.entry;
    // iCalendar text may not hold control characters (RFC 5545, TSAFE-CHAR);
    // the crate escapes the rest (commas, semicolons, backslashes).
    let (id, title, version, owner, source) = (
        terminal_safe(&e.id),
        terminal_safe(&e.title),
        terminal_safe(&e.version),
        terminal_safe(&e.owner),
        terminal_safe(&e.source),
    );
    let uid = format!("{id}-{}@blcheck", e.renewal);
    // All-day events end (exclusively) on the next day.
    let end = e.renewal.checked_add_days(Days::new(1)).with_context(|| {
        format!(
            "{id}: renewal date {} is at the end of the calendar",
            e.renewal
        )
    })?;
    let mut alarm = Alarm::display(
        &format!(
            "{title} {version} is due for renewal in {} days, on {}",
            report.within_days, e.renewal
        ),
        -reminder,
    );
    // The crate gives a sub-component a random UID unless it is set; RFC
    // 9074 allows a UID on an alarm. (Its DTSTAMP, which RFC 5545 does not
    // allow there, `conform` leaves out.)
    alarm.uid(&format!("{id}-{}-reminder@blcheck", e.renewal));
    Ok(Event::new()
        .uid(&uid)
        .timestamp(stamp)
        .starts(e.renewal)
        .ends(end)
        .summary(&format!("Renewal due: {title} {version}"))
        .description(&format!(
            "{title} ({id}) version {version}, issued {}, owner {owner}, is due for renewal on {}.\nStatus as of {}: {}.\nSource: {source}",
            e.issued, e.renewal, report.as_of, renewal.status,
        ))
        .add_property("TRANSP", "TRANSPARENT")
        .alarm(alarm)
        .done())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::renewals::RegisterEntry;

    fn physical_lines(text: &str) -> Vec<&str> {
        text.split_terminator("\r\n").collect()
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn folded_lines_are_at_most_75_octets_and_unfold_to_the_line() {
        // Two-, three- and four-octet characters, each put where a fold
        // falls for some offset; and the lengths around one and two lines.
        let mut lines: Vec<String> = Vec::new();
        for offset in 0..4 {
            for unit in ["é", "€", "😀", "Ab"] {
                lines.push(format!("SUMMARY:{}{}", "x".repeat(offset), unit.repeat(60)));
            }
        }
        for len in [74, 75, 76, 149, 150, 151, 223, 224] {
            lines.push("y".repeat(len));
        }
        for line in &lines {
            let mut out = String::new();
            fold(line, &mut out);
            assert!(out.ends_with("\r\n"));
            for physical in physical_lines(&out) {
                assert!(
                    physical.len() <= LINE_OCTETS,
                    "{} octets: {physical:?}",
                    physical.len()
                );
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn folds_fall_between_characters_that_are_not_spaces() {
        for offset in 0..6 {
            let line = format!("{}{}", "x".repeat(offset), "ab cd  é 安 ".repeat(20));
            let mut out = String::new();
            fold(&line, &mut out);
            let physical = physical_lines(&out);
            for (i, chunk) in physical.iter().enumerate() {
                assert!(chunk.len() <= LINE_OCTETS);
                let text = if i == 0 { chunk } else { &chunk[1..] };
                if i + 1 < physical.len() {
                    assert!(!text.ends_with(char::is_whitespace), "{chunk:?}");
                }
                if i > 0 {
                    assert!(!text.starts_with(char::is_whitespace), "{chunk:?}");
                }
            }
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
        // Nothing but spaces: folded anyway, within the limit.
        let mut out = String::new();
        fold(&" ".repeat(200), &mut out);
        assert!(physical_lines(&out).iter().all(|l| l.len() <= LINE_OCTETS));
        assert_eq!(unfold(&out), format!("{}\r\n", " ".repeat(200)));
    }

    #[test]
    fn a_line_of_150_octets_takes_three_lines() {
        // The crate's own folding writes 75, then " " and 75: 76 octets. Here:
        // 75, then " " and 74, then " " and the last octet.
        let mut out = String::new();
        fold(&"z".repeat(150), &mut out);
        let lengths: Vec<usize> = physical_lines(&out).iter().map(|l| l.len()).collect();
        assert_eq!(lengths, [75, 75, 2]);
    }

    #[test]
    fn a_calendar_has_no_alarm_dtstamp_and_no_line_over_75_octets() {
        let day = |text: &str| crate::dates::parse_date(text).expect("a date");
        let title =
            "Politique de sécurité numérique — élèves, apprentis et étudiants à distance 安全 😀"
                .repeat(3);
        let entry = RegisterEntry {
            id: "sécurité".into(),
            title: title.clone(),
            version: "1.0".into(),
            owner: "Responsable qualité".into(),
            issued: day("2025-01-01"),
            renewal: day("2026-01-01"),
            source: "register/sécurité.yaml".into(),
            read_with: Vec::new(),
        };
        let report = RenewalReport::new(vec![entry], day("2025-11-01"), 60);
        let mut bytes = Vec::new();
        render(&report, &mut bytes).expect("renders");
        let text = String::from_utf8(bytes).expect("UTF-8");
        for physical in physical_lines(&text) {
            assert!(
                physical.len() <= LINE_OCTETS,
                "{} octets: {physical:?}",
                physical.len()
            );
        }
        let unfolded = unfold(&text);
        let escaped = title.replace(',', "\\,");
        assert!(unfolded.contains(&format!("SUMMARY:Renewal due: {escaped} 1.0\r\n")));
        let alarm = unfolded
            .split("BEGIN:VALARM\r\n")
            .nth(1)
            .and_then(|rest| rest.split("END:VALARM").next())
            .expect("an alarm");
        assert!(!alarm.contains("DTSTAMP"), "{alarm}");
        assert!(alarm.contains("UID:sécurité-2026-01-01-reminder@blcheck"));
        assert_eq!(unfolded.matches("DTSTAMP:20251101T000000Z\r\n").count(), 1);
    }
}
