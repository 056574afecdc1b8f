package suites_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
	"github.com/sigconform/sigconform/vectors"
)

// hostile is text an implementation under test could put in an error or a
// label: it must come out of the HTML report as text, never as markup.
const hostile = `<script>alert("owned")</script><img src=x onerror=alert(1)>`

// corpusSample runs the whole embedded corpus against the reference acting
// as a client with two known bugs, one scheme's topic unsupported and
// another's broken with a hostile error, checked against an expectations
// file that lists the CloudStack divergences, one case that passes and one
// id that no case has: every status and every kind of unmet expectation.
func corpusSample(tb testing.TB) *suites.Report {
	tb.Helper()
	set, err := vectors.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	buggy := suites.Reference{Variants: []string{"lowercase-then-sort", "plus-for-space"}}
	signer := suites.SignerFunc(func(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
		switch {
		case strings.HasPrefix(in.ID, "zstack/date/"):
			return sigconform.Result{}, suites.ErrUnsupported
		case strings.HasPrefix(in.ID, "sigv4/presign/"):
			return sigconform.Result{}, fmt.Errorf("adapter broke: exit status 2: %s", hostile)
		}
		return buggy.Sign(ctx, in)
	})
	r := &suites.Runner{Signer: signer, Verifier: suites.Reference{}}
	rep := r.Run(context.Background(), suites.Filter{}.Select(set))
	rep.Implementation = "sample client 1.0 " + hostile
	rep.Started = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	// The CloudStack divergences are known; the SigV2 ones are not.
	known := &suites.Report{}
	var passing string
	for _, c := range rep.Cases {
		switch {
		case c.Scheme == "cloudstack" && c.Status == suites.Fail:
			known.Cases = append(known.Cases, c)
		case c.Scheme == "sigv4" && c.Status == suites.Pass && passing == "":
			passing = c.ID
		}
	}
	var list bytes.Buffer
	if err := known.WriteExpectations(&list, "the sample"); err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(&list, "%s  diverges at signature: matches no known variant\n", passing)
	fmt.Fprintf(&list, "cloudstack/keys/no-such-case  diverges at signature\n")
	e, err := suites.ParseExpectations("known.txt", list.Bytes())
	if err != nil {
		tb.Fatal(err)
	}
	rep.Expect(e, set)
	return rep
}

func TestWriteHTML(t *testing.T) {
	rep := corpusSample(t)
	tot := rep.Total()
	if tot.Pass == 0 || tot.Fail == 0 || tot.Known == 0 || tot.Skip == 0 || tot.Broken == 0 {
		t.Fatalf("the sample lacks a status: %+v", tot)
	}
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	t.Logf("%d cases: %d bytes of HTML", tot.Cases, b.Len())

	// Only the page's own script, and nothing loaded from anywhere.
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("%d <script> tags, want the page's one", n)
	}
	for _, bad := range []string{"<img", ` src="`, "http-equiv=\"refresh\"", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;") {
		t.Error("the hostile error is not shown as text")
	}
	for _, want := range []string{
		fmt.Sprintf(`id="total-pass"><b>%d</b>`, tot.Pass),
		fmt.Sprintf(`id="total-fail"><b>%d</b>`, tot.Fail),
		fmt.Sprintf(`id="total-known"><b>%d</b>`, tot.Known),
		fmt.Sprintf(`id="total-skip"><b>%d</b>`, tot.Skip),
		fmt.Sprintf(`id="total-broken"><b>%d</b>`, tot.Broken),
		`<span class="pass" title="cloudstack/`,
		`<a class="known" href="#case-`,
		`<a class="fail" href="#case-`,
		`<a class="skip" href="#case-`,
		`<a class="broken" href="#case-`,
		`class="pass unmet"`,
		"<strong>2 not met</strong>",
		"listed ids that no case has",
		"<code>cloudstack/keys/no-such-case</code>",
		"listed cases that pass now",
		"sigv2</span>: diverges at stage string_to_sign: matches known variant plus-for-space",
		`<a href="https://github.com/`,
		"Known divergences, as <code>known.txt</code> lists them",
		"(-want &#43;got)", // a line diff
		"<summary><code>sigv2/encoding/",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// A case id is the implementation's too when a vector directory is its
// own: it is escaped in attributes and text alike.
func TestWriteHTMLEscapesIDs(t *testing.T) {
	rep := &suites.Report{Cases: []suites.CaseResult{{
		ID: `x/"><script>alert(1)</script>/y`, Scheme: `s"<b>`, Kind: vectors.Sign, Status: suites.Fail, Stage: "signature",
		Mismatches: []vectors.Mismatch{{Field: "signature", Want: "a</pre><script>", Got: "b"}},
		Variant:    &suites.VariantMatch{Name: "v", Refs: []string{`javascript:alert(1) "quoted"`, `https://example.com/"><script> note`}},
	}}}
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("%d <script> tags, want 1:\n%s", n, page)
	}
	if strings.Contains(page, `href="javascript:`) {
		t.Error("a javascript: reference became a link")
	}
}

