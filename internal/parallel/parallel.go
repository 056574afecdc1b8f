// Package parallel runs independent pieces of work on every core: what
// loading the corpus (vectors) and writing it (vectorgen) do with their
// files.
package parallel

import (
	"runtime"
	"sync"
)

// Each calls f(i) for every i from 0 to n-1, on as many goroutines as
// GOMAXPROCS (at most n), and returns when all calls have returned. Each f(i)
// must touch only what belongs to i.
func Each(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
