// Package scheme lists sigconform's reference implementations, one package
// per signing scheme below this directory.
package scheme

import (
	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/scheme/sigv2"
	"github.com/sigconform/sigconform/scheme/sigv4"
	"github.com/sigconform/sigconform/scheme/zstack"
)

var all = []sigconform.Scheme{cloudstack.Scheme, sigv2.Scheme, sigv4.Scheme, zstack.Scheme}

// All returns the reference schemes, ordered by name.
func All() []sigconform.Scheme { return append([]sigconform.Scheme(nil), all...) }

// Lookup returns the reference scheme named name.
func Lookup(name string) (sigconform.Scheme, bool) {
	for _, s := range all {
		if s.Name() == name {
			return s, true
		}
	}
	return nil, false
}

// Names returns the scheme names, ordered.
func Names() []string {
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.Name()
	}
	return out
}
