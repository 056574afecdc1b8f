package parallel_test

import (
	"testing"

	"github.com/sigconform/sigconform/internal/parallel"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100} {
		calls := make([]int, n)
		parallel.Each(n, func(i int) { calls[i]++ })
		for i, c := range calls {
			if c != 1 {
				t.Errorf("Each(%d): f(%d) called %d times, want 1", n, i, c)
			}
		}
	}
}
