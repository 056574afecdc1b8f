package suites

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/vectors"
)

// CheckSet checks what the vector loader cannot know by itself: that each
// case's scheme exists, and that its stage and variant names are the
// scheme's. Each problem is a *vectors.Error placed at the case.
func CheckSet(set *vectors.Set) error {
	var errs []error
	known := map[string][]string{} // scheme: its variants' names
	for _, c := range set.Cases() {
		said := map[string]bool{}
		bad := func(format string, args ...any) {
			msg := fmt.Sprintf(format, args...)
			if said[msg] {
				return // one line per problem, however often the case repeats it
			}
			said[msg] = true
			errs = append(errs, &vectors.Error{File: c.File, Line: c.Line, Column: c.Column, ID: c.ID, Msg: msg})
		}
		s, ok := scheme.Lookup(c.Scheme())
		if !ok {
			bad("unknown scheme %q (known: %s)", c.Scheme(), strings.Join(scheme.Names(), ", "))
			continue
		}
		names, ok := known[s.Name()]
		if !ok {
			// Once per scheme: Variants returns a copy of the list.
			names = variantNames(s)
			known[s.Name()] = names
		}
		outcomes := []vectors.Outcome{c.Expected}
		for _, v := range c.Variants {
			outcomes = append(outcomes, v.Outcome)
			if !slices.Contains(names, v.Name) {
				bad("%s has no variant %q (known: %s)", s.Name(), v.Name, strings.Join(names, ", "))
			}
		}
		for _, o := range outcomes {
			for _, st := range o.Stages {
				if !slices.Contains(s.Stages(), st.Name) {
					bad("%s has no stage %q (known: %s)", s.Name(), st.Name, strings.Join(s.Stages(), ", "))
				}
			}
			if o.Departs != "" && !slices.Contains(s.Stages(), o.Departs) {
				bad("departs: %s has no stage %q (known: %s)", s.Name(), o.Departs, strings.Join(s.Stages(), ", "))
			}
		}
	}
	return errors.Join(errs...)
}

func variantNames(s sigconform.Scheme) []string {
	var out []string
	for _, v := range s.Variants() {
		out = append(out, v.Name)
	}
	return out
}
