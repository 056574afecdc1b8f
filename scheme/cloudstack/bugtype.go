package cloudstack

// bugTypes classifies each variant for the vector files' descriptions
// (sigconform.Variant.BugType; vectors.BugTypes lists the values).
var bugTypes = map[string]string{
	"codepoint-order":     "canonicalization",
	"pairs-sorted":        "canonicalization",
	"lowercase-then-sort": "legacy",
	"brackets-unencoded":  "encoding",
	"tilde-unencoded":     "encoding",
	"plus-for-space":      "encoding",
	"star-encoded":        "encoding",
	"rfc3986-unreserved":  "encoding",
	"names-encoded":       "encoding",
	"csclient":            "encoding",
	"libcloud":            "canonicalization",
	"unencoded-values":    "encoding",
	"no-lowercase":        "canonicalization",
	"urlsafe-base64":      "legacy",
}

func init() {
	for i := range variants {
		variants[i].BugType = bugTypes[variants[i].Name]
	}
}
