//! `--format ics`: an iCalendar file (RFC 5545) an owner can subscribe to.
//! Each document is an all-day event on its renewal date with a reminder
//! `--within` days before. The same register and as-of date give the same
//! bytes: UIDs come from the id and renewal date, DTSTAMP from the as-of
//! date, never from the clock.

use crate::render::text::terminal_safe;
use crate::renewals::{Renewal, RenewalReport};
use anyhow::{Context, Result};
use chrono::{Days, NaiveDate, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property};
use std::io::Write;

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
    write!(out, "{}", calendar.done())?;
    Ok(())
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
    // The crate gives a sub-component a random UID and the clock's time
    // unless they are set; RFC 9074 allows a UID on an alarm.
    alarm.uid(&format!("{id}-{}-reminder@blcheck", e.renewal));
    alarm.timestamp(stamp);
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
