package zstack

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone ids in Date headers resolve the same on every machine
)

// Date is a parsed Date header.
type Date struct {
	// Wall holds the written date and time as wall-clock fields (in UTC,
	// which stands for "no zone"): what the server compares by default.
	Wall time.Time
	// Zone is the zone text as written ("PRC", "GMT", "GMT+08:00"...).
	Zone string
	// Location is the zone the text resolves to.
	Location *time.Location
}

// Instant is the moment the Date names, its zone applied: what a server
// with rest.checkTimeZone=true compares.
func (d Date) Instant() time.Time {
	w := d.Wall
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, d.Location)
}

var (
	weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	months   = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// ParseDate parses a Date header as RestServer does, with java.time pattern
// "EEE, dd MMM yyyy HH:mm:ss z", Locale.ENGLISH, case-insensitive, SMART
// resolver: English short day and month names, two-digit day, hour, minute
// and second, a day of month past the month's end clamped to it, and a day
// of week that must match the date.
//
// The zone may be an offset (+08:00), GMT/UTC/UT alone or followed by an
// offset (GMT+08:00), an IANA zone id (Asia/Shanghai, or the legacy alias
// PRC) or one of a few English abbreviations (CST, PST, JST...). java.time
// knows more names than this; what it accepts beyond these is not modelled.
// Years must have four digits (java.time also takes more).
func ParseDate(s string) (Date, error) {
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("zstack: Date %q is not 'EEE, dd MMM yyyy HH:mm:ss z': %s", s, why)
	}
	// "Fri, 06 Aug 2021 17:58:34 " is 26 bytes; the zone follows.
	if len(s) < 27 || s[3:5] != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
		s[19] != ':' || s[22] != ':' || s[25] != ' ' {
		return bad("layout")
	}
	wd := indexFold(weekdays, s[0:3])
	mon := indexFold(months, s[8:11])
	day, ok1 := digits(s[5:7])
	year, ok2 := digits(s[12:16])
	hour, ok3 := digits(s[17:19])
	minute, ok4 := digits(s[20:22])
	sec, ok5 := digits(s[23:25])
	switch {
	case wd < 0:
		return bad("day of week")
	case mon < 0:
		return bad("month")
	case !(ok1 && ok2 && ok3 && ok4 && ok5):
		return bad("digits")
	case day < 1 || day > 31 || year < 1 || hour > 23 || minute > 59 || sec > 59:
		return bad("field out of range")
	}
	month := time.Month(mon + 1)
	// SMART resolving clamps day 29-31 to the month's last day.
	if last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day(); day > last {
		day = last
	}
	wall := time.Date(year, month, day, hour, minute, sec, 0, time.UTC)
	if int(wall.Weekday()) != wd {
		return bad("day of week does not match the date")
	}
	zone := s[26:]
	loc, err := resolveZone(zone)
	if err != nil {
		return bad(err.Error())
	}
	return Date{Wall: wall, Zone: zone, Location: loc}, nil
}

// FormatDate writes t as a Date header the server accepts under either
// setting of rest.checkTimeZone: t's wall clock in its own offset, labelled
// "GMT" for UTC and "GMT+hh:mm" otherwise, e.g. "Fri, 06 Aug 2021 09:58:34
// GMT" or "Fri, 06 Aug 2021 17:58:34 GMT+08:00". A server in the zone of t
// sees its own wall clock; one that checks zones sees the right instant.
func FormatDate(t time.Time) (string, error) {
	if t.Year() < 1 || t.Year() > 9999 {
		return "", fmt.Errorf("zstack: year %d cannot be written as yyyy", t.Year())
	}
	_, off := t.Zone()
	if off%60 != 0 {
		return "", fmt.Errorf("zstack: offset of %v is not whole minutes", t)
	}
	zone := "GMT"
	if off != 0 {
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		zone = fmt.Sprintf("GMT%c%02d:%02d", sign, off/3600, off/60%60)
	}
	return t.Format("Mon, 02 Jan 2006 15:04:05 ") + zone, nil
}

