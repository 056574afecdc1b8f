package zstack

// bugTypes classifies each variant for the vector files' descriptions
// (sigconform.Variant.BugType; vectors.BugTypes lists the values).
var bugTypes = map[string]string{
	"with-context-prefix": "canonicalization",
	"with-query-string":   "canonicalization",
	"check-time-zone":     "verifier-policy",
}

func init() {
	for i := range variants {
		variants[i].BugType = bugTypes[variants[i].Name]
	}
}
