package cloudstack

import (
	"fmt"
	"time"
)

// ParseExpires parses an expires value as DateUtil.parseTZDateString does
// (apache/cloudstack utils/src/main/java/com/cloud/utils/DateUtil.java
// @ 007fd8ecfb304878a6792713b450ce4ba839eb2e): it tries, in order,
//
//	ISO_OFFSET_DATE_TIME           2011-10-10T12:00+05:30, …T12:00:00.5Z (case-insensitive T/Z)
//	yyyy-MM-dd'T'HH:mm:ssZ         2011-10-10T12:00:00+0530
//	ISO_INSTANT                    2011-10-10T12:00:00Z (covered by the first)
//	yyyy-MM-dd'T'HH:mm:ss.SSSSSSX  2011-10-10T12:00:00.000000+05, …+0530, …Z
//	yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ  2011-10-10T12:00:00.000000+0530
//	yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z' (never parses: it has no offset)
//	yyyy-MM-dd'T'HH:mm:ss'Z'Z      2011-10-10T12:00:00Z+0530
//
// The ISO formatter resolves strictly; the patterns resolve SMART, which
// moves a day past the end of its month (Feb 30) to the last day. The
// result is truncated to milliseconds, as java.util.Date holds it.
func ParseExpires(s string) (time.Time, error) {
	for _, f := range []func(*scanner) bool{
		isoOffsetDateTime,
		pattern(false, offsetHHMM),
		pattern(true, offsetX),
		pattern(true, offsetHHMM),
		literalZThen(offsetHHMM),
	} {
		sc := &scanner{s: s}
		if f(sc) && sc.i == len(s) {
			if t, ok := sc.time(); ok {
				return t.Truncate(time.Millisecond), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("unparseable expires %q", s)
}

// scanner holds the fields parsed so far.
type scanner struct {
	s                    string
	i                    int
	year, month, day     int
	hour, minute, second int
	nanos                int
	offset               int // seconds east of UTC
	smart                bool
}

func (sc *scanner) digits(n int) (int, bool) {
	if sc.i+n > len(sc.s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(sc.s[sc.i : sc.i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	sc.i += n
	return v, true
}

// lit consumes c; fold also accepts its lower-case form.
func (sc *scanner) lit(c byte, fold bool) bool {
	if sc.i < len(sc.s) && (sc.s[sc.i] == c || fold && sc.s[sc.i] == c+'a'-'A') {
		sc.i++
		return true
	}
	return false
}

func (sc *scanner) date() bool {
	var ok1, ok2, ok3 bool
	sc.year, ok1 = sc.digits(4)
	if !ok1 || !sc.lit('-', false) {
		return false
	}
	sc.month, ok2 = sc.digits(2)
	if !ok2 || !sc.lit('-', false) {
		return false
	}
	sc.day, ok3 = sc.digits(2)
	return ok3
}

func (sc *scanner) hms(secondsOptional bool) bool {
	var ok bool
	if sc.hour, ok = sc.digits(2); !ok || !sc.lit(':', false) {
		return false
	}
	if sc.minute, ok = sc.digits(2); !ok {
		return false
	}
	if !sc.lit(':', false) {
		return secondsOptional
	}
	sc.second, ok = sc.digits(2)
	return ok
}

// fraction reads between lo and hi digits as nanoseconds.
func (sc *scanner) fraction(lo, hi int) bool {
	n, scale := 0, 1_000_000_000
	for k := 0; k < hi && sc.i < len(sc.s) && '0' <= sc.s[sc.i] && sc.s[sc.i] <= '9'; k++ {
		scale /= 10
		n += int(sc.s[sc.i]-'0') * scale
		sc.i++
		lo--
	}
	sc.nanos = n
	return lo <= 0
}

func (sc *scanner) sign() (int, bool) {
	switch {
	case sc.lit('+', false):
		return 1, true
	case sc.lit('-', false):
		return -1, true
	}
	return 0, false
}

// offsetHHMM is pattern letter Z: +HHMM, always with a sign.
func offsetHHMM(sc *scanner) bool {
	sg, ok := sc.sign()
	if !ok {
		return false
	}
	h, ok1 := sc.digits(2)
	m, ok2 := sc.digits(2)
	return ok1 && ok2 && sc.setOffset(sg, h, m, 0)
}

// offsetX is pattern letter X: Z, +HH or +HHMM.
func offsetX(sc *scanner) bool {
	if sc.lit('Z', false) {
		return true
	}
	sg, ok := sc.sign()
	if !ok {
		return false
	}
	h, ok := sc.digits(2)
	if !ok {
		return false
	}
	m, ok := sc.digits(2)
	if !ok {
		m = 0
	}
	return sc.setOffset(sg, h, m, 0)
}

// offsetID is ISO_OFFSET_DATE_TIME's offset: Z, +HH:MM or +HH:MM:SS.
func offsetID(sc *scanner) bool {
	if sc.lit('Z', true) {
		return true
	}
	sg, ok := sc.sign()
	if !ok {
		return false
	}
	h, ok1 := sc.digits(2)
	if !ok1 || !sc.lit(':', false) {
		return false
	}
	m, ok2 := sc.digits(2)
	if !ok2 {
		return false
	}
	s := 0
	if sc.lit(':', false) {
		var ok3 bool
		if s, ok3 = sc.digits(2); !ok3 {
			return false
		}
	}
	return sc.setOffset(sg, h, m, s)
}

func (sc *scanner) setOffset(sign, h, m, s int) bool {
	if h > 18 || m > 59 || s > 59 || h == 18 && (m > 0 || s > 0) {
		return false
	}
	sc.offset = sign * (h*3600 + m*60 + s)
	return true
}

func isoOffsetDateTime(sc *scanner) bool {
	if !sc.date() || !sc.lit('T', true) || !sc.hms(true) {
		return false
	}
	if sc.lit('.', false) && !sc.fraction(0, 9) {
		return false
	}
	return offsetID(sc)
}

// pattern is yyyy-MM-dd'T'HH:mm:ss, then .SSSSSS if micro, then offset.
func pattern(micro bool, offset func(*scanner) bool) func(*scanner) bool {
	return func(sc *scanner) bool {
		sc.smart = true
		if !sc.date() || !sc.lit('T', false) || !sc.hms(false) {
			return false
		}
		if micro && (!sc.lit('.', false) || !sc.fraction(6, 6)) {
			return false
		}
		return offset(sc)
	}
}

// literalZThen is yyyy-MM-dd'T'HH:mm:ss'Z' followed by an offset.
func literalZThen(offset func(*scanner) bool) func(*scanner) bool {
	return func(sc *scanner) bool {
		sc.smart = true
		return sc.date() && sc.lit('T', false) && sc.hms(false) && sc.lit('Z', false) && offset(sc)
	}
}

// time checks the field ranges and builds the instant.
func (sc *scanner) time() (time.Time, bool) {
	if sc.month < 1 || sc.month > 12 || sc.day < 1 || sc.day > 31 ||
		sc.hour > 23 || sc.minute > 59 || sc.second > 59 {
		return time.Time{}, false
	}
	last := time.Date(sc.year, time.Month(sc.month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if sc.day > last {
		if !sc.smart {
			return time.Time{}, false
		}
		sc.day = last
	}
	t := time.Date(sc.year, time.Month(sc.month), sc.day, sc.hour, sc.minute, sc.second, sc.nanos, time.UTC)
	return t.Add(-time.Duration(sc.offset) * time.Second), true
}
