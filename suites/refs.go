package suites

import (
	"path"
	"regexp"
	"strings"
)

// githubRef is the form the variants' references give a line of a public
// repository in: owner/repo@commit-or-tag:path, then optionally :lines.
var githubRef = regexp.MustCompile(`^([A-Za-z0-9][\w.-]*/[\w.-]+)@([\w.-]+):([^\s:]+)(?::(\d+)(?:-(\d+))?)?$`)

// RefURL returns the address a reference points at, when it has one: a
// URL as written, or a GitHub page for a repository reference
// ("apache/cloudstack@02182a1:server/.../ApiServer.java", with ":536-540"
// for lines). Anything else (a package and version, a seed of this
// project) has no address: "".
func RefURL(ref string) string {
	first, _, _ := strings.Cut(ref, " ")
	if strings.HasPrefix(first, "https://") || strings.HasPrefix(first, "http://") {
		return first
	}
	m := githubRef.FindStringSubmatch(first)
	if m == nil {
		return ""
	}
	u := "https://github.com/" + m[1] + "/blob/" + m[2] + "/" + m[3]
	if m[4] != "" {
		u += "#L" + m[4]
		if m[5] != "" {
			u += "-L" + m[5]
		}
	}
	return u
}

// RefLabel is a short name for a reference, for a link's text where the
// whole reference is too long: "apache/cloudstack ApiServer.java:536-540"
// for a repository line, the address without its scheme for a URL, the
// first word otherwise.
func RefLabel(ref string) string {
	first, _, _ := strings.Cut(ref, " ")
	if m := githubRef.FindStringSubmatch(first); m != nil {
		label := m[1] + " " + path.Base(m[3])
		if m[4] != "" {
			label += ":" + m[4]
			if m[5] != "" {
				label += "-" + m[5]
			}
		}
		return label
	}
	first = strings.TrimPrefix(strings.TrimPrefix(first, "https://"), "http://")
	return truncate(first, 57)
}
