package sigv4

// bugTypes classifies each variant for the vector files' descriptions
// (sigconform.Variant.BugType; vectors.BugTypes lists the values).
// A variant not listed builds the canonical request otherwise:
// canonicalization.
var bugTypes = map[string]string{
	"query-not-reencoded":  "encoding",
	"unsafe-path-escaped":  "encoding",
	"path-unencoded":       "encoding",
	"future-date-accepted": "lenient-verifier",
	// A body replaced after signing passes: the signature does not cover it.
	"gofakes3-payload-unchecked": "lenient-verifier",
	"gofakes3":                   "lenient-verifier",
}

func init() {
	for i := range variants {
		variants[i].BugType = "canonicalization"
		if t, ok := bugTypes[variants[i].Name]; ok {
			variants[i].BugType = t
		}
	}
}
