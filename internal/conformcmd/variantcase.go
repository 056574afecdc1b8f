package conformcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

// variantsOfCase is `conform variants -case ID`: what each variant the
// case records produces, computed by the reference. A vector's variant
// outcome keeps only the stage where the variant departs and its
// signature (or verdict); the stages' values and the signed request are
// printed here, each stage marked where it differs from the expected one.
// only, when not empty, is the one variant to print.
func variantsOfCase(id, dir, only string, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "conform variants: "+format+"\n", a...)
		return code
	}
	set, err := loadCheckedSet(dir)
	if err != nil {
		return fail(1, "%v", err)
	}
	c := set.Lookup(id)
	if c == nil {
		return fail(2, "no case %q", id)
	}
	s, _ := scheme.Lookup(c.Scheme()) // CheckSet has checked it
	outcomes := c.Variants
	if only != "" {
		o, ok := c.Variant(only)
		if !ok {
			names := make([]string, len(c.Variants))
			for i, v := range c.Variants {
				names[i] = v.Name
			}
			return fail(2, "case %s records no variant %q (it records: %s)", id, only, strings.Join(names, ", "))
		}
		outcomes = []vectors.VariantOutcome{o}
	}
	fmt.Fprintf(stdout, "%s (%s, %s)\n", c.ID, c.Kind, c.Pos())
	if len(outcomes) == 0 {
		fmt.Fprintln(stdout, "  no variant changes this case's outcome")
		return 0
	}
	code := 0
	for _, v := range outcomes {
		fmt.Fprintf(stdout, "\nvariant %s\n", v.Name)
		if !printVariant(stdout, c, s, v) {
			code = 1
		}
	}
	return code
}

// printVariant prints what the reference s produces for case c under
// variant v, and reports whether the vector's record of v still holds.
func printVariant(stdout io.Writer, c *vectors.Case, s sigconform.Scheme, v vectors.VariantOutcome) bool {
	if c.Kind == vectors.Verify {
		got := s.Verify(c.Input(), v.Name)
		fmt.Fprintf(stdout, "  verdict: %s\n", verdictText(got))
		if ms := v.CompareVerdict(got); len(ms) > 0 {
			fmt.Fprintf(stdout, "  the vector records %s: it is stale\n", ms[0].Want)
			return false
		}
		return true
	}
	res, err := s.Sign(c.Input(), v.Name)
	if err != nil {
		fmt.Fprintf(stdout, "  the reference cannot sign it: %v\n", err)
		return false
	}
	departs := printStages(stdout, c, res)
	fmt.Fprintf(stdout, "  signature: %s\n", res.Signature)
	if res.URL != "" && res.URL != c.Request.URL {
		fmt.Fprintf(stdout, "  url: %s\n", res.URL)
	}
	for _, h := range res.Headers {
		fmt.Fprintf(stdout, "  header %s: %s\n", h.Name, h.Value)
	}
	stale := v.CompareResult(res)
	if v.Departs != "" && v.Departs != departs {
		stale = append(stale, vectors.Mismatch{Field: "departs", Want: v.Departs, Got: departs})
	}
	for _, m := range stale {
		fmt.Fprintf(stdout, "  the vector records %s %q, the reference gives %q: it is stale\n", m.Field, m.Want, m.Got)
	}
	return len(stale) == 0
}

// printStages prints res's stages, each marked against c's expected one,
// and returns the name of the first that differs ("" when none does).
func printStages(stdout io.Writer, c *vectors.Case, res sigconform.Result) string {
	departs := ""
	for _, st := range res.Stages {
		mark := "same as expected"
		if want, _ := c.Expected.Stages.Get(st.Name); want != st.Value {
			mark = "differs"
			if departs == "" {
				departs, mark = st.Name, "differs: the variant departs here"
			}
		}
		fmt.Fprintf(stdout, "  stage %s (%s):\n%s\n", st.Name, mark, indent(st.Value, "    "))
	}
	return departs
}

// indent puts prefix before every line of s but the empty ones.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

func verdictText(v sigconform.Verdict) string {
	if v.Accept {
		return "accept"
	}
	return "reject (" + string(v.Reason) + ")"
}
