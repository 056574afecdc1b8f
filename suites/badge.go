package suites

import (
	"fmt"
	"html"
	"io"
)

// Badge colours, by the state of the run.
const (
	badgeGreen  = "#3c1"    // every case passed or was skipped
	badgeKnown  = "#97ca00" // passed, with known divergences
	badgeRed    = "#e05d44" // divergences, or expectations not met
	badgeOrange = "#fe7d37" // the implementation broke
)

// WriteBadge writes an SVG badge for a README: "sigconform" and the
// passed/total count, coloured by the exit code's state (known divergences
// in a lighter green than a clean pass). It is a flat badge in the common
// style, sized from the text, with no fonts or images to fetch.
func (r *Report) WriteBadge(w io.Writer) error {
	t := r.Total()
	msg := fmt.Sprintf("%d/%d passed", t.Pass, t.Cases)
	colour := badgeGreen
	switch r.ExitCode() {
	case ExitBroken:
		colour = badgeOrange
		msg += ", broken"
	case ExitDiverged:
		colour = badgeRed
	default:
		if t.Known > 0 {
			colour = badgeKnown
			msg += fmt.Sprintf(", %d known", t.Known)
		}
	}
	const label = "sigconform"
	lw, mw := textWidth(label)+10, textWidth(msg)+10
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">
<title>%s: %s</title>
<rect width="%d" height="20" rx="3" fill="#555"/>
<rect x="%d" width="%d" height="20" rx="3" fill="%s"/>
<rect x="%d" width="4" height="20" fill="%s"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="%d" y="14">%s</text>
<text x="%d" y="14">%s</text>
</g>
</svg>
`, lw+mw, label, html.EscapeString(msg), label, html.EscapeString(msg),
		lw+mw, lw, mw, colour, lw, colour,
		lw/2, label, lw+mw/2, html.EscapeString(msg))
	return err
}

// textWidth estimates the width in pixels of s in 11px Verdana: digits and
// most lower-case letters are about 7 pixels, narrow ones less. A badge
// only needs the text to fit with a little room.
func textWidth(s string) int {
	w := 0.0
	for _, c := range s {
		switch c {
		case 'i', 'l', 'j', ',', '.', ':', '/', ' ', '!', '|', 'f', 't', 'r':
			w += 4.2
		case 'm', 'w', 'M', 'W':
			w += 10
		default:
			w += 7
		}
	}
	return int(w + 0.5)
}
