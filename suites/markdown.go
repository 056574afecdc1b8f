package suites

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteMarkdown writes a compact summary for a CI step summary or a pull
// request comment: the verdict in one line, the counts per scheme and kind,
// then each cause of divergence once, with how many cases it covers, one
// example id and the variant's first reference. Details belong in the text,
// HTML or JUnit report; this one must stay short enough to read in a
// comment.
func (r *Report) WriteMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	t := r.Total()
	title := "sigconform"
	if r.Implementation != "" {
		title += ": " + mdText(r.Implementation)
	}
	fmt.Fprintf(ew, "### %s\n\n%s\n\n", title, verdict(r, t))

	known := r.Expectations != nil
	fmt.Fprint(ew, "| scheme | kind | cases | pass | fail | skip | broken |")
	if known {
		fmt.Fprint(ew, " known |")
	}
	fmt.Fprint(ew, "\n|---|---|--:|--:|--:|--:|--:|")
	if known {
		fmt.Fprint(ew, "--:|")
	}
	fmt.Fprintln(ew)
	row := func(scheme, kind string, c Counts) {
		fmt.Fprintf(ew, "| %s | %s | %d | %d | %d | %d | %d |", scheme, kind, c.Cases, c.Pass, c.Fail, c.Skip, c.Broken)
		if known {
			fmt.Fprintf(ew, " %d |", c.Known)
		}
		fmt.Fprintln(ew)
	}
	for _, sc := range r.ByScheme() {
		row(mdText(sc.Scheme), string(sc.Kind), sc.Counts)
	}
	row("**total**", "", t)

	if x := r.Expectations; x != nil && len(x.Unmet) > 0 {
		fmt.Fprintf(ew, "\n**Expectations not met** (`%s`):\n\n", mdCode(x.File))
		for _, u := range x.Unmet {
			switch u.Problem {
			case Fixed:
				fmt.Fprintf(ew, "- `%s` passes now: remove line %d\n", mdCode(u.ID), u.Line)
			case Changed:
				fmt.Fprintf(ew, "- `%s` diverges for another cause: listed (line %d) as %s; now %s\n", mdCode(u.ID), u.Line, mdText(u.Listed), mdText(u.Got))
			default:
				fmt.Fprintf(ew, "- `%s` (line %d): no case has this id\n", mdCode(u.ID), u.Line)
			}
		}
	}
	writeMDGroups(ew, "Divergences", r.Groups())
	writeMDGroups(ew, "Known divergences", r.KnownGroups())
	return ew.err
}

// verdict is the one line a reader of a pull request looks at.
func verdict(r *Report, t Counts) string {
	unmet := 0
	if r.Expectations != nil {
		unmet = len(r.Expectations.Unmet)
	}
	switch {
	case t.Broken > 0:
		return fmt.Sprintf("**Broken**: the implementation broke on %d of %d cases.", t.Broken, t.Cases)
	case t.Fail > 0 || unmet > 0:
		s := fmt.Sprintf("**Diverges**: %d of %d cases failed", t.Fail, t.Cases)
		if unmet > 0 {
			s += fmt.Sprintf(", %d expectations not met", unmet)
		}
		return s + "."
	case t.Known > 0:
		return fmt.Sprintf("**Passes** with %d known divergences: %d of %d cases passed.", t.Known, t.Pass, t.Cases)
	}
	return fmt.Sprintf("**Passes**: %d of %d cases passed.", t.Pass, t.Cases)
}

func writeMDGroups(w io.Writer, title string, groups []Group) {
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(w, "\n**%s** by cause:\n\n| scheme | cause | cases | e.g. | see |\n|---|---|--:|---|---|\n", title)
	for _, g := range groups {
		c := g.Cases[0]
		see := ""
		if c.Variant != nil && len(c.Variant.Refs) > 0 {
			see = mdRef(c.Variant.Refs[0])
		}
		fmt.Fprintf(w, "| %s | %s | %d | `%s` | %s |\n", mdText(g.Scheme), mdText(g.Cause), len(g.Cases), mdCode(c.ID), see)
	}
}

// mdText makes s safe inside a table cell: the text comes from the
// implementation under test (its errors) and from the vectors, and must not
// break the table or turn into markup.
func mdText(s string) string {
	s = strings.Join(strings.Fields(printable(s)), " ")
	s = truncate(s, 300)
	return mdTextEscape.Replace(s)
}

// mdTextEscape escapes what mdText keeps: & before the entities it
// writes; @ so that no one is mentioned. Built once: mdText runs per cell.
var mdTextEscape = strings.NewReplacer("&", "&amp;", "@", `\@`, `\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// mdCode makes s safe inside a code span.
func mdCode(s string) string {
	return mdCodeEscape.Replace(s)
}

var mdCodeEscape = strings.NewReplacer("`", "'", "|", `\|`, "\n", " ")

// mdRef links a reference that has an address and writes any other as
// text.
func mdRef(ref string) string {
	u := RefURL(ref)
	if u == "" || strings.ContainsAny(u, "()<>| ") {
		return mdText(ref)
	}
	return fmt.Sprintf("[%s](%s)", mdText(RefLabel(ref)), u)
}

// truncate cuts s to at most n bytes, at a character boundary, marking the
// cut: the text may be any UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