// zoneNames are the abbreviations resolved here, upper-cased. Java resolves
// ambiguous ones by Locale.ENGLISH: CST is Central Standard Time
// (America/Chicago), not China Standard Time, which matters only when the
// server checks zones. PRC itself is a tz database alias of Asia/Shanghai.
var zoneNames = map[string]string{
	"PRC": "PRC",
	"CST": "America/Chicago", "CDT": "America/Chicago",
	"EDT": "America/New_York",
	"MDT": "America/Denver",
	"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
	"JST": "Asia/Tokyo",
	"KST": "Asia/Seoul",
	"HKT": "Asia/Hong_Kong",
	"SGT": "Asia/Singapore",
}

// resolveZone follows java.time's zone-text parser: an offset, then the
// GMT/UTC/UT prefixes (alone or with an offset), then names and zone ids.
func resolveZone(z string) (*time.Location, error) {
	switch {
	case z == "":
		return nil, fmt.Errorf("no zone")
	case z[0] == '+' || z[0] == '-':
		return parseOffset(z)
	case hasPrefixFold(z, "UTC"):
		return prefixedOffset(z[3:])
	case strings.EqualFold(z, "GMT0"):
		return time.UTC, nil
	case hasPrefixFold(z, "GMT"):
		return prefixedOffset(z[3:])
	case hasPrefixFold(z, "UT"):
		return prefixedOffset(z[2:])
	}
	if id, ok := zoneNames[strings.ToUpper(z)]; ok {
		return time.LoadLocation(id)
	}
	if strings.EqualFold(z, "Local") { // Go's name for the machine's zone, not a zone id
		return nil, fmt.Errorf("unknown zone %q", z)
	}
	// java.time matches zone ids case-insensitively; Go's tz lookup does
	// not, so also try the usual capitalization (asia/shanghai ->
	// Asia/Shanghai, america/new_york -> America/New_York).
	for _, id := range []string{z, titleZoneID(z)} {
		if loc, err := time.LoadLocation(id); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("unknown zone %q", z)
}

// titleZoneID capitalizes each word of a zone id and lowercases the rest.
func titleZoneID(z string) string {
	b := []byte(strings.ToLower(z))
	for i := range b {
		if (i == 0 || b[i-1] == '/' || b[i-1] == '_' || b[i-1] == '-') && 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// prefixedOffset is what follows GMT, UTC or UT: nothing, or an offset.
func prefixedOffset(rest string) (*time.Location, error) {
	if rest == "" {
		return time.UTC, nil
	}
	return parseOffset(rest)
}

// parseOffset reads +hh:mm or +hh:mm:ss (java.time's "+HH:MM:ss").
func parseOffset(s string) (*time.Location, error) {
	if (len(s) != 6 && len(s) != 9) || s[3] != ':' || (len(s) == 9 && s[6] != ':') {
		return nil, fmt.Errorf("offset %q is not +hh:mm", s)
	}
	h, ok1 := digits(s[1:3])
	m, ok2 := digits(s[4:6])
	sec, ok3 := 0, true
	if len(s) == 9 {
		sec, ok3 = digits(s[7:9])
	}
	if !ok1 || !ok2 || !ok3 || h > 18 || m > 59 || sec > 59 || h == 18 && m+sec > 0 {
		return nil, fmt.Errorf("offset %q out of range", s)
	}
	off := h*3600 + m*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return time.FixedZone(s, off), nil
}

// withinSkew reports whether date is no more than MaxClockSkew from now,
// the limits included (checkTimeSkewing's !isAfter / !isBefore).
func withinSkew(date, now time.Time) bool {
	d := date.Sub(now)
	return -MaxClockSkew <= d && d <= MaxClockSkew
}

// wallClock is t's wall-clock reading with the zone dropped, as
// ZonedDateTime.toLocalDateTime() gives it.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// hasPrefixFold is an ASCII case-insensitive strings.HasPrefix.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func indexFold(names []string, s string) int {
	for i, n := range names {
		if strings.EqualFold(n, s) {
			return i
		}
	}
	return -1
}

// digits parses a fixed-width run of ASCII digits.
func digits(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
