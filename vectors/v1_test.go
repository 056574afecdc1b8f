package vectors_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform/vectors"
)

// Users keep vector files of their own in format v1. testdata/v1vectors
// holds two published files as they were in v1; they still load, to the
// same cases the embedded v2 files hold. (v2 lists a case's variant
// outcomes in the order of the file's descriptions, the scheme's; a
// hand-written v1 file may have had its own.)
func TestV1FilesStillLoad(t *testing.T) {
	v1, err := vectors.Load(os.DirFS("../testdata/v1vectors"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range v1.Files {
		if f.Format != vectors.FormatV1 {
			t.Errorf("%s: format %q", f.Path, f.Format)
		}
	}
	cases := v1.Cases()
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	// Cases whose published form changed since the v1 snapshot, for a
	// reason the CHANGELOG gives: they load, but are not the same case.
	changed := map[string]string{
		"cloudstack/published/devguide-deployvirtualmachine-signed-url": "4.0.0: urlsafe-base64 refuses console URLs only",
	}
	compared := 0
	for _, c := range cases {
		v2 := set.Lookup(c.ID)
		if v2 == nil {
			t.Errorf("%s: not in the embedded corpus", c.ID)
			continue
		}
		if _, ok := changed[c.ID]; ok {
			continue
		}
		compared++
		a, b := *c, *v2
		a.File, a.Line, a.Column, b.File, b.Line, b.Column = "", 0, 0, "", 0, 0
		byName := func(x, y vectors.VariantOutcome) int { return strings.Compare(x.Name, y.Name) }
		a.Variants, b.Variants = slices.SortedFunc(slices.Values(a.Variants), byName), slices.SortedFunc(slices.Values(b.Variants), byName)
		// Since corpus 4.0.0 a v2 variant outcome names the stage where
		// it departs instead of giving the stages' values and the
		// headers: the v1 file's outcome says the same where its first
		// stage that differs from the expected ones is that stage.
		for i := range a.Variants {
			o := &a.Variants[i].Outcome
			for _, st := range o.Stages {
				if want, _ := c.Expected.Stages.Get(st.Name); want != st.Value {
					o.Departs = st.Name
					break
				}
			}
			o.Stages, o.Headers = nil, nil
			if i < len(b.Variants) && b.Variants[i].URL == "" {
				o.URL = "" // the same URL but for the signature written into it
			}
		}
		if d := cmp.Diff(a, b); d != "" {
			t.Errorf("%s: v1 and v2 differ (-v1 +v2):\n%s", c.ID, d)
		}
	}
	if compared < len(cases)/2 {
		t.Errorf("only %d of %d v1 cases compared", compared, len(cases))
	}
}

// A file whose format is neither says which formats there are.
func TestUnknownFormatSaysWhichThereAre(t *testing.T) {
	_, err := vectors.Parse("x.yaml", []byte("format: sigconform/v3\nscheme: zstack\ntopic: x\ncases: []\n"))
	if err == nil || !anyErrorHasAll(err, []string{"x.yaml:1:1", `format must be "sigconform/v2" (or the older "sigconform/v1")`}) {
		t.Fatalf("got %v", err)
	}
}
