package conformcmd

import "testing"

func TestBuildNote(t *testing.T) {
	for v, want := range map[string]string{
		"(devel)":                              " (built from a source checkout, not a released version)",
		"v1.4.0":                               "",
		"v1.4.0-rc.1":                          "",
		"v0.0.0-20261206012152-3363128abcde":   " (built from a commit, not a released version)",
		"v1.4.1-0.20261206012152-3363128abcde": " (built from a commit, not a released version)",
		"v0.0.0-20261206012152-3363128abcde+dirty": " (built from a checkout with uncommitted changes, not a released version)",
	} {
		if got := buildNote(v); got != want {
			t.Errorf("buildNote(%q) = %q, want %q", v, got, want)
		}
	}
}
