package vectors

import (
	"regexp"
	"strings"
)

// Vector files are read by YAML 1.2 readers (Go's yaml.v3) and by YAML 1.1
// ones (PyYAML's safe_load, Ruby's Psych, SnakeYAML). A plain scalar such as
// 2024-01-02T08:19:05+05, yes, 0755 or 1:20 is a string to the first and a
// timestamp, a boolean or a number to the second. yaml.v3 quotes what YAML
// 1.2 would read as another type; the writer (str in v2.go) quotes, besides,
// every plain string that a YAML 1.1 reader would.

// yaml11Typed matches the plain scalars that YAML 1.1 (its type repository,
// and PyYAML's resolver, which follows it) reads as something other than a
// string: booleans, null, integers (binary, octal, hex, sexagesimal),
// floats, timestamps, the merge key and the value key.
var yaml11Typed = regexp.MustCompile(`^(?:` +
	`y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF` +
	`|~|null|Null|NULL` +
	`|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+` +
	`|[-+]?(?:[0-9][0-9_]*)?\.[0-9._]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)` +
	`|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?` +
	`|<<|=` +
	`)$`)

// ambiguous reports whether s, written plain, could be read as anything
// but the string s by a YAML 1.1 or 1.2 reader.
func ambiguous(s string) bool {
	if s == "" {
		return true
	}
	// Every typed scalar starts with one of these; most strings do not,
	// and the loader asks about every plain scalar it reads.
	if !strings.ContainsRune("0123456789+-.~=<yYnNtTfFoO", rune(s[0])) {
		return false
	}
	return yaml11Typed.MatchString(s)
}
