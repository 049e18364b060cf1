package main

import (
	"context"
	"maps"

	"stend/operator"
)

// The `stend clock …` commands: the stand's clock, shared by every node
// through the database, so a command moves the time a running stand's
// clients see (within half a second).
var clockCommands = map[string]command{
	"clock show":    {"show the stand's time and how far it is ahead of real time", runClockShow},
	"clock advance": {"move the stand's time forward for every node (--by 25h)", runClockAdvance},
	"clock set":     {"make the stand's time an instant, forward or back, for every node (--at 2025-06-11T09:00:00Z or a day)", runClockSet},
	"clock release": {"give the stand real time again, for every node", runClockRelease},
}

func init() { maps.Copy(commands, clockCommands) }

func runClockShow(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.ReadClock(ctx) })
}

func runClockAdvance(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var in operator.ClockAdvance
	fs.StringVar(&in.By, "by", "", "how far forward, as a duration: 25h, 90m, 1h30m")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.AdvanceClock(ctx, in) })
}

func runClockSet(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var in operator.ClockSet
	fs.StringVar(&in.At, "at", "", "the stand's new time: RFC 3339 (2025-06-11T09:00:00+03:00) or a day (its 00:00 UTC)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.SetClock(ctx, in) })
}

func runClockRelease(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.ReleaseClock(ctx) })
}
