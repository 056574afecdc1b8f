package suites_test

// Regression tests from a hostile review of expectations and reports.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sigconform/sigconform/suites"
)

// A listed case that the implementation now says it does not support
// "diverges for another cause": the run exits 1, and every report must say
// so. JUnit shows it as a plain skip and counts no failure, so a CI system
// that reads JUnit shows the run green while the job fails.
func TestHostileJUnitShowsUnmetSkippedCase(t *testing.T) {
	rep := &suites.Report{Cases: []suites.CaseResult{{
		ID: "cloudstack/keys/capital-command-name", Scheme: "cloudstack", Kind: "sign",
		Status: suites.Skip, Error: "unsupported: not today",
	}}}
	rep.Expect(parse(t, "cloudstack/keys/capital-command-name  diverges at stage command_string: matches known variant lowercase-then-sort\n"), nil)
	if rep.ExitCode() != suites.ExitDiverged {
		t.Fatalf("exit code %d, want %d", rep.ExitCode(), suites.ExitDiverged)
	}
	var b bytes.Buffer
	if err := rep.WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	var top struct {
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(b.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	if top.Failures+top.Errors == 0 {
		t.Errorf("the run exits 1 (an expectation not met), but the JUnit report has no failure or error:\n%s", b.String())
	}
}

// mdText cuts long text at 300 bytes, which can fall inside a multi-byte
// character: the Markdown report is then not UTF-8.
func TestHostileMarkdownStaysUTF8(t *testing.T) {
	long := "b" + strings.Repeat("é", 400)
	rep := &suites.Report{Implementation: long, Cases: []suites.CaseResult{{
		ID: "zstack/date/sign-gmt", Scheme: "zstack", Kind: "sign",
		Status: suites.Skip, Error: "a" + strings.Repeat("é", 400),
	}}}
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b.Bytes()) {
		t.Errorf("the Markdown report is not valid UTF-8:\n%q", b.String())
	}
}

// A file saved by an editor that writes a byte order mark (Notepad does)
// must read as the same list: today the mark sticks to the first line, so
// the header comment "# Known divergences of ..." becomes an entry with id
// "\ufeff#", reported as an id that no case has.
func TestHostileExpectationsWithBOM(t *testing.T) {
	text := "# Known divergences of mylib\ncloudstack/keys/capital-command-name  diverges at stage command_string: matches known variant lowercase-then-sort\n"
	plain, err := suites.ParseExpectations("plain.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	bom, err := suites.ParseExpectations("bom.txt", []byte("\ufeff"+text))
	if err != nil {
		t.Fatalf("with a byte order mark: %v", err)
	}
	if bom.Len() != plain.Len() {
		t.Errorf("with a byte order mark the file lists %d cases, without %d", bom.Len(), plain.Len())
	}
}

// Text from the implementation under test cannot drive a terminal or a
// pull request comment: control characters are escaped in the text
// report, and in Markdown, & and @ are too (no entity, no mention).
func TestReportsNeutraliseImplementationText(t *testing.T) {
	rep := &suites.Report{Cases: []suites.CaseResult{{
		ID: "zstack/date/sign-gmt", Scheme: "zstack", Kind: "sign",
		Status: suites.Broken, Error: "boom\x1b[2J\x07 &amp; @octocat \xff",
	}}}
	var txt, md bytes.Buffer
	rep.WriteText(&txt)
	rep.WriteMarkdown(&md)
	if strings.ContainsAny(txt.String(), "\x1b\x07") || !strings.Contains(txt.String(), `boom\x1b[2J\x07 &amp; @octocat \xff`) {
		t.Errorf("text report: %q", txt.String())
	}
	if strings.ContainsAny(md.String(), "\x1b\x07") || strings.Contains(md.String(), " @octocat") || strings.Contains(md.String(), " &amp; ") {
		t.Errorf("markdown report: %q", md.String())
	}
}

// An error about a line quotes at most a short part of it: a file of one
// 3 MB line must not come back as a 3 MB message.
func TestExpectationsErrorQuotesLittle(t *testing.T) {
	_, err := suites.ParseExpectations("long.txt", []byte(strings.Repeat("x", 3<<20)+"\n"))
	if err == nil || len(err.Error()) > 400 {
		t.Errorf("error of %d bytes", len(fmt.Sprint(err)))
	}
}
