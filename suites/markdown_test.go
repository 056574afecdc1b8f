package suites_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
)

// hostileReport has a divergence, a known divergence and a broken case
// whose error, written by the implementation under test, holds markup and
// table syntax.
func hostileReport(t *testing.T) *suites.Report {
	cases := cloudstackSign(t)
	signer := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		if in.ID == cases[0].ID {
			return sigconform.Result{}, errorString("<script>alert(1)</script> | `x` *y*\n| a | b |")
		}
		return lowerSort.Sign(ctx, in)
	})
	rep := (&suites.Runner{Signer: signer}).Run(context.Background(), cases)
	rep.Implementation = "evil | <b>lib</b>"
	var first string
	for _, c := range rep.Cases {
		if c.Status == suites.Fail {
			first = c.ID
			break
		}
	}
	rep.Expect(parse(t, first+"  diverges at stage command_string: matches known variant lowercase-then-sort\n"), nil)
	return rep
}

type errorString string

func (e errorString) Error() string { return string(e) }

// The markdown summary keeps its tables whole and its markup its own,
// whatever the implementation's errors hold.
func TestMarkdownSummary(t *testing.T) {
	rep := hostileReport(t)
	var buf bytes.Buffer
	if err := rep.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, s := range []string{
		"### sigconform: evil \\| &lt;b&gt;lib&lt;/b&gt;",
		"**Broken**: the implementation broke on 1 of 347 cases.",
		"| scheme | kind | cases | pass | fail | skip | broken | known |",
		"| cloudstack | sign | 347 | 338 | 7 | 0 | 1 | 1 |",
		"**Divergences** by cause:",
		"| cloudstack | diverges at stage command\\_string: matches known variant lowercase-then-sort | 7 |",
		"[apache/cloudstack-documentation dev.rst](https://github.com/apache/cloudstack-documentation/blob/",
		"**Known divergences** by cause:",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("lacks %q", s)
		}
	}
	if strings.Contains(md, "<script>") || strings.Contains(md, "<b>") {
		t.Error("markup from the implementation came through")
	}
	// Every row of a table has as many unescaped bars as its header.
	bars := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			bars = 0
			continue
		}
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if bars == 0 {
			bars = n
		} else if n != bars {
			t.Errorf("row with %d bars in a table of %d: %s", n, bars, line)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}

// The badge is well-formed SVG whose colour and text follow the outcome.
func TestBadge(t *testing.T) {
	clean := (&suites.Runner{Signer: suites.Reference{}}).Run(context.Background(), cloudstackSign(t))
	diverged := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cloudstackSign(t))
	known := (&suites.Runner{Signer: lowerSort}).Run(context.Background(), cloudstackSign(t))
	var list bytes.Buffer
	known.WriteExpectations(&list, "all")
	known.Expect(parse(t, list.String()), nil)
	for _, tc := range []struct {
		name         string
		rep          *suites.Report
		text, colour string
	}{
		{"clean", clean, "347/347 passed", "#3c1"},
		{"diverged", diverged, "339/347 passed", "#e05d44"},
		{"known", known, "339/347 passed, 8 known", "#97ca00"},
		{"broken", hostileReport(t), "338/347 passed, broken", "#fe7d37"},
	} {
		var buf bytes.Buffer
		if err := tc.rep.WriteBadge(&buf); err != nil {
			t.Fatal(err)
		}
		var svg struct {
			Title string `xml:"title"`
			Rects []struct {
				Fill string `xml:"fill,attr"`
			} `xml:"rect"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &svg); err != nil {
			t.Fatalf("%s: not XML: %v", tc.name, err)
		}
		if svg.Title != "sigconform: "+tc.text || svg.Rects[1].Fill != tc.colour {
			t.Errorf("%s: title %q, colour %s; want %q, %s", tc.name, svg.Title, svg.Rects[1].Fill, tc.text, tc.colour)
		}
	}
}
