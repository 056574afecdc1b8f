package server

import (
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/cloudstack"
)

// TestLargeRequestsKeepHeapFlat serves 5,000 requests with a 4 KB query
// each, recording every entry as conform serve does, and checks that the
// live heap afterwards holds the entries, not the requests: a report entry
// that kept its request's memory alive (a substring of the target, a whole
// signed string in its explanation) would hold 40 MB here or more.
func TestLargeRequestsKeepHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("serves 5,000 large requests")
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
	for range 5000 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if rep.Requests != 5000 {
		t.Fatalf("%d requests recorded", rep.Requests)
	}
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap grew %d KB for 5,000 entries", grown>>10)
	// 5,000 entries of about 1 KB each: 24 MB is far above that and far
	// below what keeping the requests costs.
	if grown > 24<<20 {
		t.Errorf("live heap grew %d MB over 5,000 requests of 4 KB: entries keep their requests alive", grown>>20)
	}
}
