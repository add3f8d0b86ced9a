//! `--format ics`: an iCalendar file (RFC 5545) an owner can subscribe to.
//! Each document is an all-day event on its renewal date with a reminder
//! `--within` days before. The same register and as-of date give the same
//! bytes: UIDs come from the id and renewal date, DTSTAMP from the as-of
//! date, never from the clock.

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
    for renewal in &report.documents {
        calendar.push(event(renewal, report, stamp)?);
    }
    out.extend_from_slice(calendar.done().to_string().as_bytes());
    Ok(())
}

/// The as-of date at midnight UTC: what DTSTAMP says "this was made".
fn stamp(as_of: NaiveDate) -> chrono::DateTime<Utc> {
    as_of.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn event(renewal: &Renewal, report: &RenewalReport, stamp: chrono::DateTime<Utc>) -> Result<Event> {
    let e = &renewal.entry;
    let uid = format!("{}-{}@blcheck", e.id, e.renewal);
    // All-day events end (exclusively) on the next day.
    let end = e.renewal.checked_add_days(Days::new(1)).with_context(|| {
        format!(
            "{}: renewal date {} is at the end of the calendar",
            e.id, e.renewal
        )
    })?;
    let mut alarm = Alarm::display(
        &format!(
            "{} {} is due for renewal in {} days, on {}",
            e.title, e.version, report.within_days, e.renewal
        ),
        -TimeDelta::days(i64::from(report.within_days)),
    );
    // The crate gives a sub-component a random UID and the clock's time
    // unless they are set; RFC 9074 allows a UID on an alarm.
    alarm.uid(&format!("{}-{}-reminder@blcheck", e.id, e.renewal));
    alarm.timestamp(stamp);
    Ok(Event::new()
        .uid(&uid)
        .timestamp(stamp)
        .starts(e.renewal)
        .ends(end)
        .summary(&format!("Renewal due: {} {}", e.title, e.version))
        .description(&format!(
            "{} ({}) version {}, issued {}, owner {}, is due for renewal on {}.\nStatus as of {}: {}.\nSource: {}",
            e.title,
            e.id,
            e.version,
            e.issued,
            e.owner,
            e.renewal,
            report.as_of,
            renewal.status,
            e.source
        ))
        .add_property("TRANSP", "TRANSPARENT")
        .alarm(alarm)
        .done())
}