// A run that selected nothing still gives a page, saying so in its counts.
func TestWriteHTMLEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := (&suites.Report{}).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<span class=\"total\">0 cases</span>") || strings.Contains(b.String(), "Divergences by cause") {
		t.Errorf("empty report:\n%s", b.String())
	}
	b.Reset()
	if err := suites.WriteHTMLMatrix(&b, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<h2>Totals</h2>") {
		t.Errorf("empty comparison:\n%s", b.String())
	}
}

func TestWriteHTMLMatrix(t *testing.T) {
	rep := corpusSample(t)
	ref := (&suites.Runner{Signer: suites.Reference{}, Verifier: suites.Reference{}}).Run(context.Background(), embedded(t, suites.Filter{}))
	ref.Implementation = "the reference"
	var b bytes.Buffer
	if err := suites.WriteHTMLMatrix(&b, []*suites.Report{rep, ref}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	t.Logf("2 implementations: %d bytes of HTML", b.Len())
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("%d <script> tags, want 1", n)
	}
	for _, want := range []string{
		`<th>the reference</th>`,
		`<span class="impl">sample client 1.0 &lt;script&gt;`,
		`<section class="scheme" id="scheme-sigv4">`,
		`<th>presign</th>`,
		`<span class="broken" title="sigv4/presign/`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestHTMLSample writes the sample report's HTML to the file
// $SIGCONFORM_HTML_SAMPLE names, for make screenshot.
func TestHTMLSample(t *testing.T) {
	out := os.Getenv("SIGCONFORM_HTML_SAMPLE")
	if out == "" {
		t.Skip("set SIGCONFORM_HTML_SAMPLE to a file to write the sample report's HTML to it")
	}
	var b bytes.Buffer
	if err := corpusSample(t).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkWrite writes the same report of the whole corpus in every
// format. Each reports its time as a ratio to the text writer's
// (x-text) and to the in-process run of the corpus that produced the
// report (x-run), both measured in the same run: a report must not
// noticeably slow the run it ends.
func BenchmarkWrite(b *testing.B) {
	rep := corpusSample(b)
	cases := rep.Cases
	textTime := timeWrite(b, rep, (*suites.Report).WriteText, 20)
	runStart := time.Now()
	for range 5 {
		set, _ := vectors.Embedded()
		(&suites.Runner{Signer: suites.Reference{}, Verifier: suites.Reference{}}).Run(context.Background(), set.Cases())
	}
	runTime := time.Since(runStart) / 5
	for _, w := range []struct {
		format string
		write  func(*suites.Report, io.Writer) error
	}{
		{"text", (*suites.Report).WriteText},
		{"json", (*suites.Report).WriteJSON},
		{"junit", (*suites.Report).WriteJUnit},
		{"markdown", (*suites.Report).WriteMarkdown},
		{"html", (*suites.Report).WriteHTML},
		{"badge", (*suites.Report).WriteBadge},
	} {
		b.Run(w.format, func(b *testing.B) {
			var buf bytes.Buffer
			if err := w.write(rep, &buf); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			b.ResetTimer()
			for range b.N {
				buf.Reset()
				if err := w.write(rep, &buf); err != nil {
					b.Fatal(err)
				}
			}
			per := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(per)/float64(textTime), "x-text")
			b.ReportMetric(float64(per)/float64(runTime), "x-run")
			b.ReportMetric(float64(len(cases)), "cases")
		})
	}
}

// timeWrite is the mean time of n writes of rep.
func timeWrite(b *testing.B, rep *suites.Report, write func(*suites.Report, io.Writer) error, n int) time.Duration {
	var buf bytes.Buffer
	start := time.Now()
	for range n {
		buf.Reset()
		if err := write(rep, &buf); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start) / time.Duration(n)
}
