package adapter

import (
	"github.com/sigconform/sigconform/vectors"
)

// DefaultWindow is how many requests an HTTP adapter has in flight at most
// when the window is chosen automatically, each on a connection of its
// own: on a 2-core machine more measured within the noise of 8
// (BenchmarkHTTP in adapter/bench_test.go).
const DefaultWindow = 8

// DefaultProcessWindow is the automatic window of a subprocess adapter.
// The requests ahead wait in the pipe, so a larger window costs nothing
// but lets each write and each wake-up of the adapter carry more of them:
// on a 2-core machine 64 ran the corpus at 1.4x the cases/s of 8, with a
// fifth less CPU a case (BenchmarkSubprocess; the README's Speed table).
// 64 of the corpus's requests average 31 KiB, within a pipe's 64 KiB;
// larger ones only hold up the writer goroutine, never the reading. A
// case's timeout starts when the runner comes to it, not when it is
// written ahead, so a slow adapter is not charged for the queue.
const DefaultProcessWindow = 64

// maxWindow bounds any window, so that a typo in -window cannot have
// thousands of requests in flight.
const maxWindow = 256

// planned is one call the runner said it will make: the request, built
// when first needed.
type planned struct {
	c  *vectors.Case
	op string
}

// plan is the order in which the runner will ask for cases
// (suites.Lookahead), so that an adapter can send requests before they are
// asked for. A call the plan does not foresee is still answered, one at a
// time.
type plan struct {
	items []planned
	index map[string]int // id to index in items; -1 for a duplicated id, never sent ahead
	pos   int            // index of the next item the runner is expected to ask for
}

func newPlan(cases []*vectors.Case) plan {
	pl := plan{index: make(map[string]int, len(cases))}
	for _, c := range cases {
		op := OpSign
		if c.Kind == vectors.Verify {
			op = OpVerify
		}
		if _, dup := pl.index[c.ID]; dup {
			pl.index[c.ID] = -1
		} else {
			pl.index[c.ID] = len(pl.items)
		}
		pl.items = append(pl.items, planned{c: c, op: op})
	}
	return pl
}

// find returns the index of the call for id and op, at or after pos, and
// moves pos past it; -1 when the plan does not have it there.
func (pl *plan) find(id, op string) int {
	i, ok := pl.index[id]
	if !ok || i < pl.pos || pl.items[i].op != op {
		return -1
	}
	pl.pos = i + 1
	return i
}

// request builds the request of item i.
func (pl *plan) request(i int) *Request {
	it := pl.items[i]
	return newRequest(it.op, it.c.Input())
}

// ahead calls f for the items after the one just found that a window of w
// requests in flight should have sent: pos up to pos+w-2, skipping ids the
// plan holds twice (their answers could not be told apart).
func (pl *plan) ahead(w int, f func(i int)) {
	for i := pl.pos; i < pl.pos+w-1 && i < len(pl.items); i++ {
		if pl.index[pl.items[i].c.ID] == i {
			f(i)
		}
	}
}

// clampWindow returns w within 1..maxWindow.
func clampWindow(w int) int {
	return max(1, min(w, maxWindow))
}
