package sigv2

import (
	"testing"

	"github.com/sigconform/sigconform/scheme/schemetest"
)

func TestVectors(t *testing.T) { schemetest.Run(t, Scheme) }
