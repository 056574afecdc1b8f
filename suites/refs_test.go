package suites_test

import (
	"testing"

	"github.com/sigconform/sigconform/suites"
)

func TestRefURL(t *testing.T) {
	for ref, want := range map[string]string{
		"https://bugs.launchpad.net/keystone/+bug/1360892 (the report)":                                                                "https://bugs.launchpad.net/keystone/+bug/1360892",
		"apache/cloudstack@02182a1572a12a89fc2f429f57bcec6f9e6ad7c0:server/src/main/java/com/cloud/api/ApiServer.java (verifyRequest)": "https://github.com/apache/cloudstack/blob/02182a1572a12a89fc2f429f57bcec6f9e6ad7c0/server/src/main/java/com/cloud/api/ApiServer.java",
		"apache/cloudstack-go@v2.16.1:cloudstack/cloudstack.go:536-540 (EncodeValues)":                                                 "https://github.com/apache/cloudstack-go/blob/v2.16.1/cloudstack/cloudstack.go#L536-L540",
		"openstack/python-keystoneclient@1.0.0:keystoneclient/contrib/ec2/utils.py:220":                                                "https://github.com/openstack/python-keystoneclient/blob/1.0.0/keystoneclient/contrib/ec2/utils.py#L220",
		// Two tags at once, a package version, a seed: no single address.
		"smithy-lang/smithy-typescript@signature-v4-5.7.5,core-3.41.0:packages/core/x.ts": "",
		"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:83 (_make_signature)":        "",
		"shared/seeds/002": "",
	} {
		if got := suites.RefURL(ref); got != want {
			t.Errorf("RefURL(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestRefLabel(t *testing.T) {
	for ref, want := range map[string]string{
		"apache/cloudstack-go@v2.16.1:cloudstack/cloudstack.go:536-540 (EncodeValues)": "apache/cloudstack-go cloudstack.go:536-540",
		"https://bugs.launchpad.net/keystone/+bug/1360892 (the report)":                "bugs.launchpad.net/keystone/+bug/1360892",
		"apache-libcloud 3.4.1:libcloud/common/cloudstack.py:83":                       "apache-libcloud",
	} {
		if got := suites.RefLabel(ref); got != want {
			t.Errorf("RefLabel(%q) = %q, want %q", ref, got, want)
		}
	}
}
