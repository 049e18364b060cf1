package stendtest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// ExampleTB is the little of testing.TB a stand uses, for runnable
// examples, which have no *testing.T: Fatal panics, Errorf (the contract
// check's, from a handler) is recorded, and Close runs the cleanups, last
// first, then panics with what was recorded, so that an example cannot
// pass over a mismatch.
type ExampleTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
	errors   []string
}

func (e *ExampleTB) Helper()                   {}
func (e *ExampleTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (e *ExampleTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

func (e *ExampleTB) Cleanup(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cleanups = append(e.cleanups, f)
}

func (e *ExampleTB) Errorf(f string, a ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errors = append(e.errors, fmt.Sprintf(f, a...))
}

func (e *ExampleTB) TempDir() string {
	dir, err := os.MkdirTemp("", "stend-example-")
	if err != nil {
		panic(err)
	}
	e.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Close ends the example's stand.
func (e *ExampleTB) Close() {
	e.mu.Lock()
	cleanups := e.cleanups
	e.cleanups = nil
	e.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.errors) > 0 {
		panic(strings.Join(e.errors, "\n"))
	}
}
