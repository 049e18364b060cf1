package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestClockCommands: the clock moved by a command is the clock the next
// process reads, since its offset is kept in the database.
func TestClockCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var c struct {
		Now    time.Time
		Offset string
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "clock", "show")), &c); err != nil || c.Offset != "0s" {
		t.Fatalf("show: %+v %v", c, err)
	}
	before := time.Now()
	if err := json.Unmarshal([]byte(runStend(t, dir, "clock", "advance", "--by", "25h")), &c); err != nil || c.Offset != "25h0m0s" {
		t.Fatalf("advance: %+v %v", c, err)
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "clock", "show")), &c); err != nil || c.Offset != "25h0m0s" || c.Now.Before(before.Add(25*time.Hour)) {
		t.Fatalf("show after the move: %+v %v", c, err)
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "clock", "set", "--at", "2024-01-01")), &c); err != nil ||
		!c.Now.Before(time.Date(2024, 1, 1, 0, 0, 1, 0, time.UTC)) || !strings.HasPrefix(c.Offset, "-") {
		t.Fatalf("set back: %+v %v", c, err)
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "clock", "release")), &c); err != nil || c.Offset != "0s" || c.Now.Before(before) {
		t.Fatalf("release: %+v %v", c, err)
	}
	err := run(context.Background(), []string{"clock", "advance", "--by", "soon", "--data-dir", dir}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "not a duration") {
		t.Fatalf("a malformed duration: %v", err)
	}
}
