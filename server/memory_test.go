package server

import (
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
)

// TestLargeRequestsKeepHeapFlat serves 1,000 requests with a 4 KB query
// each, recording every entry as conform serve does, and checks that the
// live heap afterwards holds the entries, not the requests: a report entry
// that kept its request's memory alive (a substring of the target, a whole
// signed string in its explanation) would hold 8 MB here or more (8 KB a
// request), where the entries alone hold about 1.4 MB. (It served 5,000
// until the test suite had to fit in 15 s: the ratio of kept to allowed is
// the same, and a live heap measured after runtime.GC does not move by
// megabytes.)
func TestLargeRequestsKeepHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("serves 1,000 large requests")
	}
	dialect, _ := DialectFor("cloudstack")
	rep := &Report{}
	h := &Handler{
		Checker: Checker{Scheme: cloudstack.Scheme, Credentials: sigconform.Credentials{AccessKey: "AK", SecretKey: "SK"}},
		Dialect: dialect,
		Record:  rep.Add,
	}
	target := "/client/api?command=listZones&apikey=AK&name=" + strings.Repeat("x", 4<<10) + "&signature=abc"
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 1000
	for range n {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if rep.Requests != n {
		t.Fatalf("%d requests recorded", rep.Requests)
	}
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap grew %d KB for %d entries", grown>>10, n)
	// 1,000 entries of about 1.4 KB each: 4.8 MB (as 24 MB was for 5,000)
	// is far above that and far below what keeping the requests costs.
	if grown > n*4900 {
		t.Errorf("live heap grew %d KB over %d requests of 4 KB: entries keep their requests alive", grown>>10, n)
	}
}
