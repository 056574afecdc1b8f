package sigv2

// bugTypes classifies each variant for the vector files' descriptions
// (sigconform.Variant.BugType; vectors.BugTypes lists the values).
var bugTypes = map[string]string{
	"tilde-encoded":           "encoding",
	"plus-for-space":          "encoding",
	"path-decoded":            "encoding",
	"security-token-unsigned": "canonicalization",
	"host-without-port":       "canonicalization",
	"host-as-written":         "canonicalization",
	"get-verb":                "canonicalization",
	"libcloud":                "canonicalization",
	"keystone":                "lenient-verifier",
}

func init() {
	for i := range variants {
		variants[i].BugType = bugTypes[variants[i].Name]
	}
}
